export type {
  AcceptCriterion,
  AdjustCriterion,
  AppealAdjustmentInput,
  AppealAssessment,
  ApproveAssessment,
  AssessmentCommand,
  AssessmentCommandType,
  CompleteReview,
  MarkCriterionNotApplicable,
  PublishAssessment,
  RecordScoresRecalculated,
  ReopenReview,
  ResolveAppeal,
  ResubmitAssessment,
  ReturnAssessment,
  ScoreCriterion,
  SendBack,
  StartAssessment,
  StartReview,
  SubmitAssessment,
  WithdrawSubmission,
} from './lib/assessment.commands';
export type {
  Acted,
  AppealAdjustment,
  AppealResolved,
  AssessmentAppealed,
  AssessmentApproved,
  AssessmentEvent,
  AssessmentPublished,
  AssessmentResubmitted,
  AssessmentReturned,
  AssessmentSentBack,
  AssessmentStarted,
  AssessmentSubmitted,
  CriterionAccepted,
  CriterionAdjusted,
  CriterionScored,
  PartFigures,
  PartRecalculation,
  RecalculationCause,
  ReviewCompleted,
  ReviewReopened,
  ReviewStarted,
  ScoresRecalculated,
  SubmissionWithdrawn,
} from './lib/assessment.events';
export { isAssessmentEvent } from './lib/assessment.events';
export { publishingDecision, type PublishableAssessment, statusWithPeriod } from './lib/assessment.publication';
export type {
  AppealRecord,
  AppealResolutionRecord,
  AssessmentDetails,
  AssessmentState,
  AssessmentStatus,
  CriterionRecord,
  NotStartedAssessment,
  PublicationRecord,
  RecalculationRecord,
  ReviewComment,
  ReviewedScore,
  RevisionKind,
  RevisionRecord,
  SelfScore,
  StartedAssessment,
} from './lib/assessment.state';
export { assessmentStreamId, initialAssessmentState } from './lib/assessment.state';
export {
  type AssessmentFacts,
  changesAnswers,
  evolveAssessmentFacts,
  factsOf,
  foldAssessmentFacts,
  foldFactsByStream,
  type ScoringInputs,
  scoringInputsOf,
  UNREAD_ANSWERS,
} from './lib/assessment.facts';
export { decideScoresRecalculated } from './lib/commands/record-scores-recalculated.decide';
export { RANKED_STATUSES, type StatusChange, statusAfter, statusChangeOf } from './lib/assessment.status';
export type { AssessmentActor, AssessmentContext, AssessmentRole } from './lib/assessment.context';
export { AssessmentErrorCode, type AssessmentErrorCodeValue } from './lib/assessment.errors';
export { assessmentDecider, decideAssessment, evolveAssessment } from './lib/assessment.decider';
export { commandGuards, isSubmitted, type GuardClock } from './lib/assessment.guards';
export {
  criteriaView,
  effectiveAnswerOf,
  effectiveAnswers,
  effectivePoints,
  effectivePointsOf,
  nextActions,
  revisionAt,
  type CriterionView,
} from './lib/assessment.selectors';
export { ASSESSMENT_BATCH_REFUSED, acceptRemainingCommands, decideAssessmentBatch, type BatchItemError } from './lib/assessment.batch';
export {
  assessmentEventSchemaVersion,
  CRITERION_SCORED_SCHEMA_VERSION,
  criterionScoredV1Upcaster,
  evidenceLabel,
  type EvidenceFile,
  type EvidenceRecord,
  type EvidenceReference,
} from './lib/assessment.evidence';
