import { evolveFramework, type FrameworkDefinition, type FrameworkEvent, type FrameworkState, frameworkVersion, initialFrameworkState } from '@tieuchi/framework/domain';
import type { RecordedEvent } from '@tieuchi/shared/event-store';
import { frameworkStreamName } from './framework.streams';

/** Where a framework's stream is read from: the event store, or a command's executor. */
export interface FrameworkStreamSource {
  readStream(streamName: string): Promise<readonly RecordedEvent[]>;
}

/** A framework as its stream folds to (`not_drafted` when there is none). */
export async function loadFrameworkState(source: FrameworkStreamSource, frameworkId: string): Promise<FrameworkState> {
  const events = await source.readStream(frameworkStreamName(frameworkId));
  return events.reduce((state, event) => evolveFramework(state, { type: event.type, data: event.data } as FrameworkEvent), initialFrameworkState());
}

/** A published version of a framework, or null: how every context loads the version it is pinned to. */
export async function loadFrameworkVersion(source: FrameworkStreamSource, frameworkId: string, version: number): Promise<FrameworkDefinition | null> {
  return frameworkVersion(await loadFrameworkState(source, frameworkId), version) ?? null;
}

/** Published versions, each read once: a published version never changes (projections score many assessments on one). */
export class FrameworkVersions {
  private readonly cache = new Map<string, FrameworkDefinition>();

  constructor(private readonly source: FrameworkStreamSource) {}

  async load(frameworkId: string, version: number): Promise<FrameworkDefinition | null> {
    const key = `${frameworkId}@${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const found = await loadFrameworkVersion(this.source, frameworkId, version);
    if (found) this.cache.set(key, found);
    return found;
  }
}
