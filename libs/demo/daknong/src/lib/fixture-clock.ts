/**
 * A deterministic clock: the fixture never reads the real time, so every build of the history
 * is identical and event timestamps read like a plausible calendar.
 */
export class FixtureClock {
  private current: number;

  constructor(
    start: string,
    private readonly stepMs: number,
  ) {
    this.current = Date.parse(start);
    if (Number.isNaN(this.current)) throw new Error(`invalid start instant ${start}`);
  }

  /** Jumps to the start of a phase. Never backwards: the global order of events follows the clock. */
  jumpTo(instant: string): void {
    const target = Date.parse(instant);
    if (Number.isNaN(target)) throw new Error(`invalid instant ${instant}`);
    if (target < this.current) throw new Error(`the fixture clock cannot go back from ${this.now()} to ${instant}`);
    this.current = target;
  }

  now(): string {
    return new Date(this.current).toISOString();
  }

  /** The current instant, then one step later for the next caller. */
  tick(): string {
    const instant = this.now();
    this.current += this.stepMs;
    return instant;
  }
}

/** Sequential ids with a stable prefix (`daknong-cmd-000001`): deterministic and sortable. */
export class FixtureIds {
  private counter = 0;

  constructor(private readonly prefix: string) {}

  next(): string {
    this.counter += 1;
    return `${this.prefix}-${String(this.counter).padStart(6, '0')}`;
  }
}
