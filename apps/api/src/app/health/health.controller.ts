import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@tieuchi/shared/auth';
import { EVENT_STORE, READ_MODEL_DB } from '@tieuchi/shared/application';
import type { EventStore, SqlClient } from '@tieuchi/shared/event-store';
import type { Response } from 'express';
import { ComponentStatusDto, HealthReportDto, LivenessDto } from './health-report.dto';
import { Readiness } from './readiness';
import { REDIS_HEALTH, type RedisHealth } from './redis-health';

type ComponentStatus = { readonly status: 'up' } | { readonly status: 'down'; readonly message: string } | { readonly status: 'not configured'; readonly message: string };

export interface HealthReport {
  /** `ok`: serve traffic; `error`: a component is down; `shutting_down`: draining before exit. */
  readonly status: 'ok' | 'error' | 'shutting_down';
  readonly info: Readonly<Record<string, ComponentStatus>>;
  readonly error: Readonly<Record<string, ComponentStatus>>;
  readonly details: Readonly<Record<string, ComponentStatus>>;
}

/**
 * Liveness says the process answers; readiness says it can do its job: the event store, the
 * read-model database and (when configured) Redis all respond, and it is not shutting down.
 * Orchestrators route traffic on readiness and restart on liveness, so a database outage takes
 * readiness down and leaves liveness up: restarting the API would not bring PostgreSQL back.
 */
@ApiTags('health')
@ApiExtraModels(ComponentStatusDto)
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
    @Inject(REDIS_HEALTH) private readonly redis: RedisHealth,
    private readonly readiness: Readiness,
  ) {}

  @Public()
  @Get('live')
  @ApiOkResponse({ type: LivenessDto, description: 'The process answers.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @Get(['ready', ''])
  @ApiOkResponse({ type: HealthReportDto, description: 'Every component is up (Redis may be "not configured" in embedded mode).' })
  @ApiServiceUnavailableResponse({ type: HealthReportDto, description: 'A component is down, or the process is shutting down.' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const [eventStore, readModelDatabase, redis] = await Promise.all([
      probe(async () => void (await this.eventStore.readAll(null, 1))),
      probe(async () => void (await this.database.query('SELECT 1'))),
      this.redis.configured ? probe(() => this.redis.ping()) : Promise.resolve<ComponentStatus>({ status: 'not configured', message: 'no REDIS_URL: jobs run in-process' }),
    ]);
    const details: Record<string, ComponentStatus> = { eventStore, readModelDatabase, redis };
    const down = Object.entries(details).filter(([, component]) => component.status === 'down');
    const status = this.readiness.isDraining ? 'shutting_down' : down.length > 0 ? 'error' : 'ok';
    response.status(status === 'ok' ? 200 : 503);
    response.setHeader('Cache-Control', 'no-store');
    return {
      status,
      info: Object.fromEntries(Object.entries(details).filter(([, component]) => component.status !== 'down')),
      error: Object.fromEntries(down),
      details,
    };
  }
}

async function probe(check: () => Promise<void>): Promise<ComponentStatus> {
  try {
    await withTimeout(check(), 2000);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', message: error instanceof Error ? error.message.slice(0, 200) || error.name : 'unavailable' };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
