import type { Readable } from 'node:stream';

/** A file staged on local disk, complete, hashed and read-only, ready to be stored under its SHA-256. */
export interface StagedFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly mediaType: string;
}

/**
 * Content-addressed storage of evidence files (ARCHITECTURE.md §4.14): objects are named by the
 * SHA-256 of their bytes, so the same file is stored once whoever uploads it. An object appears
 * whole or not at all; `put` of bytes already stored writes nothing.
 */
export interface EvidenceStorage {
  readonly kind: 'file-system' | 's3';
  /** Stores the staged file under its hash. The staged file may be moved or left; the caller removes what is left. */
  put(file: StagedFile): Promise<void>;
  /** Size in bytes of the stored object, or null when there is none. */
  stat(sha256: string): Promise<number | null>;
  /** The stored bytes; refuses with EVIDENCE.NOT_FOUND when there is no such object. */
  open(sha256: string): Promise<Readable>;
  /** Removes an object (only unattached uploads are ever removed); absent objects are fine. */
  remove(sha256: string): Promise<void>;
  close(): Promise<void>;
}

export const sha256Pattern = /^[0-9a-f]{64}$/;
