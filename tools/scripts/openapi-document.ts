/**
 * Prints the API's OpenAPI document (JSON, as served at /docs/openapi.json) without serving: the
 * app is created on PGlite in a temporary folder and never started. The web app's client is
 * generated from this output (tools/web-client.cjs).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@tieuchi/shared/config';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../apps/api/src/app/app.module';
import { openApiDocument } from '../../apps/api/src/app/configure-app';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tieuchi-openapi-'));
  try {
    const config = { ...loadConfig(), eventStore: 'pglite' as const, dataDir, runWorker: 'false' as const, logLevel: 'error' as const };
    const app = await NestFactory.create(AppModule.forRoot({ config }), { bodyParser: false, logger: false });
    process.stdout.write(`${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    await app.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
