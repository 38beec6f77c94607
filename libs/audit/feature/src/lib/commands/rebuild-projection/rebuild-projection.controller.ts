import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tieuchi/shared/auth';
import { ProjectionRegistry, type ProjectionVersionStatus } from '@tieuchi/shared/event-store';
import { ProjectionIdParams } from '../../projection-id.params';
import { ProjectionStatusDto } from '../../queries/projection-status/projection-status.dto';

@ApiTags('admin')
@Controller('admin/projections/:projectionId/rebuild')
export class RebuildProjectionController {
  constructor(private readonly registry: ProjectionRegistry) {}

  /** Accepted at once: the new version builds in the background; poll GET /admin/projections/:projectionId. */
  @Post()
  @HttpCode(202)
  @Roles('admin')
  @ApiAcceptedResponse({ type: ProjectionStatusDto })
  @ApiOperation({ summary: 'Rebuild a projection beside the live one; it takes over when caught up (admins)' })
  rebuild(@Param() params: ProjectionIdParams): Promise<ProjectionVersionStatus> {
    return this.registry.get(params.projectionId).requestRebuild();
  }
}
