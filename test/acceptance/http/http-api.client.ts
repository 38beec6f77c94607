/** What the API answered: enough for a client to chain ETags and report a refusal. */
export interface ApiAnswer {
  readonly status: number;
  readonly etag: string | null;
  readonly body: unknown;
}

export interface ApiPost {
  readonly bearer: string;
  readonly idempotencyKey: string;
  readonly ifMatch?: string | null;
  readonly body?: object;
}

/**
 * A plain HTTP client over a listening socket with keep-alive, as a browser or script would call
 * the API; supertest would open a connection (and a listening port) per request.
 */
export class HttpApiClient {
  private requests = 0;

  constructor(private readonly baseUrl: string) {}

  /** How many requests this client has sent. */
  get sent(): number {
    return this.requests;
  }

  post(path: string, { bearer, idempotencyKey, ifMatch, body }: ApiPost): Promise<ApiAnswer> {
    const headers: Record<string, string> = { authorization: bearer, 'idempotency-key': idempotencyKey };
    if (ifMatch) headers['if-match'] = ifMatch;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.send(path, { method: 'POST', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  }

  /** A multipart/form-data upload of one file in field `file`, as a browser's form sends it. */
  upload(path: string, { bearer, name, bytes, contentType }: { bearer: string; name: string; bytes: Uint8Array; contentType: string }): Promise<ApiAnswer> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), name);
    return this.send(path, { method: 'POST', headers: { authorization: bearer }, body: form });
  }

  get(path: string, bearer?: string): Promise<ApiAnswer> {
    return this.send(path, { method: 'GET', headers: bearer ? { authorization: bearer } : {} });
  }

  private async send(path: string, init: RequestInit): Promise<ApiAnswer> {
    this.requests += 1;
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, etag: response.headers.get('etag'), body: text === '' ? null : (JSON.parse(text) as unknown) };
  }
}
