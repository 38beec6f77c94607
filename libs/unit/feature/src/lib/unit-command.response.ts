import type { UnitEvent } from '@tieuchi/unit/domain';
import type { CommandOutcome } from '@tieuchi/shared/application';

/**
 * What every single-stream unit command answers: the stream's new version (also the ETag), what
 * happened, and `position`, which GET /units takes as `after` to answer once the list shows the write.
 */
export interface UnitCommandResponse {
  readonly streamName: string;
  readonly version: number;
  readonly events: readonly string[];
  readonly position: string | null;
}

export function toUnitCommandResponse(outcome: CommandOutcome<UnitEvent>): UnitCommandResponse {
  return { streamName: outcome.streamName, version: outcome.version, events: outcome.events.map((event) => event.type), position: outcome.checkpoint };
}
