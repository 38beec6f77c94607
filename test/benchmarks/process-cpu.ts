import { readdirSync, readFileSync } from 'node:fs';

/** User + system CPU seconds of a process; null without Linux's /proc. */
export function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in USER_HZ (100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** CPU seconds of each process whose command name is `command` (e.g. every PostgreSQL backend), by pid. */
export function cpuSecondsByPid(command: string): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === command) seconds.set(Number(entry), cpuSecondsOf(Number(entry)) ?? 0);
    } catch {
      // The process ended while the list was read.
    }
  }
  return seconds;
}

/**
 * CPU the processes of one command used between two cpuSecondsByPid() snapshots: a process started
 * in between counts from zero; one that ended in between is not seen at the end and counts nothing.
 */
export function cpuSecondsBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/**
 * Busy CPU seconds of the whole machine, over all CPUs (user, nice, system, interrupts; not idle,
 * iowait or the time the hypervisor gave to other machines); null without /proc.
 */
export function machineBusySeconds(): number | null {
  try {
    const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = ticks;
    return (user + nice + system + irq + softirq) / 100;
  } catch {
    return null;
  }
}

/**
 * Seconds the main thread of a process has spent runnable but waiting for a CPU (Linux schedstat:
 * time on a run queue); null without it. On a machine shared by several busy processes this is
 * the part of a latency that no code in the process can account for.
 */
export function runQueueSecondsOf(pid: number | undefined): number | null {
  try {
    const [, waitingNs] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    return waitingNs === undefined || Number.isNaN(waitingNs) ? null : waitingNs / 1e9;
  } catch {
    return null;
  }
}
