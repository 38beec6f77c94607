import { assessmentStreamId } from '@tieuchi/assessment/domain';
import { applyDaknongSteps, DAKNONG_2019, DAKNONG_FRAMEWORK_ID, daknongCommands, loadDaknongDemoInput } from '@tieuchi/demo/daknong';
import {
  decideFramework,
  evolveFramework,
  type FrameworkAmendment,
  type FrameworkCommand,
  type FrameworkDefinition,
  type FrameworkEvent,
  type FrameworkState,
  initialFrameworkState,
} from '@tieuchi/framework/domain';
import { frameworkStreamName } from '@tieuchi/framework/data-access';
import { decidePeriod, evolvePeriod, initialPeriodState, type PeriodCommand, type PeriodEvent, type PeriodState } from '@tieuchi/period/domain';
import { periodStreamName } from '@tieuchi/period/data-access';
import { CommandExecutor, type CommandOutcome, systemClock } from '@tieuchi/shared/application';
import type { RunProgress } from '@tieuchi/recalculation/data-access';
import type { EventStore, SqlClient } from '@tieuchi/shared/event-store';
import { InProcessJobQueue } from '../lib/job-queue/in-process-job-queue';
import { RecalculationRuntime } from '../lib/recalculation.runtime';
import { v5 as uuidV5 } from 'uuid';

export const PERIOD_ID = DAKNONG_2019.periodId;
export const FRAMEWORK_ID = DAKNONG_FRAMEWORK_ID;
const idNamespace = '0b7f9c3e-2a41-4d7e-9f0a-6c1d2e3f4a5b';

export interface SeededPeriod {
  readonly framework: FrameworkDefinition;
  /** Assessment stream names, all approved (and published when asked). */
  readonly streams: readonly string[];
  /** The units assessed, one per stream (the seed registers no unit: a test that wants them named registers them). */
  readonly unitCodes: readonly string[];
}

/**
 * Writes Đắk Nông 2019 (the framework, the period and the assessments of `units` units, all
 * approved, played through the real deciders) into the store, one append per stream.
 */
export async function seedDaknong2019(eventStore: EventStore, options: { units: number; published?: boolean }): Promise<SeededPeriod> {
  const input = loadDaknongDemoInput();
  const steps = daknongCommands(input);
  const assessed = [...new Set(steps.filter((s) => s.kind === 'assessment' && s.periodId === PERIOD_ID).map((s) => s.streamId))].slice(0, options.units);
  const keep = new Set([frameworkStreamName(FRAMEWORK_ID), periodStreamName(PERIOD_ID), ...assessed]);
  const published = options.published ?? false;
  const history = applyDaknongSteps(
    steps.filter((s) => keep.has(s.streamId) && (published || (s.command.type !== 'PublishPeriod' && s.command.type !== 'PublishAssessment'))),
  );
  for (const [streamName, events] of history.streams) {
    await eventStore.appendToStream(
      streamName,
      events.map((e) => ({ id: uuidV5(e.eventId, idNamespace), type: e.event.type, data: e.event.data, metadata: e.metadata })),
      { expectedVersion: 'no_stream' },
    );
  }
  return { framework: input.framework, streams: assessed, unitCodes: assessed.map((stream) => stream.slice(assessmentStreamId(PERIOD_ID, '').length)) };
}

/** Drives framework and period commands through the executor, as the admin routes do. */
export function adminCommands(eventStore: EventStore, actor = 'admin@daknong') {
  const executor = new CommandExecutor(eventStore, systemClock);
  const context = { actor, correlationId: 'recalculation-test' };
  return {
    framework: (command: Pick<FrameworkCommand, 'type' | 'data'>): Promise<CommandOutcome<FrameworkEvent>> =>
      executor.execute<FrameworkState, FrameworkEvent>(
        {
          streamName: frameworkStreamName(FRAMEWORK_ID),
          initialState: initialFrameworkState,
          evolve: evolveFramework,
          decide: (s, metadata) => decideFramework({ ...command, metadata } as FrameworkCommand, s),
        },
        context,
      ),
    period: (command: Pick<PeriodCommand, 'type' | 'data'>): Promise<CommandOutcome<PeriodEvent>> =>
      executor.execute<PeriodState, PeriodEvent>(
        {
          streamName: periodStreamName(PERIOD_ID),
          initialState: initialPeriodState,
          evolve: evolvePeriod,
          decide: (s, metadata) => decidePeriod({ ...command, metadata } as PeriodCommand, s),
        },
        context,
      ),
    amend: (amendment: FrameworkAmendment) => adminCommands(eventStore, actor).framework({ type: 'AmendFramework', data: { frameworkId: FRAMEWORK_ID, amendment } }),
    pin: (version: number, decisionRef = '12/QĐ-UBND') =>
      adminCommands(eventStore, actor).period({
        type: 'PinFrameworkVersion',
        data: { periodId: PERIOD_ID, frameworkId: FRAMEWORK_ID, version, cause: 'Điều chỉnh ngưỡng mức', decisionRef },
      }),
  };
}

/** Lowers every band of the district readiness part by `points`: a threshold amendment. */
export function lowerDistrictReadiness(framework: FrameworkDefinition, points: number, decisionReference = '12/QĐ-UBND'): FrameworkAmendment {
  const part = framework.tiers.find((t) => t.tier === 'district')?.parts.find((p) => p.code === 'readiness');
  if (!part) throw new Error('no district readiness part');
  return {
    cause: 'Điều chỉnh ngưỡng mức',
    decisionReference,
    changes: [{ kind: 'levels_changed', tier: 'district', partCode: 'readiness', levels: part.levels.map(({ provisional: _provisional, ...band }) => ({ ...band, minScore: band.minScore - points })) }],
  };
}

/**
 * The run's progress once no job is queued: a job that appends is settled by the dispatcher when it
 * sees the event in the feed, a moment after the queue has gone idle.
 */
export async function settledRun(runtime: { progress(runId: string): Promise<RunProgress> }, runId: string, timeoutMs = 10_000): Promise<RunProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await runtime.progress(runId);
    if (progress.queued === 0) return progress;
    if (Date.now() > deadline) throw new Error(`run ${runId} still has ${progress.queued} queued jobs: ${JSON.stringify(progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts a recalculation runtime on an in-process queue with fast retries and adds it to `started`,
 * so the spec's afterEach stops it.
 */
export async function startEmbeddedRuntime(
  started: RecalculationRuntime[],
  stores: { readonly eventStore: EventStore; readonly database: SqlClient },
  options: { readonly worker?: boolean; readonly dispatcher?: boolean } = {},
): Promise<{ runtime: RecalculationRuntime; queue: InProcessJobQueue }> {
  const queue = new InProcessJobQueue({ attempts: 3, backoffDelayMs: 50 });
  const runtime = new RecalculationRuntime({ ...stores, queue, pollIntervalMs: 50, ...options });
  started.push(runtime);
  await runtime.start();
  return { runtime, queue };
}
