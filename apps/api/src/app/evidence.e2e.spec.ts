import { loadBundledFramework } from '@tieuchi/framework/domain';
import { loadConfig } from '@tieuchi/shared/config';
import { EvidenceCleanup, EvidenceUploads } from '@tieuchi/assessment/feature';
import { EVIDENCE_STORAGE } from '@tieuchi/shared/application';
import { type EvidenceStorage, FileSystemEvidenceStorage } from '@tieuchi/shared/evidence-storage';
import { paddedPdf, samplePng, sampleXlsx, sha256Of } from '@tieuchi/shared/evidence-storage/testing';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { type AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { assessmentRoutes, selfScoreBody, tierCriteriaOf } from '../testing/assessment-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const period = 'daknong-2019';
const nam = '24728';
const tam = '24655';
const run = promisify(execFile);
const framework = loadBundledFramework('2392-2017');
const communeCriteria = tierCriteriaOf(framework, 'commune');
const routes = assessmentRoutes(period, nam);
const evidencePath = `/periods/${period}/assessments/${nam}/evidence`;

/** Binary answers from supertest: the exact bytes, not a parsed body. */
function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('evidence files through the API: Vietnamese names, exact bytes for the reviewer, tampering named by the audit', () => {
  let t: TestApp;
  const files = [
    { name: 'Quyết định số 12/QĐ-UBND về Cổng thông tin điện tử xã Nâm N’Jang.pdf'.replace('/', '∕'), bytes: paddedPdf('Quyet dinh 12', 120_000), type: 'application/pdf' },
    { name: 'Ảnh chụp chuyên mục công khai ngân sách (tháng 12).png', bytes: samplePng, type: 'image/png' },
    { name: '', bytes: Buffer.alloc(0), type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  ];
  let submittedPosition = '';
  const uploaded: { id: string; name: string; sha256: string; size: number; mediaType: string; href: string }[] = [];

  const upload = async (who: string, name: string, bytes: Buffer, contentType: string, path = evidencePath) =>
    t.http().post(path).set('Authorization', await t.bearer(who)).attach('file', bytes, { filename: name, contentType });

  beforeAll(async () => {
    t = await startTestApp({ evidence: { ...loadConfig({}).evidence, maxFileBytes: 200_000, maxAssessmentBytes: 400_000 } });
    await seedThroughExecutor(t.app).twoCommunesInOpenPeriod(period, framework);
    files[2] = { ...files[2]!, name: 'Bảng tổng hợp chỉ tiêu ứng dụng CNTT năm 2019.xlsx', bytes: await sampleXlsx('Đắk Nông') };
  }, 60_000);

  afterAll(() => t?.close());

  it('stores each upload under its SHA-256 with its Vietnamese name unchanged and its type from the bytes', async () => {
    for (const file of files) {
      const res = await upload(`editor.${nam}@daknong`, file.name, file.bytes, file.type);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: file.name, size: file.bytes.length, mediaType: file.type, sha256: sha256Of(file.bytes), href: `${evidencePath}/${sha256Of(file.bytes)}` });
      uploaded.push(res.body);
    }
    // The same bytes again: another record, one stored object.
    const again = await upload(`lead.${nam}@daknong`, 'bản sao.pdf', files[0]!.bytes, 'application/pdf');
    expect(again.status).toBe(201);
    expect(again.body.sha256).toBe(uploaded[0]!.sha256);
    expect(again.body.id).not.toBe(uploaded[0]!.id);
  });

  it('refuses other units, wrong types, declared types that lie and files over the limits, naming the reason in Vietnamese', async () => {
    expect((await upload(`editor.${tam}@daknong`, 'a.pdf', files[0]!.bytes, 'application/pdf')).status).toBe(403);
    expect((await upload('reviewer.1@daknong', 'a.pdf', files[0]!.bytes, 'application/pdf')).status).toBe(403);
    const script = await upload(`editor.${nam}@daknong`, 'minh chứng.pdf', Buffer.from('<script>alert(1)</script>'), 'application/pdf');
    expect({ status: script.status, code: script.body.code, field: script.body.field }).toEqual({ status: 400, code: 'EVIDENCE.TYPE_NOT_ALLOWED', field: 'file' });
    expect(script.body.detail).toContain('Chỉ nhận minh chứng');
    const lying = await upload(`editor.${nam}@daknong`, 'ảnh.png', files[0]!.bytes, 'image/png');
    expect(lying.body).toMatchObject({ status: 400, code: 'EVIDENCE.DECLARED_TYPE_MISMATCH' });
    const large = await upload(`editor.${nam}@daknong`, 'lớn.pdf', paddedPdf('large', 250_000), 'application/pdf');
    expect(large.body).toMatchObject({ status: 400, code: 'EVIDENCE.TOO_LARGE' });
    expect(large.body.detail).toContain('mỗi tệp');
    // 120 KB + small ones are used of 400 KB: a second distinct 190 KB file fits, a third does not.
    expect((await upload(`editor.${nam}@daknong`, 'thêm 1.pdf', paddedPdf('extra 1', 190_000), 'application/pdf')).status).toBe(201);
    const over = await upload(`editor.${nam}@daknong`, 'thêm 2.pdf', paddedPdf('extra 2', 190_000), 'application/pdf');
    expect(over.body).toMatchObject({ status: 400, code: 'EVIDENCE.ASSESSMENT_LIMIT_REACHED' });
    const noFile = await t.http().post(evidencePath).set('Authorization', await t.bearer(`editor.${nam}@daknong`)).send({ file: 'x' });
    expect(noFile.body).toMatchObject({ status: 400, code: 'EVIDENCE.BAD_UPLOAD' });
  });

  it('holds the per-assessment limit when uploads run at the same time: what does not fit is refused and its bytes are not kept', async () => {
    const tamPath = `/periods/${period}/assessments/${tam}/evidence`;
    const pdfs = [1, 2, 3, 4].map((n) => paddedPdf(`concurrent ${n}`, 150_000));
    const answers = await Promise.all(pdfs.map((bytes, n) => upload(`editor.${tam}@daknong`, `đồng thời ${n + 1}.pdf`, bytes, 'application/pdf', tamPath)));
    // 400 KB hold two 150 KB files, not three, whichever two arrive first.
    expect(answers.map((res) => res.status).sort()).toEqual([201, 201, 400, 400]);
    const storage = t.app.get<EvidenceStorage>(EVIDENCE_STORAGE);
    for (const [n, res] of answers.entries()) {
      if (res.status === 201) continue;
      expect(res.body).toMatchObject({ status: 400, code: 'EVIDENCE.ASSESSMENT_LIMIT_REACHED' });
      expect(res.body.detail).toContain('không còn đủ chỗ');
      expect(await storage.stat(sha256Of(pdfs[n]!))).toBeNull();
    }
    expect(await t.app.get(EvidenceUploads).usedBytes(period, tam)).toBe(300_000);
  });

  it('stores nothing and keeps no staging file when the client goes away in the middle of a file', async () => {
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const staging = join(t.config.dataDir, 'evidence-staging');
    const bytes = paddedPdf('cut off', 150_000);
    const usedBefore = await t.app.get(EvidenceUploads).usedBytes(period, nam);
    try {
      const boundary = 'tieuchi-cut-off';
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="đứt giữa chừng.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST ${evidencePath} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${await t.bearer(`editor.${nam}@daknong`)}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${head.length + bytes.length + boundary.length + 8}\r\n\r\n`,
      );
      socket.write(Buffer.concat([head, bytes.subarray(0, 70_000)]));
      // Cut off once the server is writing the file.
      for (const deadline = Date.now() + 10_000; (await readdir(staging).catch(() => [])).length === 0; ) {
        if (Date.now() > deadline) throw new Error('the upload never reached the staging folder');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      socket.destroy();
      for (const deadline = Date.now() + 10_000; (await readdir(staging)).length > 0; ) {
        if (Date.now() > deadline) throw new Error('the staging file of the cut-off upload is still there');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const storage = t.app.get<EvidenceStorage>(EVIDENCE_STORAGE, { strict: false });
    expect(await storage.stat(sha256Of(bytes))).toBeNull();
    expect(await storage.stat(sha256Of(bytes.subarray(0, 70_000)))).toBeNull();
    expect(await t.app.get(EvidenceUploads).usedBytes(period, nam)).toBe(usedBefore);
  });

  it('attaches the files to criteria, submits, and the reviewer downloads exactly those bytes under their names', async () => {
    const editor = await t.bearer(`editor.${nam}@daknong`);
    expect((await t.http().post(routes.start).set('Authorization', editor)).status).toBe(201);
    const evidence = uploaded.slice(0, 3).map(({ id }) => ({ id }));
    let lastScore = 0;
    for (const criterion of communeCriteria) {
      const res = await t.http().post(routes.score(criterion.code)).set('Authorization', editor).send({ ...selfScoreBody(criterion, 0.8, evidence), evidence: criterion.evidenceRequired ? evidence : [] });
      expect(res.status).toBe(200);
      lastScore = res.body.position;
    }
    // The unit's own view names each file by its upload id, so a form re-saved with those ids keeps its files.
    const own = await t.http().get(`/periods/${period}/assessments/${nam}`).set('Authorization', editor).query({ after: lastScore });
    const ownCriterion = (own.body.criteria as { code: string; self: { answer: unknown; evidence: { name: string; uploadId?: string }[] } | null }[]).find((c) => (c.self?.evidence.length ?? 0) > 0)!;
    expect(ownCriterion.self!.evidence.map((e) => e.uploadId)).toEqual(uploaded.slice(0, 3).map(({ id }) => id));
    const resaved = await t
      .http()
      .post(`${routes.start}/answers`)
      .set('Authorization', editor)
      .send({ items: [{ criterionCode: ownCriterion.code, answer: ownCriterion.self!.answer, evidence: ownCriterion.self!.evidence.map((e) => ({ id: e.uploadId })) }] });
    expect(resaved.status).toBe(200);
    const after = await t.http().get(`/periods/${period}/assessments/${nam}`).set('Authorization', editor).query({ after: resaved.body.position });
    expect((after.body.criteria as { code: string; self: { evidence: { name?: string; reference?: string }[] } }[]).find((c) => c.code === ownCriterion.code)!.self.evidence.map((e) => e.name ?? e.reference)).toEqual(files.map((f) => f.name));
    const unknown = await t.http().post(routes.score(communeCriteria[0]!.code)).set('Authorization', editor).send({ answer: { kind: 'value', value: 1 }, evidence: [{ id: '00000000-0000-4000-8000-000000000000' }] });
    expect(unknown.body).toMatchObject({ status: 400, code: 'EVIDENCE.UNKNOWN_UPLOAD', field: 'evidence.0.id' });
    const submitted = await t.http().post(routes.submit).set('Authorization', await t.bearer(`lead.${nam}@daknong`));
    expect(submitted.status).toBe(200);
    submittedPosition = submitted.body.position;

    const scored = (await t.eventStore.readStream(routes.streamName)).find((e) => e.type === 'CriterionScored' && (e.data as { evidence: unknown[] }).evidence.length > 0);
    expect(scored?.metadata.schemaVersion).toBe(2);
    expect((scored?.data as { evidence: unknown[] }).evidence).toEqual(
      uploaded.slice(0, 3).map(({ name, size, mediaType, sha256 }) => ({ kind: 'file', name, size, mediaType, sha256 })),
    );

    const reviewer = await t.bearer('reviewer.1@daknong');
    const view = await t.http().get(`/periods/${period}/assessments/${nam}`).set('Authorization', reviewer);
    const withFiles = (view.body.criteria as { self: { evidence: { name: string; href: string }[] } | null }[]).find((c) => (c.self?.evidence.length ?? 0) > 0);
    expect(withFiles?.self?.evidence.map((e) => e.name)).toEqual(files.map((f) => f.name));
    // Upload ids are the unit's own handles: staff never see them.
    expect(withFiles?.self?.evidence.some((e) => 'uploadId' in e)).toBe(false);
    for (const [index, file] of files.entries()) {
      const res = await t.http().get(withFiles!.self!.evidence[index]!.href).set('Authorization', reviewer).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(file.type);
      expect(Buffer.compare(res.body as Buffer, file.bytes)).toBe(0);
      const encoded = /filename\*=UTF-8''([^;]+)$/.exec(res.headers['content-disposition'] ?? '')?.[1] ?? '';
      expect(decodeURIComponent(encoded)).toBe(file.name);
    }
    const preview = await t.http().get(`${uploaded[0]!.href}?inline=true`).set('Authorization', reviewer).buffer(true).parse(binary);
    expect(preview.headers['content-disposition']).toMatch(/^inline;/);

    // An upload no criterion names is the unit's own: staff get 404 for it, other units 403, the public 401.
    const draft = paddedPdf('extra 1', 190_000);
    const unit = await t.http().get(`${evidencePath}/${sha256Of(draft)}`).set('Authorization', editor).buffer(true).parse(binary);
    expect(Buffer.compare(unit.body as Buffer, draft)).toBe(0);
    expect((await t.http().get(`${evidencePath}/${sha256Of(draft)}`).set('Authorization', reviewer)).status).toBe(404);
    expect((await t.http().get(uploaded[0]!.href).set('Authorization', await t.bearer(`editor.${tam}@daknong`))).status).toBe(403);
    expect((await t.http().get(uploaded[0]!.href)).status).toBe(401);
  });

  it('prints the submitted assessment as a PDF: criteria with maxima and scores, evidence by name and SHA-256, who submitted it; for its readers only', async () => {
    const documentPath = `/periods/${period}/assessments/${nam}/document.pdf`;
    const res = await t.http().get(`${documentPath}?after=${submittedPosition}`).set('Authorization', await t.bearer('reviewer.1@daknong')).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="phieu-danh-gia-${period}-${nam}.pdf"`);
    // Kept in tmp/ with a picture of page 1, for people to look at.
    const folder = join(__dirname, '..', '..', '..', '..', 'tmp', 'assessment-document');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `phieu-${nam}.pdf`);
    await writeFile(file, res.body as Buffer);
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
    const text = stdout.normalize('NFC');
    await run('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', file, join(folder, `phieu-${nam}`)]);
    expect(text).toContain('PHIẾU ĐÁNH GIÁ MỨC ĐỘ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN');
    expect(text).toContain(`(mã ${nam}) — đơn vị cấp xã`);
    expect(text).toContain('Đã nộp, chờ thẩm định');
    expect(text).toContain(`lead.${nam}@daknong`);
    for (const criterion of communeCriteria.slice(0, 5)) expect(text).toContain(criterion.code);
    // Long lines wrap inside their cell: each hash is found whole once the layout's spaces are gone.
    const joined = text.replace(/\s+/g, '');
    for (const file of uploaded.slice(0, 3)) expect(joined).toContain(file.sha256);
    expect(joined).toContain(files[1]!.name.replace(/\s+/g, ''));
    expect((await t.http().get(documentPath).set('Authorization', await t.bearer(`editor.${tam}@daknong`))).status).toBe(403);
    expect((await t.http().get(documentPath)).status).toBe(401);
  });

  it('names a stored file changed afterwards in the audit verification', async () => {
    const auditor = await t.bearer('auditor@daknong');
    const deadline = Date.now() + 20_000;
    let verified: Response;
    for (;;) {
      verified = await t.http().get('/audit/verify').set('Authorization', auditor);
      if (verified.body.evidenceFiles === 3 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(verified.body).toMatchObject({ ok: true, evidenceFiles: 3 });

    const target = uploaded[1]!;
    const path = new FileSystemEvidenceStorage(join(t.config.dataDir, 'evidence')).pathOf(target.sha256);
    await chmod(path, 0o644);
    await writeFile(path, Buffer.concat([samplePng, Buffer.from('sửa')]));
    const broken = await t.http().get('/audit/verify').set('Authorization', auditor);
    expect(broken.body).toMatchObject({ ok: false, firstBrokenAt: null, evidenceFiles: 3 });
    expect(broken.body.tamperedEvidence).toEqual([
      expect.objectContaining({ name: target.name, sha256: target.sha256, stream: routes.streamName, found: sha256Of(Buffer.concat([samplePng, Buffer.from('sửa')])) }),
    ]);
  });

  it('deletes uploads never attached after the retention delay, and never a file a score names', async () => {
    const cleanup = t.app.get(EvidenceCleanup, { strict: false });
    const storage = t.app.get<EvidenceStorage>(EVIDENCE_STORAGE, { strict: false });
    expect(await cleanup.runOnce()).toBe(0);
    const unused = paddedPdf('never attached', 5_000);
    expect((await upload(`editor.${nam}@daknong`, 'nháp chưa dùng.pdf', unused, 'application/pdf')).status).toBe(201);
    // As if the retention delay had passed for every upload so far.
    const removed = await t.app.get(EvidenceUploads, { strict: false }).removeUnattached(new Date(Date.now() + 60_000), (sha256) => storage.remove(sha256));
    expect(removed).toBeGreaterThanOrEqual(3); // the unused one, the copy of an attached file, the over-limit extra
    expect(await storage.stat(sha256Of(unused))).toBeNull();
    for (const file of files) expect(await storage.stat(sha256Of(file.bytes))).not.toBeNull();
    const reviewer = await t.bearer('reviewer.1@daknong');
    expect((await t.http().get(uploaded[0]!.href).set('Authorization', reviewer)).status).toBe(200);
  });

  it('keeps the bytes of an upload recorded while a cleanup removes an expired upload of the same bytes', async () => {
    const storage = t.app.get<EvidenceStorage>(EVIDENCE_STORAGE, { strict: false });
    const bytes = paddedPdf('cleanup race', 5_000);
    expect((await upload(`editor.${nam}@daknong`, 'nháp cũ.pdf', bytes, 'application/pdf')).status).toBe(201);
    const monitor = new Client({ connectionString: t.config.databaseUrl });
    await monitor.connect();
    let second: Promise<Response> | undefined;
    try {
      const removed = await t.app.get(EvidenceUploads, { strict: false }).removeUnattached(new Date(Date.now() + 60_000), async (sha256) => {
        // The same bytes uploaded again while this cleanup holds their lock: the upload waits for it to record itself.
        second = upload(`editor.${nam}@daknong`, 'nháp mới.pdf', bytes, 'application/pdf');
        const waitingForLock = async () =>
          (await monitor.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'")).rows.length > 0;
        for (const deadline = Date.now() + 20_000; !(await waitingForLock()); ) {
          if (Date.now() > deadline) throw new Error('the second upload never waited for the lock of its bytes');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await storage.remove(sha256);
      });
      expect(removed).toBe(1);
    } finally {
      await monitor.end();
    }
    const again = await second;
    expect(again?.status).toBe(201);
    expect(await storage.stat(sha256Of(bytes))).toBe(bytes.length);
    const download = await t.http().get(`${evidencePath}/${sha256Of(bytes)}`).set('Authorization', await t.bearer(`editor.${nam}@daknong`)).buffer(true).parse(binary);
    expect(Buffer.compare(download.body as Buffer, bytes)).toBe(0);
  });
});
