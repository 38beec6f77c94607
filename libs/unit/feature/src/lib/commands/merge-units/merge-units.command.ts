import { ApiProperty } from '@nestjs/swagger';
import { StreamCommandResponseDto } from '@tieuchi/shared/http';
import type { RequestContext } from '@tieuchi/shared/application';
import type { MergeUnits } from '@tieuchi/unit/domain';

export class MergeUnitsCommand {
  constructor(
    readonly data: MergeUnits['data'],
    readonly request: RequestContext,
  ) {}
}

export interface MergeUnitsResult {
  readonly successor: { readonly streamName: string; readonly version: number; readonly events: readonly string[] };
  readonly predecessors: readonly { readonly code: string; readonly streamName: string; readonly version: number; readonly events: readonly string[] }[];
  /** The last append's position (the streams are written one after another); null when a retry wrote nothing. */
  readonly position: string | null;
}

export class MergedPredecessorDto extends StreamCommandResponseDto {
  @ApiProperty({ example: '663' }) readonly code!: string;
}

export class MergeUnitsResultDto implements MergeUnitsResult {
  @ApiProperty({ type: StreamCommandResponseDto, description: 'the successor unit’s stream' }) readonly successor!: StreamCommandResponseDto;
  @ApiProperty({ type: [MergedPredecessorDto], description: 'each absorbed unit’s stream' }) readonly predecessors!: MergedPredecessorDto[];
  @ApiProperty({ type: String, nullable: true, description: 'opaque position of the merge’s last write; pass as `after` to GET /units to read it (null when nothing was written)' })
  readonly position!: string | null;
}
