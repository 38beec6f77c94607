import { ApiProperty } from '@nestjs/swagger';
import { StreamCommandResponseDto } from '@tieuchi/shared/http';
import type { PeriodEvent } from '@tieuchi/period/domain';
import type { CommandOutcome } from '@tieuchi/shared/application';

/**
 * What every period command answers: the stream's new version (also the ETag), what happened, and
 * the checkpoint of the last event, which processes reacting to it (publishing the approved
 * assessments) can be awaited on.
 */
export interface PeriodCommandResponse {
  readonly streamName: string;
  readonly version: number;
  readonly events: readonly string[];
  readonly checkpoint: string | null;
}

export function toPeriodCommandResponse(outcome: CommandOutcome<PeriodEvent>): PeriodCommandResponse {
  return { streamName: outcome.streamName, version: outcome.version, events: outcome.events.map((event) => event.type), checkpoint: outcome.checkpoint };
}

export class PeriodCommandResponseDto extends StreamCommandResponseDto implements PeriodCommandResponse {
  @ApiProperty({ type: String, nullable: true, description: 'opaque position of the last event; pass as `after` to a query to read the write' })
  readonly checkpoint!: string | null;
}
