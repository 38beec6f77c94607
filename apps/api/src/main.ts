import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@tieuchi/shared/config';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { configureApp } from './app/configure-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule.forRoot({ config }), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureApp(app);
  await app.listen(config.port);
  app.get(Logger).log(`tieuchi listening on http://localhost:${config.port} (event store: ${config.eventStore}; docs at /docs)`);
}

void bootstrap();
