import { randomBytes, scrypt as scryptCallback, type ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * scrypt (memory-hard, in node:crypto) with N = 2^14, r = 8, p = 1: 16 MiB and about 50–150 ms of
 * one core per hash on the build machines. OWASP's minimum is N = 2^17 (128 MiB); 2^14 is the
 * cost a two-core server can pay for 20 sign-ins a second, together with the per-account and
 * per-address rate limits that stop guessing long before the hash matters. The parameters are
 * stored with each hash (`scrypt$N$r$p$salt$hash`), so raising them later re-hashes each password
 * at its owner's next sign-in.
 */
export const SCRYPT_PARAMETERS = { N: 2 ** 14, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem: 256 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, parameters = SCRYPT_PARAMETERS): Promise<string> {
  const salt = randomBytes(parameters.saltLength);
  const key = await scrypt(password, salt, parameters.keyLength, { N: parameters.N, r: parameters.r, p: parameters.p });
  return ['scrypt', parameters.N, parameters.r, parameters.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Compares in constant time; a malformed stored hash simply does not match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function needsRehash(stored: string): boolean {
  const [, n, r, p] = stored.split('$');
  return Number(n) !== SCRYPT_PARAMETERS.N || Number(r) !== SCRYPT_PARAMETERS.r || Number(p) !== SCRYPT_PARAMETERS.p;
}

let decoy: Promise<string> | undefined;

/** A hash of nothing anyone knows: an unknown login is checked against it, so it costs what a known one costs. */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(32).toString('base64url'));
  return decoy;
}
