import { dirname, join } from 'node:path';
import type Pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces';

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
let configured: typeof Pdfmake | undefined;

/** pdfmake, loaded and configured at the first document (an idle server never renders one). */
function pdfmake(): typeof Pdfmake {
  if (configured) return configured;
  const loaded = require('pdfmake') as typeof Pdfmake;
  loaded.setFonts(fonts);
  // Documents are built from our own data only: nothing is fetched, only the font files are read.
  loaded.setUrlAccessPolicy(() => false);
  (loaded as unknown as { setLocalAccessPolicy(policy: (path: string) => boolean): void }).setLocalAccessPolicy((path) => fontFiles.has(path));
  configured = loaded;
  return loaded;
}

/** The A4 page every document of the province uses, with the embedded Vietnamese font. */
export const pdfPage = {
  pageSize: 'A4',
  pageMargins: [56, 56, 56, 56],
  defaultStyle: { font: 'Roboto', fontSize: 11 },
} as const satisfies Partial<TDocumentDefinitions>;

export type PdfDefinition = TDocumentDefinitions;

export function renderPdf(definition: PdfDefinition): Promise<Buffer> {
  return pdfmake().createPdf({ ...pdfPage, ...definition }).getBuffer();
}
