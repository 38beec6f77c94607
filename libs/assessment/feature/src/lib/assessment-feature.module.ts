import { Module } from '@nestjs/common';
import { AssessmentContextLoader } from './assessment-context.loader';
import { ScoreCriterionController } from './commands/score-criterion/score-criterion.controller';
import { StartAssessmentController } from './commands/start-assessment/start-assessment.controller';
import { ExecuteAssessmentCommandHandler } from './execute-assessment-command.handler';

/** The assessment use cases: one controller per command route, one handler for all of them. */
@Module({
  controllers: [StartAssessmentController, ScoreCriterionController],
  providers: [AssessmentContextLoader, ExecuteAssessmentCommandHandler],
  exports: [AssessmentContextLoader],
})
export class AssessmentFeatureModule {}
