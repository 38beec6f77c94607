import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tieuchi/shared/auth';
import { ProjectionRegistry, type ProjectionVersionStatus } from '@tieuchi/shared/event-store';
import { ProjectionIdParams } from '../../projection-id.params';
import { ProjectionStatusDto } from './projection-status.dto';

@ApiTags('admin')
@Controller('admin/projections/:projectionId')
export class ProjectionStatusController {
  constructor(private readonly registry: ProjectionRegistry) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: ProjectionStatusDto })
  @ApiOperation({ summary: 'Live version, checkpoint and any rebuild in progress of a projection (admins)' })
  status(@Param() params: ProjectionIdParams): Promise<ProjectionVersionStatus> {
    return this.registry.get(params.projectionId).status();
  }
}
