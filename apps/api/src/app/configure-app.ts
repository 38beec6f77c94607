import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CORRELATION_HEADER, createValidationPipe, jsonBody, ProblemDetailsFilter } from '@tieuchi/shared/http';

/** Everything main.ts and the e2e tests set up identically on the Nest application. */
export function configureApp(app: INestApplication): INestApplication {
  // ETags here are stream versions set by EtagInterceptor; Express's own body hashes would be mistaken for them.
  (app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void }).set('etag', false);
  app.use(...jsonBody('1mb'));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('tieuchi')
      .setDescription('E-government ranking assessments (Quyết định 2392/QĐ-BTTTT and successors): commands, queries, rankings and audit.')
      .setVersion('0.1')
      .addBearerAuth()
      .addGlobalParameters({ name: CORRELATION_HEADER, in: 'header', required: false, schema: { type: 'string' } })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
