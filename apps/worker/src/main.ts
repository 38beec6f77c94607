import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ObservabilityLifecycle } from '@tieuchi/shared/application';
import { loadConfig } from '@tieuchi/shared/config';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  if (config.eventStore === 'pglite') {
    // PGlite is one in-process connection: a second process cannot open the same DATA_DIR.
    process.stderr.write('EVENT_STORE=pglite is the embedded mode, where `npm start` runs the worker inside the API process; set EVENT_STORE=postgres or kurrentdb to run a separate worker.\n');
    process.exitCode = 1;
    return;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config }), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  await app.init();
  await app.get(ObservabilityLifecycle).serveOnMetricsPort();
  logger.log(`tieuchi worker running projections and processes (event store: ${config.eventStore})`);
}

void bootstrap();
