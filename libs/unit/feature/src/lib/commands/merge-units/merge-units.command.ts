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
}

export class MergedPredecessorDto extends StreamCommandResponseDto {
  @ApiProperty({ example: '663' }) readonly code!: string;
}

export class MergeUnitsResultDto implements MergeUnitsResult {
  @ApiProperty({ type: StreamCommandResponseDto, description: 'the successor unit’s stream' }) readonly successor!: StreamCommandResponseDto;
  @ApiProperty({ type: [MergedPredecessorDto], description: 'each absorbed unit’s stream' }) readonly predecessors!: MergedPredecessorDto[];
}
