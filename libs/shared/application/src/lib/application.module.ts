import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandExecutor } from './command-executor';
import { EtagInterceptor } from './etag.interceptor';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency.store';
import { ReadAfter } from './read-after';

/**
 * The write-side plumbing every feature module shares: the command bus, load → decide → append,
 * Idempotency-Key handling, ETags, and read-your-writes for queries (ReadAfter). Interceptors apply in this order: idempotency outermost, so
 * a replayed answer carries the ETag the first one had.
 */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    CommandExecutor,
    IdempotencyStore,
    ReadAfter,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    { provide: APP_INTERCEPTOR, useClass: EtagInterceptor },
  ],
  exports: [CommandExecutor, ReadAfter, CqrsModule],
})
export class ApplicationModule {}
