import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evidenceStorageContract } from '../testing/evidence-storage.contract';
import { type S3TestServer, startS3TestServer } from '../testing/s3-test-server';
import { S3EvidenceStorage } from './s3-evidence-storage';

let server: S3TestServer;
let bucketNumber = 0;

beforeAll(async () => {
  server = await startS3TestServer();
});
afterAll(async () => {
  await server.stop();
});

evidenceStorageContract('S3 (s3rver)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'tieuchi-evidence-s3-'));
  bucketNumber += 1;
  const bucket = `evidence-${process.pid}-${bucketNumber}`;
  const options = { endpoint: server.endpoint, region: 'us-east-1', bucket, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, prefix: 'tieuchi/' };
  const storage = new S3EvidenceStorage(options);
  await storage.ensureBucket();
  const lister = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey } });
  return {
    storage,
    stagingDir: join(root, 'staging'),
    async countObjects() {
      const listed = await lister.send(new ListObjectsV2Command({ Bucket: bucket }));
      return listed.KeyCount ?? 0;
    },
    async dispose() {
      lister.destroy();
      await storage.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});
