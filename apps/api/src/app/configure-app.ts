import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PublicRankingResponses } from '@tieuchi/ranking/feature';
import { jurisdictionRulesDescription } from '@tieuchi/shared/auth';
import type { Server } from 'node:http';
import {
  answerClientErrorsAsProblems,
  CORRELATION_HEADER,
  createValidationPipe,
  documentCommandHeaders,
  JSON_BODY_LIMIT,
  jsonBody,
  ProblemDetailsFilter,
  requestRuleResponses,
  requestRulesDescription,
} from '@tieuchi/shared/http';
import { configureOperations } from './operations/configure-operations';

/** Anonymous GETs of /periods/:periodId/rankings/:tier/:part may be answered from PublicRankingResponses. */
const RANKINGS_PATH = '/periods/:periodId/rankings/:tier/:part';

/** Everything main.ts and the e2e tests set up identically on the Nest application. */
export function configureApp(app: INestApplication): INestApplication {
  // ETags here are stream versions set by EtagInterceptor; Express's own body hashes would be mistaken for them.
  (app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void }).set('etag', false);
  // Security headers, CORS, metrics and rate limits come before everything else (apps/api/src/app/operations).
  configureOperations(app, { publicRankingPath: RANKINGS_PATH });
  // First of all middleware, so a held public ranking is answered without logging, parsing or the Nest pipeline.
  app.use(RANKINGS_PATH, app.get(PublicRankingResponses).cache.middleware());
  app.use(...jsonBody(JSON_BODY_LIMIT));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  answerClientErrorsAsProblems(app.getHttpServer() as Server);
  // Built at the first request for it: an idle server does not hold the document.
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/** The OpenAPI document of the app: served at /docs and the source of the web app's generated client. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('tieuchi')
      .setDescription(`E-government ranking assessments (Quyết định 2392/QĐ-BTTTT and successors): commands, queries, rankings and audit.\n\n${requestRulesDescription()}\n\n${jurisdictionRulesDescription()}`)
      .setVersion('0.1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT or tcp_…',
        description:
          'Token ký (npm run token, hoặc nhà cung cấp định danh khi AUTH_MODE=oidc) hay token API cá nhân (tcp_…). Token chỉ nêu tài khoản; quyền luôn là quyền hiện tại của tài khoản trong tieuchi, không bao giờ lấy từ claims. ' +
          "A signed token (npm run token, or the identity provider's with AUTH_MODE=oidc) or a personal API token (tcp_…). A token only names its account (sub = login); every request acts with the account's current grants in tieuchi, never the roles, unit, province or national claims of the token.",
      })
      .addCookieAuth('tieuchi_session')
      .addSecurityRequirements('bearer')
      .addGlobalParameters({ name: CORRELATION_HEADER, in: 'header', required: false, schema: { type: 'string' } })
      .addGlobalResponse(...requestRuleResponses())
      .build(),
  );
  // Problem details (RFC 7807) are what every refusal answers; named once so clients can type them.
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ProblemDetails: {
        type: 'object',
        required: ['type', 'title', 'status', 'code'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string', example: 'ASSESSMENT.ALREADY_SUBMITTED' },
          field: { type: 'string' },
          errors: { type: 'array', description: 'one entry per refused field or item (a batch names its criterionCode)', items: { type: 'object', additionalProperties: true } },
          position: { type: 'string', description: "412 REQUEST.STALE_VERSION: the position of the resource's latest write; pass as `after` to read the version it is at now" },
        },
      },
    },
  };
  const problem = { description: 'problem+json', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } } };
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      if (!operation) continue;
      operation.responses = { ...operation.responses, '400': problem, '401': problem, '403': problem, '404': problem, '409': problem, '412': problem };
    }
  }
  documentCommandHeaders(document, problem);
  return document;
}
