import { ReaderStoppedError, WaitTimeoutError } from '../event-store.errors';
import { CheckpointWaiters } from './checkpoint-waiters';
import { WakeSignal } from './wake-signal';

const numeric = (a: string, b: string): number => Number(a) - Number(b);

describe('CheckpointWaiters', () => {
  it('resolves waiters once the reader reaches or passes their checkpoint', async () => {
    const waiters = new CheckpointWaiters(numeric);
    const reached = jest.fn();
    const pending = waiters.waitFor('5', 1000).then(reached);
    waiters.advance('4');
    await Promise.resolve();
    expect(reached).not.toHaveBeenCalled();
    waiters.advance('7');
    await pending;
    expect(reached).toHaveBeenCalledTimes(1);
    await expect(waiters.waitFor('6', 1000)).resolves.toBeUndefined();
  });

  it('rejects on timeout and when the reader stops', async () => {
    const waiters = new CheckpointWaiters(numeric);
    await expect(waiters.waitFor('1', 5)).rejects.toBeInstanceOf(WaitTimeoutError);
    const stopped = waiters.waitFor('2', 1000);
    const failure = new Error('boom');
    waiters.stop(failure);
    await expect(stopped).rejects.toMatchObject({ code: ReaderStoppedError.code, failure });
    await expect(waiters.waitFor('3', 1000)).rejects.toBeInstanceOf(ReaderStoppedError);
  });
});

describe('WakeSignal', () => {
  it('returns at once when woken before the wait, so no wake-up falls between a read and a sleep', async () => {
    const signal = new WakeSignal();
    signal.wake();
    const started = Date.now();
    await signal.wait(10_000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('ends a wait early when woken, and otherwise after the interval', async () => {
    const signal = new WakeSignal();
    const waiting = signal.wait(10_000);
    signal.wake();
    await expect(waiting).resolves.toBeUndefined();
    const started = Date.now();
    await signal.wait(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
