import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { ProjectionHostOptions } from '@tieuchi/shared/application';
import { AssessmentContextLoader } from './assessment-context.loader';
import { EvidenceCleanup } from './evidence/evidence-cleanup.service';
import { EvidenceUploads } from './evidence/evidence-uploads.repository';
import { ASSESSMENT_VIEWS_OPTIONS, AssessmentSummaryProjection } from './projections/assessment-summary/assessment-summary.projection';
import { AssessmentDocumentController } from './queries/assessment-document/assessment-document.controller';
import { GetAssessmentController } from './queries/get-assessment/get-assessment.controller';
import { GetAssessmentQuery } from './queries/get-assessment/get-assessment.query';
import { ReviewQueueController } from './queries/review-queue/review-queue.controller';
import { ReviewQueueQuery } from './queries/review-queue/review-queue.query';
import { UnitHistoryController } from './queries/unit-history/unit-history.controller';
import { UnitHistoryQuery } from './queries/unit-history/unit-history.query';
import { ListPeriodsController } from './queries/list-periods/list-periods.controller';
import { ListPeriodsQuery } from './queries/list-periods/list-periods.query';
import { ListPeriodAssessmentsController } from './queries/list-period-assessments/list-period-assessments.controller';
import { ListPeriodAssessmentsQuery } from './queries/list-period-assessments/list-period-assessments.query';

export { ASSESSMENT_SUMMARY_BATCH_SIZE, ASSESSMENT_SUMMARY_CATCH_UP_BATCH_SIZE, AssessmentSummaryProjection, assessmentSummaryRunnerOptions } from './projections/assessment-summary/assessment-summary.projection';
export { assessmentSummaryHandler } from './projections/assessment-summary/assessment-summary.handler';
export type { AssessmentDetail, CriterionDetail, PartDetail } from './queries/get-assessment/get-assessment.query';
export type { ReviewQueue, ReviewQueueItem } from './queries/review-queue/review-queue.query';
export type { UnitHistory, UnitHistoryPeriod } from './queries/unit-history/unit-history.query';

/**
 * The assessment read side: the summary projection and the queries over it. Imported as is, the
 * host runs the projection (embedded mode, or the worker); `forRoot({ runProjections: false })`
 * serves the queries only and leaves the projection to a worker.
 */
@Module({
  controllers: [GetAssessmentController, AssessmentDocumentController, ReviewQueueController, UnitHistoryController, ListPeriodsController, ListPeriodAssessmentsController],
  providers: [
    AssessmentContextLoader,
    AssessmentSummaryProjection,
    GetAssessmentQuery,
    ReviewQueueQuery,
    UnitHistoryQuery,
    ListPeriodsQuery,
    ListPeriodAssessmentsQuery,
    EvidenceUploads,
    EvidenceCleanup,
  ],
  exports: [AssessmentSummaryProjection, EvidenceCleanup],
})
export class AssessmentViewsModule {
  static forRoot(options: ProjectionHostOptions): DynamicModule {
    const provider: Provider = { provide: ASSESSMENT_VIEWS_OPTIONS, useValue: options };
    return { module: AssessmentViewsModule, providers: [provider] };
  }
}
