import fc from 'fast-check';
import type { CriterionAnswer } from '@tieuchi/framework/domain';
import { isDomainError } from '@tieuchi/shared/kernel';
import { actors, appealed, approved, command, contextFor, FRAMEWORK, FRAMEWORK_V2, OPEN_PERIOD, published, returned, reviewed, run, started } from '../testing/assessment.fixtures';
import type { AssessmentCommand } from './assessment.commands';
import type { AssessmentActor } from './assessment.context';
import { decideAssessment } from './assessment.decider';
import type { AssessmentEvent } from './assessment.events';
import { evolveAssessment } from './assessment.evolve';
import { type AssessmentFacts, changesAnswers, evolveAssessmentFacts, factsOf, foldAssessmentFacts } from './assessment.facts';
import { type AssessmentState, initialAssessmentState, type StartedAssessment } from './assessment.state';
import { decideScoresRecalculated } from './commands/record-scores-recalculated.decide';

const { editor, lead, reviewer, reviewer2, approver, admin, system } = actors;
/** Inside the appeal window, so that every command the lifecycle allows can happen. */
const inWindow = '2020-01-20T03:00:00.000Z';
// A period whose deadlines never pass during the walk, so every command of the lifecycle can happen.
const timelessPeriod = { ...OPEN_PERIOD, selfAssessmentEndsAt: '2099-01-01T00:00:00.000Z', reviewEndsAt: '2099-01-01T00:00:00.000Z' };

/** A plausible answer per criterion of the test framework, drawn from a seed. */
function answerFor(code: string, seed: number): CriterionAnswer {
  switch (code) {
    case 'D.R.1':
      return { kind: 'value', value: seed % 11 };
    case 'D.R.2':
      return { kind: 'value', value: seed % 2 === 0 };
    case 'D.R.3':
      return seed % 5 === 0 ? { kind: 'not_applicable' } : { kind: 'value', value: seed % 101 };
    default:
      return { kind: 'value', value: seed % 101 };
  }
}

const codes = ['D.R.1', 'D.R.2', 'D.R.3', 'D.K.1'];

interface Candidate {
  readonly actor: AssessmentActor;
  readonly type: AssessmentCommand['type'];
  readonly data: (state: StartedAssessment, seed: number) => unknown;
}

/** Every command of the lifecycle, each with the actor that may issue it and data drawn from a seed. */
const candidates: readonly Candidate[] = [
  {
    actor: editor,
    type: 'ScoreCriterion',
    data: (_s, seed) => {
      const code = codes[seed % codes.length] as string;
      return { criterionCode: code, answer: answerFor(code, seed >> 2), evidence: [{ kind: 'reference', reference: 'minh-chung.pdf' }], explanation: 'Giải trình' };
    },
  },
  { actor: editor, type: 'MarkCriterionNotApplicable', data: () => ({ criterionCode: 'D.R.3', explanation: 'Không có đơn vị trực thuộc' }) },
  { actor: lead, type: 'SubmitAssessment', data: () => ({}) },
  { actor: lead, type: 'WithdrawSubmission', data: () => ({}) },
  { actor: lead, type: 'ResubmitAssessment', data: () => ({}) },
  { actor: reviewer, type: 'StartReview', data: () => ({}) },
  { actor: reviewer, type: 'AcceptCriterion', data: (s, seed) => ({ criterionCode: Object.keys(s.criteria)[seed % Math.max(1, Object.keys(s.criteria).length)] ?? 'D.R.1' }) },
  {
    actor: reviewer,
    type: 'AdjustCriterion',
    data: (_s, seed) => {
      const code = codes[seed % codes.length] as string;
      return { criterionCode: code, answer: answerFor(code, seed >> 3), reason: 'Điều chỉnh theo minh chứng' };
    },
  },
  { actor: reviewer, type: 'ReturnAssessment', data: (_s, seed) => ({ comment: 'Bổ sung', flaggedCriteria: [codes[seed % codes.length]] }) },
  { actor: reviewer, type: 'CompleteReview', data: () => ({}) },
  { actor: approver, type: 'ApproveAssessment', data: (s) => ({ revision: s.revision }) },
  { actor: approver, type: 'SendBack', data: () => ({ comment: 'Xem lại' }) },
  { actor: reviewer, type: 'ReopenReview', data: () => ({ reason: 'Minh chứng mới của D.R.1' }) },
  { actor: admin, type: 'PublishAssessment', data: (s) => ({ periodId: s.periodId, decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' }) },
  { actor: lead, type: 'AppealAssessment', data: () => ({ reason: 'Đủ minh chứng', criteriaCodes: ['D.R.1'] }) },
  {
    actor: reviewer2,
    type: 'ResolveAppeal',
    data: (_s, seed) =>
      seed % 2 === 0
        ? { outcome: 'upheld', reason: 'Giữ nguyên' }
        : { outcome: 'revised', reason: 'Chấp nhận', adjustments: [{ criterionCode: 'D.R.1', answer: answerFor('D.R.1', seed), reason: 'Minh chứng bổ sung' }] },
  },
  {
    actor: system,
    type: 'RecordScoresRecalculated',
    data: (s, seed) => ({
      // Now and then a cause that names no source event.
      cause: { kind: 'framework_amended', frameworkId: s.framework.id, frameworkVersion: s.framework.version + (seed % 2), decisionRef: null, sourceEventId: seed % 7 === 0 ? null : `evt-${seed}` },
      parts: [{ partCode: 'readiness', oldTotal: 10, newTotal: 11, oldLevel: 'IV', newLevel: 'IV' }],
    }),
  },
];

/**
 * Plays the steps through the real decider from one of the fixture histories: each step issues
 * one of the lifecycle's commands, and a refused one (wrong state, wrong data) changes nothing.
 */
function play(from: readonly AssessmentEvent[], steps: readonly (readonly [number, number])[]): readonly AssessmentEvent[] {
  let history = [...from];
  let state = history.reduce(evolveAssessment, initialAssessmentState());
  for (const [pick, seed] of steps) {
    if (state.status === 'not_started') break;
    const current = state;
    const candidate = candidates[pick % candidates.length] as Candidate;
    try {
      const events = decideAssessment(
        command(candidate.actor, candidate.type, candidate.data(current, seed) as never, inWindow),
        state,
        // The context pins the version the assessment is on, as the command handlers load it.
        contextFor(candidate.actor, { framework: { ...FRAMEWORK, version: current.framework.version }, period: timelessPeriod }),
      );
      history = [...history, ...events];
      state = events.reduce(evolveAssessment, state);
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
  }
  return history;
}

describe('evolveAssessmentFacts', () => {
  it('equals factsOf(evolveAssessment) after every event of any lifecycle the decider allows', () => {
    const seen = new Set<string>();
    let seenRecordedParts = false;
    fc.assert(
      fc.property(
        fc.constantFrom(started, returned, reviewed, published, appealed),
        fc.array(fc.tuple(fc.nat(1_000), fc.nat(1_000_000)), { minLength: 20, maxLength: 200 }),
        (from, steps) => {
        let state: AssessmentState = initialAssessmentState();
        let facts: AssessmentFacts | null = null;
        for (const event of play(from, steps)) {
          seen.add(event.type);
          state = evolveAssessment(state, event);
          const before = facts;
          facts = evolveAssessmentFacts(facts, event);
          expect({ after: event.type, facts }).toEqual({ after: event.type, facts: factsOf(state) });
          if (facts?.recalculatedParts) seenRecordedParts = true;
          // Events that do not change answers leave the very same answers object.
          if (before && !changesAnswers(event)) expect(facts?.answers).toBe(before.answers);
        }
      },
      ),
      { numRuns: 300 },
    );
    // The walk is only a proof if it reached every kind of event.
    expect([...seen].sort()).toHaveLength(17);
    expect(seenRecordedParts).toBe(true);
  });

  it('folds a run of events as event by event, without changing the facts it started from or an earlier result', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(started, returned, reviewed, published, appealed),
        fc.array(fc.tuple(fc.nat(1_000), fc.nat(1_000_000)), { minLength: 20, maxLength: 200 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 20 }),
        (from, steps, runLengths) => {
          const history = play(from, steps);
          let state: AssessmentState = initialAssessmentState();
          let facts: AssessmentFacts | null = null;
          const results: { facts: AssessmentFacts | null; copy: unknown }[] = [];
          for (let start = 0, run = 0; start < history.length; run += 1) {
            const events = history.slice(start, start + (runLengths[run % runLengths.length] as number));
            start += events.length;
            state = events.reduce(evolveAssessment, state);
            facts = foldAssessmentFacts(facts, events);
            expect(facts).toEqual(factsOf(state));
            results.push({ facts, copy: structuredClone(facts) });
          }
          for (const result of results) expect(result.facts).toEqual(result.copy);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ignores events before a start, as the full fold does', () => {
    const [, scored] = approved;
    expect(evolveAssessmentFacts(null, scored as AssessmentEvent)).toBeNull();
    expect(factsOf(initialAssessmentState())).toBeNull();
  });

  it('keeps the reviewed answer over the self score, and a new self score over an old review', () => {
    const inputs = approved.reduce<AssessmentFacts | null>(evolveAssessmentFacts, null);
    // D.R.1: self 8, adjusted by the reviewer to 6 (fixtures).
    expect(inputs?.answers['D.R.1']).toEqual({ kind: 'value', value: 6 });
    expect(inputs).toMatchObject({ status: 'approved', tier: 'district', revision: 2, recalculatedBy: [] });
  });
});

describe('recalculatedParts', () => {
  // Recalculated on the version it is pinned to, so that the unit may still answer.
  const cause = { kind: 'framework_amended', frameworkId: 'test-2392', frameworkVersion: 1, decisionRef: '12/QĐ-STTTT', sourceEventId: 'evt-9' };
  const parts = [{ partCode: 'readiness', oldTotal: 16, newTotal: 17, oldLevel: 'IV', newLevel: 'IV' }];
  const recalculated = run(started, system, 'RecordScoresRecalculated', { cause, parts });

  it('are the scores from a recalculation until an answer is given', () => {
    expect(foldAssessmentFacts(null, recalculated)?.recalculatedParts).toEqual(parts);
    const answered = run(recalculated, editor, 'ScoreCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 7 }, evidence: [{ kind: 'reference', reference: 'minh-chung.pdf' }], explanation: 'Giải trình' });
    expect(foldAssessmentFacts(null, answered)?.recalculatedParts).toBeNull();
    expect(factsOf(answered.reduce(evolveAssessment, initialAssessmentState()))?.recalculatedParts).toBeNull();
  });
});

describe('decideScoresRecalculated', () => {
  const cause = { kind: 'framework_amended', frameworkId: 'test-2392', frameworkVersion: 2, decisionRef: '12/QĐ-STTTT', sourceEventId: 'evt-9' };
  const parts = [{ partCode: 'readiness', oldTotal: 16, newTotal: 17, oldLevel: 'IV', newLevel: 'IV' }];
  const inputs = approved.reduce<AssessmentFacts | null>(evolveAssessmentFacts, null) as AssessmentFacts;
  const recalculate = (actor: AssessmentActor) => command(actor, 'RecordScoresRecalculated', { cause, parts }) as Extract<AssessmentCommand, { type: 'RecordScoresRecalculated' }>;

  it('decides on the inputs exactly what the decider decides on the folded stream', () => {
    const onInputs = decideScoresRecalculated(recalculate(system), inputs, contextFor(system, { framework: FRAMEWORK_V2 }));
    const onState = decideAssessment(recalculate(system), approved.reduce(evolveAssessment, initialAssessmentState()), contextFor(system, { framework: FRAMEWORK_V2 }));
    expect(onInputs).toEqual(onState);
    expect(onInputs[0]?.data.revision).toBe(3);
  });

  it('refuses anyone but the system or an administrator, and a context that is not the command’s actor', () => {
    const refusal = (run: () => unknown) => {
      try {
        run();
        return null;
      } catch (error) {
        return isDomainError(error) ? error.code : error;
      }
    };
    expect(refusal(() => decideScoresRecalculated(recalculate(approver), inputs, contextFor(approver)))).toBe('ASSESSMENT.FORBIDDEN');
    expect(refusal(() => decideScoresRecalculated(recalculate(system), inputs, contextFor(admin)))).toBe('ASSESSMENT.ACTOR_MISMATCH');
    expect(refusal(() => decideScoresRecalculated(recalculate(admin), inputs, contextFor(admin)))).toBeNull();
  });

  it('refuses a cause older than the version the assessment is on', () => {
    const onV3 = { ...inputs, framework: { id: 'test-2392', version: 3 } };
    expect(() => decideScoresRecalculated(recalculate(system), onV3, contextFor(system))).toThrow(/the assessment is on test-2392 v3/);
  });
});
