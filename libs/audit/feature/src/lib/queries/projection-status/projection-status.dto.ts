import { ApiProperty } from '@nestjs/swagger';
import type { ProjectionVersionStatus } from '@tieuchi/shared/event-store';

export class ProjectionBuildDto {
  @ApiProperty({ type: 'integer' }) readonly version!: number;
  @ApiProperty({ type: String, nullable: true, description: 'how far the new version has read' }) readonly checkpoint!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly startedAt!: string;
}

export class ProjectionStatusDto implements ProjectionVersionStatus {
  @ApiProperty({ example: 'assessment-summary' }) readonly projectionId!: string;
  @ApiProperty({ type: 'integer' }) readonly liveVersion!: number;
  @ApiProperty({ type: String, nullable: true }) readonly liveCheckpoint!: string | null;
  @ApiProperty({ enum: ['live', 'building'], description: '`building` while a new version is being built beside the live one' }) readonly state!: 'live' | 'building';
  @ApiProperty({ type: ProjectionBuildDto, nullable: true }) readonly building!: ProjectionBuildDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readonly lastSwitchedAt!: string | null;
}
