import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService, type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '@tieuchi/shared/auth';
import { EVENT_STORE, READ_MODEL_DB } from '@tieuchi/shared/application';
import type { EventStore, SqlClient } from '@tieuchi/shared/event-store';
import { REDIS_HEALTH, type RedisHealth } from './redis-health';

/**
 * Liveness says the process answers; readiness says it can do its job: the event store, the
 * read-model database and (when configured) Redis all respond. Orchestrators route traffic on
 * readiness and restart on liveness, so the two must not be the same check.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
    @Inject(REDIS_HEALTH) private readonly redis: RedisHealth,
  ) {}

  @Public()
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Public()
  @Get(['ready', ''])
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.probe('eventStore', async () => void (await this.eventStore.readAll(null, 1))),
      () => this.probe('readModelDatabase', async () => void (await this.database.query('SELECT 1'))),
      () => this.probe('redis', () => this.redis.ping()),
    ]);
  }

  private async probe(key: string, check: () => Promise<void>): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(check(), 2000);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message.slice(0, 200) : 'unavailable' });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
