import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { DomainError } from '@tieuchi/shared/kernel';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { from, type Observable, of, switchMap, catchError, throwError } from 'rxjs';
import { IdempotencyStore } from './idempotency.store';
import { authorityOfRequest } from './request-context.factory';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const acceptableKey = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * A POST with an Idempotency-Key runs once: a retry gets the first answer back and appends
 * nothing. A key reused for another request is refused (400), one still running gets 409.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.header(IDEMPOTENCY_HEADER);
    if (request.method !== 'POST' || key === undefined) return next.handle();
    if (!acceptableKey.test(key)) {
      throw new DomainError('REQUEST.INVALID_IDEMPOTENCY_KEY', 'validation', 'Idempotency-Key must be 8–128 letters, digits or . _ : -', 'Idempotency-Key');
    }
    // Keyed by the caller's grants, not only its id: a token for another unit or province never
    // gets an answer remembered for this one, but runs and is authorized as a request of its own.
    const principal = authorityOfRequest(request);
    const hash = createHash('sha256')
      .update(`${request.method} ${request.originalUrl}\n${request.header('if-match') ?? ''}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');

    return from(this.store.claim(principal, key, hash)).pipe(
      switchMap((claim) => {
        switch (claim.kind) {
          case 'replay':
            response.status(claim.response.status);
            if (claim.response.etag) response.setHeader('ETag', claim.response.etag);
            response.setHeader('Idempotent-Replayed', 'true');
            return of(claim.response.body);
          case 'in_progress':
            throw new DomainError('REQUEST.IDEMPOTENCY_IN_PROGRESS', 'conflict', 'A request with this Idempotency-Key is still running.', 'Idempotency-Key');
          case 'mismatch':
            throw new DomainError('REQUEST.IDEMPOTENCY_KEY_REUSED', 'validation', 'This Idempotency-Key was used for a different request.', 'Idempotency-Key');
          case 'claimed':
            return next.handle().pipe(
              switchMap((body: unknown) =>
                from(
                  this.store.complete(principal, key, {
                    status: response.statusCode,
                    body,
                    etag: (response.getHeader('ETag') as string | undefined) ?? null,
                  }),
                ).pipe(switchMap(() => of(body))),
              ),
              catchError((error: unknown) => from(this.store.release(principal, key)).pipe(switchMap(() => throwError(() => error)))),
            );
        }
      }),
    );
  }
}
