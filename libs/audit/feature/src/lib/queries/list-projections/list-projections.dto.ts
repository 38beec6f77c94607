import { ApiProperty } from '@nestjs/swagger';

export const PROJECTION_RUNNER_STATES = ['running', 'stopped'] as const;

/** One projection runner as any process can see it: its checkpoint, its lag, whether some process runs it. */
export class ProjectionOverviewDto {
  @ApiProperty({ example: 'rankings.v1', description: 'the projection (or process) id, as its checkpoint row names it' }) readonly projectionId!: string;
  @ApiProperty({ example: 'read_model', description: "the schema of its checkpoint: a rebuildable projection's versions each have one (`<base>_v<n>`)" }) readonly schema!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the position it has applied; null before its first event' }) readonly checkpoint!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'events appended after its checkpoint; null when the event store cannot tell (KurrentDB)' }) readonly lagEvents!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'seconds between the recording of its last event and of the newest one; null when the event store cannot tell' })
  readonly lagSeconds!: number | null;
  @ApiProperty({ enum: PROJECTION_RUNNER_STATES, description: '`running`: a process (a worker, or the API in embedded mode) holds its lock and applies the feed; `stopped`: none does (no worker runs it, or it gave up and waits to be restarted)' })
  readonly state!: (typeof PROJECTION_RUNNER_STATES)[number];
  @ApiProperty({ description: 'POST /admin/projections/{projectionId}/rebuild accepts it' }) readonly rebuildable!: boolean;
  @ApiProperty({ type: 'integer', nullable: true, description: 'rebuildable projections: the version this runner writes' }) readonly version!: number | null;
  @ApiProperty({ description: 'rebuildable projections: this version is being built beside the live one' }) readonly building!: boolean;
}

export class ProjectionListDto {
  @ApiProperty({ type: [ProjectionOverviewDto] }) readonly items!: ProjectionOverviewDto[];
}
