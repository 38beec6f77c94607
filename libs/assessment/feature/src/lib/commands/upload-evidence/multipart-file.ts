import { evidenceError, EvidenceErrorCode } from '@tieuchi/shared/evidence-storage';
import busboy from 'busboy';
import type { Request } from 'express';
import type { Readable } from 'node:stream';

export interface MultipartFileInfo {
  readonly filename: string;
  readonly mimeType: string;
}

/**
 * Streams the one file of a multipart/form-data request (field `file`) into `consume`, never
 * holding it in memory. File names are read as UTF-8, as browsers send them, so Vietnamese names
 * arrive unchanged. A client that goes away mid-file fails the file stream, so `consume` sees the
 * interruption; whatever `consume` refuses, the rest of the request is drained before answering.
 */
export function receiveMultipartFile<T>(request: Request, maxBytes: number, consume: (file: Readable, info: MultipartFileInfo) => Promise<T>): Promise<T> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    return Promise.reject(evidenceError(EvidenceErrorCode.badRequest, 'validation', 'Gửi tệp dạng multipart/form-data, trường "file"'));
  }
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // One byte over the limit reaches the consumer, which refuses it by name.
      parser = busboy({ headers: request.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: maxBytes + 1, fields: 10, parts: 12 } });
    } catch (error) {
      reject(evidenceError(EvidenceErrorCode.badRequest, 'validation', `Yêu cầu multipart không hợp lệ: ${(error as Error).message}`));
      return;
    }
    let consuming: Promise<T> | null = null;
    let current: Readable | null = null;
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      request.unpipe(parser);
      request.resume();
      if (request.complete) outcome();
      else request.once('end', outcome).once('close', outcome);
    };
    request.once('aborted', () => current?.destroy(new Error('the client closed the connection')));
    request.once('close', () => {
      if (!request.complete) current?.destroy(new Error('the client closed the connection'));
    });
    parser.on('file', (field, file, info) => {
      if (field !== 'file' || consuming) {
        file.resume();
        return;
      }
      current = file;
      consuming = consume(file, { filename: info.filename ?? '', mimeType: info.mimeType });
      consuming.then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => {
          file.resume();
          finish(() => reject(error));
        },
      );
    });
    parser.on('error', (error: Error) => {
      current?.destroy(error);
      if (!consuming) finish(() => reject(evidenceError(EvidenceErrorCode.badRequest, 'validation', `Yêu cầu multipart không hợp lệ: ${error.message}`)));
    });
    parser.on('close', () => {
      if (!consuming) finish(() => reject(evidenceError(EvidenceErrorCode.badRequest, 'validation', 'Thiếu tệp: gửi tệp trong trường "file"')));
    });
    request.pipe(parser);
  });
}
