import type { Principal } from '@tieuchi/shared/auth';
import type { Response, Test } from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestApp } from '../test-app';

export interface MatrixRequest {
  readonly method: string;
  readonly url: string;
  readonly who: string | Principal | null;
  readonly body?: unknown;
  /** Raw text sent as is, with `contentType` (defaults to application/json). */
  readonly raw?: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends requests to a test app as demo users (tokens cached per principal). */
export function matrixHttp(t: TestApp) {
  const tokens = new Map<string, string>();
  const signedOutAt = new Map<string, number>();
  const keyOf = (who: string | Principal): string => (typeof who === 'string' ? who : JSON.stringify(who));
  const bearer = async (who: string | Principal): Promise<string> => {
    const key = keyOf(who);
    let token = tokens.get(key);
    if (token === undefined) {
      // A token's iat is in whole seconds: one signed in the second of a "sign out everywhere" is refused.
      const at = signedOutAt.get(key);
      if (at !== undefined) await sleep(Math.max(0, (Math.floor(at / 1000) + 1) * 1000 - Date.now()));
      token = await t.bearer(who);
      tokens.set(key, token);
    }
    return token;
  };
  return {
    bearer,
    async send({ method, url, who, body, raw, contentType, headers = {} }: MatrixRequest): Promise<Response> {
      let req: Test = open(t, method, url);
      if (who !== null) req = req.set('Authorization', await bearer(who));
      for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
      const res = await (raw !== undefined
        ? req.set('Content-Type', contentType ?? 'application/json').send(raw)
        : body === undefined
          ? req
          : req.set('Content-Type', contentType ?? 'application/json').send(JSON.stringify(body)));
      // "Sign out everywhere" ends the caller's signed tokens too: the next call signs a new one.
      if (who !== null && method === 'POST' && url === '/auth/sign-out-everywhere' && res.status < 300) {
        tokens.delete(keyOf(who));
        signedOutAt.set(keyOf(who), Date.now());
      }
      return res;
    },
  };
}

function open(t: TestApp, method: string, url: string): Test {
  const agent = t.http();
  switch (method) {
    case 'GET':
      return agent.get(url);
    case 'POST':
      return agent.post(url);
    case 'PUT':
      return agent.put(url);
    case 'PATCH':
      return agent.patch(url);
    case 'DELETE':
      return agent.delete(url);
    default:
      throw new Error(`the matrix does not know HTTP method ${method}`);
  }
}

/** What is wrong with an error answer, or null when it is a proper problem+json. */
export function problemDefect(res: Response): string | null {
  if (!/^application\/problem\+json/.test(String(res.headers['content-type'] ?? ''))) return `content-type ${String(res.headers['content-type'])}`;
  const body = res.body as Record<string, unknown>;
  for (const name of ['code', 'title', 'detail'] as const) {
    if (typeof body[name] !== 'string' || body[name] === '') return `no ${name}`;
  }
  if (body['status'] !== res.status) return `status ${String(body['status'])} in a ${res.status} answer`;
  return null;
}
