import {
  assessmentStreamId,
  type AssessmentActor,
  type AssessmentCommand,
} from '@tieuchi/assessment/domain';
import {
  frameworkStreamId,
  listCriteria,
  roundScore,
  scoreCriterion,
  scorePart,
  type CriterionAnswer,
  type CriterionDefinition,
  type FrameworkCommand,
  type FrameworkDefinition,
  type PartDefinition,
} from '@tieuchi/framework/domain';
import { type PeriodCommand, periodStreamId } from '@tieuchi/period/domain';
import type { MessageMetadata } from '@tieuchi/shared/kernel';
import { tierOfUnit, type UnitCommand, type UnitListRow, unitStreamId } from '@tieuchi/unit/domain';
import {
  DAKNONG_ADMINISTRATOR,
  DAKNONG_APPROVER,
  DAKNONG_REVIEWERS,
  reviewerFor,
  unitEditor,
  unitLead,
} from './daknong-actors';
import type { DaknongDemoInput, DaknongGroupSplit, DaknongTargetScore } from './daknong-demo.input';
import { DAKNONG_FRAMEWORK_ID, DAKNONG_PERIODS, DAKNONG_PROVINCE_CODE, type DaknongPeriodPlan } from './daknong-periods';
import { FixtureClock, FixtureIds } from './fixture-clock';
import { answersForGroupTargets, splitAcrossGroups } from './part-answers.allocator';

interface StepBase {
  /** Also the command's `causationId`, and the cause of every event it produces. */
  readonly commandId: string;
  readonly streamId: string;
  /** Who issues the command, with the roles and units the API's auth layer would know. */
  readonly actor: AssessmentActor;
}

/**
 * One command of the demo, in order, with what its handler needs besides the stream. Assessment
 * steps name their period: the handler loads the period's pinned framework version and appeal
 * window into the AssessmentContext, exactly as the builder does.
 */
export type DaknongStep =
  | (StepBase & { readonly kind: 'unit'; readonly command: UnitCommand })
  | (StepBase & { readonly kind: 'framework'; readonly command: FrameworkCommand })
  | (StepBase & { readonly kind: 'period'; readonly command: PeriodCommand })
  | (StepBase & { readonly kind: 'assessment'; readonly periodId: string; readonly command: AssessmentCommand });

/** Seconds between two commands of one phase: a form is filled in minutes, not milliseconds. */
const STEP_MS = 20_000;
const SETUP_START = '2018-09-03T02:00:00.000Z';
/** One submission (revision 1) and one completed review (revision 2): decide refuses any other. */
const REVIEWED_REVISION = 2;

interface AssessedUnit {
  readonly row: UnitListRow;
  readonly tier: string;
  readonly index: number;
}

/** A criterion whose self score the reviewer changes, and why (lý do thẩm định). */
interface Divergence {
  readonly self: CriterionAnswer;
  readonly reason: string;
}

interface UnitPlan {
  readonly unit: AssessedUnit;
  readonly criteria: readonly CriterionDefinition[];
  readonly final: ReadonlyMap<string, CriterionAnswer>;
  readonly divergences: ReadonlyMap<string, Divergence>;
}

/**
 * Every command of Đắk Nông 2018 and 2019, in the order they are applied: register the 80 units,
 * draft and publish the 2392 framework, then per period open it, let each of the 79 units score
 * and submit, close self-assessment, review (accepting or adjusting with a reason), approve,
 * publish the period and each assessment. Pure: time and ids come from a fixture clock.
 */
export function daknongCommands(input: DaknongDemoInput): readonly DaknongStep[] {
  const { framework } = input;
  if (framework.id !== DAKNONG_FRAMEWORK_ID) throw new Error(`the demo plays ${DAKNONG_FRAMEWORK_ID}, not ${framework.id}`);
  const clock = new FixtureClock(SETUP_START, STEP_MS);
  const ids = new FixtureIds('daknong-cmd');
  const steps: DaknongStep[] = [];
  const metadata = (actor: AssessmentActor, correlationId: string): { commandId: string; metadata: MessageMetadata } => {
    const commandId = ids.next();
    return { commandId, metadata: { actor: actor.id, correlationId, causationId: commandId, occurredAt: clock.tick() } };
  };
  const admin = DAKNONG_ADMINISTRATOR;

  for (const row of input.units) {
    const { commandId, metadata: meta } = metadata(admin, 'daknong/setup/units');
    const data = { code: row.code, name: row.name, type: row.type, tier: tierOfUnit(row.type, row.parentCode), parentCode: row.parentCode };
    steps.push({ kind: 'unit', commandId, streamId: unitStreamId(row.code), actor: admin, command: { type: 'RegisterUnit', data, metadata: meta } });
  }
  const frameworkStream = frameworkStreamId(framework.id);
  {
    const draft = metadata(admin, 'daknong/setup/framework');
    steps.push({
      kind: 'framework',
      commandId: draft.commandId,
      streamId: frameworkStream,
      actor: admin,
      command: { type: 'DraftFramework', data: { frameworkId: framework.id, definition: framework }, metadata: draft.metadata },
    });
    const publish = metadata(admin, 'daknong/setup/framework');
    steps.push({
      kind: 'framework',
      commandId: publish.commandId,
      streamId: frameworkStream,
      actor: admin,
      command: { type: 'PublishFramework', data: { frameworkId: framework.id, decisionReference: '2392/QĐ-BTTTT' }, metadata: publish.metadata },
    });
  }

  const assessed: AssessedUnit[] = input.units
    .map((row) => ({ row, tier: tierOfUnit(row.type, row.parentCode) }))
    .filter(({ tier }) => tier === 'district' || tier === 'commune')
    .map((unit, index) => ({ ...unit, index }));

  for (const plan of DAKNONG_PERIODS) {
    const { periodId } = plan;
    const periodStream = periodStreamId(periodId);
    const periodStep = (command: (meta: MessageMetadata) => PeriodCommand): void => {
      const { commandId, metadata: meta } = metadata(admin, `${periodId}/period`);
      steps.push({ kind: 'period', commandId, streamId: periodStream, actor: admin, command: command(meta) });
    };
    const assessmentStep = (unit: AssessedUnit, actor: AssessmentActor, phase: string, command: (meta: MessageMetadata) => AssessmentCommand) => {
      const { commandId, metadata: meta } = metadata(actor, `${periodId}/${unit.row.code}/${phase}`);
      steps.push({ kind: 'assessment', commandId, streamId: assessmentStreamId(periodId, unit.row.code), actor, periodId, command: command(meta) });
    };
    const plans = assessed.map((unit) => planUnit(input, plan, unit));

    clock.jumpTo(plan.calendar.open);
    periodStep((meta) => ({
      type: 'OpenPeriod',
      data: {
        periodId,
        provinceCode: DAKNONG_PROVINCE_CODE,
        year: plan.year,
        framework: { id: framework.id, version: framework.version },
        deadlines: plan.deadlines,
      },
      metadata: meta,
    }));

    clock.jumpTo(plan.calendar.selfAssessment);
    for (const { unit, criteria, final, divergences } of plans) {
      const code = unit.row.code;
      const editor = unitEditor(code);
      assessmentStep(unit, editor, 'self-assessment', (meta) => ({
        type: 'StartAssessment',
        data: { periodId, unitCode: code, tier: unit.tier },
        metadata: meta,
      }));
      for (const criterion of criteria) {
        const answer = divergences.get(criterion.code)?.self ?? required(final, criterion.code);
        assessmentStep(unit, editor, 'self-assessment', (meta) => ({
          type: 'ScoreCriterion',
          data: {
            criterionCode: criterion.code,
            answer,
            // The 2018/2019 records are on paper: their evidence is named, not stored.
            evidence: criterion.evidenceRequired ? [{ kind: 'reference', reference: `minh-chung/${periodId}/${code}/${criterion.code}.pdf` }] : [],
            ...(criterion.explanationRequired ? { explanation: explanationFor(criterion, unit, plan) } : {}),
          },
          metadata: meta,
        }));
      }
      assessmentStep(unit, unitLead(code), 'self-assessment', (meta) => ({ type: 'SubmitAssessment', data: {}, metadata: meta }));
    }

    clock.jumpTo(plan.calendar.closeSelfAssessment);
    periodStep((meta) => ({ type: 'CloseSelfAssessment', data: { periodId }, metadata: meta }));

    clock.jumpTo(plan.calendar.review);
    for (const { unit, criteria, final, divergences } of plans) {
      const reviewer = reviewerFor(unit.index + plan.year);
      assessmentStep(unit, reviewer, 'review', (meta) => ({ type: 'StartReview', data: {}, metadata: meta }));
      for (const criterion of criteria) {
        const divergence = divergences.get(criterion.code);
        assessmentStep(unit, reviewer, 'review', (meta) =>
          divergence
            ? {
                type: 'AdjustCriterion',
                data: { criterionCode: criterion.code, answer: required(final, criterion.code), reason: divergence.reason },
                metadata: meta,
              }
            : { type: 'AcceptCriterion', data: { criterionCode: criterion.code }, metadata: meta },
        );
      }
      assessmentStep(unit, reviewer, 'review', (meta) => ({ type: 'CompleteReview', data: {}, metadata: meta }));
    }

    clock.jumpTo(plan.calendar.approval);
    for (const { unit } of plans) {
      assessmentStep(unit, DAKNONG_APPROVER, 'approval', (meta) => ({
        type: 'ApproveAssessment',
        data: { revision: REVIEWED_REVISION },
        metadata: meta,
      }));
    }

    clock.jumpTo(plan.calendar.publication);
    periodStep((meta) => ({
      type: 'PublishPeriod',
      // Every unit of the record took part and was approved (8/8 districts, 71/71 communes): none is excluded.
      data: { periodId, decisionNumber: plan.decisionNumber, decisionDate: plan.decisionDate, exclusions: [], unitsWithoutApproval: [] },
      metadata: meta,
    }));
    for (const { unit } of plans) {
      assessmentStep(unit, admin, 'publication', (meta) => ({
        type: 'PublishAssessment',
        data: { periodId, decisionNumber: plan.decisionNumber, decisionDate: plan.decisionDate },
        metadata: meta,
      }));
    }
  }
  return steps;
}

/** Everyone who acts in the demo, for an API loader that must create the users first. */
export function daknongActors(input: DaknongDemoInput): readonly AssessmentActor[] {
  const units = input.units.filter((row) => tierOfUnit(row.type, row.parentCode) !== 'province');
  return [
    DAKNONG_ADMINISTRATOR,
    ...DAKNONG_REVIEWERS,
    DAKNONG_APPROVER,
    ...units.flatMap((row) => [unitEditor(row.code), unitLead(row.code)]),
  ];
}

function planUnit(input: DaknongDemoInput, plan: DaknongPeriodPlan, unit: AssessedUnit): UnitPlan {
  const { framework } = input;
  const tier = framework.tiers.find((t) => t.tier === unit.tier);
  if (!tier) throw new Error(`framework ${framework.id} has no tier ${unit.tier}`);
  const final = new Map<string, CriterionAnswer>();
  for (const part of tier.parts) {
    const target = targetFor(input.targets, plan.year, unit, part.code);
    // Most totals spread over the groups by their maxima. A few follow config/demo/daknong-group-splits.csv:
    // Cư Jút and Đắk R'Lấp 2018 readiness have a policy group (CS) below half its maximum, which the
    // 2392 file's provisional minGroupShares turn into "unranked" although their totals reach a level.
    const splits = input.groupSplits.filter((s) => s.year === plan.year && s.unitCode === unit.row.code && s.partCode === part.code);
    const groupTargets = splits.length > 0 ? explicitSplit(part, target, splits, framework) : splitAcrossGroups(part, target, framework.rounding);
    const answers = answersForGroupTargets(part, groupTargets, framework.rounding);
    const scored = scorePart(framework, unit.tier, part.code, answers);
    if (scored.score !== target) throw new Error(`${plan.periodId} ${unit.row.code} ${part.code}: answers give ${scored.score}, not ${target}`);
    answers.forEach((answer, code) => final.set(code, answer));
  }
  const criteria = listCriteria(framework)
    .filter((location) => location.tier.tier === unit.tier && !location.criterion.excluded)
    .map((location) => location.criterion);
  return { unit, criteria, final, divergences: divergencesFor(criteria, final, framework, unit.index + plan.year) };
}

function targetFor(targets: readonly DaknongTargetScore[], year: number, unit: AssessedUnit, partCode: string): number {
  const found = targets.filter((t) => t.year === year && t.unitCode === unit.row.code && t.partCode === partCode);
  const [target, ...others] = found;
  if (!target || others.length > 0) throw new Error(`expected one ${year} ${partCode} target for unit ${unit.row.code}, found ${found.length}`);
  if (target.tier !== unit.tier) throw new Error(`unit ${unit.row.code} is a ${unit.tier}, the target says ${target.tier}`);
  return target.score;
}

function explicitSplit(
  part: PartDefinition,
  target: number,
  splits: readonly DaknongGroupSplit[],
  framework: FrameworkDefinition,
): ReadonlyMap<string, number> {
  const groupTargets = new Map(splits.map((s) => [s.groupCode, s.points]));
  const missing = part.groups.filter((group) => !groupTargets.has(group.code)).map((group) => group.code);
  const sum = roundScore(
    splits.reduce((total, s) => total + s.points, 0),
    framework.rounding,
  );
  if (missing.length > 0 || groupTargets.size !== splits.length || sum !== target) {
    const where = `${splits[0]?.year} ${splits[0]?.unitCode} ${part.code}`;
    throw new Error(`group split ${where} must name each group once and add up to ${target} (missing ${missing.join(', ') || 'none'}, sum ${sum})`);
  }
  return groupTargets;
}

/**
 * Self scores that the review corrects, on a deterministic quarter of the forms each: units
 * that claim a yes/no criterion without proof or score a manual criterion a point too high, and
 * units that under-report a rate the province's statistics show higher. Final scores are the
 * targets either way; only the self scores differ.
 */
function divergencesFor(
  criteria: readonly CriterionDefinition[],
  final: ReadonlyMap<string, CriterionAnswer>,
  framework: FrameworkDefinition,
  seed: number,
): ReadonlyMap<string, Divergence> {
  const divergences = new Map<string, Divergence>();
  const points = (criterion: CriterionDefinition, answer: CriterionAnswer) => scoreCriterion(criterion, answer, framework.rounding) ?? 0;
  const valueOf = (code: string) => {
    const answer = final.get(code);
    return answer?.kind === 'value' ? answer.value : undefined;
  };
  if (seed % 4 === 0) {
    const claimed = criteria.find((c) => c.rule.kind === 'yes_no' && valueOf(c.code) === false);
    if (claimed) {
      divergences.set(claimed.code, {
        self: { kind: 'value', value: true },
        reason: `Minh chứng kèm theo không thể hiện việc đã triển khai; chưa đạt, điểm thẩm định 0/${claimed.maxPoints} (đơn vị tự chấm ${claimed.maxPoints}).`,
      });
    }
    const overscored = criteria.find((c) => {
      const value = valueOf(c.code);
      return c.rule.kind === 'manual' && typeof value === 'number' && value + 1 <= c.maxPoints && roundScore(value, { decimals: 2, mode: 'half_up' }) === value;
    });
    const value = overscored ? valueOf(overscored.code) : undefined;
    if (overscored && typeof value === 'number') {
      const self = roundScore(value + 1, framework.rounding);
      divergences.set(overscored.code, {
        self: { kind: 'value', value: self },
        reason: `Minh chứng chỉ đáp ứng một phần yêu cầu của tiêu chí; điều chỉnh từ ${self} xuống ${value} điểm.`,
      });
    }
  }
  if (seed % 4 === 2) {
    const underReported = criteria.find((c) => {
      const value = valueOf(c.code);
      return c.rule.kind === 'ratio' && typeof value === 'number' && value >= 10;
    });
    const value = underReported ? valueOf(underReported.code) : undefined;
    if (underReported && typeof value === 'number') {
      const self: CriterionAnswer = { kind: 'value', value: value - 10 };
      const finalAnswer: CriterionAnswer = { kind: 'value', value };
      divergences.set(underReported.code, {
        self,
        reason:
          `Theo số liệu tổng hợp của Sở, tỷ lệ thực tế là ${value} % (đơn vị kê khai ${value - 10} %); ` +
          `điều chỉnh tăng từ ${points(underReported, self)} lên ${points(underReported, finalAnswer)} điểm.`,
      });
    }
  }
  return divergences;
}

function explanationFor(criterion: CriterionDefinition, unit: AssessedUnit, plan: DaknongPeriodPlan): string {
  return `${criterion.code}: ${unit.row.name} giải trình theo báo cáo ứng dụng CNTT năm ${plan.year} (nguồn ngân sách địa phương, kế hoạch đã ban hành).`;
}

function required(answers: ReadonlyMap<string, CriterionAnswer>, code: string): CriterionAnswer {
  const answer = answers.get(code);
  if (!answer) throw new Error(`no answer planned for ${code}`);
  return answer;
}
