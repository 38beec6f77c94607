import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, READ_MODEL_DB, readProjectionStandings } from '@tieuchi/shared/application';
import { Roles } from '@tieuchi/shared/auth';
import { type EventStore, projectionLockKey, ProjectionRegistry, type SqlClient } from '@tieuchi/shared/event-store';
import { type ProjectionOverviewDto, ProjectionListDto } from './list-projections.dto';

@ApiTags('admin')
@Controller('admin/projections')
export class ListProjectionsController {
  constructor(
    private readonly registry: ProjectionRegistry,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
  ) {}

  /**
   * Read from the database, not from this process: the runners live in the workers (in the API
   * only in embedded mode), and their checkpoints and locks are what every process shares.
   */
  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: ProjectionListDto })
  @ApiOperation({ summary: 'Every projection and process runner the workers host: its position, lag, whether one runs it, and whether it can be rebuilt (admins)' })
  async list(): Promise<ProjectionListDto> {
    const standings = await readProjectionStandings(this.eventStore, this.database);
    const held = await this.database.heldLocks(standings.map((row) => projectionLockKey(row.schema, row.projection)));
    const rebuildable = new Map(await Promise.all(this.registry.ids().map(async (id) => [id, await this.registry.get(id).status()] as const)));
    const items = standings.map((row): ProjectionOverviewDto => {
      const status = rebuildable.get(row.projection);
      const projection = status ? this.registry.get(row.projection) : null;
      const version = status && projection ? [status.liveVersion, status.building?.version].find((v) => v !== undefined && projection.schemaOf(v) === row.schema) ?? null : null;
      return {
        projectionId: row.projection,
        schema: row.schema,
        checkpoint: row.checkpoint,
        lagEvents: row.lagEvents,
        lagSeconds: row.lagSeconds,
        state: held.has(projectionLockKey(row.schema, row.projection)) ? 'running' : 'stopped',
        rebuildable: status !== undefined,
        version,
        building: version !== null && version === status?.building?.version,
      };
    });
    return { items };
  }
}
