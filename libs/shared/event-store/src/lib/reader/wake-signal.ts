/**
 * Lets a polling loop sleep until either its interval passes or someone signals new work. A wake
 * that arrives while the loop is busy is remembered, so the next wait returns at once and no
 * notification falls between a read and the following sleep.
 */
export class WakeSignal {
  private pending = false;
  private resolveWaiter: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  wake(): void {
    if (this.resolveWaiter) this.finish();
    else this.pending = true;
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.resolveWaiter = resolve;
      this.timer = setTimeout(() => this.finish(), ms);
    });
  }

  private finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const resolve = this.resolveWaiter;
    this.resolveWaiter = null;
    resolve?.();
  }
}
