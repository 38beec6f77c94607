import type { EventMetadata } from '@tieuchi/shared/kernel';

/** Lifts the data of one event type from `fromSchemaVersion` to `fromSchemaVersion + 1`. */
export interface Upcaster<TFrom = unknown, TTo = unknown> {
  readonly type: string;
  readonly fromSchemaVersion: number;
  readonly upcast: (data: TFrom, metadata: EventMetadata) => TTo;
}

export interface UpcastableEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export class UpcasterRegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpcasterRegistrationError';
  }
}

/**
 * Maps stored event shapes to the current one on read, so old events are never rewritten
 * (ARCHITECTURE.md §4.2). Each upcaster moves one step; steps chain v1 → v2 → v3, and the
 * returned metadata carries the schema version actually reached.
 */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Upcaster>();

  register<TFrom, TTo>(upcaster: Upcaster<TFrom, TTo>): this {
    if (!Number.isInteger(upcaster.fromSchemaVersion) || upcaster.fromSchemaVersion < 1) {
      throw new UpcasterRegistrationError(`fromSchemaVersion must be a positive integer, got ${upcaster.fromSchemaVersion}`);
    }
    const key = stepKey(upcaster.type, upcaster.fromSchemaVersion);
    if (this.steps.has(key)) {
      throw new UpcasterRegistrationError(`An upcaster for ${upcaster.type} v${upcaster.fromSchemaVersion} is already registered`);
    }
    this.steps.set(key, upcaster as Upcaster);
    return this;
  }

  get size(): number {
    return this.steps.size;
  }

  /** Returns the event unchanged (same object) when no upcaster applies. */
  upcast<TEvent extends UpcastableEvent>(event: TEvent): TEvent {
    if (this.steps.size === 0) return event;
    let { data, metadata } = event;
    let step = this.steps.get(stepKey(event.type, metadata.schemaVersion));
    if (!step) return event;
    while (step) {
      data = step.upcast(data, metadata);
      metadata = { ...metadata, schemaVersion: step.fromSchemaVersion + 1 };
      step = this.steps.get(stepKey(event.type, metadata.schemaVersion));
    }
    return { ...event, data, metadata };
  }
}

function stepKey(type: string, schemaVersion: number): string {
  return `${type}@${schemaVersion}`;
}
