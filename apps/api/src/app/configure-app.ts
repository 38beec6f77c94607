import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { PublicRankingResponses } from '@tieuchi/ranking/feature';
import type { Server } from 'node:http';
import {
  answerClientErrorsAsProblems,
  CORRELATION_HEADER,
  createValidationPipe,
  JSON_BODY_LIMIT,
  jsonBody,
  ProblemDetailsFilter,
  requestRuleResponses,
  requestRulesDescription,
} from '@tieuchi/shared/http';

/** Anonymous GETs of /periods/:periodId/rankings/:tier/:part may be answered from PublicRankingResponses. */
const RANKINGS_PATH = '/periods/:periodId/rankings/:tier/:part';

/** Everything main.ts and the e2e tests set up identically on the Nest application. */
export function configureApp(app: INestApplication): INestApplication {
  // ETags here are stream versions set by EtagInterceptor; Express's own body hashes would be mistaken for them.
  (app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void }).set('etag', false);
  // First of all middleware, so a held public ranking is answered without logging, parsing or the Nest pipeline.
  app.use(RANKINGS_PATH, app.get(PublicRankingResponses).cache.middleware());
  app.use(...jsonBody(JSON_BODY_LIMIT));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  answerClientErrorsAsProblems(app.getHttpServer() as Server);
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('tieuchi')
      .setDescription(`E-government ranking assessments (Quyết định 2392/QĐ-BTTTT and successors): commands, queries, rankings and audit.\n\n${requestRulesDescription()}`)
      .setVersion('0.1')
      .addBearerAuth()
      .addGlobalParameters({ name: CORRELATION_HEADER, in: 'header', required: false, schema: { type: 'string' } })
      .addGlobalResponse(...requestRuleResponses())
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
