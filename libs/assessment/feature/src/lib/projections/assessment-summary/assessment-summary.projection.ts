import { Inject, Injectable, Optional } from '@nestjs/common';
import { ASSESSMENT_SUMMARY_PROJECTION_ID, assessmentViewsMigrations } from '@tieuchi/assessment/data-access';
import { EVENT_STORE, type HostedRunnerOptions, ManagedProjection, type ProjectionHostOptions, READ_MODEL_DB } from '@tieuchi/shared/application';
import type { EventStore, SqlClient } from '@tieuchi/shared/event-store';
import { FrameworkVersions } from '@tieuchi/framework/data-access';
import { assessmentSummaryHandler } from './assessment-summary.handler';

export const ASSESSMENT_VIEWS_OPTIONS = Symbol('ASSESSMENT_VIEWS_OPTIONS');

/** Events per batch: a batch is a few statements whatever its size, so live batches stay short. */
export const ASSESSMENT_SUMMARY_BATCH_SIZE = 1_000;

/** Events per batch while behind: each row is written once per batch, so a rebuild writes most rows once. */
export const ASSESSMENT_SUMMARY_CATCH_UP_BATCH_SIZE = 10_000;

/** How the assessment summary is run, by its host and by whatever rebuilds it on its own (benchmarks, specs). */
export function assessmentSummaryRunnerOptions(frameworks: FrameworkVersions): HostedRunnerOptions {
  return {
    projectionId: ASSESSMENT_SUMMARY_PROJECTION_ID,
    migrations: [assessmentViewsMigrations],
    handler: assessmentSummaryHandler(frameworks),
    pollIntervalMs: 50,
    batchSize: ASSESSMENT_SUMMARY_BATCH_SIZE,
    catchUpBatchSize: ASSESSMENT_SUMMARY_CATCH_UP_BATCH_SIZE,
  };
}

/** Keeps the assessment read model (summaries, criteria, part scores, periods) current. */
@Injectable()
export class AssessmentSummaryProjection extends ManagedProjection {
  constructor(
    @Inject(EVENT_STORE) source: EventStore,
    @Inject(READ_MODEL_DB) database: SqlClient,
    @Optional() @Inject(ASSESSMENT_VIEWS_OPTIONS) options?: ProjectionHostOptions,
  ) {
    super(options ?? { runProjections: true }, source, database);
  }

  protected runnerOptions() {
    return assessmentSummaryRunnerOptions(new FrameworkVersions(this.source));
  }
}
