import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), in one registry served at /metrics. Names follow
 * the Prometheus conventions (`_seconds`, `_total`); labels stay few and bounded: routes are the
 * registered patterns, never raw paths.
 */
export const metricsRegistry = new Registry();

// Event-loop delay (nodejs_eventloop_lag_*), GC durations by kind (nodejs_gc_duration_seconds),
// heap, RSS, handles and CPU come from prom-client's default collectors.
collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 20 });

const latencyBuckets = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestsTotal = new Counter({
  name: 'tieuchi_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'tieuchi_http_request_duration_seconds',
  help: 'Time from the request arriving until its answer was written, by method, route pattern and status class',
  labelNames: ['method', 'route', 'status_class'] as const,
  buckets: latencyBuckets,
  registers: [metricsRegistry],
});

export const commandOutcomesTotal = new Counter({
  name: 'tieuchi_command_outcomes_total',
  help: 'Commands (POST/PUT/PATCH/DELETE) by route pattern and outcome: OK or the problem code answered (e.g. ASSESSMENT.ALREADY_SUBMITTED, UNAVAILABLE)',
  labelNames: ['route', 'code'] as const,
  registers: [metricsRegistry],
});

export const eventStoreAppendDuration = new Histogram({
  name: 'tieuchi_event_store_append_duration_seconds',
  help: 'Event store appends of the command executor, from the call until the commit was acknowledged, by outcome (ok, conflict, error)',
  labelNames: ['outcome'] as const,
  buckets: latencyBuckets,
  registers: [metricsRegistry],
});

export const jobOutcomesTotal = new Counter({
  name: 'tieuchi_job_outcomes_total',
  help: 'Job attempts run by this process, by queue, job name and outcome (completed, failed)',
  labelNames: ['queue', 'name', 'outcome'] as const,
  registers: [metricsRegistry],
});

/** One projection's place in the feed, as read at scrape time. */
export interface ProjectionPosition {
  readonly projection: string;
  /** The schema holding its checkpoint (a rebuildable projection's live version is `<base>_v<n>`). */
  readonly schema: string;
  /** The global position the projection has applied (its checkpoint's position). */
  readonly position: number;
  /** Events in the store after it. */
  readonly lagEvents: number;
  /** Seconds between the recording of the projection's last event and of the store's newest one. */
  readonly lagSeconds: number;
}

/** Counts of one queue's jobs by state (waiting, active, delayed, failed, …). */
export interface QueueDepth {
  readonly queue: string;
  readonly counts: Readonly<Record<string, number>>;
}

type Source<T> = () => Promise<readonly T[]>;

const projectionSources = new Set<Source<ProjectionPosition>>();
const queueSources = new Set<Source<QueueDepth>>();

/** Registers what the projection gauges read at scrape time; returns its removal. */
export function addProjectionSource(source: Source<ProjectionPosition>): () => void {
  projectionSources.add(source);
  return () => projectionSources.delete(source);
}

/** Registers what the queue gauge reads at scrape time; returns its removal. */
export function addQueueSource(source: Source<QueueDepth>): () => void {
  queueSources.add(source);
  return () => queueSources.delete(source);
}

async function gather<T>(sources: ReadonlySet<Source<T>>): Promise<T[]> {
  // A scrape during a database outage still answers, without the gauges that could not be read.
  const settled = await Promise.allSettled([...sources].map((source) => source()));
  return settled.flatMap((result) => (result.status === 'fulfilled' ? [...result.value] : []));
}

let projectionScrape: Promise<ProjectionPosition[]> | null = null;

// The three projection gauges are filled by one read per scrape.
function projectionsOnce(): Promise<ProjectionPosition[]> {
  projectionScrape ??= gather(projectionSources).finally(() => setTimeout(() => (projectionScrape = null), 0));
  return projectionScrape;
}

export const projectionPosition = new Gauge({
  name: 'tieuchi_projection_position',
  help: 'Global position of the last event each projection has applied',
  labelNames: ['projection', 'schema'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const row of await projectionsOnce()) this.set({ projection: row.projection, schema: row.schema }, row.position);
  },
});

export const projectionLagEvents = new Gauge({
  name: 'tieuchi_projection_lag_events',
  help: 'Events in the store that each projection has not applied yet',
  labelNames: ['projection', 'schema'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const row of await projectionsOnce()) this.set({ projection: row.projection, schema: row.schema }, row.lagEvents);
  },
});

export const projectionLagSeconds = new Gauge({
  name: 'tieuchi_projection_lag_seconds',
  help: 'How far behind the newest event each projection is, in recording time',
  labelNames: ['projection', 'schema'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const row of await projectionsOnce()) this.set({ projection: row.projection, schema: row.schema }, row.lagSeconds);
  },
});

export const queueJobs = new Gauge({
  name: 'tieuchi_queue_jobs',
  help: 'Jobs in each queue by state (waiting, active, delayed, completed, failed, prioritized, paused)',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const depth of await gather(queueSources)) {
      for (const [state, count] of Object.entries(depth.counts)) this.set({ queue: depth.queue, state }, count);
    }
  },
});
