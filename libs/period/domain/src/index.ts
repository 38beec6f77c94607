export type {
  FrameworkVersionPinned,
  PeriodCorrected,
  PeriodDeadlines,
  PeriodDeadlinesExtended,
  PeriodEvent,
  PeriodOpened,
  PeriodPublished,
  PinnedFramework,
  PublicationExclusion,
  SelfAssessmentClosed,
} from './lib/period.events';
export type {
  CloseSelfAssessment,
  CorrectPeriod,
  ExcludedUnit,
  ExtendDeadlines,
  OpenPeriod,
  PeriodCommand,
  PinFrameworkVersion,
  PublishPeriod,
  UnitWithoutApproval,
} from './lib/period.commands';
export type { FrameworkPin, PeriodDecision, PeriodDetails, PeriodState, PublishedPeriodDetails } from './lib/period.state';
export { initialPeriodState, periodStreamId } from './lib/period.state';
export type { PeriodErrorCode } from './lib/period.errors';
export { decidePeriod, evolvePeriod, periodDecider } from './lib/period.decider';
export { appealWindowEndsAt, endOfLocalDay, latestDecision, periodDecisions, periodWindow, type PeriodPublicationWindow, type PeriodWindow, type PeriodWindowDecision } from './lib/period.selectors';
export {
  decisionNumberStreamId,
  type DecisionNumberReserved,
  type DecisionNumberState,
  evolveDecisionNumber,
  initialDecisionNumberState,
  normalizeDecisionNumber,
  periodEventSchemaVersion,
  periodPublishedV1Upcaster,
  reserveDecisionNumber,
} from './lib/decision-number';
