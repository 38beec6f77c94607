import { type PdfDefinition, renderPdf } from '@tieuchi/shared/documents';
import type { AssessmentDocument } from './assessment-document';

type Margin = [number, number, number, number];

/** The assessment on A4 landscape: one table per part, a group's criteria under its heading, evidence under each criterion. */
export function assessmentPdf(document: AssessmentDocument): Promise<Buffer> {
  const heads = ['Mã', 'Tiêu chí', 'Tối đa', 'Tự đánh giá', 'Điểm tự chấm', 'Điểm thẩm định', 'Giải trình, thẩm định và minh chứng'].map((text) => ({ text, bold: true, alignment: 'center' as const }));
  const definition: PdfDefinition = {
    pageOrientation: 'landscape',
    info: { title: document.title.join(' — '), creator: 'tieuchi' },
    defaultStyle: { font: 'Roboto', fontSize: 9 },
    content: [
      ...document.title.map((text, index) => ({ text, alignment: 'center' as const, bold: true, fontSize: index === 0 ? 13 : 11, margin: [0, 0, 0, 2] as Margin })),
      { table: { widths: [110, '*'], body: document.facts.map(([label, value]) => [{ text: label, bold: true }, value]) }, layout: 'noBorders', margin: [0, 8, 0, 8] as Margin },
      ...document.parts.flatMap((part) => [
        { text: `Phần ${part.title}: ${part.score} / ${part.maxPoints} điểm — ${part.level}`, bold: true, fontSize: 11, margin: [0, 8, 0, 4] as Margin },
        {
          table: {
            headerRows: 1,
            widths: [52, '*', 36, 52, 44, 48, 230],
            body: [
              heads,
              ...part.groups.flatMap((group) => [
                [{ text: `${group.code} — ${group.title}`, bold: true, colSpan: 7, fillColor: '#eeeeee' }, '', '', '', '', '', ''],
                ...group.criteria.map((criterion) => [
                  criterion.code,
                  criterion.title,
                  { text: criterion.maxPoints, alignment: 'right' as const },
                  { text: criterion.selfAnswer, alignment: 'center' as const },
                  { text: criterion.selfPoints, alignment: 'right' as const },
                  { text: criterion.reviewedPoints, alignment: 'right' as const },
                  { stack: [...criterion.notes, ...criterion.evidence.map((line) => ({ text: line, fontSize: 7 }))] },
                ]),
              ]),
            ],
          },
        },
      ]),
      { text: 'Quá trình xử lý', bold: true, fontSize: 11, margin: [0, 12, 0, 4] as Margin },
      { table: { widths: [110, '*'], body: document.trail.map(([label, value]) => [{ text: label, bold: true }, value]) }, layout: 'noBorders' },
    ],
  };
  return renderPdf(definition);
}
