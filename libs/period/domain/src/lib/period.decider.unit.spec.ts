import type { MessageMetadata } from '@tieuchi/shared/kernel';
import { deciderSpec } from '@tieuchi/shared/kernel/testing';
import type { PeriodCommand } from './period.commands';
import { periodDecider } from './period.decider';
import type { PeriodEvent, PeriodOpened, PeriodPublished, SelfAssessmentClosed } from './period.events';
import { appealWindowEndsAt, periodDecisions, periodWindow } from './period.selectors';
import { decisionNumberStreamId, evolveDecisionNumber, initialDecisionNumberState, periodPublishedV1Upcaster, reserveDecisionNumber } from './decision-number';

const at = (occurredAt: string): MessageMetadata => ({ actor: 'admin-1', correlationId: 'c', causationId: 'c', occurredAt });
const spec = deciderSpec(periodDecider);
const cmd = <T extends PeriodCommand['type']>(
  type: T,
  data: Extract<PeriodCommand, { type: T }>['data'],
  occurredAt = '2019-12-01T00:00:00Z',
): PeriodCommand => ({ type, data, metadata: at(occurredAt) }) as PeriodCommand;

const periodId = 'daknong-2019';
const openData = {
  periodId,
  provinceCode: '67',
  year: 2019,
  framework: { id: '2392-2017', version: 1 },
  deadlines: { selfAssessment: '2019-11-15', review: '2019-12-15', appealWindowDays: 15 },
};
const opened: PeriodOpened = {
  type: 'PeriodOpened',
  data: { ...openData, openedBy: 'admin-1', openedAt: '2019-10-01T00:00:00Z' },
};
const closed: SelfAssessmentClosed = {
  type: 'SelfAssessmentClosed',
  data: { periodId, closedBy: 'admin-1', closedAt: '2019-11-16T00:00:00Z' },
};
const published: PeriodPublished = {
  type: 'PeriodPublished',
  data: { periodId, decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10', exclusions: [], publishedBy: 'admin-1', publishedAt: '2020-01-13T02:00:00Z' },
};
const correction = { periodId, decisionNumber: '120/QĐ-UBND', decisionDate: '2020-02-01', reason: 'recalculated after amendment' };

describe('period decider', () => {
  describe('OpenPeriod', () => {
    it('opens a period with its province, year, pinned framework and deadlines', () => {
      spec
        .given([])
        .when(cmd('OpenPeriod', openData, '2019-10-01T00:00:00Z'))
        .then([opened]);
    });
    it('refuses to open twice', () => {
      spec.given([opened]).when(cmd('OpenPeriod', openData)).thenRefused('PERIOD.ALREADY_OPENED', 'conflict');
    });
    it('refuses a review deadline before the self-assessment deadline', () => {
      const deadlines = { ...openData.deadlines, review: '2019-11-01' };
      const error = spec.given([]).when(cmd('OpenPeriod', { ...openData, deadlines })).thenRefused('PERIOD.INVALID_DEADLINES');
      expect(error.field).toBe('data.deadlines.review');
    });
    it('refuses a negative appeal window, a bad date, a bad year and no framework version', () => {
      const given = spec.given([]);
      given.when(cmd('OpenPeriod', { ...openData, deadlines: { ...openData.deadlines, appealWindowDays: -1 } })).thenRefused('PERIOD.INVALID_DEADLINES');
      given.when(cmd('OpenPeriod', { ...openData, deadlines: { ...openData.deadlines, selfAssessment: '15/11/2019' } })).thenRefused('PERIOD.INVALID_DATE');
      given.when(cmd('OpenPeriod', { ...openData, year: 19.5 })).thenRefused('PERIOD.INVALID_YEAR');
      given.when(cmd('OpenPeriod', { ...openData, framework: { id: '2392-2017', version: 0 } })).thenRefused('PERIOD.FIELD_REQUIRED');
    });
  });

  describe('CloseSelfAssessment', () => {
    it('closes an open period', () => {
      const outcome = spec.given([opened]).when(cmd('CloseSelfAssessment', { periodId }, '2019-11-16T00:00:00Z'));
      outcome.then([closed]);
      expect(outcome.state().status).toBe('self_assessment_closed');
    });
    it('refuses a period that is not opened, or another period id', () => {
      spec.given([]).when(cmd('CloseSelfAssessment', { periodId })).thenRefused('PERIOD.NOT_FOUND', 'not_found');
      spec.given([opened]).when(cmd('CloseSelfAssessment', { periodId: 'daknong-2018' })).thenRefused('PERIOD.ID_MISMATCH');
    });
    it('refuses to close twice', () => {
      spec.given([opened, closed]).when(cmd('CloseSelfAssessment', { periodId })).thenRefused('PERIOD.WRONG_STATE', 'conflict');
    });
  });

  describe('PublishPeriod', () => {
    const data = { periodId, decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10', exclusions: [], unitsWithoutApproval: [] };
    const awaiting = [
      { unitCode: '24655', unitName: 'Xã Tâm Thắng', tier: 'commune', status: 'under_review' },
      { unitCode: '24728', unitName: "Xã Nâm N'Jang", tier: 'commune', status: 'not_started' },
    ];
    it('refuses, listing them, while units without an approved assessment are not named as excluded', () => {
      const error = spec
        .given([opened, closed])
        .when(cmd('PublishPeriod', { ...data, unitsWithoutApproval: awaiting, exclusions: [{ unitCode: '24655', reason: 'Chưa thẩm định xong' }] }))
        .thenRefused('PERIOD.UNITS_NOT_APPROVED', 'conflict');
      expect(error.field).toBe('data.exclusions');
      expect(error.details).toEqual({ units: [awaiting[1]] });
    });
    it('records each excluded unit with its name, tier and reason in the publication', () => {
      const exclusions = [
        { unitCode: '24728', reason: 'Không nộp phiếu tự đánh giá' },
        { unitCode: '24655', reason: 'Chưa thẩm định xong' },
      ];
      const outcome = spec.given([opened, closed]).when(cmd('PublishPeriod', { ...data, unitsWithoutApproval: awaiting, exclusions }, '2020-01-13T02:00:00Z'));
      outcome.then([
        {
          ...published,
          data: {
            ...published.data,
            exclusions: [
              { unitCode: '24728', unitName: "Xã Nâm N'Jang", tier: 'commune', reason: 'Không nộp phiếu tự đánh giá' },
              { unitCode: '24655', unitName: 'Xã Tâm Thắng', tier: 'commune', reason: 'Chưa thẩm định xong' },
            ],
          },
        },
      ]);
      const state = outcome.state();
      expect(state.status === 'published' && state.exclusions.map((e) => e.unitCode)).toEqual(['24728', '24655']);
    });
    it('refuses an exclusion without a reason, twice the same unit, or a unit that is not awaiting approval', () => {
      const given = spec.given([opened, closed]);
      const withAwaiting = (exclusions: { unitCode: string; reason: string }[]) => cmd('PublishPeriod', { ...data, unitsWithoutApproval: awaiting, exclusions });
      expect(given.when(withAwaiting([{ unitCode: '24728', reason: ' ' }])).thenRefused('PERIOD.FIELD_REQUIRED').field).toBe('data.exclusions.0.reason');
      const twice = [
        { unitCode: '24728', reason: 'a' },
        { unitCode: '24728', reason: 'b' },
      ];
      expect(given.when(withAwaiting(twice)).thenRefused('PERIOD.DUPLICATE_EXCLUSION').field).toBe('data.exclusions.1.unitCode');
      const approved = given.when(withAwaiting([{ unitCode: '24619', reason: 'a' }])).thenRefused('PERIOD.UNEXPECTED_EXCLUSION', 'conflict');
      expect(approved.field).toBe('data.exclusions.0.unitCode');
    });
    it('publishes under a decision number and date', () => {
      const outcome = spec.given([opened, closed]).when(cmd('PublishPeriod', data, '2020-01-13T02:00:00Z'));
      outcome.then([published]);
      expect(periodDecisions(outcome.state())).toEqual([expect.objectContaining({ decisionNumber: '47/QĐ-UBND' })]);
    });
    it('refuses while self-assessment is still open', () => {
      spec.given([opened]).when(cmd('PublishPeriod', data)).thenRefused('PERIOD.WRONG_STATE');
    });
    it('refuses a second publication', () => {
      spec.given([opened, closed, published]).when(cmd('PublishPeriod', data)).thenRefused('PERIOD.ALREADY_PUBLISHED', 'conflict');
    });
    it('refuses a missing decision number', () => {
      spec.given([opened, closed]).when(cmd('PublishPeriod', { ...data, decisionNumber: '' })).thenRefused('PERIOD.FIELD_REQUIRED');
    });
  });

  describe('CorrectPeriod', () => {
    it('records a later decision and keeps the publication readable', () => {
      const outcome = spec.given([opened, closed, published]).when(cmd('CorrectPeriod', correction, '2020-02-02T00:00:00Z'));
      outcome.then([
        {
          type: 'PeriodCorrected',
          data: { ...correction, correctsDecision: '47/QĐ-UBND', correctedBy: 'admin-1', correctedAt: '2020-02-02T00:00:00Z' },
        },
      ]);
      expect(periodDecisions(outcome.state()).map((d) => d.decisionNumber)).toEqual(['47/QĐ-UBND', '120/QĐ-UBND']);
    });
    it('refuses before publication', () => {
      spec.given([opened, closed]).when(cmd('CorrectPeriod', correction)).thenRefused('PERIOD.NOT_PUBLISHED', 'conflict');
    });
    it('refuses a decision number already recorded', () => {
      spec
        .given([opened, closed, published])
        .when(cmd('CorrectPeriod', { ...correction, decisionNumber: '47/QĐ-UBND' }))
        .thenRefused('PERIOD.DUPLICATE_DECISION');
    });
    it('refuses a correction dated before the decision in force', () => {
      spec
        .given([opened, closed, published])
        .when(cmd('CorrectPeriod', { ...correction, decisionDate: '2020-01-09' }))
        .thenRefused('PERIOD.DECISION_BEFORE_PUBLICATION');
    });
    it('refuses a correction without a reason', () => {
      spec.given([opened, closed, published]).when(cmd('CorrectPeriod', { ...correction, reason: ' ' })).thenRefused('PERIOD.FIELD_REQUIRED');
    });
  });

  describe('PinFrameworkVersion', () => {
    const pin = { periodId, frameworkId: '2392-2017', version: 2, cause: 'thresholds amended', decisionRef: '12/QĐ-STTTT' };
    it('pins a later version of the same framework and keeps the earlier pin', () => {
      const outcome = spec.given([opened, closed, published]).when(cmd('PinFrameworkVersion', pin, '2020-01-20T00:00:00Z'));
      outcome.then([
        {
          type: 'FrameworkVersionPinned',
          data: { ...pin, previousVersion: 1, pinnedBy: 'admin-1', pinnedAt: '2020-01-20T00:00:00Z' },
        },
      ]);
      const state = outcome.state();
      expect(state.status !== 'not_opened' && [state.framework.version, state.frameworkPins.map((p) => p.version)]).toEqual([2, [1, 2]]);
    });
    it('refuses the same or an earlier version', () => {
      spec.given([opened]).when(cmd('PinFrameworkVersion', { ...pin, version: 1 })).thenRefused('PERIOD.STALE_FRAMEWORK_VERSION', 'conflict');
    });
    it('refuses another framework', () => {
      spec.given([opened]).when(cmd('PinFrameworkVersion', { ...pin, frameworkId: 'dti-2020' })).thenRefused('PERIOD.FRAMEWORK_MISMATCH');
    });
    it('refuses a pin without a cause', () => {
      spec.given([opened]).when(cmd('PinFrameworkVersion', { ...pin, cause: '' })).thenRefused('PERIOD.FIELD_REQUIRED');
    });
  });

  describe('appealWindowEndsAt', () => {
    const events: PeriodEvent[] = [opened, closed, published];
    const stateOf = (list: PeriodEvent[]) => list.reduce(periodDecider.evolve, periodDecider.initialState());
    it('is null until publication', () => {
      expect(appealWindowEndsAt(stateOf([opened, closed]))).toBeNull();
    });
    it('ends at local midnight after the last day of the window (10/01 + 15 days → 26/01 00:00 +07:00)', () => {
      expect(appealWindowEndsAt(stateOf(events))).toBe('2020-01-25T17:00:00.000Z');
    });
    it('restarts from the correcting decision', () => {
      const corrected: PeriodEvent = {
        type: 'PeriodCorrected',
        data: { ...correction, correctsDecision: '47/QĐ-UBND', correctedBy: 'a', correctedAt: '2020-02-02T00:00:00Z' },
      };
      expect(appealWindowEndsAt(stateOf([...events, corrected]))).toBe('2020-02-16T17:00:00.000Z');
    });
  });

  describe('ExtendDeadlines', () => {
    const reason = 'Gia hạn do sự cố đường truyền';
    it('moves a deadline later with a recorded reason, and the period window follows', () => {
      const outcome = spec.given([opened]).when(cmd('ExtendDeadlines', { periodId, selfAssessment: '2019-11-22', reason }, '2019-11-14T00:00:00Z'));
      outcome.then([
        {
          type: 'PeriodDeadlinesExtended',
          data: {
            periodId,
            previous: openData.deadlines,
            deadlines: { ...openData.deadlines, selfAssessment: '2019-11-22' },
            reason,
            extendedBy: 'admin-1',
            extendedAt: '2019-11-14T00:00:00Z',
          },
        },
      ]);
      expect(periodWindow(outcome.state())).toMatchObject({ status: 'open', selfAssessmentEndsAt: '2019-11-22T17:00:00.000Z', reviewEndsAt: '2019-12-15T17:00:00.000Z' });
    });
    it('extends the review deadline of a closed period', () => {
      expect(spec.given([opened, closed]).when(cmd('ExtendDeadlines', { periodId, review: '2019-12-31', reason })).events()).toHaveLength(1);
    });
    it('refuses to move a deadline earlier, past the review deadline, without a reason, naming nothing, or after publication', () => {
      const given = spec.given([opened]);
      expect(given.when(cmd('ExtendDeadlines', { periodId, selfAssessment: '2019-11-14', reason })).thenRefused('PERIOD.INVALID_DEADLINES').field).toBe('data.selfAssessment');
      expect(given.when(cmd('ExtendDeadlines', { periodId, review: '2019-12-14', reason })).thenRefused('PERIOD.INVALID_DEADLINES').field).toBe('data.review');
      expect(given.when(cmd('ExtendDeadlines', { periodId, selfAssessment: '2019-12-20', reason })).thenRefused('PERIOD.INVALID_DEADLINES').field).toBe('data.review');
      given.when(cmd('ExtendDeadlines', { periodId, review: '2019-12-31', reason: ' ' })).thenRefused('PERIOD.FIELD_REQUIRED');
      given.when(cmd('ExtendDeadlines', { periodId, reason })).thenRefused('PERIOD.FIELD_REQUIRED');
      spec.given([opened, closed, published]).when(cmd('ExtendDeadlines', { periodId, review: '2020-12-31', reason })).thenRefused('PERIOD.WRONG_STATE', 'conflict');
    });
  });

  describe('periodWindow', () => {
    const stateOf = (list: PeriodEvent[]) => list.reduce(periodDecider.evolve, periodDecider.initialState());
    it('says when each deadline ends (end of the local day) and, once published, the decision in force with who recorded it', () => {
      expect(periodWindow(stateOf([opened]))).toEqual({
        status: 'open',
        provinceCode: '67',
        selfAssessmentEndsAt: '2019-11-15T17:00:00.000Z',
        reviewEndsAt: '2019-12-15T17:00:00.000Z',
        publication: null,
      });
      const publication = { decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10', by: 'admin-1', at: '2020-01-13T02:00:00Z' };
      expect(periodWindow(stateOf([opened, closed, published]))?.publication).toEqual({ ...publication, decisions: [publication], excludedUnitCodes: [] });
      // Which approved assessments the decisions publish (R-PUBLISHED): every decision in order, and the units the publication excluded.
      const excluding: PeriodEvent = { ...published, data: { ...published.data, exclusions: [{ unitCode: '24655', unitName: 'Xã Nâm Dong', tier: 'commune', reason: 'Chưa thẩm định xong' }] } };
      const correcting: PeriodEvent = {
        type: 'PeriodCorrected',
        data: { periodId, decisionNumber: '52/QĐ-UBND', decisionDate: '2020-02-03', correctsDecision: '47/QĐ-UBND', reason: 'Phúc khảo', correctedBy: 'admin-2', correctedAt: '2020-02-03T02:00:00Z' },
      };
      const correction = { decisionNumber: '52/QĐ-UBND', decisionDate: '2020-02-03', by: 'admin-2', at: '2020-02-03T02:00:00Z' };
      expect(periodWindow(stateOf([opened, closed, excluding, correcting]))?.publication).toEqual({
        ...publication,
        decisionNumber: '52/QĐ-UBND',
        decisionDate: '2020-02-03',
        decisions: [publication, correction],
        excludedUnitCodes: ['24655'],
      });
      expect(periodWindow(stateOf([]))).toBeNull();
    });
  });
});

describe('decision numbers', () => {
  const claim = { provinceCode: '67', decisionNumber: '47/QĐ-UBND', periodId: 'daknong-2019', decision: 'publication' as const };
  const metadata = { actor: 'admin-1', occurredAt: '2020-01-13T02:00:00Z' };
  const reserved = reserveDecisionNumber(initialDecisionNumberState(), claim, metadata);
  const held = reserved.reduce(evolveDecisionNumber, initialDecisionNumberState());

  it('reserves a free number for the period', () => {
    expect(reserved).toEqual([{ type: 'DecisionNumberReserved', data: { ...claim, reservedBy: 'admin-1', reservedAt: '2020-01-13T02:00:00Z' } }]);
  });
  it('refuses a number another period of the province holds, naming it', () => {
    const taken = (() => {
      try {
        return reserveDecisionNumber(held, { ...claim, periodId: 'daknong-2020' }, metadata);
      } catch (error) {
        return error;
      }
    })();
    expect(taken).toMatchObject({ code: 'PERIOD.DECISION_NUMBER_TAKEN', category: 'conflict', field: 'data.decisionNumber', details: { periodId: 'daknong-2019' } });
  });
  it('adds nothing when the period already holds the number (a retry after losing the race on its own stream)', () => {
    expect(reserveDecisionNumber(held, { ...claim, decision: 'correction' }, metadata)).toEqual([]);
  });
  it('keys a number by province, ignoring spacing, case and Unicode composition', () => {
    expect(decisionNumberStreamId('67', ' 47 / qđ-ubnd')).toBe(decisionNumberStreamId('67', '47/QĐ-UBND'));
    expect(decisionNumberStreamId('67', '47/Q\u0110-UBND'.normalize('NFD'))).toBe(decisionNumberStreamId('67', '47/QĐ-UBND'));
    expect(decisionNumberStreamId('46', '47/QĐ-UBND')).not.toBe(decisionNumberStreamId('67', '47/QĐ-UBND'));
    expect(decisionNumberStreamId('67', '47/QĐ-UBND')).toMatch(/^decision-number-67-[0-9a-f]+$/);
  });
  it('reads a publication stored before exclusions as excluding none', () => {
    expect(periodPublishedV1Upcaster.upcast({ periodId: 'p', decisionNumber: '1' })).toEqual({ periodId: 'p', decisionNumber: '1', exclusions: [] });
  });
});
