import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';

// A caller-supplied id is kept only if it looks like an id, so logs and events cannot be polluted.
const acceptable = /^[A-Za-z0-9._:-]{8,128}$/;

const assigned = new WeakMap<IncomingMessage, string>();

/**
 * The id that ties a request's log lines to the events it appends (their metadata.correlationId).
 * Assigned once per request, from the header when acceptable.
 */
export function correlationIdOf(request: IncomingMessage): string {
  const existing = assigned.get(request);
  if (existing) return existing;
  const header = request.headers[CORRELATION_HEADER];
  const candidate = Array.isArray(header) ? header[0] : header;
  const id = candidate && acceptable.test(candidate) ? candidate : randomUUID();
  assigned.set(request, id);
  return id;
}
