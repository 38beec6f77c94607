import { DomainError } from '@tieuchi/shared/kernel';

/**
 * ETags carry the version of the stream a resource is built from: `"7"` after the eighth event.
 * Weak validators are accepted on If-Match too, since the version identifies the state exactly.
 */
export function etagFor(version: number): string {
  return `"${version}"`;
}

export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  if (!match?.[1]) {
    throw new DomainError('REQUEST.INVALID_IF_MATCH', 'validation', 'If-Match must be one ETag such as "3".', 'If-Match');
  }
  return Number(match[1]);
}

/**
 * The client's If-Match named another version than the stream's: 412, reload and retry. `position`
 * is where the stream's latest write sits, so a read given it as `after` shows that version.
 */
export function staleVersion(streamName: string, ifMatch: number, actual: number | 'no_stream', position: string | null = null): DomainError {
  return new DomainError(
    'REQUEST.STALE_VERSION',
    'precondition',
    `${streamName} is at version ${String(actual)}, not ${ifMatch}: reload it and try again.`,
    'If-Match',
    { streamName, ifMatch, actualVersion: actual, position },
  );
}
