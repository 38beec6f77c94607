import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { accessLogOptions } from './access-log';
import { CORRELATION_HEADER } from './correlation-id';

describe('the API access log', () => {
  const lines: Record<string, unknown>[] = [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const options = accessLogOptions('info');
    const log = pinoHttp({ ...options, logger: pino({ level: 'info' }, destination) });
    server = createServer((request, response) => {
      log(request, response);
      response.statusCode = request.url?.startsWith('/missing') ? 404 : 200;
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    lines.length = 0;
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('writes one line per answer: method, path, status, time and the correlation id, no header at all', async () => {
    await fetch(`${url}/missing/thing?x=1`, {
      headers: { authorization: 'Bearer secret-token', cookie: 'session=secret', [CORRELATION_HEADER]: 'corr-12345678', 'user-agent': 'probe' },
    });
    await settle();
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({
      level: 30,
      correlationId: 'corr-12345678',
      req: { method: 'GET', url: '/missing/thing?x=1' },
      res: { statusCode: 404 },
      responseTime: expect.any(Number),
    });
    expect(Object.keys(line['req'] as object).sort()).toEqual(['method', 'url']);
    expect(Object.keys(line['res'] as object)).toEqual(['statusCode']);
    expect(JSON.stringify(line)).not.toMatch(/secret|probe|headers/);
  });

  it('gives a request without an acceptable correlation id a fresh one, and leaves health checks out', async () => {
    await fetch(`${url}/health/live`);
    await fetch(`${url}/periods`, { headers: { [CORRELATION_HEADER]: 'bad id!' } });
    await settle();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ req: { url: '/periods' }, res: { statusCode: 200 } });
    expect(lines[0]!['correlationId']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
