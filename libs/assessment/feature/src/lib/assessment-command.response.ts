import { ApiProperty } from '@nestjs/swagger';
import type { AssessmentEvent } from '@tieuchi/assessment/domain';
import type { CommandOutcome } from '@tieuchi/shared/application';

/**
 * What every assessment command answers: the stream's new version (also the ETag), what happened,
 * and `position`: the write's place in the global feed, which queries accept as `after` to answer
 * only once their read model shows it (read-your-writes). Null when nothing was written.
 */
export interface AssessmentCommandResponse {
  readonly streamName: string;
  readonly version: number;
  readonly events: readonly string[];
  readonly position: string | null;
}

export class AssessmentCommandResponseDto implements AssessmentCommandResponse {
  @ApiProperty({ example: 'assessment-daknong-2019-662' }) readonly streamName!: string;
  @ApiProperty({ description: 'the new stream version: send it back as If-Match' }) readonly version!: number;
  @ApiProperty({ type: [String], example: ['CriterionScored'] }) readonly events!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'opaque position of the write; pass as `after` to a query to read your write' })
  readonly position!: string | null;
}

export function toCommandResponse(outcome: CommandOutcome<AssessmentEvent>): AssessmentCommandResponse {
  return { streamName: outcome.streamName, version: outcome.version, events: outcome.events.map((event) => event.type), position: outcome.checkpoint };
}
