import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ROLES, Roles } from '@tieuchi/shared/auth';
import { FrameworkVersionResourceDto, FrameworkViewDto } from './framework-view.dto';
import { FrameworkPathParams, FrameworkVersionPathParams } from '../../framework-path.params';
import { type FrameworkVersionResource, type FrameworkView, GetFrameworkQuery, GetFrameworkVersionQuery } from './get-framework.query';

@ApiTags('frameworks')
@Controller('frameworks/:frameworkId')
export class GetFrameworkController {
  constructor(
    private readonly framework: GetFrameworkQuery,
    private readonly frameworkVersion: GetFrameworkVersionQuery,
  ) {}

  /** Every signed-in role reads framework definitions: units score against them, staff review with them. */
  @Get()
  @Roles(...ROLES)
  @ApiOkResponse({ type: FrameworkViewDto })
  @ApiOperation({ summary: 'The current version of a framework and the list of its versions (any signed-in user)' })
  get(@Param() params: FrameworkPathParams): Promise<FrameworkView> {
    return this.framework.execute(params.frameworkId);
  }

  @Get('versions/:version')
  @Roles(...ROLES)
  @ApiOkResponse({ type: FrameworkVersionResourceDto })
  @ApiOperation({ summary: 'One published version of a framework, as it was (any signed-in user)' })
  getVersion(@Param() params: FrameworkVersionPathParams): Promise<FrameworkVersionResource> {
    return this.frameworkVersion.execute(params.frameworkId, Number(params.version));
  }
}
