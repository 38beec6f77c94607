import { type DynamicModule, Module } from '@nestjs/common';
import { AssessmentFeatureModule } from '@tieuchi/assessment/feature';
import {
  ASSESSMENT_PROCESSES_OPTIONS,
  PublishAssessmentsWithPeriodProcess,
} from './publish-assessments-with-period/publish-assessments-with-period.process';
import type { ProjectionHostOptions } from '@tieuchi/shared/application';

/**
 * Processes of the assessment lifecycle that react to the event feed rather than to a request.
 * Imported as is, the host runs them; `forRoot({ runProjections: false })` leaves them to a worker.
 */
@Module({
  imports: [AssessmentFeatureModule],
  providers: [PublishAssessmentsWithPeriodProcess],
  exports: [PublishAssessmentsWithPeriodProcess],
})
export class AssessmentProcessesModule {
  static forRoot(options: ProjectionHostOptions): DynamicModule {
    return { module: AssessmentProcessesModule, providers: [{ provide: ASSESSMENT_PROCESSES_OPTIONS, useValue: options }] };
  }
}
