import { assertNever, type Decider } from '@tieuchi/shared/kernel';
import { closeSelfAssessment } from './commands/close-self-assessment.decide';
import { correctPeriod } from './commands/correct-period.decide';
import { extendDeadlines } from './commands/extend-deadlines.decide';
import { openPeriod } from './commands/open-period.decide';
import { pinFrameworkVersion } from './commands/pin-framework-version.decide';
import { publishPeriod } from './commands/publish-period.decide';
import type { PeriodCommand } from './period.commands';
import type { PeriodEvent } from './period.events';
import { initialPeriodState, type PeriodState } from './period.state';

export function decidePeriod(command: PeriodCommand, state: PeriodState): readonly PeriodEvent[] {
  switch (command.type) {
    case 'OpenPeriod':
      return openPeriod(command, state);
    case 'CloseSelfAssessment':
      return closeSelfAssessment(command, state);
    case 'PublishPeriod':
      return publishPeriod(command, state);
    case 'CorrectPeriod':
      return correctPeriod(command, state);
    case 'PinFrameworkVersion':
      return pinFrameworkVersion(command, state);
    case 'ExtendDeadlines':
      return extendDeadlines(command, state);
    default:
      return assertNever(command, 'period command');
  }
}

export function evolvePeriod(state: PeriodState, event: PeriodEvent): PeriodState {
  switch (event.type) {
    case 'PeriodOpened': {
      const { periodId, provinceCode, year, framework, deadlines, openedAt } = event.data;
      return {
        status: 'open',
        periodId,
        provinceCode,
        year,
        framework,
        frameworkPins: [{ ...framework, cause: null, decisionRef: null, pinnedAt: openedAt }],
        deadlines,
        selfAssessmentClosedAt: null,
      };
    }
    case 'SelfAssessmentClosed':
      if (state.status !== 'open') return state;
      return { ...state, status: 'self_assessment_closed', selfAssessmentClosedAt: event.data.closedAt };
    case 'PeriodPublished': {
      if (state.status !== 'self_assessment_closed') return state;
      const { decisionNumber, decisionDate, exclusions, publishedBy, publishedAt } = event.data;
      return {
        ...state,
        status: 'published',
        publication: { decisionNumber, decisionDate, recordedBy: publishedBy, recordedAt: publishedAt },
        exclusions,
        corrections: [],
      };
    }
    case 'PeriodCorrected': {
      if (state.status !== 'published') return state;
      const { decisionNumber, decisionDate, reason, correctedBy, correctedAt } = event.data;
      return {
        ...state,
        corrections: [...state.corrections, { decisionNumber, decisionDate, reason, recordedBy: correctedBy, recordedAt: correctedAt }],
      };
    }
    case 'FrameworkVersionPinned': {
      if (state.status === 'not_opened') return state;
      const { frameworkId, version, cause, decisionRef, pinnedAt } = event.data;
      return {
        ...state,
        framework: { id: frameworkId, version },
        frameworkPins: [...state.frameworkPins, { id: frameworkId, version, cause, decisionRef, pinnedAt }],
      };
    }
    case 'PeriodDeadlinesExtended':
      if (state.status === 'not_opened') return state;
      return { ...state, deadlines: event.data.deadlines };
    default:
      return assertNever(event, 'period event');
  }
}

export const periodDecider: Decider<PeriodState, PeriodCommand, PeriodEvent> = {
  decide: decidePeriod,
  evolve: evolvePeriod,
  initialState: initialPeriodState,
};
