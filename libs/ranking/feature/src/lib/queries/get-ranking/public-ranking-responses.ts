import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RANKING_EDITIONS_CHANNEL } from '@tieuchi/ranking/data-access';
import { READ_MODEL_DB } from '@tieuchi/shared/application';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { PublicResponseCache } from '@tieuchi/shared/http';

/**
 * How long an anonymous ranking answer is served from memory. A new official edition drops every
 * held answer at once (the rankings projection's NOTIFY); TTL and stale window bound what a lost
 * notification (a dropped LISTEN connection) could leave stale: 4 s, within the 5 s the answers'
 * Cache-Control already grants any shared cache.
 */
export const PUBLIC_RANKING_TTL_MS = 2_000;
/** After the TTL, the old answer is still served for this long while one request fetches the next. */
export const PUBLIC_RANKING_STALE_MS = 2_000;

/**
 * The public ranking is the most read page of the system, and its official editions change only
 * when a decision is published: anonymous answers are held in memory and served before the Nest
 * pipeline runs. Callers with a token (staff views, provisional rankings) always go through it.
 */
@Injectable()
export class PublicRankingResponses implements OnModuleInit, OnModuleDestroy {
  readonly cache = new PublicResponseCache({ ttlMs: PUBLIC_RANKING_TTL_MS, staleMs: PUBLIC_RANKING_STALE_MS, maxBytes: 32 * 1024 * 1024 });
  private stopListening: (() => Promise<void>) | null = null;

  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async onModuleInit(): Promise<void> {
    this.stopListening = await this.database.listen(RANKING_EDITIONS_CHANNEL, () => this.cache.clear());
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopListening?.();
  }
}
