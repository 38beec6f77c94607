/**
 * Metadata carried by every command and every event. Time and actor arrive here so that the
 * domain never reads a clock or a session: deciders stay pure and replayable.
 */
export interface MessageMetadata {
  /** Who acted: a user id, or `system:<process>` for jobs. */
  readonly actor: string;
  /** Ties together everything one request caused; the same id appears in the logs. */
  readonly correlationId: string;
  /** The id of the command or event that directly caused this one. */
  readonly causationId: string;
  /** ISO-8601 instant at which the command was issued. */
  readonly occurredAt: string;
}

export interface EventMetadata extends MessageMetadata {
  /** Version of the event's data shape; upcasters lift old versions on read. */
  readonly schemaVersion: number;
}

/** A domain event: `type` is PascalCase, past tense, and persisted forever. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/** A command: `type` is PascalCase, imperative. Metadata says who asks and when. */
export interface Command<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
  readonly metadata: MessageMetadata;
}

/**
 * The decider pattern (ARCHITECTURE.md §4.1): `decide` turns a command and the current state into
 * new events or throws a DomainError; `evolve` folds one event into the state.
 */
export interface Decider<TState, TCommand extends Command, TEvent extends DomainEvent> {
  readonly decide: (command: TCommand, state: TState) => readonly TEvent[];
  readonly evolve: (state: TState, event: TEvent) => TState;
  readonly initialState: () => TState;
}

/** Folds a list of events from the initial state. */
export function foldEvents<TState, TEvent extends DomainEvent>(
  decider: Pick<Decider<TState, Command, TEvent>, 'evolve' | 'initialState'>,
  events: readonly TEvent[],
): TState {
  return events.reduce(decider.evolve, decider.initialState());
}

/** Compile-time exhaustiveness check for the `default` of a switch over a union. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
