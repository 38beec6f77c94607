import { assertNever, foldEvents, type DomainEvent } from './message';

type CounterEvent = DomainEvent<'Incremented', { by: number }>;

describe('foldEvents', () => {
  it('folds events from the initial state in order', () => {
    const state = foldEvents<number, CounterEvent>(
      { initialState: () => 1, evolve: (s, e) => s * 10 + e.data.by },
      [{ type: 'Incremented', data: { by: 2 } }, { type: 'Incremented', data: { by: 3 } }],
    );
    expect(state).toBe(123);
  });

  it('assertNever names what it did not expect', () => {
    expect(() => assertNever('x' as never, 'status')).toThrow('Unexpected status: "x"');
  });
});
