import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { EvidenceIngest, type IngestedEvidence, type IngestRequest } from '../lib/evidence-ingest';
import { evidenceError, EvidenceErrorCode } from '../lib/evidence.errors';
import type { EvidenceStorage } from '../lib/evidence-storage.port';
import { paddedPdf, samplePdf, samplePng, sampleXlsx, sha256Of, tiffWithDirectoryAtEnd, xlsxWithLargeFirstMember } from './evidence-samples';

export interface EvidenceStorageFixture {
  readonly storage: EvidenceStorage;
  /** Where the ingest stages uploads; must be empty after every upload, good or bad. */
  readonly stagingDir: string;
  /** How many objects the storage holds. */
  countObjects(): Promise<number>;
  dispose(): Promise<void>;
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A source that sends `first` and then fails, like a client whose connection drops. */
function droppingSource(first: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(first);
        return;
      }
      setTimeout(() => this.destroy(new Error('connection reset by peer')), 5);
    },
  });
}

/**
 * The contract every evidence storage adapter passes (ARCHITECTURE.md §4.14), exercised through
 * the ingest that the upload endpoint uses.
 */
export function evidenceStorageContract(adapter: string, open: () => Promise<EvidenceStorageFixture>): void {
  describe(`evidence storage contract: ${adapter}`, () => {
    let fixture: EvidenceStorageFixture;
    let ingest: EvidenceIngest;
    const upload = (bytes: Buffer, request: Partial<IngestRequest> & { name: string }) =>
      ingest.ingest({ source: Readable.from([bytes]), maxBytes: 25 * 1024 * 1024, ...request });
    const stagingLeft = async () => (await readdir(fixture.stagingDir).catch(() => [])).length;

    beforeEach(async () => {
      fixture = await open();
      ingest = new EvidenceIngest(fixture.storage, fixture.stagingDir);
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    it('stores a file under its SHA-256, keeps its Vietnamese name as sent and gives back exactly its bytes', async () => {
      const bytes = samplePdf('Quyet dinh 12');
      const name = 'Quyết định 12/QĐ-UBND về Cổng thông tin điện tử (bản ký số).pdf'.replace('/', '-');
      const stored = await upload(bytes, { name, declaredType: 'application/pdf' });
      expect(stored).toEqual({ name, size: bytes.length, mediaType: 'application/pdf', sha256: sha256Of(bytes) });
      expect(await fixture.storage.stat(stored.sha256)).toBe(bytes.length);
      expect((await bytesOf(await fixture.storage.open(stored.sha256))).equals(bytes)).toBe(true);
      expect(await stagingLeft()).toBe(0);
    });

    it('decides the type from the bytes: an XLSX named .pdf is an XLSX, a PNG is a PNG', async () => {
      const xlsx = await sampleXlsx('Báo cáo tháng 12');
      expect((await upload(xlsx, { name: 'bảng-tổng-hợp.pdf' })).mediaType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect((await upload(samplePng, { name: 'ảnh chụp màn hình.png', declaredType: 'image/png' })).mediaType).toBe('image/png');
    });

    it('decides the type of a large file whose start does not tell it: a TIFF with its directory at the end, an XLSX whose content types follow a large picture', async () => {
      // Sent in pieces, as a network delivers them.
      const inPieces = (bytes: Buffer, request: { name: string }) =>
        ingest.ingest({ source: Readable.from(Array.from({ length: Math.ceil(bytes.length / 16_384) }, (_, n) => bytes.subarray(n * 16_384, (n + 1) * 16_384))), maxBytes: 25 * 1024 * 1024, ...request });
      expect((await inPieces(tiffWithDirectoryAtEnd(200_000), { name: 'bản quét.tif' })).mediaType).toBe('image/tiff');
      expect((await inPieces(await xlsxWithLargeFirstMember(200_000), { name: 'bảng có ảnh.xlsx' })).mediaType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(await stagingLeft()).toBe(0);
    });

    it('refuses files that are not PDF, images, Office or OpenDocument, and stores nothing', async () => {
      const before = await fixture.countObjects();
      await expect(upload(Buffer.from('#!/bin/sh\necho không phải minh chứng\n'), { name: 'minh-chứng.pdf' })).rejects.toMatchObject({
        code: 'EVIDENCE.TYPE_NOT_ALLOWED',
        category: 'validation',
      });
      await expect(upload(Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]), { name: 'nén.zip' })).rejects.toMatchObject({ code: 'EVIDENCE.TYPE_NOT_ALLOWED' });
      expect(await fixture.countObjects()).toBe(before);
      expect(await stagingLeft()).toBe(0);
    });

    it('refuses a file whose declared type contradicts its bytes, and stores nothing', async () => {
      const before = await fixture.countObjects();
      await expect(upload(samplePdf('declared png'), { name: 'ảnh.png', declaredType: 'image/png' })).rejects.toMatchObject({
        code: 'EVIDENCE.DECLARED_TYPE_MISMATCH',
        details: { declared: 'image/png', detected: 'application/pdf' },
      });
      expect(await fixture.countObjects()).toBe(before);
      expect(await stagingLeft()).toBe(0);
    });

    it('refuses a file over the limit as soon as it passes it, and stores nothing', async () => {
      const before = await fixture.countObjects();
      const bytes = paddedPdf('large', 300_000);
      await expect(upload(bytes, { name: 'lớn.pdf', maxBytes: 100_000 })).rejects.toMatchObject({ code: 'EVIDENCE.TOO_LARGE', details: { maxBytes: 100_000 } });
      expect(await fixture.countObjects()).toBe(before);
      expect(await stagingLeft()).toBe(0);
      expect((await upload(bytes, { name: 'vừa.pdf', maxBytes: bytes.length })).size).toBe(bytes.length);
    });

    it('stores nothing that its record refuses (an assessment over its limit), and answers what the record answered', async () => {
      const before = await fixture.countObjects();
      const bytes = paddedPdf('refused by its record', 150_000);
      const refusal = evidenceError(EvidenceErrorCode.assessmentLimit, 'validation', 'Phiếu không còn đủ chỗ');
      const seen: IngestedEvidence[] = [];
      const refusing = ingest.ingestAndRecord({ source: Readable.from([bytes]), name: 'quá hạn mức.pdf', maxBytes: 1_000_000 }, async (evidence) => {
        seen.push(evidence);
        throw refusal;
      });
      await expect(refusing).rejects.toBe(refusal);
      expect(seen).toEqual([{ name: 'quá hạn mức.pdf', size: bytes.length, mediaType: 'application/pdf', sha256: sha256Of(bytes) }]);
      expect(await fixture.countObjects()).toBe(before);
      expect(await fixture.storage.stat(sha256Of(bytes))).toBeNull();
      expect(await stagingLeft()).toBe(0);
      const recorded = await ingest.ingestAndRecord({ source: Readable.from([bytes]), name: 'vừa hạn mức.pdf', maxBytes: 1_000_000 }, async (evidence) => ({ id: 'upload 1', ...evidence }));
      expect(recorded).toEqual({ id: 'upload 1', name: 'vừa hạn mức.pdf', size: bytes.length, mediaType: 'application/pdf', sha256: sha256Of(bytes) });
      expect(await fixture.storage.stat(sha256Of(bytes))).toBe(bytes.length);
    });

    it('leaves nothing half-stored when the upload is interrupted', async () => {
      const before = await fixture.countObjects();
      const bytes = paddedPdf('dropped', 200_000);
      await expect(ingest.ingest({ source: droppingSource(bytes.subarray(0, 70_000)), name: 'đứt giữa chừng.pdf', maxBytes: 1_000_000 })).rejects.toMatchObject({
        code: 'EVIDENCE.UPLOAD_INTERRUPTED',
      });
      expect(await fixture.countObjects()).toBe(before);
      expect(await stagingLeft()).toBe(0);
      expect(await fixture.storage.stat(sha256Of(bytes))).toBeNull();
      expect(await fixture.storage.stat(sha256Of(bytes.subarray(0, 70_000)))).toBeNull();
    });

    it('stores the same bytes once when two uploads of them run at the same time', async () => {
      const before = await fixture.countObjects();
      const bytes = paddedPdf('twice', 2_000_000);
      const [first, second] = await Promise.all([
        ingest.ingest({ source: Readable.from([bytes.subarray(0, 1_000_000), bytes.subarray(1_000_000)]), name: 'bản 1.pdf', maxBytes: 5_000_000 }),
        ingest.ingest({ source: Readable.from([bytes.subarray(0, 500_000), bytes.subarray(500_000)]), name: 'bản 2.pdf', maxBytes: 5_000_000 }),
      ]);
      expect(first.sha256).toBe(sha256Of(bytes));
      expect(second.sha256).toBe(first.sha256);
      expect([first.name, second.name]).toEqual(['bản 1.pdf', 'bản 2.pdf']);
      expect(await fixture.countObjects()).toBe(before + 1);
      expect((await bytesOf(await fixture.storage.open(first.sha256))).equals(bytes)).toBe(true);
      await upload(bytes, { name: 'bản 3.pdf' });
      expect(await fixture.countObjects()).toBe(before + 1);
      expect(await stagingLeft()).toBe(0);
    });

    it('answers NOT_FOUND for bytes it does not hold and removes what it is asked to', async () => {
      const missing = sha256Of(Buffer.from('never stored'));
      await expect(fixture.storage.open(missing)).rejects.toMatchObject({ code: 'EVIDENCE.NOT_FOUND', category: 'not_found' });
      expect(await fixture.storage.stat(missing)).toBeNull();
      const stored = await upload(samplePdf('to remove'), { name: 'xoá.pdf' });
      await fixture.storage.remove(stored.sha256);
      expect(await fixture.storage.stat(stored.sha256)).toBeNull();
      await fixture.storage.remove(stored.sha256);
    });

    it('refuses names with path separators or control characters and empty files', async () => {
      await expect(upload(samplePdf('x'), { name: '../../etc/passwd.pdf' })).rejects.toMatchObject({ code: 'EVIDENCE.BAD_FILE_NAME' });
      await expect(upload(Buffer.alloc(0), { name: 'rỗng.pdf' })).rejects.toMatchObject({ code: 'EVIDENCE.EMPTY_FILE' });
      expect(await stagingLeft()).toBe(0);
    });
  });
}
