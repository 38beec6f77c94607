import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** 256 random bits, URL-safe: session keys, activation links, API tokens. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this digest is stored; the secret itself is shown once and never kept. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newId(): string {
  return randomUUID();
}
