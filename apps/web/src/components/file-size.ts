import { numberFormat } from '../format';

/** Bytes as people read them, in the convention of the language: 183 KB, 4,2 MB (4.2 MB in English). */
export function formatFileSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${numberFormat(`size${digits}`, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
