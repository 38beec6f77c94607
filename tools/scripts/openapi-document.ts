/**
 * Writes the API's OpenAPI document (JSON, as served at /docs/openapi.json) to the file named by
 * its argument, or prints it, without serving: the app is created on PGlite in a temporary folder
 * and never started. The web app's client is generated from it (tools/web-client.cjs), through a
 * file, since a piped stdout cut short at exit gave truncated JSON.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@tieuchi/shared/config';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../apps/api/src/app/app.module';
import { openApiDocument } from '../../apps/api/src/app/configure-app';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tieuchi-openapi-'));
  try {
    const config = { ...loadConfig(), eventStore: 'pglite' as const, dataDir, runWorker: 'false' as const, logLevel: 'error' as const };
    const app = await NestFactory.create(AppModule.forRoot({ config }), { bodyParser: false, logger: false });
    const document = `${JSON.stringify(openApiDocument(app), null, 2)}\n`;
    const outputFile = process.argv[2];
    if (outputFile) writeFileSync(outputFile, document);
    else process.stdout.write(document);
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
