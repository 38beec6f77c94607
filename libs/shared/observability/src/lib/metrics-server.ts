import { createServer, type Server } from 'node:http';
import { answerMetrics } from './metrics-endpoint';

/** A bare HTTP server answering GET /metrics and 404 to anything else, for a process without an API (apps/worker). */
export async function serveMetrics(port: number, token: string | undefined): Promise<Server> {
  const server = createServer((request, response) => {
    if (token === undefined || request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    answerMetrics(request.headers.authorization, token).then(
      (answer) => response.writeHead(answer.status, answer.headers).end(answer.body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return server;
}
