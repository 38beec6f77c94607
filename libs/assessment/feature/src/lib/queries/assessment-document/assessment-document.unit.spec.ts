import { loadBundledFramework } from '@tieuchi/framework/domain';
import type { AssessmentDetail } from '../get-assessment/get-assessment.query';
import { assessmentDocument } from './assessment-document';

const framework = loadBundledFramework('2392-2017');
const commune = framework.tiers.find((tier) => tier.tier === 'commune')!;
const [first, second] = commune.parts[0]!.groups[0]!.criteria;

const detail: AssessmentDetail = {
  periodId: 'daknong-2019',
  unitCode: '24728',
  tier: 'commune',
  framework: { id: framework.id, version: framework.version },
  status: 'approved',
  revision: 1,
  version: 30,
  startedBy: 'editor.24728@daknong',
  submittedBy: 'lead.24728@daknong',
  submittedAt: '2019-12-01T02:00:00.000Z',
  reviewedBy: 'reviewer.1@daknong',
  reviewedAt: '2019-12-10T09:30:00.000Z',
  approvedBy: 'approver@daknong',
  approvedAt: '2019-12-20T17:15:00.000Z',
  publishedAt: null,
  lastComment: null,
  flaggedCriteria: [],
  parts: [{ partCode: commune.parts[0]!.code, maxPoints: 30, total: 20, excludedPoints: 0, score: 26.8, level: commune.parts[0]!.levels[1]!.level, unanswered: 0 }],
  criteria: [
    {
      code: first!.code,
      self: {
        answer: { kind: 'value', value: 80 },
        points: 3.2,
        evidence: [{ kind: 'file', name: 'Quyết định 12.pdf', size: 120_000, mediaType: 'application/pdf', sha256: 'a'.repeat(64), href: '/x' }, { kind: 'reference', reference: 'Sổ theo dõi 2019' }],
        explanation: null,
        by: 'editor.24728@daknong',
        at: '2019-11-20T01:00:00.000Z',
      },
      review: { decision: 'adjusted', answer: { kind: 'value', value: 70 }, points: 2.8, reason: 'Thiếu danh sách máy tính', by: 'reviewer.1@daknong', at: '2019-12-10T09:00:00.000Z' },
    },
    { code: second!.code, self: { answer: { kind: 'not_applicable' }, points: null, evidence: [], explanation: 'Xã không có trụ sở riêng', by: 'editor.24728@daknong', at: '2019-11-20T01:00:00.000Z' }, review: null },
  ],
  nextActions: [],
};

describe('an assessment as a document', () => {
  const document = assessmentDocument(detail, framework, { code: '24728', name: "Nâm N'Jang" }, '2020-01-02T03:04:00.000Z');
  const lines = document.parts[0]!.groups[0]!.criteria;

  it('follows the framework: every part, group and criterion with its maximum, answered or not', () => {
    expect(document.parts.map((part) => part.title)).toEqual(commune.parts.map((part) => part.title));
    expect(document.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria.map((line) => line.code)))).toEqual(
      commune.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria.map((criterion) => criterion.code))),
    );
    expect(lines[0]).toMatchObject({ maxPoints: first!.maxPoints.toFixed(2).replace('.', ','), selfAnswer: '80', selfPoints: '3,20', reviewedPoints: '2,80' });
    expect(document.parts[1]!.groups[0]!.criteria[0]).toMatchObject({ selfAnswer: '—', selfPoints: '—', reviewedPoints: '—', notes: [], evidence: [] });
  });

  it("prints the reviewer's reason, the unit's explanation and each file by size and SHA-256", () => {
    expect(lines[0]!.notes).toEqual(['Thẩm định điều chỉnh: Thiếu danh sách máy tính']);
    expect(lines[0]!.evidence).toEqual([`Quyết định 12.pdf (120.000 byte, SHA-256 ${'a'.repeat(64)})`, 'Tài liệu: Sổ theo dõi 2019']);
    expect(lines[1]).toMatchObject({ selfAnswer: 'Không áp dụng', notes: ['Giải trình: Xã không có trụ sở riêng'] });
  });

  it('names the level by its label and who did what when, in Vietnam time', () => {
    expect(document.parts[0]!.level).toBe(commune.parts[0]!.levels[1]!.label);
    expect(document.parts[0]!.score).toBe('26,80');
    expect(document.facts[2]![1]).toBe('Đã phê duyệt; lần nộp 1; phiên bản phiếu 30');
    expect(document.trail).toEqual([
      ['Bắt đầu tự đánh giá', 'editor.24728@daknong'],
      ['Nộp phiếu', 'lead.24728@daknong, lúc 09:00 01/12/2019'],
      ['Thẩm định', 'reviewer.1@daknong, lúc 16:30 10/12/2019'],
      ['Phê duyệt', 'approver@daknong, lúc 00:15 21/12/2019'],
      ['Công bố', '—'],
      ['Xuất phiếu lúc', '10:04 02/01/2020'],
    ]);
    expect(document.fileName).toBe('phieu-danh-gia-daknong-2019-24728');
  });
});
