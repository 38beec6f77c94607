import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { APP_CONFIG } from '@tieuchi/shared/application';
import type { AppConfig } from '@tieuchi/shared/config';
import { HealthController } from './health.controller';
import { REDIS_HEALTH, type RedisHealth, redisHealth } from './redis-health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [{ provide: REDIS_HEALTH, inject: [APP_CONFIG], useFactory: (config: AppConfig) => redisHealth(config.redisUrl) }],
})
export class HealthModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_HEALTH) private readonly redis: RedisHealth) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.close();
  }
}
