import {
  type AssessmentContext,
  type AssessmentEvent,
  type AssessmentState,
  decideAssessment,
  effectiveAnswers,
  evolveAssessment,
  initialAssessmentState,
  type PartRecalculation,
  type StartedAssessment,
} from '@tieuchi/assessment/domain';
import {
  type CriterionAnswer,
  evolveFramework,
  type FrameworkDefinition,
  type FrameworkEvent,
  type FrameworkState,
  findTier,
  frameworkVersion,
  initialFrameworkState,
  criterionCodes,
  scorePart,
} from '@tieuchi/framework/domain';
import { frameworkStreamName } from '@tieuchi/framework/data-access';
import { type JobData, type JobOutcome, recalculationRuns } from '@tieuchi/recalculation/data-access';
import type { CommandExecutor } from '@tieuchi/shared/application';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { DomainError } from '@tieuchi/shared/kernel';
import type { JobAttempt } from '../../job-queue/job-queue.port';

export const RECALCULATION_ACTOR = 'system:recalculation';

const systemContext = (framework: FrameworkDefinition): AssessmentContext => ({
  actor: { id: RECALCULATION_ACTOR, roles: ['system'], unitCodes: [] },
  framework,
  appealWindowEndsAt: null,
});

/** Part totals and levels of one assessment under a framework version: the score that is ranked. */
export function scoreAssessment(framework: FrameworkDefinition, tier: string, answers: ReadonlyMap<string, CriterionAnswer>) {
  const tierDefinition = findTier(framework, tier);
  if (!tierDefinition) throw new DomainError('RECALCULATION.UNKNOWN_TIER', 'conflict', `Framework ${framework.id} v${framework.version} has no tier ${tier}`);
  // A removed criterion's answer stays in the stream; it simply no longer scores.
  const known = criterionCodes(framework);
  const kept = new Map([...answers].filter(([code]) => known.has(code)));
  return tierDefinition.parts.map((part) => scorePart(framework, tier, part.code, kept));
}

export function recalculateParts(state: StartedAssessment, from: FrameworkDefinition, to: FrameworkDefinition): PartRecalculation[] {
  const answers = effectiveAnswers(state);
  const before = new Map(scoreAssessment(from, state.tier, answers).map((part) => [part.partCode, part]));
  return scoreAssessment(to, state.tier, answers).map((after) => {
    const old = before.get(after.partCode);
    // `score` (rescaled where the framework rescales) is what is banded and ranked.
    return { partCode: after.partCode, oldTotal: old?.score ?? 0, newTotal: after.score, oldLevel: old?.level ?? null, newLevel: after.level };
  });
}

/**
 * Recomputes one assessment under the version its period now pins and appends ScoresRecalculated
 * through the executor. Idempotent: the event's id derives from the job id, and an assessment
 * that already records this cause (or a later version) is left as it is.
 */
export class RecalculateAssessmentProcessor {
  private readonly frameworks = new Map<string, FrameworkDefinition>();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly database: SqlClient,
  ) {}

  async process(job: JobAttempt): Promise<JobOutcome> {
    const base = { jobId: job.jobId, runId: job.data.runId, streamName: job.data.streamName, attempts: job.attempt };
    try {
      const outcome = await this.recalculate(job.jobId, job.data);
      await recalculationRuns.settleJob(this.database, { ...base, status: 'done', outcome, error: null });
      return outcome;
    } catch (error) {
      if (job.finalAttempt) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        await recalculationRuns.settleJob(this.database, { ...base, status: 'failed', outcome: null, error: message }).catch(() => undefined);
      }
      throw error;
    }
  }

  private async recalculate(jobId: string, data: JobData<'recalculate-assessment'>): Promise<JobOutcome> {
    // loadState keeps the fold, so the execute below reads only what was appended since.
    const { state } = await this.executor.loadState<AssessmentState, AssessmentEvent>(data.streamName, initialAssessmentState, evolveAssessment);
    if (state.status === 'not_started') {
      throw new DomainError('RECALCULATION.ASSESSMENT_NOT_FOUND', 'not_found', `There is no assessment ${data.streamName}`);
    }
    const skip = skipReason(state, data);
    if (skip) return skip;
    const from = await this.framework(state.framework.id, state.framework.version);
    const to = await this.framework(data.frameworkId, data.toVersion);
    let outcome: JobOutcome = 'recalculated';
    await this.executor.execute<AssessmentState, AssessmentEvent>(
      {
        streamName: data.streamName,
        initialState: initialAssessmentState,
        evolve: evolveAssessment,
        decide: (current, metadata) => {
          // Checked again on the state the append will expect: a racing worker may have just recorded it.
          const raced = current.status === 'not_started' ? null : skipReason(current, data);
          if (raced) {
            outcome = raced;
            return [];
          }
          const parts = current.status === 'not_started' ? [] : recalculateParts(current, from, to);
          return decideAssessment({ type: 'RecordScoresRecalculated', data: { cause: data.cause, parts }, metadata }, current, systemContext(to));
        },
      },
      { actor: RECALCULATION_ACTOR, correlationId: data.runId, idempotencyKey: jobId },
    );
    return outcome;
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

function skipReason(state: StartedAssessment, data: JobData<'recalculate-assessment'>): JobOutcome | null {
  if (state.recalculations.some((r) => r.cause.sourceEventId === data.cause.sourceEventId)) return 'already_recorded';
  if (state.framework.id === data.frameworkId && state.framework.version >= data.toVersion) return 'superseded';
  return null;
}
