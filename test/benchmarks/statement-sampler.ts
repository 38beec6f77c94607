import { Client } from 'pg';

/**
 * What the database is busy with: its active statements sampled every 100 ms, counted by their
 * first words, so the busiest read model writes show without a server extension.
 */
export class StatementSampler {
  private readonly client: Client;
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private timer: NodeJS.Timeout | null = null;
  private connected: Promise<void> | null = null;

  constructor(
    connectionString: string,
    private readonly databaseName: string,
  ) {
    this.client = new Client({ connectionString });
  }

  start(): void {
    this.connected = this.client.connect().then(() => undefined);
    const tick = async (): Promise<void> => {
      await this.connected;
      const { rows } = await this.client.query<{ query: string; wait: string | null }>(
        `SELECT query, wait_event_type || ':' || wait_event AS wait FROM pg_stat_activity
         WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`,
        [this.databaseName],
      );
      this.samples += 1;
      for (const row of rows) {
        const key = `${row.wait ?? 'cpu'} ${row.query.replace(/\s+/g, ' ').trim().slice(0, 110)}`;
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      }
      this.timer = setTimeout(() => void tick().catch(() => undefined), 100);
    };
    void tick().catch(() => undefined);
  }

  async stop(): Promise<string[]> {
    if (this.timer) clearTimeout(this.timer);
    await this.client.end().catch(() => undefined);
    const top = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, 25);
    return [`busiest statements over ${this.samples} samples (share of samples in which one was active):`, ...top.map(([key, n]) => `${((n / Math.max(1, this.samples)) * 100).toFixed(0).padStart(4)} % ${key}`)];
  }
}
