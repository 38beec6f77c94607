import type { AssessmentStatus, ReviewedScore } from '@tieuchi/assessment/domain';
import type { CriterionAnswer, FrameworkDefinition } from '@tieuchi/framework/domain';
import { vietnameseDateTime, vietnameseNumber } from '@tieuchi/shared/documents';
import type { AssessmentDetail, CriterionDetail } from '../get-assessment/get-assessment.query';

const tierLabels: Readonly<Record<string, string>> = { province: 'cấp tỉnh', district: 'cấp huyện', commune: 'cấp xã' };
const statusLabels: Readonly<Record<AssessmentStatus, string>> = {
  draft: 'Đang tự đánh giá',
  submitted: 'Đã nộp, chờ thẩm định',
  under_review: 'Đang thẩm định',
  returned: 'Trả lại để bổ sung',
  resubmitted: 'Đã nộp lại, chờ thẩm định',
  reviewed: 'Đã thẩm định, chờ phê duyệt',
  approved: 'Đã phê duyệt',
  published: 'Đã công bố',
  appealed: 'Đang phúc khảo',
  upheld: 'Phúc khảo: giữ nguyên',
  revised: 'Phúc khảo: đã điều chỉnh',
};
const decisionLabels: Readonly<Record<ReviewedScore['decision'], string>> = { accepted: 'Thẩm định giữ nguyên', adjusted: 'Thẩm định điều chỉnh', revised_on_appeal: 'Điều chỉnh khi phúc khảo' };

/** One criterion line: its maximum, both answers and scores, and the words and files behind them. */
export interface DocumentCriterion {
  readonly code: string;
  readonly title: string;
  readonly maxPoints: string;
  readonly selfAnswer: string;
  readonly selfPoints: string;
  readonly reviewedPoints: string;
  /** The unit's explanation and the reviewer's decision with its reason, in that order. */
  readonly notes: readonly string[];
  readonly evidence: readonly string[];
}

export interface DocumentGroup {
  readonly code: string;
  readonly title: string;
  readonly criteria: readonly DocumentCriterion[];
}

export interface DocumentPart {
  readonly title: string;
  readonly maxPoints: string;
  readonly score: string;
  readonly level: string;
  readonly groups: readonly DocumentGroup[];
}

/** An assessment as a document a province files: the criteria tree with both scores, the evidence by hash, and who did what when. */
export interface AssessmentDocument {
  readonly title: readonly string[];
  readonly facts: readonly (readonly [string, string])[];
  readonly parts: readonly DocumentPart[];
  readonly trail: readonly (readonly [string, string])[];
  readonly fileName: string;
}

const points = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : vietnameseNumber(value, 2));

function answerText(answer: CriterionAnswer | undefined): string {
  if (!answer) return '—';
  if (answer.kind === 'not_applicable') return 'Không áp dụng';
  if (typeof answer.value === 'boolean') return answer.value ? 'Có' : 'Không';
  return String(answer.value).replace('.', ',');
}

function evidenceLines(criterion: CriterionDetail | undefined): string[] {
  return (criterion?.self?.evidence ?? []).map((record) =>
    record.kind === 'file' ? `${record.name} (${record.size.toLocaleString('vi-VN')} byte, SHA-256 ${record.sha256})` : `Tài liệu: ${record.reference}`,
  );
}

function notesOf(criterion: CriterionDetail | undefined): string[] {
  const notes: string[] = [];
  if (criterion?.self?.explanation) notes.push(`Giải trình: ${criterion.self.explanation}`);
  const review = criterion?.review;
  if (review) notes.push(`${decisionLabels[review.decision as ReviewedScore['decision']] ?? review.decision}${review.reason ? `: ${review.reason}` : ''}`);
  return notes;
}

const when = (who: string | null, at: string | null): string => (who === null ? '—' : `${who}${at ? `, lúc ${vietnameseDateTime(at)}` : ''}`);

export function assessmentDocument(detail: AssessmentDetail, framework: FrameworkDefinition, unit: { readonly code: string; readonly name: string }, generatedAt: string): AssessmentDocument {
  const tier = framework.tiers.find((candidate) => candidate.tier === detail.tier);
  const byCode = new Map(detail.criteria.map((criterion) => [criterion.code, criterion]));
  const partScores = new Map(detail.parts.map((part) => [part.partCode, part]));
  return {
    title: ['PHIẾU ĐÁNH GIÁ MỨC ĐỘ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN', `${unit.name} (mã ${unit.code}) — đơn vị ${tierLabels[detail.tier] ?? detail.tier}`],
    facts: [
      ['Kỳ đánh giá', detail.periodId],
      ['Bộ tiêu chí', `${framework.title}${framework.legalBasis ? ` (${framework.legalBasis})` : ''}, phiên bản ${detail.framework.version}`],
      ['Trạng thái', `${statusLabels[detail.status as AssessmentStatus] ?? detail.status}; lần nộp ${detail.revision}; phiên bản phiếu ${detail.version}`],
    ],
    parts: (tier?.parts ?? []).map((part) => {
      const score = partScores.get(part.code);
      return {
        title: part.title,
        maxPoints: points(part.maxPoints),
        score: points(score?.score),
        level: score?.level ? (part.levels.find((band) => band.level === score.level)?.label ?? score.level) : 'Chưa xếp mức',
        groups: part.groups.map((group) => ({
          code: group.code,
          title: group.title,
          criteria: group.criteria.map((definition) => {
            const criterion = byCode.get(definition.code);
            return {
              code: definition.code,
              title: definition.title,
              maxPoints: points(definition.maxPoints),
              selfAnswer: answerText(criterion?.self?.answer),
              selfPoints: points(criterion?.self?.points),
              reviewedPoints: points(criterion?.review?.points),
              notes: notesOf(criterion),
              evidence: evidenceLines(criterion),
            };
          }),
        })),
      };
    }),
    trail: [
      ['Bắt đầu tự đánh giá', when(detail.startedBy, null)],
      ['Nộp phiếu', when(detail.submittedBy, detail.submittedAt)],
      ['Thẩm định', when(detail.reviewedBy, detail.reviewedAt)],
      ['Phê duyệt', when(detail.approvedBy, detail.approvedAt)],
      ['Công bố', detail.publishedAt ? vietnameseDateTime(detail.publishedAt) : '—'],
      ['Xuất phiếu lúc', vietnameseDateTime(generatedAt)],
    ],
    fileName: `phieu-danh-gia-${detail.periodId}-${unit.code}`,
  };
}
