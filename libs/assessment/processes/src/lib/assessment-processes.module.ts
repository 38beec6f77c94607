import { Module } from '@nestjs/common';
import { AssessmentFeatureModule } from '@tieuchi/assessment/feature';
import { PublishAssessmentsWithPeriodProcess } from './publish-assessments-with-period/publish-assessments-with-period.process';

/** Processes of the assessment lifecycle that react to the event feed rather than to a request. */
@Module({
  imports: [AssessmentFeatureModule],
  providers: [PublishAssessmentsWithPeriodProcess],
  exports: [PublishAssessmentsWithPeriodProcess],
})
export class AssessmentProcessesModule {}
