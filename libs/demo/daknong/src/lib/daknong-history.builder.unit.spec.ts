import { criteriaView, effectivePoints, type AssessmentState } from '@tieuchi/assessment/domain';
import { roundScore } from '@tieuchi/framework/domain';
import { daknongCommands } from './daknong-commands';
import type { DaknongDemoInput } from './daknong-demo.input';
import { applyDaknongSteps, buildDaknongHistory, type DaknongHistory } from './daknong-history.builder';
import { DAKNONG_PERIODS } from './daknong-periods';
import { loadDaknongDemoInput } from './daknong-scores.loader';

const started = (history: DaknongHistory) =>
  [...history.assessments.values()].filter((state): state is Exclude<AssessmentState, { status: 'not_started' }> => state.status !== 'not_started');

describe('buildDaknongHistory', () => {
  let input: DaknongDemoInput;
  let history: DaknongHistory;

  beforeAll(() => {
    input = loadDaknongDemoInput();
    history = buildDaknongHistory(input);
  });

  it('is the command list applied, and the same on every build', () => {
    expect(applyDaknongSteps(daknongCommands(input)).events).toEqual(history.events);
  });

  it('registers the 80 units and plays 79 assessments in each period to publication', () => {
    expect(history.units.size).toBe(input.units.length);
    for (const plan of DAKNONG_PERIODS) {
      const assessments = started(history).filter((state) => state.periodId === plan.periodId);
      expect(assessments).toHaveLength(input.units.length - 1);
      assessments.forEach((state) => expect(state).toMatchObject({ status: 'published', revision: 2, publication: { decisionNumber: plan.decisionNumber } }));
    }
  });

  it('gives every event a command as its cause, positions without gaps and a clock that never goes back', () => {
    const commandIds = new Set(daknongCommands(input).map((step) => step.commandId));
    history.events.forEach((recorded, index) => {
      expect(recorded.globalPosition).toBe(index);
      expect(commandIds.has(recorded.metadata.causationId)).toBe(true);
      const previous = history.events[index - 1];
      if (previous) expect(recorded.metadata.occurredAt >= previous.metadata.occurredAt).toBe(true);
    });
    for (const [streamId, events] of history.streams) {
      events.forEach((recorded, position) => expect(recorded).toMatchObject({ streamId, streamPosition: position }));
    }
  });

  it('submits before the self-assessment deadline and keeps four eyes: editor, lead, reviewer and approver differ', () => {
    for (const state of started(history)) {
      const plan = DAKNONG_PERIODS.find((p) => p.periodId === state.periodId)!;
      const submitted = state.revisions.find((r) => r.kind === 'submitted')!;
      expect(submitted.at.slice(0, 10) <= plan.deadlines.selfAssessment).toBe(true);
      expect(state.submitters).toEqual([`lead.${state.unitCode}`]);
      expect(state.reviewers).toHaveLength(1);
      expect(state.reviewers[0]).toMatch(/^reviewer\./);
      expect(state.approval).toMatchObject({ by: 'approver.sotttt', revision: 2 });
      Object.values(state.criteria).forEach((record) => expect(record.self?.by).toBe(`editor.${state.unitCode}`));
    }
  });

  it('has reviewers correct some self scores, always with a reason, and accept the rest', () => {
    const views = started(history).flatMap((state) => criteriaView(state).map((view) => ({ state, view })));
    const adjusted = views.filter(({ view }) => view.review?.decision === 'adjusted');
    expect(adjusted.length).toBeGreaterThan(0);
    adjusted.forEach(({ view }) => {
      expect(view.selfPoints).not.toBe(view.reviewedPoints);
      expect(view.review?.reason?.length).toBeGreaterThan(20);
    });
    views
      .filter(({ view }) => view.review?.decision === 'accepted')
      .forEach(({ view }) => expect(view.reviewedPoints).toBe(view.selfPoints));
    const unitsWithChanges = new Set(adjusted.map(({ state }) => `${state.periodId}/${state.unitCode}`));
    expect(unitsWithChanges.size).toBeGreaterThan(started(history).length / 4);
    expect(unitsWithChanges.size).toBeLessThan(started(history).length);
  });

  it('ends on the target scores as reviewed, whatever the units claimed', () => {
    for (const target of input.targets) {
      const plan = DAKNONG_PERIODS.find((p) => p.year === target.year)!;
      const state = started(history).find((s) => s.periodId === plan.periodId && s.unitCode === target.unitCode)!;
      const prefix = `${target.tier === 'district' ? 'H' : 'X'}.${target.partCode === 'readiness' ? 'SS' : 'KQ'}.`;
      const reviewed = [...effectivePoints(state)].filter(([code]) => code.startsWith(prefix)).reduce((sum, [, points]) => sum + (points ?? 0), 0);
      expect(roundScore(reviewed, input.framework.rounding)).toBe(target.score);
    }
  });

  it('refuses input it cannot play: a unit without a target, a group split that does not add up', () => {
    const withoutTarget = { ...input, targets: input.targets.filter((t) => t.unitCode !== '661') };
    expect(() => daknongCommands(withoutTarget)).toThrow('unit 661');
    const badSplit = { ...input, groupSplits: input.groupSplits.map((s) => (s.groupCode === 'CS' && s.unitCode === '662' ? { ...s, points: 6 } : s)) };
    expect(() => daknongCommands(badSplit)).toThrow('add up to 37.865');
  });
});
