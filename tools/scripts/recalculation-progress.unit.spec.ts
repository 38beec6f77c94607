import { barPayload, exitCodeOf, isFinished, parseRunId, problemLine, type RunProgressView, summaryOf } from './recalculation-progress';

const run = (overrides: Partial<RunProgressView> = {}): RunProgressView => ({
  runId: 'run-3f2a9c0d1e7b4a6c8d9e0f1a',
  periodId: 'daknong-2019',
  frameworkId: '2392-2017',
  fromVersion: 1,
  toVersion: 2,
  provisional: false,
  status: 'running',
  total: 79,
  done: 40,
  failed: 0,
  queued: 39,
  failures: [],
  ...overrides,
});

describe('recalc:progress formatting', () => {
  it('accepts only run ids', () => {
    expect(parseRunId('run-3f2a9c0d1e7b4a6c8d9e0f1a')).toBe('run-3f2a9c0d1e7b4a6c8d9e0f1a');
    for (const bad of ['run-3F2A9C0D1E7B4A6C8D9E0F1A', 'run-123', '3f2a9c0d1e7b4a6c8d9e0f1a', '']) expect(() => parseRunId(bad)).toThrow(/run id/);
  });

  it('stops on done (exit 0) and failed (exit 1) only', () => {
    expect([isFinished(run({ status: 'queued' })), isFinished(run({ status: 'running' }))]).toEqual([false, false]);
    expect([isFinished(run({ status: 'done' })), exitCodeOf(run({ status: 'done' }))]).toEqual([true, 0]);
    expect([isFinished(run({ status: 'failed' })), exitCodeOf(run({ status: 'failed' }))]).toEqual([true, 1]);
  });

  it('shows the period, the versions, the failures and the status beside the bar', () => {
    expect(barPayload(run({ failed: 2 }))).toEqual({ status: 'running', failed: 2, period: 'daknong-2019 v1→v2' });
  });

  it('summarises a finished run in one line, marking a provisional correction', () => {
    expect(summaryOf(run({ status: 'done', done: 79, queued: 0 }))).toBe('run-3f2a9c0d1e7b4a6c8d9e0f1a done: 79/79 recalculated, 0 failed');
    expect(summaryOf(run({ status: 'done', done: 79, queued: 0, provisional: true }))).toMatch(/provisional until a correction decision is published\)$/);
  });

  it("lists a failed run's assessments with their attempts and errors, and how to retry", () => {
    const text = summaryOf(
      run({
        status: 'failed',
        done: 77,
        failed: 2,
        queued: 0,
        failures: [
          { streamName: 'assessment-daknong-2019-24728', error: 'DomainError: Framework 2392-2017 has no tier ward', attempts: 5 },
          { streamName: 'assessment-daknong-2019-660', error: null, attempts: 1 },
        ],
      }),
    );
    expect(text.split('\n')).toEqual([
      'run-3f2a9c0d1e7b4a6c8d9e0f1a failed: 77/79 recalculated, 2 failed',
      'failed assessments:',
      '  assessment-daknong-2019-24728  after 5 attempts: DomainError: Framework 2392-2017 has no tier ward',
      '  assessment-daknong-2019-660    after 1 attempt: no error recorded',
      'retry them with POST /recalculation-runs/run-3f2a9c0d1e7b4a6c8d9e0f1a/retry',
    ]);
  });

  it('reduces a problem+json answer to one line', () => {
    expect(problemLine(403, { code: 'AUTH.FORBIDDEN_ROLE', detail: 'This action needs one of the roles: admin, auditor.' })).toBe(
      '403 AUTH.FORBIDDEN_ROLE: This action needs one of the roles: admin, auditor.',
    );
    expect(problemLine(502, null)).toBe('502');
  });
});
