import { type PdfDefinition, renderPdf, vietnameseNumber } from '@tieuchi/shared/documents';
import { type RankingAppendix, vietnameseChange } from './ranking-appendix';

export async function appendixPdf(appendix: RankingAppendix): Promise<Buffer> {
  const body = [
    appendix.columns.map((text) => ({ text, bold: true, alignment: 'center' as const })),
    ...appendix.rows.map((row) => [
      { text: String(row.rank), alignment: 'center' as const },
      { text: row.unitName },
      { text: vietnameseNumber(row.score, 2), alignment: 'right' as const },
      { text: row.level, alignment: 'center' as const },
      { text: vietnameseChange(row.change), alignment: 'right' as const },
    ]),
  ];
  const definition: PdfDefinition = {
    info: { title: appendix.title.join(' — '), creator: 'tieuchi' },
    content: [
      ...appendix.title.map((text, index) => ({ text, alignment: 'center' as const, bold: true, fontSize: index === 0 ? 13 : 12, margin: [0, 0, 0, 2] as [number, number, number, number] })),
      { text: appendix.decisionLine, alignment: 'center' as const, italics: true, margin: [0, 2, 0, 14] as [number, number, number, number] },
      { table: { headerRows: 1, widths: [30, '*', 90, 50, 80], body } },
      ...(appendix.notAssessed.length === 0
        ? []
        : [
            { text: appendix.notAssessedHeading, bold: true, margin: [0, 14, 0, 4] as [number, number, number, number] },
            {
              table: {
                headerRows: 1,
                widths: [30, 150, '*'],
                body: [
                  appendix.notAssessedColumns.map((text) => ({ text, bold: true, alignment: 'center' as const })),
                  ...appendix.notAssessed.map((row, index) => [{ text: String(index + 1), alignment: 'center' as const }, { text: row.unitName }, { text: row.reason }]),
                ],
              },
            },
          ]),
      { text: appendix.note, italics: true, margin: [0, 10, 0, 0] as [number, number, number, number] },
    ],
  };
  return renderPdf(definition);
}
