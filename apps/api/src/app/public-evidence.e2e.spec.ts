import { type AssessmentEvent, type AssessmentState, evolveAssessment, initialAssessmentState } from '@tieuchi/assessment/domain';
import { CommandExecutor } from '@tieuchi/shared/application';
import { type CriterionDefinition, type FrameworkDefinition, loadBundledFramework } from '@tieuchi/framework/domain';
import { paddedPdf, sha256Of } from '@tieuchi/shared/evidence-storage/testing';
import type { Response } from 'supertest';
import { assessmentRoutes, publishAssessmentThroughBus, selfScoreBody, tierCriteriaOf } from '../testing/assessment-workflow';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const period = 'daknong-2019';
const nam = '24728';
const tam = '24655';
const bundled = loadBundledFramework('2392-2017');
const communeCriteria = tierCriteriaOf(bundled, 'commune');
const publicCriterion = communeCriteria[0]!.code;
const privateCriterion = communeCriteria[1]!.code;

/** The bundled framework with one commune criterion's evidence published with the results. */
function withPublicEvidence(definition: FrameworkDefinition, code: string): FrameworkDefinition {
  const mark = (criterion: CriterionDefinition): CriterionDefinition => (criterion.code === code ? { ...criterion, publicEvidence: true } : criterion);
  return {
    ...definition,
    tiers: definition.tiers.map((tier) => ({ ...tier, parts: tier.parts.map((part) => ({ ...part, groups: part.groups.map((group) => ({ ...group, criteria: group.criteria.map(mark) })) })) })),
  };
}

function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('public evidence: the criteria a framework marks publicEvidence, of published assessments, for anyone', () => {
  let t: TestApp;
  const routes = assessmentRoutes(period, nam);
  const listPath = (unit = nam) => `/periods/${period}/units/${unit}/public-evidence`;
  const publicPdf = paddedPdf('Ke hoach cong khai', 30_000);
  const privatePdf = paddedPdf('Bien ban noi bo', 30_000);
  const publicName = 'Kế hoạch ứng dụng CNTT năm 2019 (công khai).pdf';

  const anonymous = async (path: string): Promise<{ status: number; code?: string }> => {
    const res = await t.http().get(path);
    return { status: res.status, ...(res.status >= 400 ? { code: res.body.code } : {}) };
  };

  beforeAll(async () => {
    t = await startTestApp();
    await seedThroughExecutor(t.app).twoCommunesInOpenPeriod(period, withPublicEvidence(bundled, publicCriterion));
    const editor = await t.bearer(`editor.${nam}@daknong`);
    const upload = async (name: string, bytes: Buffer): Promise<string> => {
      const res = await t.http().post(`/periods/${period}/assessments/${nam}/evidence`).set('Authorization', editor).attach('file', bytes, { filename: name, contentType: 'application/pdf' });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    expect((await t.http().post(routes.start).set('Authorization', editor)).status).toBe(201);
    const publicId = await upload(publicName, publicPdf);
    const privateId = await upload('Biên bản họp nội bộ.pdf', privatePdf);
    for (const criterion of communeCriteria) {
      const evidence = criterion.code === publicCriterion ? [{ id: publicId }] : criterion.code === privateCriterion || criterion.evidenceRequired ? [{ id: privateId }] : [];
      expect((await t.http().post(routes.score(criterion.code)).set('Authorization', editor).send({ ...selfScoreBody(criterion, 0.8), evidence })).status).toBe(200);
    }
  }, 90_000);

  afterAll(() => t?.close());

  it('answers a draft, a submitted and an approved assessment exactly as a missing one (404), to anyone', async () => {
    const draft = await anonymous(listPath());
    expect(draft).toEqual({ status: 404, code: 'ASSESSMENT.NOT_FOUND' });
    expect(await anonymous(listPath(tam))).toEqual(draft);
    expect(await anonymous(`${listPath()}/${sha256Of(publicPdf)}`)).toEqual(draft);

    expect((await t.http().post(routes.submit).set('Authorization', await t.bearer(`lead.${nam}@daknong`))).status).toBe(200);
    expect(await anonymous(listPath())).toEqual(draft);
    const reviewer = await t.bearer('reviewer.1@daknong');
    expect((await t.http().post(routes.startReview).set('Authorization', reviewer)).status).toBe(200);
    for (const criterion of communeCriteria) expect((await t.http().post(routes.accept(criterion.code)).set('Authorization', reviewer)).status).toBe(200);
    expect((await t.http().post(routes.completeReview).set('Authorization', reviewer)).status).toBe(200);
    const { state } = await t.app.get(CommandExecutor).load<AssessmentState, AssessmentEvent>(routes.streamName, initialAssessmentState, evolveAssessment);
    const revision = state.status === 'not_started' ? -1 : state.revision;
    expect((await t.http().post(routes.approve).set('Authorization', await t.bearer('approver.1@daknong')).send({ revision })).status).toBe(200);
    // Even the unit's own users and staff get nothing through the public route before publication.
    expect((await t.http().get(listPath()).set('Authorization', await t.bearer(`editor.${nam}@daknong`))).status).toBe(404);
    expect(await anonymous(`${listPath()}/${sha256Of(publicPdf)}`)).toEqual(draft);
  });

  it("lists and serves, once published, the public criterion's file to anyone and refuses the private one", async () => {
    await publishAssessmentThroughBus(t.app, period, nam, { decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' });
    const list = await t.http().get(listPath());
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      periodId: period,
      unitCode: nam,
      files: [{ criterionCode: publicCriterion, name: publicName, size: publicPdf.length, mediaType: 'application/pdf', sha256: sha256Of(publicPdf) }],
    });

    const file = await t.http().get(`${listPath()}/${sha256Of(publicPdf)}`).buffer(true).parse(binary);
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body as Buffer, publicPdf)).toBe(0);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)$/.exec(file.headers['content-disposition'] ?? '')?.[1] ?? '')).toBe(publicName);

    // The private criterion's file is in the same published assessment, and stays private.
    expect(await anonymous(`${listPath()}/${sha256Of(privatePdf)}`)).toEqual({ status: 404, code: 'EVIDENCE.NOT_FOUND' });
    expect(await anonymous(`${listPath()}/${'f'.repeat(64)}`)).toEqual({ status: 404, code: 'EVIDENCE.NOT_FOUND' });
    // The authenticated route keeps its own rules: no token, no file.
    expect((await t.http().get(`/periods/${period}/assessments/${nam}/evidence/${sha256Of(publicPdf)}`)).status).toBe(401);
    expect(await anonymous(`/periods/${period}/units/${nam}/public-evidence/not-a-hash`)).toMatchObject({ status: 400 });
  });
});
