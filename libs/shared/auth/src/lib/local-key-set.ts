import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, type KeyLike } from 'jose';

export const LOCAL_KEY_ALGORITHM = 'ES256';

interface StoredKeySet {
  readonly keys: readonly JWK[];
  readonly createdAt?: string;
}

/**
 * The embedded mode's signing keys: generated on first start, kept as a JWK set under
 * `${dataDir}/keys/` readable by the owner only, loaded on later starts so issued tokens survive
 * a restart. The first key signs; every key's public part verifies, which leaves room to rotate.
 */
export class LocalKeySet {
  private constructor(
    /** Key id (RFC 7638 thumbprint) of the signing key, put in every token's header. */
    readonly kid: string,
    readonly signingKey: KeyLike,
    /** Public keys only: what verification uses. */
    readonly publicJwks: JSONWebKeySet,
    /** Where the set is stored; null for a set generated in memory (tests). */
    readonly path: string | null,
  ) {}

  static keyFile(dataDir: string): string {
    return join(dataDir, 'keys', 'local-jwks.json');
  }

  /** A key set that lives only in memory. */
  static async generate(): Promise<LocalKeySet> {
    return LocalKeySet.fromStored(await generateStored(), null);
  }

  static async loadOrCreate(dataDir: string): Promise<LocalKeySet> {
    const file = LocalKeySet.keyFile(dataDir);
    const existing = await readStored(file);
    if (existing) return LocalKeySet.fromStored(existing, file);
    await mkdir(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
    await publishOnce(file, `${JSON.stringify(await generateStored(), null, 2)}\n`);
    // Read back what was published: if another process (api and worker starting together) won the race, its keys count.
    const stored = await readStored(file);
    if (!stored) throw new Error(`${file}: the local key set could not be created`);
    return LocalKeySet.fromStored(stored, file);
  }

  private static async fromStored(stored: StoredKeySet, path: string | null): Promise<LocalKeySet> {
    const where = path ?? 'generated key set';
    if (!Array.isArray(stored.keys) || stored.keys.length === 0) throw new Error(`${where}: holds no keys`);
    const publicKeys = await Promise.all(stored.keys.map((jwk) => publicPart(jwk, where)));
    const [signing] = stored.keys;
    const [signingPublic] = publicKeys;
    if (!signing || !signingPublic?.kid) throw new Error(`${where}: holds no keys`);
    const signingKey = await importJWK(signing, LOCAL_KEY_ALGORITHM);
    if (signingKey instanceof Uint8Array) throw new Error(`${where}: the signing key is not an ${LOCAL_KEY_ALGORITHM} private key`);
    return new LocalKeySet(signingPublic.kid, signingKey, { keys: publicKeys }, path);
  }
}

async function generateStored(): Promise<StoredKeySet> {
  const { privateKey } = await generateKeyPair(LOCAL_KEY_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { keys: [{ ...jwk, kid, alg: LOCAL_KEY_ALGORITHM, use: 'sig' }], createdAt: new Date().toISOString() };
}

async function publicPart(jwk: JWK, where: string): Promise<JWK> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || typeof jwk.d !== 'string') {
    throw new Error(`${where}: every key must be an EC P-256 private key`);
  }
  const pub: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  return { ...pub, kid: jwk.kid ?? (await calculateJwkThumbprint(pub)), alg: LOCAL_KEY_ALGORITHM, use: 'sig' };
}

async function readStored(file: string): Promise<StoredKeySet | undefined> {
  let text: string;
  try {
    const info = await stat(file);
    // Like ssh with its keys: a signing key others can read may already be someone else's.
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw new Error(`${file}: the local key set must be readable by its owner only (chmod 600 it)`);
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as StoredKeySet;
  } catch {
    throw new Error(`${file}: the local key set is not valid JSON`);
  }
}

/** Writes the file only if it does not exist yet, and never lets a reader see it half written. */
async function publishOnce(file: string, content: string): Promise<void> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    // Some file systems (certain container mounts) refuse hard links; exclusive create still avoids overwriting.
    await writeFile(file, content, { mode: 0o600, flag: 'wx' }).catch((fallbackError: NodeJS.ErrnoException) => {
      if (fallbackError.code !== 'EEXIST') throw fallbackError;
    });
  } finally {
    await rm(temporary, { force: true });
  }
}
