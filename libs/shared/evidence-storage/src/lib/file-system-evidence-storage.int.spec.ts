import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evidenceStorageContract } from '../testing/evidence-storage.contract';
import { FileSystemEvidenceStorage } from './file-system-evidence-storage';

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).length;
}

evidenceStorageContract('file system', async () => {
  const root = await mkdtemp(join(tmpdir(), 'tieuchi-evidence-'));
  return {
    storage: new FileSystemEvidenceStorage(join(root, 'evidence')),
    stagingDir: join(root, 'staging'),
    countObjects: () => countFiles(join(root, 'evidence', 'objects')),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
});
