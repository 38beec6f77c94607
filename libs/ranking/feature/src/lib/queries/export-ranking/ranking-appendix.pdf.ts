import { dirname, join } from 'node:path';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import { type RankingAppendix, vietnameseChange, vietnameseNumber } from './ranking-appendix';

// Roboto as pdfmake ships it (TTF) has every precomposed Vietnamese letter; it is embedded, so
// the PDF reads the same on any machine.
const fontDir = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
const fonts = {
  Roboto: {
    normal: join(fontDir, 'Roboto-Regular.ttf'),
    bold: join(fontDir, 'Roboto-Medium.ttf'),
    italics: join(fontDir, 'Roboto-Italic.ttf'),
    bolditalics: join(fontDir, 'Roboto-MediumItalic.ttf'),
  },
};
const fontFiles = new Set(Object.values(fonts.Roboto));
pdfmake.setFonts(fonts);
// Documents are built from our own data only: nothing is fetched, only the font files are read.
pdfmake.setUrlAccessPolicy(() => false);
(pdfmake as unknown as { setLocalAccessPolicy(policy: (path: string) => boolean): void }).setLocalAccessPolicy((path) => fontFiles.has(path));

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
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 56],
    info: { title: appendix.title.join(' — '), creator: 'tieuchi' },
    defaultStyle: { font: 'Roboto', fontSize: 11 },
    content: [
      ...appendix.title.map((text, index) => ({ text, alignment: 'center' as const, bold: true, fontSize: index === 0 ? 13 : 12, margin: [0, 0, 0, 2] as [number, number, number, number] })),
      { text: appendix.decisionLine, alignment: 'center' as const, italics: true, margin: [0, 2, 0, 14] as [number, number, number, number] },
      { table: { headerRows: 1, widths: [30, '*', 90, 50, 80], body } },
      { text: appendix.note, italics: true, margin: [0, 10, 0, 0] as [number, number, number, number] },
    ],
  };
  return pdfmake.createPdf(definition).getBuffer();
}
