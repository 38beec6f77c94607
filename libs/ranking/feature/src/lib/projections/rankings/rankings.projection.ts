import { Inject, Injectable, Optional } from '@nestjs/common';
import { FrameworkVersions } from '@tieuchi/framework/data-access';
import { RANKINGS_PROJECTION_ID, rankingsMigrations } from '@tieuchi/ranking/data-access';
import { EVENT_STORE, type HostedRunnerOptions, ManagedProjection, type ProjectionHostOptions, READ_MODEL_DB } from '@tieuchi/shared/application';
import { BACKGROUND_GATHER_MS, type EventStore, type SqlClient } from '@tieuchi/shared/event-store';
import { rankingsHandler } from './rankings.handler';

export const RANKING_FEATURE_OPTIONS = Symbol('RANKING_FEATURE_OPTIONS');

/**
 * Events per batch: the handler writes once per touched assessment and ranks once per touched
 * period per batch, so larger batches fold more (a national history projects about twice as fast
 * at 2,000 as at 500) while each transaction stays well under a second.
 */
export const RANKINGS_BATCH_SIZE = 2_000;

/** Events per batch while behind: an assessment's events mostly fall in one batch, so it is written and ranked once. */
export const RANKINGS_CATCH_UP_BATCH_SIZE = 10_000;

/** How the rankings projection is run, by its host and by whatever rebuilds it on its own (benchmarks, specs). */
export function rankingsRunnerOptions(frameworks: FrameworkVersions): HostedRunnerOptions {
  return {
    projectionId: RANKINGS_PROJECTION_ID,
    migrations: [rankingsMigrations],
    handler: rankingsHandler(frameworks),
    pollIntervalMs: 250,
    batchSize: RANKINGS_BATCH_SIZE,
    catchUpBatchSize: RANKINGS_CATCH_UP_BATCH_SIZE,
    // Periods touched while catching up are marked in ranking_periods and re-ranked once at the head.
    defersWhileCatchingUp: true,
    // Each batch re-ranks the periods it touched: under a recalculation run a batch per event would rewrite them hundreds of times a second.
    gatherMs: BACKGROUND_GATHER_MS,
  };
}

/** Keeps the rankings read model current: provisional while a period is open, one edition per decision. */
@Injectable()
export class RankingsProjection extends ManagedProjection {
  constructor(
    @Inject(EVENT_STORE) source: EventStore,
    @Inject(READ_MODEL_DB) database: SqlClient,
    @Optional() @Inject(RANKING_FEATURE_OPTIONS) options?: ProjectionHostOptions,
  ) {
    super(options ?? { runProjections: true }, source, database);
  }

  protected runnerOptions() {
    return rankingsRunnerOptions(new FrameworkVersions(this.source));
  }
}
