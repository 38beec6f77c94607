import type { createBullBoard as CreateBullBoard } from '@bull-board/api';
import { HttpException, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AuthGuard, Roles, TOKEN_VERIFIER, type TokenVerifier } from '@tieuchi/shared/auth';
import { DomainError } from '@tieuchi/shared/kernel';
import type { NextFunction, Request, Response } from 'express';
import type { BullMqJobQueue } from '../job-queue/bullmq-job-queue';
import type { RecalculationRuntime } from '../recalculation.runtime';
import { RECALCULATION_RUNTIME } from '../recalculation.tokens';

export const QUEUE_BOARD_PATH = '/admin/queues';

type ExpressHandler = (req: Request, res: Response, next: (error?: unknown) => void) => void;

/**
 * The policy of the board, declared as on any controller: the AuthGuard reads it from here, so the
 * Express router below is refused exactly as a Nest route with @Roles('admin') would be.
 */
export class QueueBoardRoute {
  @Roles('admin')
  board(): void {
    // Never called: it only carries the route's policy.
  }
}

export function queuesRunInProcess(): DomainError {
  return new DomainError(
    'RECALCULATION.QUEUES_IN_PROCESS',
    'not_found',
    'There is no queue board: without Redis (embedded mode) recalculation jobs run in-process. Follow a run at GET /recalculation-runs/{runId}.',
  );
}

function boardPageNotFound(path: string): DomainError {
  return new DomainError('RECALCULATION.QUEUE_BOARD_NOT_FOUND', 'not_found', `The queue board has no page ${path}.`);
}

/** bull-board's error bodies are `{ error, details? }`, sent as an object or as its JSON text. */
function boardErrorMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body || undefined;
    }
  }
  const error = (value as { error?: unknown } | null)?.error;
  return typeof error === 'string' ? error : undefined;
}

/**
 * bull-board at /admin/queues, for administrators, when jobs go through BullMQ. Read-only: failed
 * jobs are retried with POST /recalculation-runs/{runId}/retry, so the run read model stays exact.
 */
@Injectable()
export class QueueBoardMiddleware implements NestMiddleware {
  private readonly guard: AuthGuard;
  private router: ExpressHandler | null | undefined;

  constructor(
    @Inject(TOKEN_VERIFIER) verifier: TokenVerifier,
    @Inject(RECALCULATION_RUNTIME) private readonly runtime: RecalculationRuntime,
  ) {
    this.guard = new AuthGuard(verifier);
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    await this.guard.canActivate(new ExecutionContextHost([req, res, next], QueueBoardRoute, QueueBoardRoute.prototype.board));
    const router = this.board();
    if (!router) throw queuesRunInProcess();
    const originalUrl = req.url;
    const relative = req.originalUrl.slice(QUEUE_BOARD_PATH.length);
    // The board's router is an Express app of its own, written to be mounted at its base path.
    req.url = relative.startsWith('/') ? relative : `/${relative}`;
    req.baseUrl = QUEUE_BOARD_PATH;
    const send = res.send;
    try {
      await new Promise<void>((resolve, reject) => {
        res.once('finish', resolve);
        res.once('close', resolve);
        // The board answers its own refusals (unknown queue or job, a change to a read-only queue) as plain JSON.
        res.send = function (this: Response, body?: unknown): Response {
          if (this.statusCode < 400) return send.call(this, body);
          req.url = originalUrl;
          reject(new HttpException(boardErrorMessage(body) ?? `The queue board refused the request (${this.statusCode}).`, this.statusCode));
          return this;
        };
        router(req, res, (error?: unknown) => {
          req.url = originalUrl;
          reject(error ?? boardPageNotFound(req.originalUrl.split('?')[0] ?? req.originalUrl));
        });
      });
    } finally {
      res.send = send;
    }
  }

  private board(): ExpressHandler | null {
    if (this.router !== undefined) return this.router;
    const queue = this.runtime.queue;
    if (queue.kind !== 'bullmq') {
      this.router = null;
      return null;
    }
    // bull-board is loaded at the board's first page: without Redis (embedded mode) there is none.
    const { createBullBoard } = require('@bull-board/api') as typeof import('@bull-board/api');
    const { BullMQAdapter } = require('@bull-board/api/bullMQAdapter') as typeof import('@bull-board/api/bullMQAdapter');
    const { ExpressAdapter } = require('@bull-board/express') as typeof import('@bull-board/express');
    const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: [new BullMQAdapter((queue as BullMqJobQueue).bullQueue, { readOnlyMode: true, description: 'Recalculation of assessments after framework amendments' })],
      // @bull-board/express pins its own copy of @bull-board/api: the same shapes, declared twice.
      serverAdapter: serverAdapter as unknown as Parameters<typeof CreateBullBoard>[0]['serverAdapter'],
      options: { uiConfig: { boardTitle: 'tieuchi queues' } },
    });
    this.router = serverAdapter.getRouter() as ExpressHandler;
    return this.router;
  }
}
