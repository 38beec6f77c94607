/**
 * What may be uploaded as evidence, decided from the bytes (file-type), never from the name: PDF,
 * images, Office and OpenDocument files. Old binary Office files are all one container format
 * (CFB); for those the name's extension says which of the three it is.
 */
export const evidenceMediaTypes: ReadonlySet<string> = new Set([
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/tiff',
  'image/bmp',
  'image/heic',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
]);

const cfbByExtension: Readonly<Record<string, string>> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

/** Declared types that say nothing (browsers send these for unknown files). */
const uninformative = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** The media type to record for detected bytes, or null when such files are not evidence. */
export function evidenceMediaType(detected: string | undefined, fileName: string): string | null {
  if (detected === undefined) return null;
  if (detected === 'application/x-cfb') {
    const extension = fileName.toLowerCase().split('.').pop() ?? '';
    return cfbByExtension[extension] ?? null;
  }
  return evidenceMediaTypes.has(detected) ? detected : null;
}

/** Whether a client's declared type contradicts what the bytes are. */
export function contradictsDeclared(declared: string | undefined, actual: string): boolean {
  if (declared === undefined) return false;
  const normalized = declared.split(';')[0]?.trim().toLowerCase() ?? '';
  if (uninformative.has(normalized)) return false;
  const aliases: Readonly<Record<string, string>> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'application/x-pdf': 'application/pdf' };
  return (aliases[normalized] ?? normalized) !== actual;
}
