import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type ProblemDetails = components['schemas']['ProblemDetails'];

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
