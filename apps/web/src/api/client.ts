import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type ProblemDetails = components['schemas']['ProblemDetails'];

/** What a command answers for reading its write: its position, which a list takes as `after` (null when nothing was written). */
export type Written = Pick<components['schemas']['PositionedCommandResponseDto'], 'position'>;

/** A refusal of the API, carrying its problem+json (code, field, details) for the screen to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<ProblemDetails>,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

interface Credentials {
  token: string | null;
  csrfToken: string | null;
}

/** Set by the session: a bearer token (local tokens) or the CSRF token of a cookie session. */
export const credentials: Credentials = { token: null, csrfToken: null };

const authMiddleware: Middleware = {
  onRequest({ request }) {
    if (credentials.token) request.headers.set('Authorization', `Bearer ${credentials.token}`);
    if (credentials.csrfToken && request.method !== 'GET') request.headers.set('X-CSRF-Token', credentials.csrfToken);
    return request;
  },
};

/** The API client generated from the OpenAPI document (src/api/schema.d.ts): same origin. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(authMiddleware);

/** Unwraps an openapi-fetch answer: the data, or an ApiError with the problem details. */
export async function unwrap<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, (error ?? {}) as Partial<ProblemDetails>);
  return data as T;
}

/** The headers that carry the signed-in user on a request made without the generated client (uploads, downloads). */
export function credentialHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (credentials.token) headers['Authorization'] = `Bearer ${credentials.token}`;
  if (credentials.csrfToken && method !== 'GET') headers['X-CSRF-Token'] = credentials.csrfToken;
  return headers;
}

/** Sends one file as multipart/form-data (the generated client serializes JSON only); refusals as ApiError. */
export async function postFile<T>(path: string, file: Blob, name: string): Promise<T> {
  const body = new FormData();
  body.append('file', file, name);
  const response = await fetch(path, { method: 'POST', body, headers: credentialHeaders('POST'), credentials: 'same-origin' });
  const json = (await response.json().catch(() => ({}))) as unknown;
  if (!response.ok) throw new ApiError(response.status, json as Partial<ProblemDetails>);
  return json as T;
}

/**
 * Downloads a file the API guards, under the name given (Vietnamese intact): a bearer token cannot
 * ride on a plain link, so the bytes are fetched with it and saved from memory.
 */
export async function downloadFile(href: string, name: string): Promise<void> {
  const response = await fetch(href, { headers: credentialHeaders('GET'), credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, ((await response.json().catch(() => ({}))) ?? {}) as Partial<ProblemDetails>);
  const url = URL.createObjectURL(await response.blob());
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Sends a file as the raw request body (CSV or XLSX imports); refusals as ApiError. */
export async function postRaw<T>(path: string, file: Blob, contentType: string): Promise<T> {
  const response = await fetch(path, { method: 'POST', body: file, headers: { ...credentialHeaders('POST'), 'Content-Type': contentType }, credentials: 'same-origin' });
  const json = (await response.json().catch(() => ({}))) as unknown;
  if (!response.ok) throw new ApiError(response.status, json as Partial<ProblemDetails>);
  return json as T;
}
