import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { createHash, randomBytes } from 'node:crypto';

/** A small but well-formed one-page PDF whose bytes vary with `label`. */
export function samplePdf(label: string): Buffer {
  const text = `BT /F1 12 Tf 72 720 Td (${label.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A PDF of about `bytes` bytes (padding in a comment-free stream keeps it valid enough to detect). */
export function paddedPdf(label: string, bytes: number): Buffer {
  const head = samplePdf(label);
  if (bytes <= head.length) return head;
  const filler = Buffer.alloc(bytes - head.length, 0x20);
  // Bytes after %%EOF are ignored by readers; the type is decided by the header.
  return Buffer.concat([head, filler]);
}

/** A 1×1 PNG. */
export const samplePng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** A real XLSX written by exceljs. */
export async function sampleXlsx(cell: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Minh chứng').getCell('A1').value = cell;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A baseline TIFF of `bytes` bytes whose directory comes after the image data, as many scanners write it. */
export function tiffWithDirectoryAtEnd(bytes: number): Buffer {
  const header = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0, 0, 0, 0]);
  const directoryAt = bytes - 6;
  header.writeUInt32LE(directoryAt, 4);
  // An empty directory (no tags, no next directory) is enough for the type.
  return Buffer.concat([header, randomBytes(directoryAt - header.length), Buffer.alloc(6)]);
}

/** An XLSX package whose first member is a picture of `pictureBytes` bytes, so its content types come only after it. */
export async function xlsxWithLargeFirstMember(pictureBytes: number): Promise<Buffer> {
  const contentTypes =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="jpeg" ContentType="image/jpeg"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>';
  // Members are written in the order they are added, uncompressed (as a JPEG is in real packages).
  const zip = new JSZip();
  zip.file('docProps/thumbnail.jpeg', randomBytes(pictureBytes));
  zip.file('[Content_Types].xml', contentTypes);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
