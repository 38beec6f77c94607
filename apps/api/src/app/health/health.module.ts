import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@tieuchi/shared/application';
import type { AppConfig } from '@tieuchi/shared/config';
import { HealthController } from './health.controller';
import { Readiness } from './readiness';
import { REDIS_HEALTH, type RedisHealth, redisHealth } from './redis-health';

@Module({
  controllers: [HealthController],
  providers: [{ provide: REDIS_HEALTH, inject: [APP_CONFIG], useFactory: (config: AppConfig) => redisHealth(config.redisUrl) }, Readiness],
  exports: [Readiness],
})
export class HealthModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_HEALTH) private readonly redis: RedisHealth) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.close();
  }
}
