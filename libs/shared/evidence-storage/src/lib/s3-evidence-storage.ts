import type * as S3 from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { evidenceError, EvidenceErrorCode } from './evidence.errors';
import { type EvidenceStorage, sha256Pattern, type StagedFile } from './evidence-storage.port';

export interface S3EvidenceStorageOptions {
  /** Any S3-compatible endpoint (MinIO, Ceph, a cloud's); omitted for AWS itself. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Key prefix, e.g. `evidence/`. */
  readonly prefix?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most self-hosted stores need. */
  readonly forcePathStyle?: boolean;
}

/**
 * Evidence in an S3-compatible object store, one object per hash. A single PUT either completes or
 * leaves no object, so an interrupted transfer stores nothing; bytes already stored are not sent again.
 */
export class S3EvidenceStorage implements EvidenceStorage {
  readonly kind = 's3' as const;
  private readonly client: S3.S3Client;
  // Loaded only when S3 is configured: the SDK is ~4 MB of heap that a file-system setup never uses.
  private readonly sdk = require('@aws-sdk/client-s3') as typeof S3;

  constructor(private readonly options: S3EvidenceStorageOptions) {
    this.client = new this.sdk.S3Client({
      region: options.region,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? true,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // The payload's SHA-256 is already known and recorded; the SDK's extra CRC trailers are not understood by every S3-compatible store.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Creates the bucket when it does not exist (development and tests; production provisions it). */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new this.sdk.HeadBucketCommand({ Bucket: this.options.bucket }));
    } catch (error) {
      if (!isMissing(this.sdk, error)) throw error;
      await this.client.send(new this.sdk.CreateBucketCommand({ Bucket: this.options.bucket }));
    }
  }

  keyOf(sha256: string): string {
    if (!sha256Pattern.test(sha256)) throw evidenceError(EvidenceErrorCode.notFound, 'not_found', 'Không có minh chứng này');
    return `${this.options.prefix ?? ''}sha256/${sha256.slice(0, 2)}/${sha256}`;
  }

  async put(file: StagedFile): Promise<void> {
    if ((await this.stat(file.sha256)) !== null) return;
    await this.client.send(
      new this.sdk.PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.keyOf(file.sha256),
        Body: createReadStream(file.path),
        ContentLength: file.size,
        ContentType: file.mediaType,
        Metadata: { sha256: file.sha256 },
      }),
    );
  }

  async stat(sha256: string): Promise<number | null> {
    try {
      const head = await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isMissing(this.sdk, error)) return null;
      throw error;
    }
  }

  async open(sha256: string): Promise<Readable> {
    try {
      const object = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
      return object.Body as Readable;
    } catch (error) {
      if (isMissing(this.sdk, error)) throw evidenceError(EvidenceErrorCode.notFound, 'not_found', 'Không có minh chứng này', { sha256 });
      throw error;
    }
  }

  async remove(sha256: string): Promise<void> {
    await this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function isMissing(sdk: typeof S3, error: unknown): boolean {
  if (error instanceof sdk.NotFound || error instanceof sdk.NoSuchKey) return true;
  return error instanceof sdk.S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchBucket');
}
