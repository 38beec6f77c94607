import { Module } from '@nestjs/common';
import { AmendFrameworkController } from './commands/amend-framework/amend-framework.controller';
import { DraftFrameworkController } from './commands/draft-framework/draft-framework.controller';
import { PublishFrameworkController } from './commands/publish-framework/publish-framework.controller';
import { ExecuteFrameworkCommandHandler } from './execute-framework-command.handler';
import { GetFrameworkController } from './queries/get-framework/get-framework.controller';
import { GetFrameworkQuery, GetFrameworkVersionQuery } from './queries/get-framework/get-framework.query';

/** Framework administration (bộ tiêu chí): draft, publish, amend; reads fold the stream. */
@Module({
  controllers: [DraftFrameworkController, PublishFrameworkController, AmendFrameworkController, GetFrameworkController],
  providers: [ExecuteFrameworkCommandHandler, GetFrameworkQuery, GetFrameworkVersionQuery],
})
export class FrameworkFeatureModule {}
