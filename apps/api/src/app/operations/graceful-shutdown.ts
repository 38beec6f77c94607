import type { INestApplication, LoggerService } from '@nestjs/common';
import type { Server } from 'node:http';
import { Readiness } from '../health/readiness';

export interface GracefulShutdownOptions {
  readonly drainMs: number;
  readonly timeoutMs: number;
  readonly logger: LoggerService;
}

/**
 * SIGTERM/SIGINT: readiness answers 503 at once while requests are still served for `drainMs`
 * (a load balancer polling readiness stops sending new ones); then the server stops accepting,
 * lets in-flight requests finish (up to `timeoutMs`, then cuts what is left) and closes idle
 * keep-alive connections as they become idle; then the application closes (projections finish
 * their batch, stores close). A second signal does not cut the drain short.
 */
export function handleShutdownSignals(app: INestApplication, options: GracefulShutdownOptions): void {
  let started = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (started) return;
    started = true;
    const { logger } = options;
    app.get(Readiness).drain();
    logger.log(`${signal}: readiness withdrawn; serving for ${options.drainMs} ms more, then finishing in-flight requests`);
    await new Promise((resolve) => setTimeout(resolve, options.drainMs));
    const server = app.getHttpServer() as Server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    const deadline = setTimeout(() => {
      logger.warn?.(`requests still running after ${options.timeoutMs} ms: closing their connections`);
      server.closeAllConnections();
    }, options.timeoutMs);
    await closed;
    clearInterval(idle);
    clearTimeout(deadline);
    await app.close();
    logger.log('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        options.logger.error(error);
        process.exitCode = 1;
      });
    });
  }
}
