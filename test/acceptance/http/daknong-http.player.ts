import { samplePdf } from '@tieuchi/shared/evidence-storage/testing';
import type { AssessmentActor, AssessmentCommand } from '@tieuchi/assessment/domain';
import type { DaknongStep } from '@tieuchi/demo/daknong';
import type { FrameworkCommand } from '@tieuchi/framework/domain';
import type { PeriodCommand } from '@tieuchi/period/domain';
import type { Principal } from '@tieuchi/shared/auth';
import type { UnitCommand } from '@tieuchi/unit/domain';
import { principalOf } from './demo-principal.mapper';
import type { ApiAnswer, HttpApiClient } from './http-api.client';

type AssessmentStep = Extract<DaknongStep, { kind: 'assessment' }>;

/** The part of the workflow a command belongs to: every form finishes one before anyone starts the next. */
const PHASE_OF: Readonly<Record<AssessmentCommand['type'], string>> = {
  StartAssessment: 'self-assessment',
  ScoreCriterion: 'self-assessment',
  MarkCriterionNotApplicable: 'self-assessment',
  SubmitAssessment: 'self-assessment',
  WithdrawSubmission: 'self-assessment',
  StartReview: 'review',
  AcceptCriterion: 'review',
  AdjustCriterion: 'review',
  ReturnAssessment: 'review',
  ResubmitAssessment: 'review',
  CompleteReview: 'review',
  ApproveAssessment: 'approval',
  SendBack: 'approval',
  ReopenReview: 'review',
  PublishAssessment: 'publication',
  AppealAssessment: 'appeal',
  ResolveAppeal: 'appeal',
  RecordScoresRecalculated: 'recalculation',
};

/** One run of consecutive steps that may proceed form by form in parallel. */
interface Segment {
  readonly label: string;
  readonly steps: DaknongStep[];
}

export interface SegmentTiming {
  readonly label: string;
  readonly steps: number;
  readonly requests: number;
  readonly ms: number;
}

export interface PlayReport {
  /** Commands sent as HTTP requests, one POST each. */
  readonly commandsSent: number;
  /** Commands the API carries out itself (PublishAssessment, by the period publication process), checked by reading. */
  readonly commandsObserved: number;
  readonly requests: number;
  readonly totalMs: number;
  readonly segments: readonly SegmentTiming[];
  /** The position of the last command that answered one, for waiting on the projections. */
  readonly lastCheckpoint: string | null;
}

export interface PlayerOptions {
  /** Forms played at the same time; each form's commands stay in order. */
  readonly concurrency: number;
  /** How long a read may wait for a projection or a process to catch up. */
  readonly readTimeoutMs: number;
  /**
   * The server's clock, set to each command's time of the record before it is sent: deadlines and
   * appeal windows are judged at the moment the record says the command was given.
   */
  readonly clock?: { set(instant: string): void };
}

interface CommandAnswerBody {
  readonly events: readonly string[];
  readonly position?: string | null;
}

interface AssessmentView {
  readonly status: string;
  readonly revision: number;
  readonly publishedAt: string | null;
  readonly nextActions: readonly string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function isCommandAnswer(body: unknown): body is CommandAnswerBody {
  return isObject(body) && Array.isArray(body['events']);
}

function isAssessmentView(body: unknown): body is AssessmentView {
  return isObject(body) && typeof body['status'] === 'string' && typeof body['revision'] === 'number' && Array.isArray(body['nextActions']);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Plays the Đắk Nông history through the HTTP API as its users would: each command becomes the
 * request its actor would send, with the actor's own token, an Idempotency-Key, and If-Match
 * carrying the ETag of the last answer about the same stream. Phases run in the record's order;
 * within one, different units' forms proceed in parallel.
 */
export class DaknongHttpPlayer {
  private readonly etags = new Map<string, string>();
  private readonly evidence = new Map<string, Promise<{ id: string }>>();
  private readonly bearers = new Map<string, Promise<string>>();
  private lastCheckpoint: string | null = null;
  private sent = 0;
  private observed = 0;

  constructor(
    private readonly api: HttpApiClient,
    private readonly issueBearer: (principal: Principal) => Promise<string>,
    private readonly options: PlayerOptions,
  ) {}

  async play(steps: readonly DaknongStep[]): Promise<PlayReport> {
    const started = performance.now();
    const requestsBefore = this.api.sent;
    const segments: SegmentTiming[] = [];
    for (const segment of segmentsOf(steps)) {
      const segmentStart = performance.now();
      const segmentRequests = this.api.sent;
      const forms = new Map<string, DaknongStep[]>();
      for (const step of segment.steps) forms.set(step.streamId, [...(forms.get(step.streamId) ?? []), step]);
      await inParallel([...forms.values()], this.options.concurrency, async (form) => {
        for (const step of form) await this.run(step);
      });
      segments.push({ label: segment.label, steps: segment.steps.length, requests: this.api.sent - segmentRequests, ms: performance.now() - segmentStart });
    }
    return {
      commandsSent: this.sent,
      commandsObserved: this.observed,
      requests: this.api.sent - requestsBefore,
      totalMs: performance.now() - started,
      segments,
      lastCheckpoint: this.lastCheckpoint,
    };
  }

  private run(step: DaknongStep): Promise<void> {
    this.options.clock?.set(step.command.metadata.occurredAt);
    switch (step.kind) {
      case 'unit':
        return this.runUnit(step, step.command);
      case 'framework':
        return this.runFramework(step, step.command);
      case 'period':
        return this.runPeriod(step, step.command);
      case 'assessment':
        return this.runAssessment(step);
    }
  }

  private runUnit(step: DaknongStep, command: UnitCommand): Promise<void> {
    if (command.type !== 'RegisterUnit') throw new Error(`${step.commandId}: the demo registers units only, not ${command.type}`);
    return this.send(step, '/units', command.data);
  }

  private runFramework(step: DaknongStep, command: FrameworkCommand): Promise<void> {
    switch (command.type) {
      case 'DraftFramework':
        return this.send(step, '/frameworks', command.data);
      case 'PublishFramework':
        return this.send(step, `/frameworks/${command.data.frameworkId}/publish`, { decisionReference: command.data.decisionReference });
      default:
        throw new Error(`${step.commandId}: the demo does not ${command.type}`);
    }
  }

  private runPeriod(step: DaknongStep, command: PeriodCommand): Promise<void> {
    switch (command.type) {
      case 'OpenPeriod':
        return this.send(step, '/periods', command.data);
      case 'CloseSelfAssessment':
        return this.send(step, `/periods/${command.data.periodId}/self-assessment/close`);
      case 'PublishPeriod': {
        const { periodId, decisionNumber, decisionDate } = command.data;
        return this.send(step, `/periods/${periodId}/publish`, { decisionNumber, decisionDate });
      }
      default:
        throw new Error(`${step.commandId}: the demo does not ${command.type}`);
    }
  }

  private async runAssessment(step: AssessmentStep): Promise<void> {
    const { command } = step;
    const base = `/periods/${step.periodId}/assessments/${unitOf(step)}`;
    const criterion = (code: string, verb: string) => `${base}/criteria/${encodeURIComponent(code)}/${verb}`;
    switch (command.type) {
      case 'StartAssessment':
        return this.send(step, base);
      case 'ScoreCriterion': {
        const { criterionCode, answer, evidence, explanation } = command.data;
        const files = evidence.length === 0 ? [] : [await this.evidenceOf(step, base)];
        return this.send(step, criterion(criterionCode, 'score'), { answer, evidence: files, ...(explanation !== undefined ? { explanation } : {}) });
      }
      case 'SubmitAssessment':
        return this.send(step, `${base}/submit`);
      case 'StartReview':
        return this.send(step, `${base}/review/start`);
      case 'AcceptCriterion':
        return this.send(step, criterion(command.data.criterionCode, 'accept'));
      case 'AdjustCriterion': {
        const { criterionCode, answer, reason } = command.data;
        return this.send(step, criterion(criterionCode, 'adjust'), { answer, reason });
      }
      case 'CompleteReview':
        return this.send(step, `${base}/review/complete`);
      case 'ApproveAssessment': {
        // The approver reads the reviewed form first and approves the revision it shows.
        const bearer = await this.bearerOf(step.actor);
        const view = await this.readUntil(step, base, bearer, (answer) => answer.etag === this.etags.get(step.streamId));
        if (view.status !== 'reviewed' || !view.nextActions.includes('ApproveAssessment')) {
          throw new Error(`${step.commandId}: ${step.actor.id} may not approve ${base} (${view.status}, may ${view.nextActions.join(', ') || 'nothing'})`);
        }
        if (view.revision !== command.data.revision) throw new Error(`${step.commandId}: ${base} shows revision ${view.revision}, the record approves ${command.data.revision}`);
        return this.send(step, `${base}/approve`, { revision: view.revision });
      }
      case 'PublishAssessment': {
        // Publishing the period publishes its approved assessments: the record's command is the API's own.
        const bearer = await this.bearerOf(step.actor);
        const view = await this.readUntil(step, base, bearer, (answer) => isAssessmentView(answer.body) && answer.body.status === 'published');
        if (view.publishedAt === null) throw new Error(`${step.commandId}: ${base} is published but shows no publication date`);
        this.observed += 1;
        return;
      }
      default:
        throw new Error(`${step.commandId}: the demo does not ${command.type}`);
    }
  }

  /**
   * The record names its evidence (paper documents of 2018/2019); over HTTP a form's evidence is
   * an uploaded file, so the player uploads one PDF per form and cites it wherever evidence is asked.
   */
  private evidenceOf(step: AssessmentStep, base: string): Promise<{ id: string }> {
    const known = this.evidence.get(step.streamId);
    if (known) return known;
    const uploaded = (async () => {
      const answer = await this.api.upload(`${base}/evidence`, {
        bearer: await this.bearerOf(step.actor),
        name: `Minh chứng ${unitOf(step)} ${step.periodId}.pdf`,
        bytes: samplePdf(`${step.periodId} ${unitOf(step)}`),
        contentType: 'application/pdf',
      });
      const body = answer.body as { id?: unknown } | null;
      if (answer.status !== 201 || typeof body?.id !== 'string') throw new Error(`${step.commandId}: uploading evidence answered ${answer.status} ${JSON.stringify(answer.body)}`);
      return { id: body.id };
    })();
    this.evidence.set(step.streamId, uploaded);
    return uploaded;
  }

  private async send(step: DaknongStep, path: string, body?: object): Promise<void> {
    const answer = await this.api.post(path, {
      bearer: await this.bearerOf(step.actor),
      idempotencyKey: step.commandId,
      ifMatch: this.etags.get(step.streamId) ?? null,
      ...(body !== undefined ? { body } : {}),
    });
    if ((answer.status !== 200 && answer.status !== 201) || !isCommandAnswer(answer.body) || answer.body.events.length === 0) {
      throw new Error(`${step.commandId} ${step.command.type} as ${step.actor.id}: POST ${path} answered ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    this.sent += 1;
    if (answer.etag !== null) this.etags.set(step.streamId, answer.etag);
    if (answer.body.position) this.lastCheckpoint = answer.body.position;
  }

  /** Reads the assessment until `ready` holds: its views come from projections, which trail the writes a little. */
  private async readUntil(step: DaknongStep, path: string, bearer: string, ready: (answer: ApiAnswer) => boolean): Promise<AssessmentView> {
    const deadline = performance.now() + this.options.readTimeoutMs;
    for (;;) {
      const answer = await this.api.get(path, bearer);
      if (answer.status === 200 && isAssessmentView(answer.body) && ready(answer)) return answer.body;
      if (performance.now() > deadline) {
        throw new Error(`${step.commandId}: GET ${path} as ${step.actor.id} still answers ${answer.status} ${JSON.stringify(answer.body)} (ETag ${answer.etag})`);
      }
      await sleep(50);
    }
  }

  private bearerOf(actor: AssessmentActor): Promise<string> {
    let bearer = this.bearers.get(actor.id);
    if (!bearer) {
      bearer = this.issueBearer(principalOf(actor));
      this.bearers.set(actor.id, bearer);
    }
    return bearer;
  }
}

function unitOf(step: AssessmentStep): string {
  const prefix = `assessment-${step.periodId}-`;
  if (!step.streamId.startsWith(prefix)) throw new Error(`${step.commandId}: stream ${step.streamId} is not an assessment of ${step.periodId}`);
  return step.streamId.slice(prefix.length);
}

/**
 * Cuts the record where the workflow moves on: units tier by tier (a unit is registered under its
 * registered parent), each framework and period decision alone,
 * then each period's assessment phases. Within a segment only the per-form order matters.
 */
function segmentsOf(steps: readonly DaknongStep[]): Segment[] {
  const segments: Segment[] = [];
  for (const step of steps) {
    const label =
      step.kind === 'assessment'
        ? `${step.periodId} ${PHASE_OF[step.command.type]}`
        : step.kind === 'unit'
          ? `units: ${step.command.type === 'RegisterUnit' ? step.command.data.tier : step.command.type}`
          : `${step.command.type} ${step.streamId}`;
    const last = segments.at(-1);
    const alone = step.kind === 'framework' || step.kind === 'period';
    if (last && !alone && last.label === label) last.steps.push(step);
    else segments.push({ label, steps: [step] });
  }
  return segments;
}

/** Runs `work` over the items with at most `concurrency` at once; the first failure stops the others starting. */
async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
