import type { PeriodEvent } from '@tieuchi/period/domain';
import type { CommandOutcome } from '@tieuchi/shared/application';

/**
 * What every period command answers: the stream's new version (also the ETag), what happened, and
 * `position`, which GET /periods takes as `after` to answer once the list shows the write (and
 * which the processes reacting to it, publishing the approved assessments, can be awaited on).
 */
export interface PeriodCommandResponse {
  readonly streamName: string;
  readonly version: number;
  readonly events: readonly string[];
  readonly position: string | null;
}

export function toPeriodCommandResponse(outcome: CommandOutcome<PeriodEvent>): PeriodCommandResponse {
  return { streamName: outcome.streamName, version: outcome.version, events: outcome.events.map((event) => event.type), position: outcome.checkpoint };
}
