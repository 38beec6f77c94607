import { ApiHeader } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';

export const IF_MATCH_HEADER = 'If-Match';
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

const defaultIfMatch = 'the version (ETag) the client read: 412 REQUEST.STALE_VERSION when the resource moved since, so reload and retry';

/**
 * Declares that the route checks If-Match against the version of the stream it writes. Put it on
 * every route whose command reaches the CommandExecutor with the request's If-Match.
 */
export function ApiIfMatch(description: string = defaultIfMatch): MethodDecorator & ClassDecorator {
  return ApiHeader({ name: IF_MATCH_HEADER, required: false, description, schema: { type: 'string', example: '"3"' } });
}

type Operation = NonNullable<OpenAPIObject['paths'][string]['post']>;
type Parameter = NonNullable<Operation['parameters']>[number];

function declaresHeader(operation: Operation, name: string): boolean {
  return (operation.parameters ?? []).some((parameter) => 'name' in parameter && parameter.in === 'header' && parameter.name.toLowerCase() === name.toLowerCase());
}

const idempotencyKeyParameter: Parameter = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  description: 'a retry with the same key gets the first answer back (Idempotent-Replayed: true) and records nothing twice',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' },
};

/**
 * The IdempotencyInterceptor serves every POST, so every POST declares Idempotency-Key here, in
 * one place; If-Match is declared per route (ApiIfMatch). Both get their refusals named.
 */
export function documentCommandHeaders(document: OpenAPIObject, problem: object): void {
  for (const item of Object.values(document.paths)) {
    if (item.post && !declaresHeader(item.post, IDEMPOTENCY_KEY_HEADER)) item.post.parameters = [...(item.post.parameters ?? []), idempotencyKeyParameter];
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      if (!operation) continue;
      if (declaresHeader(operation, IDEMPOTENCY_KEY_HEADER)) {
        operation.responses['409'] = {
          ...problem,
          description: "problem+json: the command's own conflicts, or REQUEST.IDEMPOTENCY_IN_PROGRESS while a request with the same Idempotency-Key is still running (400 REQUEST.IDEMPOTENCY_KEY_REUSED when the key was used for another request)",
        };
      }
      if (declaresHeader(operation, IF_MATCH_HEADER)) {
        operation.responses['412'] = { ...problem, description: 'problem+json: REQUEST.STALE_VERSION when If-Match names another version than the current one, with `position` to read it at (`after`); reload and retry (400 REQUEST.INVALID_IF_MATCH when it is not one ETag)' };
      }
    }
  }
}
