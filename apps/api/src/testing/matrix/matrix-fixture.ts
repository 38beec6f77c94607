import type { INestApplication } from '@nestjs/common';
import {
  type AssessmentCommand,
  type AssessmentEvent,
  type AssessmentState,
  decideAssessment,
  evolveAssessment,
  initialAssessmentState,
} from '@tieuchi/assessment/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { AssessmentContextLoader } from '@tieuchi/assessment/feature';
import { type FrameworkDefinition, loadBundledFramework } from '@tieuchi/framework/domain';
import { CommandExecutor, READ_MODEL_DB } from '@tieuchi/shared/application';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { selfScoreData, tierCriteriaOf } from '../assessment-workflow';
import { seedThroughExecutor } from '../seed-through-executor';
import { ADMIN_TARGET_UNIT, MATRIX_FRAMEWORK, MATRIX_PERIOD, OTHER_UNIT, OWN_UNIT } from './expected-route-policies';
import { demoPrincipal } from '../demo-accounts';

export const matrixFramework: FrameworkDefinition = loadBundledFramework(MATRIX_FRAMEWORK);
export const communeCriteria = tierCriteriaOf(matrixFramework, 'commune');

type Input = Pick<AssessmentCommand, 'type' | 'data'>;

/** Opens a period of the matrix framework (2392-2017 v1) for province 67. */
export async function openPeriod(app: INestApplication, periodId: string, year: number): Promise<void> {
  await seedThroughExecutor(app).period(periodId, {
    type: 'OpenPeriod',
    data: { periodId, provinceCode: '67', year, framework: { id: MATRIX_FRAMEWORK, version: 1 }, deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 } },
  });
}

/**
 * The matrix's world: framework 2392-2017 published; communes 24728 (the bound users' own unit)
 * and 24655 (another) and the districts 660, 662, 664 registered; period daknong-2019 open; the
 * own unit's assessment a draft with one criterion scored, the other unit's submitted.
 */
export async function seedMatrixFixture(app: INestApplication): Promise<void> {
  const seed = seedThroughExecutor(app);
  await seed.publishedFramework(MATRIX_FRAMEWORK, matrixFramework);
  await seed.daknongUnits([OWN_UNIT, OTHER_UNIT, ADMIN_TARGET_UNIT, '662', '664']);
  await openPeriod(app, MATRIX_PERIOD, 2019);
  await driveAssessment(app, MATRIX_PERIOD, OWN_UNIT, 'draft');
  await driveAssessment(app, MATRIX_PERIOD, OTHER_UNIT, 'submitted');
}

/**
 * A commune's assessment, through the executor and the decider as the demo users would fill it:
 * `draft` is started with its first criterion scored; `submitted` has every criterion scored and
 * is submitted by the lead.
 */
export async function driveAssessment(app: INestApplication, periodId: string, unitCode: string, until: 'draft' | 'submitted'): Promise<void> {
  const executor = app.get(CommandExecutor);
  const contexts = app.get(AssessmentContextLoader);
  const send = async (userId: string, command: Input): Promise<void> => {
    const principal = await demoPrincipal(app, userId);
    const context = await contexts.contextFor(periodId, principal);
    await executor.execute<AssessmentState, AssessmentEvent>(
      {
        streamName: assessmentStreamName(periodId, unitCode),
        initialState: initialAssessmentState,
        evolve: evolveAssessment,
        decide: (state, metadata) => decideAssessment({ ...command, metadata } as AssessmentCommand, state, context),
      },
      { actor: userId, correlationId: `matrix-${unitCode}` },
    );
  };
  const editor = `editor.${unitCode}@daknong`;
  await send(editor, { type: 'StartAssessment', data: { periodId, unitCode, tier: 'commune' } });
  const criteria = until === 'draft' ? communeCriteria.slice(0, 1) : communeCriteria;
  for (const criterion of criteria) await send(editor, { type: 'ScoreCriterion', data: { criterionCode: criterion.code, ...selfScoreData(criterion) } });
  if (until === 'submitted') await send(`lead.${unitCode}@daknong`, { type: 'SubmitAssessment', data: {} });
}

/** Every committed event, counted in SQL: the feed would hide those behind an open transaction. */
export async function countStoredEvents(app: INestApplication): Promise<number> {
  const database = app.get<SqlClient>(READ_MODEL_DB);
  // Accounts the test app provisions for the callers it signs tokens for are set-up, not the call's doing.
  const { rows } = await database.query<{ count: string }>("SELECT count(*)::text AS count FROM event_store.events WHERE stream_name NOT LIKE 'account-%'");
  return Number(rows[0]?.count ?? Number.NaN);
}
