import { isDomainError, type DomainError, type ErrorCategory } from '../lib/domain-error';
import { foldEvents, type Command, type Decider, type DomainEvent } from '../lib/message';

/**
 * given(events) / when(command) / then(events or a coded error) for any decider (ARCHITECTURE.md
 * §4.10). Test-only: it calls Jest's `expect`, so it is deliberately not exported from the
 * kernel's index and production code never loads it.
 */
export interface DeciderOutcome<TState, TEvent> {
  /** Asserts the exact events decided, in order. */
  then(expected: readonly TEvent[]): void;
  /** Asserts a refusal with this stable code (and category, when given); returns the error. */
  thenRefused(code: string, category?: ErrorCategory): DomainError;
  /** The decided events, for assertions on parts of them. */
  events(): readonly TEvent[];
  /** The state after the given and the decided events, to check evolve alongside decide. */
  state(): TState;
}

export interface DeciderSpec<TState, TCommand extends Command, TEvent extends DomainEvent> {
  given(events: readonly TEvent[]): { when(command: TCommand): DeciderOutcome<TState, TEvent> };
}

export function deciderSpec<TState, TCommand extends Command, TEvent extends DomainEvent>(
  decider: Decider<TState, TCommand, TEvent>,
): DeciderSpec<TState, TCommand, TEvent> {
  return {
    given: (given) => ({
      when: (command) => {
        const decide = (): readonly TEvent[] => decider.decide(command, foldEvents(decider, given));
        return {
          then: (expected) => expect(decide()).toEqual(expected),
          thenRefused: (code, category) => {
            let caught: unknown;
            let decided: readonly TEvent[] | undefined;
            try {
              decided = decide();
            } catch (error) {
              caught = error;
            }
            if (!isDomainError(caught)) {
              throw new Error(
                `expected a refusal ${code}, got ${decided ? `events ${JSON.stringify(decided)}` : String(caught)}`,
              );
            }
            expect(caught.code).toBe(code);
            if (category) expect(caught.category).toBe(category);
            return caught;
          },
          events: decide,
          state: () => foldEvents(decider, [...given, ...decide()]),
        };
      },
    }),
  };
}
