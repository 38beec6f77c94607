import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { EVENT_STORE } from '@tieuchi/shared/application';
import { loadConfig, runsWorkerInProcess } from '@tieuchi/shared/config';
import type { EventStore } from '@tieuchi/shared/event-store';
import { Command } from 'commander';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { configureApp } from './app/configure-app';
import { AccountCommands } from '@tieuchi/accounts/feature';
import { loadDaknongDemo, provisionDaknongPeople } from './demo/daknong-demo.loader';
import { serveWebApp } from './app/web-app';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { join } from 'node:path';
import { handleShutdownSignals } from './app/operations/graceful-shutdown';
import { collectStartupGarbage } from './app/startup-garbage';

interface StartOptions {
  readonly demo: boolean;
}

async function bootstrap(options: StartOptions): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), { bodyParser: false, bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  configureApp(app);
  // Registered before the API's routes (Nest adds them at listen): a browser navigation gets the web app (dist/web, next to dist/apps).
  const web = serveWebApp(app, join(__dirname, '..', '..', '..', 'web'));
  handleShutdownSignals(app, { drainMs: config.shutdownDrainMs, timeoutMs: config.shutdownTimeoutMs, logger });
  if (options.demo) {
    const result = await loadDaknongDemo(app.get<EventStore>(EVENT_STORE));
    const people = await provisionDaknongPeople(app.get(AccountCommands));
    logger.log(`Đắk Nông 2018/2019 demo loaded: ${result.events} events in ${result.appends} appends (already present events were skipped); ${people} demo accounts created`);
  }
  await app.listen(config.port);
  // After the start-up work queued behind listen (projections catching up) lets go of it.
  setTimeout(collectStartupGarbage, 3_000).unref();
  // Longer than the idle timeout of the usual load balancers and keep-alive clients (Node's 5 s
  // default makes a client that reuses a connection just as the server closes it see ECONNRESET).
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const worker = runsWorkerInProcess(config) ? 'projections and processes run in this process' : 'projections and processes are left to apps/worker';
  logger.log(`tieuchi listening on http://localhost:${config.port} (event store: ${config.eventStore}; ${worker}; API docs at /docs; ${web ? 'web app at /' : 'no web app build in dist/web'})`);
}

const program = new Command()
  .name('tieuchi')
  .description('Runs the tieuchi API; with EVENT_STORE=pglite (the default) everything, worker included, runs in this process on ./data')
  .option('--demo', 'load the Đắk Nông 2018/2019 demo history before serving', false)
  .action((options: StartOptions) => bootstrap(options));

void program.parseAsync(process.argv);
