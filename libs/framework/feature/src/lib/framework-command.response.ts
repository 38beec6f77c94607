import type { FrameworkEvent } from '@tieuchi/framework/domain';
import type { CommandOutcome } from '@tieuchi/shared/application';

/** What every framework command answers: the stream's new version (also the ETag) and what happened. */
export interface FrameworkCommandResponse {
  readonly streamName: string;
  readonly version: number;
  readonly events: readonly string[];
}

export function toFrameworkCommandResponse(outcome: CommandOutcome<FrameworkEvent>): FrameworkCommandResponse {
  return { streamName: outcome.streamName, version: outcome.version, events: outcome.events.map((event) => event.type) };
}
