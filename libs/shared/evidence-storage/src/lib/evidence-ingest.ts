import { loadEsm } from 'load-esm';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { contradictsDeclared, evidenceMediaType } from './evidence-media-types';
import { evidenceError, EvidenceErrorCode } from './evidence.errors';
import type { EvidenceStorage, StagedFile } from './evidence-storage.port';

/** What an upload became: the record the attach event carries. */
export interface IngestedEvidence {
  readonly name: string;
  readonly size: number;
  readonly mediaType: string;
  readonly sha256: string;
}

export interface IngestRequest {
  readonly source: Readable;
  /** The file name as the client sent it, kept exactly (Vietnamese names included). */
  readonly name: string;
  /** The Content-Type the client declared for the part, if any. */
  readonly declaredType?: string;
  /** The most bytes this upload may have (the per-file limit). */
  readonly maxBytes: number;
}

interface DetectedType {
  readonly ext: string;
  readonly mime: string;
}

interface FileTypeModule {
  fileTypeFromBuffer(bytes: Uint8Array): Promise<DetectedType | undefined>;
  fileTypeFromFile(path: string): Promise<DetectedType | undefined>;
}

let fileTypeModule: Promise<FileTypeModule> | undefined;
// file-type is published as an ES module only; the compiled CommonJS reaches it through import().
const fileType = (): Promise<FileTypeModule> => (fileTypeModule ??= loadEsm<FileTypeModule>('file-type'));

/** The bytes kept from the start of an upload to decide its type without reading the file again. */
const headBytes = 64 * 1024;

const maxNameLength = 255;
// Control characters and path separators; anything else (Vietnamese letters, spaces, brackets) is kept as sent.
const isForbiddenInName = (name: string): boolean => [...name].some((c) => c === '/' || c === '\\' || (c.codePointAt(0) ?? 0) < 0x20 || c === '\u007f');

/**
 * Streams an upload to a staging file on local disk while hashing and counting it (never the
 * whole file in memory), decides its type from the bytes, then hands it to the storage under its
 * SHA-256. Whatever goes wrong before the storage has it, the staging file is removed and nothing
 * is stored.
 */
export class EvidenceIngest {
  private stagingReady: Promise<unknown> | undefined;

  constructor(
    private readonly storage: EvidenceStorage,
    private readonly stagingDir: string,
  ) {}

  async ingest(request: IngestRequest): Promise<IngestedEvidence> {
    return this.ingestAndRecord(request, async (evidence) => evidence);
  }

  /**
   * As `ingest`, with `record` called once the bytes are complete and typed and before the storage
   * has them: what `record` refuses is never stored. Answers what `record` answered.
   */
  async ingestAndRecord<T>(request: IngestRequest, record: (evidence: IngestedEvidence) => Promise<T>): Promise<T> {
    const name = request.name;
    if (name.trim() === '' || name.length > maxNameLength || isForbiddenInName(name)) {
      throw evidenceError(EvidenceErrorCode.badName, 'validation', `Tên tệp không hợp lệ (tối đa ${maxNameLength} ký tự, không chứa / \\ hay ký tự điều khiển)`, { name });
    }
    await (this.stagingReady ??= mkdir(this.stagingDir, { recursive: true }).catch((error: unknown) => {
      this.stagingReady = undefined;
      throw error;
    }));
    const path = join(this.stagingDir, `${randomUUID()}.part`);
    try {
      const meter = new Meter(request.maxBytes);
      await receive(request.source, meter, path);
      if (meter.size === 0) throw evidenceError(EvidenceErrorCode.empty, 'validation', 'Tệp rỗng', { name });
      const detected = await detectType(meter.head(), meter.size, path);
      const mediaType = evidenceMediaType(detected?.mime, name);
      if (mediaType === null) {
        throw evidenceError(EvidenceErrorCode.typeNotAllowed, 'validation', 'Chỉ nhận minh chứng là PDF, ảnh, tệp Office hoặc OpenDocument (loại tệp xét theo nội dung, không theo tên)', {
          name,
          detected: detected?.mime ?? null,
        });
      }
      if (contradictsDeclared(request.declaredType, mediaType)) {
        throw evidenceError(EvidenceErrorCode.typeMismatch, 'validation', `Loại tệp khai báo (${request.declaredType}) khác nội dung thực (${mediaType})`, {
          name,
          declared: request.declaredType,
          detected: mediaType,
        });
      }
      const staged: StagedFile = { path, size: meter.size, sha256: meter.digest(), mediaType };
      const recorded = await record({ name, size: staged.size, mediaType, sha256: staged.sha256 });
      await this.storage.put(staged);
      return recorded;
    } finally {
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }
}

/** Received chunks are written together once they hold this many bytes: a 5 MB upload takes 20 writes, not 80. */
const writeBatchBytes = 256 * 1024;

/**
 * Writes the upload to `path`, read-only from its creation (this descriptor still writes) as stored
 * evidence is, and flushes it before closing: an upload acknowledged later survives a crash. A
 * batch is written before more is read, so a slow disk holds the sender back.
 */
async function receive(source: Readable, meter: Meter, path: string): Promise<void> {
  const file = await open(path, 'wx', 0o444);
  try {
    let batch: Buffer[] = [];
    let batched = 0;
    const write = async (): Promise<void> => {
      const { bytesWritten } = await file.writev(batch);
      if (bytesWritten !== batched) throw new Error(`wrote ${bytesWritten} of ${batched} bytes`);
      batch = [];
      batched = 0;
    };
    for await (const chunk of source as AsyncIterable<Buffer>) {
      meter.take(chunk);
      batch.push(chunk);
      batched += chunk.length;
      if (batched >= writeBatchBytes) await write();
    }
    if (batched > 0) await write();
    await file.sync();
  } catch (error) {
    if (error === meter.refusal) throw error;
    throw evidenceError(EvidenceErrorCode.interrupted, 'validation', 'Tải tệp lên bị gián đoạn; không có gì được lưu', { cause: String(error) });
  } finally {
    await file.close();
  }
}

/**
 * The type of the bytes. Their first 64 KB decide it for PDF, images and the old Office files, and
 * the whole of a smaller file; a zip container's members (Office, OpenDocument) or a TIFF's
 * directory may lie further, so when the start says nothing or only "zip", the file decides.
 */
async function detectType(head: Buffer, size: number, path: string): Promise<DetectedType | undefined> {
  const types = await fileType();
  const fromHead = await types.fileTypeFromBuffer(head);
  if (size <= head.length || (fromHead !== undefined && fromHead.mime !== 'application/zip')) return fromHead;
  return types.fileTypeFromFile(path);
}

/** Hashes and counts the bytes received, keeping the first of them; refuses as soon as they exceed the limit. */
class Meter {
  private readonly hash = createHash('sha256');
  private readonly start: Buffer[] = [];
  private kept = 0;
  size = 0;
  refusal: Error | null = null;

  constructor(private readonly maxBytes: number) {}

  take(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.refusal = evidenceError(EvidenceErrorCode.tooLarge, 'validation', `Tệp vượt quá giới hạn ${formatBytes(this.maxBytes)} mỗi tệp`, { maxBytes: this.maxBytes });
      throw this.refusal;
    }
    this.hash.update(chunk);
    if (this.kept < headBytes) {
      const part = chunk.subarray(0, headBytes - this.kept);
      // A copy: the chunk may be a view of a larger network buffer, which should not be held.
      this.start.push(Buffer.from(part));
      this.kept += part.length;
    }
  }

  head(): Buffer {
    return Buffer.concat(this.start, this.kept);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
