export type {
  FrameworkVersionPinned,
  PeriodCorrected,
  PeriodDeadlines,
  PeriodDeadlinesExtended,
  PeriodEvent,
  PeriodOpened,
  PeriodPublished,
  PinnedFramework,
  SelfAssessmentClosed,
} from './lib/period.events';
export type {
  CloseSelfAssessment,
  CorrectPeriod,
  ExtendDeadlines,
  OpenPeriod,
  PeriodCommand,
  PinFrameworkVersion,
  PublishPeriod,
} from './lib/period.commands';
export type { FrameworkPin, PeriodDecision, PeriodDetails, PeriodState, PublishedPeriodDetails } from './lib/period.state';
export { initialPeriodState, periodStreamId } from './lib/period.state';
export type { PeriodErrorCode } from './lib/period.errors';
export { decidePeriod, evolvePeriod, periodDecider } from './lib/period.decider';
export { appealWindowEndsAt, endOfLocalDay, latestDecision, periodDecisions, periodWindow, type PeriodWindow } from './lib/period.selectors';
