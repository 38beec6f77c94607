import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';
import { correlationIdOf } from './correlation-id';

/**
 * What an access log line says about a request: its method and path. The correlation id is logged
 * beside it; headers never are (bearer tokens, cookies, client details).
 */
export function accessLogRequest(request: IncomingMessage & { readonly originalUrl?: string }): { method: string | undefined; url: string | undefined } {
  return { method: request.method, url: request.originalUrl ?? request.url };
}

/** What an access log line says about the answer: its status. */
export function accessLogResponse(response: ServerResponse): { statusCode: number } {
  return { statusCode: response.statusCode };
}

/**
 * pino-http options of the API: one JSON line per answered request (health checks excepted) with
 * the correlation id that the request's events carry in metadata.correlationId.
 */
export function accessLogOptions(level: string): Options {
  return {
    level,
    genReqId: (request) => correlationIdOf(request),
    customProps: (request) => ({ correlationId: correlationIdOf(request) }),
    // pino-http keeps the serialized request for the request's lifetime; the default serializer
    // would copy every header (tokens included) into it. Unwrapped, these see the raw objects.
    wrapSerializers: false,
    serializers: { req: accessLogRequest, res: accessLogResponse },
    autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
  };
}
