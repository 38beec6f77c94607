export type { DaknongDemoInput, DaknongGroupSplit, DaknongTargetScore } from './lib/daknong-demo.input';
export { parseGroupSplits, parseTargetScores } from './lib/daknong-demo-input.parser';
export { WORKSPACE_ROOT, loadDaknongDemoInput } from './lib/daknong-scores.loader';
export {
  DAKNONG_2018,
  DAKNONG_2019,
  DAKNONG_FRAMEWORK_ID,
  DAKNONG_PERIODS,
  DAKNONG_PROVINCE_CODE,
  type DaknongPeriodPlan,
} from './lib/daknong-periods';
export { DAKNONG_ADMINISTRATOR, DAKNONG_APPROVER, DAKNONG_REVIEWERS, unitEditor, unitLead } from './lib/daknong-actors';
export {
  daknongActors,
  daknongCommands,
  type DaknongStep,
} from './lib/daknong-commands';
export {
  applyDaknongSteps,
  buildDaknongHistory,
  type DaknongEvent,
  type DaknongHistory,
  type RecordedDaknongEvent,
} from './lib/daknong-history.builder';
export { daknongPartScores, daknongRankings, type DaknongPartResult } from './lib/daknong-rankings';
export { answersForGroupTargets, splitAcrossGroups } from './lib/part-answers.allocator';
export { FixtureClock, FixtureIds } from './lib/fixture-clock';
export { DAKNONG_PEOPLE, daknongPerson, type DaknongPerson } from './lib/daknong-people';
