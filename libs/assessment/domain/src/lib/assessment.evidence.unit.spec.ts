import { actors, given, started } from '../testing/assessment.fixtures';
import { assessmentEventSchemaVersion, criterionScoredV1Upcaster, type EvidenceFile } from './assessment.evidence';

const { editor } = actors;
const file = (name: string, sha: string): EvidenceFile => ({ kind: 'file', name, size: 2048, mediaType: 'application/pdf', sha256: sha.repeat(64) });

describe('evidence records', () => {
  it('ScoreCriterion records each file with name, size, media type and hash, once', () => {
    const plan = file('Kế hoạch chuyển đổi số năm 2019.pdf', 'a');
    const photo: EvidenceFile = { kind: 'file', name: 'Ảnh chụp cổng TTĐT.png', size: 99, mediaType: 'image/png', sha256: 'b'.repeat(64) };
    const events = given(started)
      .as(editor)
      .when('ScoreCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 5 }, evidence: [plan, photo, plan, { kind: 'reference', reference: '  ' }] })
      .events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'CriterionScored', data: { evidence: [plan, photo] } });
  });

  it('the same bytes under two names are two records', () => {
    const events = given(started)
      .as(editor)
      .when('ScoreCriterion', { criterionCode: 'D.R.1', answer: { kind: 'value', value: 5 }, evidence: [file('bản gốc.pdf', 'c'), file('bản sao.pdf', 'c')] })
      .events();
    expect(events[0]).toMatchObject({ data: { evidence: [{ name: 'bản gốc.pdf' }, { name: 'bản sao.pdf' }] } });
  });

  it('upcasts schema 1 evidence strings to reference records and leaves schema 2 data alone', () => {
    const v1 = { criterionCode: 'D.R.1', points: 3, evidenceRefs: ['Quyết định 12/QĐ-UBND', 'ảnh.png'], explanation: null };
    expect(criterionScoredV1Upcaster.upcast(v1)).toEqual({
      criterionCode: 'D.R.1',
      points: 3,
      explanation: null,
      evidence: [
        { kind: 'reference', reference: 'Quyết định 12/QĐ-UBND' },
        { kind: 'reference', reference: 'ảnh.png' },
      ],
    });
    const v2 = { criterionCode: 'D.R.1', evidence: [file('x.pdf', 'd')] };
    expect(criterionScoredV1Upcaster.upcast(v2)).toEqual(v2);
    expect(assessmentEventSchemaVersion('CriterionScored')).toBe(2);
    expect(assessmentEventSchemaVersion('AssessmentSubmitted')).toBe(1);
  });
});
