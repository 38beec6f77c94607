import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { isDomainError, isUnavailableError } from '@tieuchi/shared/kernel';
import type { Request, Response } from 'express';
import { type FieldProblem, PROBLEM_CONTENT_TYPE, type ProblemDetails, problemType, statusForCategory, titleForStatus } from './problem-details';
import { correlationIdOf } from './correlation-id';
import { UNAVAILABLE_CODE } from './unavailable';

/**
 * The one place where errors become HTTP answers (ARCHITECTURE.md §4.6). Domain errors keep their
 * code and field; framework errors get a code from their status; anything unexpected is logged
 * with its stack and answered with a bare 500 so no internals leave the server.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = { ...this.toProblem(exception), instance: request.originalUrl, correlationId: correlationIdOf(request) };
    // Noted for the HTTP metrics (command outcomes by code).
    response.locals['problemCode'] = problem.code;
    if (problem.status === 503 && problem.code !== UNAVAILABLE_CODE) {
      // A store that is away (leader election, restart, timeout) is an outage to watch, not a bug.
      this.logger.warn({ code: problem.code, err: exception, correlationId: problem.correlationId }, 'store unavailable');
    } else if (problem.status >= 500 && problem.code !== UNAVAILABLE_CODE) {
      this.logger.error({ code: problem.code, err: exception, correlationId: problem.correlationId }, 'unhandled error');
    }
    if (response.headersSent) return;
    // RFC 7235 requires a 401 to name the scheme; RFC 6750 adds why a presented token was refused.
    if (problem.status === 401) {
      response.setHeader('WWW-Authenticate', problem.code === 'AUTH.INVALID_TOKEN' ? 'Bearer realm="tieuchi", error="invalid_token"' : 'Bearer realm="tieuchi"');
    }
    // A store that is briefly unreachable (leader election, restart) answers again within seconds.
    if (problem.status === 503) response.setHeader('Retry-After', '2');
    const retryAfter = isDomainError(exception) ? exception.details?.['retryAfterSeconds'] : undefined;
    if (problem.status === 429 && typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (isDomainError(exception)) {
      const status = statusForCategory(exception.category);
      const errors = exception.details?.['errors'] as readonly FieldProblem[] | undefined;
      const units = exception.details?.['units'];
      const position = exception.details?.['position'];
      return {
        type: problemType(exception.code),
        title: titleForStatus(status),
        status,
        detail: status >= 500 ? 'The server could not complete the request.' : exception.message,
        code: exception.code,
        ...(exception.field ? { field: exception.field } : {}),
        ...(errors ? { errors } : {}),
        ...(Array.isArray(units) ? { units } : {}),
        ...(typeof position === 'string' ? { position } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = `HTTP.${status}`;
      return {
        type: problemType(code),
        title: titleForStatus(status),
        status,
        detail: status >= 500 ? 'The server could not complete the request.' : describeHttpException(exception),
        code,
      };
    }
    if (isUnavailableError(exception)) {
      return {
        type: problemType(UNAVAILABLE_CODE),
        title: titleForStatus(503),
        status: 503,
        detail: 'Dịch vụ tạm thời gián đoạn, vui lòng thử lại sau giây lát. (The database cannot be reached; retry after Retry-After seconds.)',
        code: UNAVAILABLE_CODE,
      };
    }
    return {
      type: problemType('INTERNAL'),
      title: titleForStatus(500),
      status: 500,
      detail: 'The server could not complete the request.',
      code: 'INTERNAL',
    };
  }
}

function describeHttpException(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return exception.message;
}
