import type { PeriodDeadlines } from '@tieuchi/period/domain';

/** One year's assessment as it is played: the calendar of its phases and the deciding decision. */
export interface DaknongPeriodPlan {
  readonly periodId: string;
  readonly year: number;
  readonly deadlines: PeriodDeadlines;
  /** UTC instants at which each phase begins; commands within a phase are seconds apart. */
  readonly calendar: {
    readonly open: string;
    readonly selfAssessment: string;
    readonly closeSelfAssessment: string;
    readonly review: string;
    readonly approval: string;
    readonly publication: string;
  };
  readonly decisionNumber: string;
  readonly decisionDate: string;
  /** True where the record does not give the decision: the number and date are stand-ins. */
  readonly decisionIsPlaceholder: boolean;
}

export const DAKNONG_PROVINCE_CODE = '67';
export const DAKNONG_FRAMEWORK_ID = '2392-2017';

export const DAKNONG_2018: DaknongPeriodPlan = {
  periodId: 'daknong-2018',
  year: 2018,
  deadlines: { selfAssessment: '2018-11-30', review: '2018-12-21', appealWindowDays: 15 },
  calendar: {
    open: '2018-10-01T02:00:00.000Z',
    selfAssessment: '2018-11-05T01:30:00.000Z',
    closeSelfAssessment: '2018-12-01T01:00:00.000Z',
    review: '2018-12-03T01:30:00.000Z',
    approval: '2018-12-24T02:00:00.000Z',
    publication: '2019-01-15T02:00:00.000Z',
  },
  // PLACEHOLDER: the 2018 results were published by a provincial decision whose number and date
  // are not in the record (Quyết định 47/QĐ-UBND only gives the 2019 figures and the changes).
  decisionNumber: 'PLACEHOLDER-2018/QĐ-UBND',
  decisionDate: '2019-01-15',
  decisionIsPlaceholder: true,
};

export const DAKNONG_2019: DaknongPeriodPlan = {
  periodId: 'daknong-2019',
  year: 2019,
  deadlines: { selfAssessment: '2019-11-29', review: '2019-12-20', appealWindowDays: 15 },
  calendar: {
    open: '2019-10-01T02:00:00.000Z',
    selfAssessment: '2019-11-04T01:30:00.000Z',
    closeSelfAssessment: '2019-11-30T01:00:00.000Z',
    review: '2019-12-02T01:30:00.000Z',
    approval: '2019-12-23T02:00:00.000Z',
    publication: '2020-01-10T02:00:00.000Z',
  },
  decisionNumber: '47/QĐ-UBND',
  decisionDate: '2020-01-10',
  decisionIsPlaceholder: false,
};

export const DAKNONG_PERIODS: readonly DaknongPeriodPlan[] = [DAKNONG_2018, DAKNONG_2019];
