import type { AssessmentEvent } from '@tieuchi/assessment/domain';
import type { CommandOutcome } from '@tieuchi/shared/application';

/** What every assessment command answers: the stream's new version (also the ETag) and what happened. */
export interface AssessmentCommandResponse {
  readonly streamName: string;
  readonly version: number;
  readonly events: readonly string[];
}

export function toCommandResponse(outcome: CommandOutcome<AssessmentEvent>): AssessmentCommandResponse {
  return { streamName: outcome.streamName, version: outcome.version, events: outcome.events.map((event) => event.type) };
}
