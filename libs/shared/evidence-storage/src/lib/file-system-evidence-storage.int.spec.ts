import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { evidenceStorageContract } from '../testing/evidence-storage.contract';
import { samplePdf } from '../testing/evidence-samples';
import { EvidenceIngest } from './evidence-ingest';
import { FileSystemEvidenceStorage } from './file-system-evidence-storage';

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).length;
}

evidenceStorageContract('file system', async () => {
  const root = await mkdtemp(join(tmpdir(), 'tieuchi-evidence-'));
  const storage = new FileSystemEvidenceStorage(join(root, 'evidence'));
  return {
    storage,
    stagingDir: join(root, 'staging'),
    countObjects: () => countFiles(join(root, 'evidence', 'objects')),
    dispose: async () => {
      await storage.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

describe('file system evidence storage', () => {
  it('stores each object read-only, so stored evidence is not changed by accident', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tieuchi-evidence-'));
    try {
      const storage = new FileSystemEvidenceStorage(join(root, 'evidence'));
      const stored = await new EvidenceIngest(storage, join(root, 'staging')).ingest({ source: Readable.from([samplePdf('chỉ đọc')]), name: 'chỉ đọc.pdf', maxBytes: 1024 * 1024 });
      expect((await stat(storage.pathOf(stored.sha256))).mode & 0o777).toBe(0o444);
      await storage.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
