import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ROLES, Roles } from '@tieuchi/shared/auth';
import { FrameworkPathParams, FrameworkVersionPathParams } from '../../framework-path.params';
import { type FrameworkVersionResource, type FrameworkView, GetFramework, GetFrameworkVersion } from './get-framework.query';

@ApiTags('frameworks')
@Controller('frameworks/:frameworkId')
export class GetFrameworkController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Every signed-in role reads framework definitions: units score against them, staff review with them. */
  @Get()
  @Roles(...ROLES)
  @ApiOperation({ summary: 'The current version of a framework and the list of its versions (any signed-in user)' })
  get(@Param() params: FrameworkPathParams): Promise<FrameworkView> {
    return this.queryBus.execute<GetFramework, FrameworkView>(new GetFramework(params.frameworkId));
  }

  @Get('versions/:version')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'One published version of a framework, as it was (any signed-in user)' })
  getVersion(@Param() params: FrameworkVersionPathParams): Promise<FrameworkVersionResource> {
    return this.queryBus.execute<GetFrameworkVersion, FrameworkVersionResource>(new GetFrameworkVersion(params.frameworkId, Number(params.version)));
  }
}
