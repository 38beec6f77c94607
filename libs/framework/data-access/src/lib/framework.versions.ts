import { evolveFramework, type FrameworkDefinition, type FrameworkEvent, type FrameworkState, frameworkVersion, initialFrameworkState } from '@tieuchi/framework/domain';
import type { RecordedEvent } from '@tieuchi/shared/event-store';
import { frameworkStreamName } from './framework.streams';

/** Where a framework's stream is read from: the event store, or a command's executor. */
export interface FrameworkStreamSource {
  readStream(streamName: string): Promise<readonly RecordedEvent[]>;
}

/** A framework as its stream folds to (status `none` when there is none), with the stream's version (-1 then). */
export async function loadFramework(source: FrameworkStreamSource, frameworkId: string): Promise<{ readonly state: FrameworkState; readonly version: number }> {
  const events = await source.readStream(frameworkStreamName(frameworkId));
  const state = events.reduce((folded, event) => evolveFramework(folded, { type: event.type, data: event.data } as FrameworkEvent), initialFrameworkState());
  return { state, version: events.at(-1)?.version ?? -1 };
}

/** A framework as its stream folds to (status `none` when there is none). */
export async function loadFrameworkState(source: FrameworkStreamSource, frameworkId: string): Promise<FrameworkState> {
  return (await loadFramework(source, frameworkId)).state;
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
