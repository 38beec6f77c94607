import { ASSESSMENT_BATCH_REFUSED, acceptRemainingCommands, decideAssessmentBatch } from './assessment.batch';
import { evolveAssessment } from './assessment.decider';
import { actors, command, contextFor, started, stateOf, underReview } from '../testing/assessment.fixtures';

const { editor, reviewer } = actors;

describe('decideAssessmentBatch', () => {
  it('decides each answer on the state the earlier ones leave, as one list of events', () => {
    const events = decideAssessmentBatch(
      [
        command(editor, 'ScoreCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 7.5 }, evidence: [{ kind: 'reference' as const, reference: 'a.pdf' }] }),
        command(editor, 'ScoreCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 6 }, evidence: [{ kind: 'reference' as const, reference: 'a.pdf' }] }),
        command(editor, 'ScoreCriterion', { criterionCode: 'D.R.3', answer: { kind: 'value', value: 100 }, evidence: [] }),
      ],
      stateOf(started),
      contextFor(editor),
    );
    expect(events.map((event) => event.type)).toEqual(['CriterionScored', 'CriterionScored', 'CriterionScored']);
    const state = events.reduce(evolveAssessment, stateOf(started));
    expect(state.status !== 'not_started' && state.criteria['D.R.1']?.self?.points).toBe(6);
  });

  it('refuses the whole batch and names every refused criterion', () => {
    let caught: unknown;
    try {
      decideAssessmentBatch(
        [
          command(editor, 'ScoreCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 99 }, evidence: [] }),
          command(editor, 'ScoreCriterion', { criterionCode: 'D.R.3', answer: { kind: 'value', value: 10 }, evidence: [] }),
          command(editor, 'ScoreCriterion', { criterionCode: 'X.9', answer: { kind: 'value', value: 1 }, evidence: [] }),
        ],
        stateOf(started),
        contextFor(editor),
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: ASSESSMENT_BATCH_REFUSED, category: 'validation', field: 'items.0.answer.value' });
    const details = (caught as { details: { errors: { index: number; criterionCode: string; code: string; field: string }[] } }).details;
    expect(details.errors.map((e) => [e.index, e.criterionCode, e.code, e.field])).toEqual([
      [0, 'D.R.1', 'ASSESSMENT.SCORE_ABOVE_MAXIMUM', 'items.0.answer.value'],
      [2, 'X.9', 'ASSESSMENT.UNKNOWN_CRITERION', 'items.2.criterionCode'],
    ]);
  });

  it('throws a refusal of the whole assessment as it is', () => {
    expect(() =>
      decideAssessmentBatch(
        [command(reviewer, 'ScoreCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 1 }, evidence: [] })],
        stateOf(started),
        contextFor(reviewer),
      ),
    ).toThrow(expect.objectContaining({ code: 'ASSESSMENT.FORBIDDEN' }));
  });
});

describe('acceptRemainingCommands', () => {
  it('accepts every self-scored criterion without a review decision', () => {
    const metadata = command(reviewer, 'StartReview', {}).metadata;
    const state = stateOf(underReview);
    const accepts = acceptRemainingCommands(state, metadata);
    expect(accepts.length).toBeGreaterThan(0);
    const events = decideAssessmentBatch(accepts, state, contextFor(reviewer));
    const after = events.reduce(evolveAssessment, state);
    expect(after.status !== 'not_started' && Object.values(after.criteria).every((record) => record.self === null || record.review !== null)).toBe(true);
    expect(acceptRemainingCommands(after, metadata)).toEqual([]);
  });
});
