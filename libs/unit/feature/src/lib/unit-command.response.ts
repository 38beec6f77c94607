import type { UnitEvent } from '@tieuchi/unit/domain';
import type { CommandOutcome } from '@tieuchi/shared/application';

/** What every single-stream unit command answers: the stream's new version (also the ETag) and what happened. */
export interface UnitCommandResponse {
  readonly streamName: string;
  readonly version: number;
  readonly events: readonly string[];
}

export function toUnitCommandResponse(outcome: CommandOutcome<UnitEvent>): UnitCommandResponse {
  return { streamName: outcome.streamName, version: outcome.version, events: outcome.events.map((event) => event.type) };
}
