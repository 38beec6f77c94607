import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { CloseSelfAssessmentController } from './commands/close-self-assessment/close-self-assessment.controller';
import { CorrectPeriodController } from './commands/correct-period/correct-period.controller';
import { ExtendDeadlinesController } from './commands/extend-deadlines/extend-deadlines.controller';
import { OpenPeriodController } from './commands/open-period/open-period.controller';
import { PinFrameworkVersionController } from './commands/pin-framework-version/pin-framework-version.controller';
import { PublishPeriodController } from './commands/publish-period/publish-period.controller';
import { ExecutePeriodCommandHandler } from './execute-period-command.handler';
import { GetPeriodController } from './queries/get-period/get-period.controller';
import { GetPeriodQuery } from './queries/get-period/get-period.query';

/** Periods (kỳ đánh giá): open, close self-assessment, publish, correct, pin a framework version, extend deadlines. */
@Module({
  controllers: [
    OpenPeriodController,
    CloseSelfAssessmentController,
    PublishPeriodController,
    CorrectPeriodController,
    PinFrameworkVersionController,
    ExtendDeadlinesController,
    GetPeriodController,
  ],
  providers: [ExecutePeriodCommandHandler, GetPeriodQuery],
})
export class PeriodFeatureModule {
  /** `publicationRoll`: a module exporting PUBLICATION_ROLL, the units a publication must account for (the period context cannot see them). */
  static forRoot(options: { readonly publicationRoll: NonNullable<ModuleMetadata['imports']>[number] }): DynamicModule {
    return { module: PeriodFeatureModule, imports: [options.publicationRoll] };
  }
}
