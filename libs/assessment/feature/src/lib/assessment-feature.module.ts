import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { raw } from 'body-parser';
import { AssessmentFormController, FORM_FILE_TYPE } from './commands/assessment-form/assessment-form.controller';
import { AssessmentContextLoader } from './assessment-context.loader';
import { AcceptCriterionController } from './commands/accept-criterion/accept-criterion.controller';
import { AdjustCriterionController } from './commands/adjust-criterion/adjust-criterion.controller';
import { AppealAssessmentController } from './commands/appeal-assessment/appeal-assessment.controller';
import { ApproveAssessmentController } from './commands/approve-assessment/approve-assessment.controller';
import { CompleteReviewController } from './commands/complete-review/complete-review.controller';
import { MarkCriterionNotApplicableController } from './commands/mark-criterion-not-applicable/mark-criterion-not-applicable.controller';
import { ReopenReviewController } from './commands/reopen-review/reopen-review.controller';
import { ResolveAppealController } from './commands/resolve-appeal/resolve-appeal.controller';
import { ResubmitAssessmentController } from './commands/resubmit-assessment/resubmit-assessment.controller';
import { ReturnAssessmentController } from './commands/return-assessment/return-assessment.controller';
import { ScoreCriterionController } from './commands/score-criterion/score-criterion.controller';
import { SendBackController } from './commands/send-back/send-back.controller';
import { StartAssessmentController } from './commands/start-assessment/start-assessment.controller';
import { StartReviewController } from './commands/start-review/start-review.controller';
import { SubmitAssessmentController } from './commands/submit-assessment/submit-assessment.controller';
import { WithdrawSubmissionController } from './commands/withdraw-submission/withdraw-submission.controller';
import { UploadEvidenceController } from './commands/upload-evidence/upload-evidence.controller';
import { EvidenceUploads } from './evidence/evidence-uploads.repository';
import { ExecuteAssessmentCommandHandler } from './execute-assessment-command.handler';
import { ExecuteAssessmentBatchHandler } from './execute-assessment-batch.handler';
import { SaveAnswersController } from './commands/save-answers/save-answers.controller';
import { AcceptRemainingController } from './commands/accept-remaining/accept-remaining.controller';
import { PublicEvidenceController } from './queries/public-evidence/public-evidence.controller';
import { DownloadEvidenceController } from './queries/download-evidence/download-evidence.controller';

/**
 * The assessment use cases: one controller per command route, one handler for all of them.
 * PublishAssessment and RecordScoresRecalculated have no route: period publication and the
 * recalculation job send them.
 */
@Module({
  controllers: [
    StartAssessmentController,
    ScoreCriterionController,
    SaveAnswersController,
    AcceptRemainingController,
    MarkCriterionNotApplicableController,
    SubmitAssessmentController,
    WithdrawSubmissionController,
    StartReviewController,
    AcceptCriterionController,
    AdjustCriterionController,
    ReturnAssessmentController,
    ResubmitAssessmentController,
    CompleteReviewController,
    ApproveAssessmentController,
    SendBackController,
    ReopenReviewController,
    AppealAssessmentController,
    ResolveAppealController,
    UploadEvidenceController,
    DownloadEvidenceController,
    PublicEvidenceController,
    AssessmentFormController,
  ],
  providers: [AssessmentContextLoader, ExecuteAssessmentCommandHandler, ExecuteAssessmentBatchHandler, EvidenceUploads],
  exports: [AssessmentContextLoader, EvidenceUploads],
})
export class AssessmentFeatureModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(raw({ type: FORM_FILE_TYPE, limit: '2mb' })).forRoutes({ path: 'periods/:periodId/assessments/:unitCode/form.xlsx', method: RequestMethod.POST });
  }
}
