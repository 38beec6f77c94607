import {
  type AssessmentContext,
  type AssessmentEvent,
  type AssessmentState,
  decideScoresRecalculated,
  evolveAssessment,
  initialAssessmentState,
  type PartFigures,
  type PartRecalculation,
  type ScoresRecalculated,
  type ScoringInputs,
  factsOf,
} from '@tieuchi/assessment/domain';
import {
  type CriterionAnswer,
  evolveFramework,
  type FrameworkDefinition,
  type FrameworkEvent,
  type FrameworkState,
  findPart,
  findTier,
  frameworkVersion,
  initialFrameworkState,
  criterionCodes,
  levelFor,
  type PartScore,
  scorePart,
} from '@tieuchi/framework/domain';
import { frameworkStreamName } from '@tieuchi/framework/data-access';
import { type JobData, type JobOutcome, type KeptScoringInputs, recalculationRuns, type RunTarget } from '@tieuchi/recalculation/data-access';
import { CONCURRENT_WRITE, type CommandExecutor } from '@tieuchi/shared/application';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { assertNever, DomainError, isDomainError } from '@tieuchi/shared/kernel';
import type { JobAttempt, JobQueue } from '../../job-queue/job-queue.port';

export const RECALCULATION_ACTOR = 'system:recalculation';

const systemContext = (framework: FrameworkDefinition): AssessmentContext => ({
  actor: { id: RECALCULATION_ACTOR, roles: ['system'], unitCodes: [] },
  framework,
  appealWindowEndsAt: null,
  period: null,
});

/** Part totals and levels of one assessment under a framework version: the score that is ranked. */
export function scoreAssessment(framework: FrameworkDefinition, tier: string, answers: ReadonlyMap<string, CriterionAnswer>) {
  const tierDefinition = findTier(framework, tier);
  if (!tierDefinition) throw new DomainError('RECALCULATION.UNKNOWN_TIER', 'conflict', `Framework ${framework.id} v${framework.version} has no tier ${tier}`);
  // A removed criterion's answer stays in the stream; it simply no longer scores.
  const known = criterionCodes(framework);
  const scored = everyKnown(answers, known) ? answers : new Map([...answers].filter(([code]) => known.has(code)));
  return tierDefinition.parts.map((part) => scorePart(framework, tier, part.code, scored));
}

function everyKnown(answers: ReadonlyMap<string, unknown>, known: ReadonlySet<string>): boolean {
  for (const code of answers.keys()) if (!known.has(code)) return false;
  return true;
}

/** A framework with its level bands left out: what scores answers, as opposed to what bands the scores. */
function scoringShapeOf(framework: FrameworkDefinition): string {
  const { id: _id, version: _version, title: _title, tiers, ...rules } = framework;
  return JSON.stringify([rules, tiers.map(({ parts, ...tier }) => [tier, parts.map(({ levels: _levels, ...part }) => part)])]);
}

const levelsOnlyPairs = new WeakMap<FrameworkDefinition, WeakMap<FrameworkDefinition, boolean>>();

/**
 * True when two versions score every answer alike and differ at most in their level bands, as
 * after a threshold amendment. Remembered per pair of definitions (each job of a run asks again).
 */
export function differOnlyInLevels(from: FrameworkDefinition, to: FrameworkDefinition): boolean {
  let known = levelsOnlyPairs.get(from);
  if (!known) levelsOnlyPairs.set(from, (known = new WeakMap()));
  let answer = known.get(to);
  if (answer === undefined) known.set(to, (answer = scoringShapeOf(from) === scoringShapeOf(to)));
  return answer;
}

export function recalculateParts(inputs: ScoringInputs, from: FrameworkDefinition, to: FrameworkDefinition): PartRecalculation[] {
  const answers = new Map(Object.entries(inputs.answers));
  // A threshold amendment moves no score, only levels: score once and band the same figures under both versions.
  if (differOnlyInLevels(from, to)) return scoreAssessment(from, inputs.tier, answers).map((part) => rebanded(part, to, inputs.tier));
  const before = new Map(scoreAssessment(from, inputs.tier, answers).map((part) => [part.partCode, part]));
  return scoreAssessment(to, inputs.tier, answers).map((after) => {
    const old = before.get(after.partCode);
    // `score` (rescaled where the framework rescales) is what is banded and ranked.
    return {
      partCode: after.partCode,
      oldTotal: old?.score ?? 0,
      newTotal: after.score,
      oldLevel: old?.level ?? null,
      newLevel: after.level,
      newFigures: figuresOf(after),
    };
  });
}

/** What a recalculation records of a part beside its score and level: enough to band it anew without the answers. */
export const figuresOf = (part: PartScore): PartFigures => ({
  maxPoints: part.maxPoints,
  total: part.total,
  excludedPoints: part.excludedPoints,
  unanswered: part.unanswered.length,
  groupShares: part.groups.map(({ code, share }) => ({ code, share })),
});

function rebanded(part: PartScore, to: FrameworkDefinition, tier: string): PartRecalculation {
  const definition = findPart(to, tier, part.partCode);
  if (!definition) throw new DomainError('RECALCULATION.UNKNOWN_PART', 'conflict', `Framework ${to.id} v${to.version} has no part ${tier}/${part.partCode}`);
  return {
    partCode: part.partCode,
    oldTotal: part.score,
    newTotal: part.score,
    oldLevel: part.level,
    newLevel: levelFor(definition, part.score, part.groups),
    newFigures: figuresOf(part),
  };
}

/**
 * The parts last recorded, banded under `to`: a threshold amendment moves no score, so while no
 * answer followed that recalculation its figures are what scoring the answers under `from` gives,
 * and the answers need not be read. Null where that does not hold: nothing recorded (or recorded
 * without figures), an amendment that changes how answers score, or a band of `to` with group
 * minimums where the recorded part has no group shares.
 */
export function bandedAnew(recorded: readonly PartRecalculation[] | null, tier: string, from: FrameworkDefinition, to: FrameworkDefinition): PartRecalculation[] | null {
  if (!recorded || !differOnlyInLevels(from, to)) return null;
  const parts = findTier(to, tier)?.parts;
  if (!parts || parts.length !== recorded.length) return null;
  const banded: PartRecalculation[] = [];
  for (const part of parts) {
    const last = recorded.find((candidate) => candidate.partCode === part.code);
    const shares = last?.newFigures?.groupShares;
    if (!last?.newFigures || (!shares && part.levels.some((band) => Object.keys(band.minGroupShares ?? {}).length > 0))) return null;
    banded.push({ partCode: part.code, oldTotal: last.newTotal, newTotal: last.newTotal, oldLevel: last.newLevel, newLevel: levelFor(part, last.newTotal, shares), newFigures: last.newFigures });
  }
  return banded;
}

/** What a recalculation reads of an assessment; the answers only where it scores them (null when not read). */
type RecalculationInputs = KeptScoringInputs['inputs'] & { readonly answers: ScoringInputs['answers'] | null };

/** Settled by the dispatcher when it reads the appended event in the feed: one write per dispatcher batch, not per job. */
const settledFromTheFeed = (outcome: JobOutcome): boolean => outcome === 'recalculated';

/**
 * Recomputes assessments under the version their period now pins and appends ScoresRecalculated
 * through the executor: a batch of a run at once (its kept inputs read together, its appends
 * grouped by the store), or one assessment alone. Idempotent: each event's id derives from the
 * assessment's job id, and an assessment that already records this cause (or a later version) is
 * left as it is.
 */
export class RecalculateAssessmentProcessor {
  private readonly frameworks = new Map<string, FrameworkDefinition>();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly database: SqlClient,
    /** Takes the assessments that failed in their batch, as jobs of their own. */
    private readonly queue: Pick<JobQueue, 'enqueue'>,
  ) {}

  /** Runs a job of either kind: what a queue worker calls. */
  async run(job: JobAttempt): Promise<void> {
    switch (job.name) {
      case 'recalculate-batch':
        await this.processBatch(job);
        return;
      case 'recalculate-assessment':
        await this.process(job);
        return;
      default:
        assertNever(job, 'job');
    }
  }

  /**
   * Every assessment of the batch on its own, side by side: one that fails is handed to the queue
   * as a job of its own (retried with backoff, reported alone) and the batch still completes. The
   * batch fails, and is redelivered whole, only when that hand-over or the common read fails;
   * what its assessments appended then is recognised and not appended again.
   */
  async processBatch(job: Extract<JobAttempt, { name: 'recalculate-batch' }>): Promise<BatchOutcome> {
    const { assessments, ...target } = job.data;
    const jobs = assessments.map(({ jobId, ...assessment }) => ({ jobId, data: { ...target, ...assessment } }));
    const ended = new Map<string, JobOutcome | Error>();
    try {
      const kept = await this.keptInputs(target, assessments.map((a) => a.streamName));
      await Promise.all(
        jobs.map(async ({ jobId, data }) => {
          try {
            ended.set(jobId, await this.recalculate(jobId, data, kept.get(data.streamName)));
          } catch (error) {
            ended.set(jobId, error instanceof Error ? error : new Error(String(error)));
          }
        }),
      );
      const skipped = jobs.flatMap(({ jobId, data }) => {
        const outcome = ended.get(jobId);
        return typeof outcome === 'string' && !settledFromTheFeed(outcome)
          ? [{ jobId, runId: data.runId, streamName: data.streamName, status: 'done' as const, outcome, error: null, attempts: job.attempt }]
          : [];
      });
      await recalculationRuns.settleJobs(this.database, skipped);
      const failed = jobs.filter(({ jobId }) => ended.get(jobId) instanceof Error);
      await this.queue.enqueue(failed.map(({ jobId, data }) => ({ jobId, name: 'recalculate-assessment' as const, data: { ...data, attemptsBefore: job.attempt } })));
      return { recalculated: jobs.length - skipped.length - failed.length, skipped: skipped.length, handedOn: failed.length };
    } catch (error) {
      // Without another attempt, the assessments that did not end well are failed, each with its
      // error, until retried by command.
      if (job.finalAttempt) {
        const unsettled = jobs.filter(({ jobId }) => {
          const outcome = ended.get(jobId);
          return outcome === undefined || outcome instanceof Error;
        });
        await recalculationRuns
          .settleJobs(
            this.database,
            unsettled.map(({ jobId, data }) => ({
              jobId,
              runId: data.runId,
              streamName: data.streamName,
              status: 'failed' as const,
              outcome: null,
              error: errorMessage(ended.get(jobId) ?? error),
              attempts: job.attempt,
            })),
          )
          .catch(() => undefined);
      }
      throw error;
    }
  }

  async process(job: Extract<JobAttempt, { name: 'recalculate-assessment' }>): Promise<JobOutcome> {
    const attempts = (job.data.attemptsBefore ?? 0) + job.attempt;
    const base = { jobId: job.jobId, runId: job.data.runId, streamName: job.data.streamName, attempts };
    try {
      const held = await this.keptInputs(job.data, [job.data.streamName]);
      const outcome = await this.recalculate(job.jobId, job.data, held.get(job.data.streamName));
      if (!settledFromTheFeed(outcome)) await recalculationRuns.settleJobs(this.database, [{ ...base, status: 'done', outcome, error: null }]);
      return outcome;
    } catch (error) {
      if (job.finalAttempt) {
        await recalculationRuns.settleJobs(this.database, [{ ...base, status: 'failed', outcome: null, error: errorMessage(error) }]).catch(() => undefined);
      }
      throw error;
    }
  }

  /**
   * The kept inputs of these assessments in one read, then, in a second, the answers of those whose
   * recorded parts cannot simply be banded anew (every one, unless the amendment moves only levels).
   */
  private async keptInputs(target: RunTarget, streamNames: readonly string[]): Promise<Map<string, { inputs: RecalculationInputs; streamVersion: number }>> {
    const kept = await recalculationRuns.keptScoringInputs(this.database, target.periodId, streamNames);
    const scored = new Map<string, number>();
    for (const [streamName, { inputs, streamVersion }] of kept) {
      // A framework that cannot be loaded fails the assessment's own recalculation, not this read.
      const banded = skipReason(inputs, target) !== null || (await this.recordedPartsBanded(inputs, target).catch(() => null)) !== null;
      if (!banded) scored.set(streamName, streamVersion);
    }
    const answers = await recalculationRuns.keptAnswers(this.database, scored);
    return new Map([...kept].map(([streamName, { inputs, streamVersion }]) => [streamName, { inputs: { ...inputs, answers: answers.get(streamName) ?? null }, streamVersion }]));
  }

  private async recordedPartsBanded(inputs: KeptScoringInputs['inputs'], target: RunTarget): Promise<PartRecalculation[] | null> {
    if (!inputs.recalculatedParts) return null;
    const from = await this.framework(inputs.framework.id, inputs.framework.version);
    const to = await this.framework(target.frameworkId, target.toVersion);
    return bandedAnew(inputs.recalculatedParts, inputs.tier, from, to);
  }

  private async recalculate(jobId: string, data: JobData<'recalculate-assessment'>, kept: { inputs: RecalculationInputs; streamVersion: number } | undefined): Promise<JobOutcome> {
    if (kept) {
      const outcome = await this.recalculateOn(jobId, data, kept.inputs, kept.streamVersion);
      if (outcome) return outcome;
    }
    // Nothing kept (an assessment the dispatcher passed before it kept inputs), or the stream moved
    // past what was kept: fold the stream itself.
    const { state, version } = await this.executor.loadState<AssessmentState, AssessmentEvent>(data.streamName, initialAssessmentState, evolveAssessment);
    if (state.status === 'not_started') {
      throw new DomainError('RECALCULATION.ASSESSMENT_NOT_FOUND', 'not_found', `There is no assessment ${data.streamName}`);
    }
    const outcome = await this.recalculateOn(jobId, data, factsOf(state), version);
    // A stream that moves while it is recalculated is retried by the queue, with backoff.
    if (!outcome) throw new DomainError(CONCURRENT_WRITE, 'conflict', `${data.streamName} changed while it was recalculated`);
    return outcome;
  }

  /**
   * Scores the inputs as they were at `streamVersion` (or bands anew the parts they record) and
   * appends expecting that version: the decision reads nothing else, so if the stream is still there
   * the result is the one a full fold gives. Null when the stream has moved on (the append was
   * refused; nothing was written) or the answers it needs were not read with the inputs.
   */
  private async recalculateOn(jobId: string, data: JobData<'recalculate-assessment'>, inputs: RecalculationInputs, streamVersion: number): Promise<JobOutcome | null> {
    // Both only ever become true as a stream grows, so inputs kept at any earlier version may say so.
    const skip = skipReason(inputs, data);
    if (skip) return skip;
    const from = await this.framework(inputs.framework.id, inputs.framework.version);
    const to = await this.framework(data.frameworkId, data.toVersion);
    const parts = bandedAnew(inputs.recalculatedParts, inputs.tier, from, to) ?? (inputs.answers && recalculateParts({ ...inputs, answers: inputs.answers }, from, to));
    if (!parts) return null;
    try {
      await this.executor.executeOn<RecalculationInputs, ScoresRecalculated>(
        {
          streamName: data.streamName,
          decide: (current, metadata) => decideScoresRecalculated({ type: 'RecordScoresRecalculated', data: { cause: data.cause, parts }, metadata }, current, systemContext(to)),
        },
        { state: inputs, version: streamVersion },
        { actor: RECALCULATION_ACTOR, correlationId: data.runId, idempotencyKey: jobId },
      );
      return 'recalculated';
    } catch (error) {
      if (isDomainError(error) && error.code === CONCURRENT_WRITE) return null;
      throw error;
    }
  }

  private async framework(frameworkId: string, version: number): Promise<FrameworkDefinition> {
    const key = `${frameworkId}@${version}`;
    const cached = this.frameworks.get(key);
    if (cached) return cached;
    const { state } = await this.executor.load<FrameworkState, FrameworkEvent>(frameworkStreamName(frameworkId), initialFrameworkState, evolveFramework);
    const definition = frameworkVersion(state, version);
    if (!definition) throw new DomainError('FRAMEWORK.NOT_FOUND', 'not_found', `Framework ${frameworkId} has no published version ${version}`);
    this.frameworks.set(key, definition);
    return definition;
  }
}

/** What a batch came to: appended, skipped (nothing to do), handed on as jobs of their own. */
export interface BatchOutcome {
  readonly recalculated: number;
  readonly skipped: number;
  readonly handedOn: number;
}

/** Led by the stable code when there is one, for a screen to explain the failure in its own language. */
const errorMessage = (error: unknown): string =>
  isDomainError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? `${error.name}: ${error.message}` : String(error);

function skipReason(inputs: Pick<ScoringInputs, 'framework' | 'recalculatedBy'>, data: RunTarget): JobOutcome | null {
  const source = data.cause.sourceEventId;
  if (source !== null && inputs.recalculatedBy.includes(source)) return 'already_recorded';
  if (inputs.framework.id === data.frameworkId && inputs.framework.version >= data.toVersion) return 'superseded';
  return null;
}
