import type { ApiResponseOptions, SchemaObject } from '@nestjs/swagger';
import { maxHeaderSize } from 'node:http';
import { MAX_JSON_DEPTH } from './json-body';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

/** The largest JSON body the API reads. */
export const JSON_BODY_LIMIT = '1mb';

const headerLimit = `${Math.round(maxHeaderSize / 1024)} KB`;

/**
 * The input rules every operation shares, for the OpenAPI document's description. They are
 * enforced in json-body.ts, request-text.ts, the validation pipe and client-errors.ts.
 */
export function requestRulesDescription(): string {
  return [
    '## Input every operation refuses',
    '',
    'Every error is `application/problem+json` with a stable `code`, and `field` naming the culprit.',
    '',
    `- **Body**: JSON of at most 1 MB (\`400 REQUEST.BODY_TOO_LARGE\`), well formed (\`400 REQUEST.MALFORMED_BODY\`), whose objects and arrays nest at most ${MAX_JSON_DEPTH} levels (\`400 REQUEST.BODY_TOO_DEEP\`). Unknown properties are refused, not dropped (\`400 REQUEST.INVALID\`).`,
    '- **Text**: no string in the body, the query or the path, nor a property name, may hold a NUL character (U+0000) or an unpaired UTF-16 surrogate (`400 REQUEST.INVALID_TEXT`, e.g. `field: "evidenceRefs.1"`).',
    '- **Numbers in the query** are integers between the `minimum` and `maximum` each parameter states (`400 REQUEST.INVALID` naming the parameter); positions never exceed 2^53 − 1.',
    `- **Headers**: ${headerLimit} in all (\`431 REQUEST.HEADERS_TOO_LARGE\`); a request that is not valid HTTP/1.1 gets \`400 REQUEST.MALFORMED_HTTP\`, one not received in time \`408 REQUEST.TIMEOUT\`. The server closes the connection after these.`,
    '- Not problem+json, because no answer can be sent: a connection whose answer had already begun, or that the client closed, is only closed; answers from a proxy in front of the API are its own.',
  ].join('\n');
}

const problemSchema: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', example: 'urn:tieuchi:problem:REQUEST.INVALID_TEXT' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', example: 'REQUEST.INVALID_TEXT' },
    field: { type: 'string', example: 'evidence.1.reference' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } } } },
    instance: { type: 'string' },
    correlationId: { type: 'string' },
  },
};

/** The 400 and 431 answers every operation may give, for DocumentBuilder.addGlobalResponse. */
export function requestRuleResponses(): ApiResponseOptions[] {
  const content = { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } };
  return [
    {
      status: 400,
      description: `Invalid input: REQUEST.INVALID (the field is named), REQUEST.INVALID_TEXT (NUL or unpaired surrogate), REQUEST.MALFORMED_BODY, REQUEST.BODY_TOO_LARGE (over 1 MB), REQUEST.BODY_TOO_DEEP (over ${MAX_JSON_DEPTH} levels), REQUEST.MALFORMED_HTTP`,
      content,
    },
    { status: 431, description: `REQUEST.HEADERS_TOO_LARGE: the headers exceed ${headerLimit} in all`, content },
  ];
}
