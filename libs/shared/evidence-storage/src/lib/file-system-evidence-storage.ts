import { randomUUID } from 'node:crypto';
import { chmod, copyFile, type FileHandle, link, mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { evidenceError, EvidenceErrorCode } from './evidence.errors';
import { type EvidenceStorage, sha256Pattern, type StagedFile } from './evidence-storage.port';

/**
 * Evidence on the local file system (the embedded default, under DATA_DIR/evidence): one file per
 * hash in `objects/<first two hex digits>/<hash>`, read-only as staged. A file is published with link(2), which creates
 * the name only if it is absent, so a reader never sees half a file and two uploads of the same
 * bytes race harmlessly (the second finds the name taken and stores nothing). Bytes and name are
 * fsynced before `put` returns: an acknowledged upload survives a crash. The hash folders stay
 * open once synced (256 at most, never removed), so syncing one costs one call, not three.
 */
export class FileSystemEvidenceStorage implements EvidenceStorage {
  readonly kind = 'file-system' as const;
  private readonly folders = new Map<string, Promise<FileHandle>>();

  constructor(private readonly root: string) {}

  /** Where the object of a hash lives (tests and backups read it directly). */
  pathOf(sha256: string): string {
    if (!sha256Pattern.test(sha256)) throw evidenceError(EvidenceErrorCode.notFound, 'not_found', 'Không có minh chứng này');
    return join(this.root, 'objects', sha256.slice(0, 2), sha256);
  }

  async put(file: StagedFile): Promise<void> {
    const target = this.pathOf(file.sha256);
    try {
      await linkCreatingFolder(file.path, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'EXDEV') throw error;
      if (code === 'EXDEV') await this.publishCopy(file.path, target);
    }
    // The name is on disk before the upload is acknowledged (the staged bytes were flushed when
    // written); a name another upload just made is synced too, since that one may not have yet.
    await (await this.folder(dirname(target))).sync();
  }

  /** The open handle of a hash folder, opened by the first upload that syncs it. */
  private folder(path: string): Promise<FileHandle> {
    let handle = this.folders.get(path);
    if (handle === undefined) {
      handle = open(path, 'r');
      this.folders.set(path, handle);
      handle.catch(() => this.folders.delete(path));
    }
    return handle;
  }

  private async publishCopy(staged: string, target: string): Promise<void> {
    // Staging on another file system: copy beside the target first, then publish that copy.
    const incoming = join(this.root, 'incoming', randomUUID());
    await mkdir(dirname(incoming), { recursive: true });
    try {
      await copyFile(staged, incoming);
      await syncPath(incoming);
      await chmod(incoming, 0o444);
      await link(incoming, target).catch((linkError: NodeJS.ErrnoException) => {
        if (linkError.code !== 'EEXIST') throw linkError;
      });
    } finally {
      await unlink(incoming).catch(() => undefined);
    }
  }

  async stat(sha256: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(sha256))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async open(sha256: string): Promise<Readable> {
    try {
      const handle = await open(this.pathOf(sha256), 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw evidenceError(EvidenceErrorCode.notFound, 'not_found', 'Không có minh chứng này', { sha256 });
      throw error;
    }
  }

  async remove(sha256: string): Promise<void> {
    await unlink(this.pathOf(sha256)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async close(): Promise<void> {
    const handles = [...this.folders.values()];
    this.folders.clear();
    await Promise.all(handles.map(async (handle) => (await handle.catch(() => null))?.close()));
  }
}

/** link(2), creating the hash's folder when it is the first object there. */
async function linkCreatingFolder(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const folder = dirname(to);
    await mkdir(folder, { recursive: true });
    // The new folders' own names must be durable too: objects/ in the root, the hash's folder in objects/.
    await syncPath(dirname(dirname(folder)));
    await syncPath(dirname(folder));
    await link(from, to);
  }
}

/** fsync(2) of a file or a folder (a folder's sync makes the names in it durable). */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
