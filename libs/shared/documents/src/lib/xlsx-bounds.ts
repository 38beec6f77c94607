import { inflateRawSync } from 'node:zlib';

/**
 * What an uploaded XLSX may unpack to. A workbook is a zip: 2 MB of upload can declare (or really
 * inflate to) gigabytes. A form of a few hundred
 * criteria or a national unit list (11,000 rows) unpacks to a few MB, so these leave ample room.
 */
export const XLSX_BOUNDS = {
  /** The sum of every part once inflated. */
  maxUncompressedBytes: 64 * 1024 * 1024,
  /** Parts in the zip (a workbook has a dozen or two). */
  maxEntries: 2_000,
} as const;

export type XlsxBounds = { readonly maxUncompressedBytes: number; readonly maxEntries: number };

/** The file is a zip that unpacks to more than the bounds allow; the HTTP layer answers 413. */
export class XlsxTooLargeError extends Error {}

/** The file is not a zip at all (or a broken one); callers answer 400. */
export class XlsxNotAZipError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const SIZES_IN_DESCRIPTOR = 0x0008;
const STORED = 0;
const DEFLATED = 8;

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly declaredSize: number;
  readonly localHeaderOffset: number;
}

function endOfCentralDirectory(bytes: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535; it is searched from the end.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let offset = bytes.length - 22; offset >= lowest; offset -= 1) {
    if (bytes.readUInt32LE(offset) === EOCD) return offset;
  }
  throw new XlsxNotAZipError('no zip directory');
}

function centralDirectory(bytes: Buffer, bounds: XlsxBounds): { entries: ZipEntry[]; start: number } {
  const eocd = endOfCentralDirectory(bytes);
  const count = bytes.readUInt16LE(eocd + 10);
  const size = bytes.readUInt32LE(eocd + 12);
  const start = bytes.readUInt32LE(eocd + 16);
  // Zip64 marks these fields 0xFFFF / 0xFFFFFFFF; no workbook within the bounds needs it.
  if (count === 0xffff || size === 0xffffffff || start === 0xffffffff) throw new XlsxTooLargeError('zip64');
  if (count > bounds.maxEntries) throw new XlsxTooLargeError(`${count} entries`);
  if (start + size > eocd) throw new XlsxNotAZipError('directory outside the file');
  const entries: ZipEntry[] = [];
  let offset = start;
  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > eocd || bytes.readUInt32LE(offset) !== CENTRAL_HEADER) throw new XlsxNotAZipError('broken directory');
    const nameLength = bytes.readUInt16LE(offset + 28);
    entries.push({
      name: bytes.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: bytes.readUInt16LE(offset + 10),
      compressedSize: bytes.readUInt32LE(offset + 20),
      declaredSize: bytes.readUInt32LE(offset + 24),
      localHeaderOffset: bytes.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
  }
  return { entries, start };
}

/**
 * Workbooks are read by a streaming unzipper that walks the local headers from the first byte, not
 * the directory: every byte before the directory must belong to an entry the directory lists, with
 * the sizes it lists, so that no part the bounds did not inflate can be hidden between them.
 */
function assertEntriesTileTheFile(bytes: Buffer, entries: readonly ZipEntry[], directoryStart: number): void {
  let expected = 0;
  for (const entry of [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset)) {
    const local = entry.localHeaderOffset;
    if (local !== expected) throw new XlsxNotAZipError(`bytes outside the listed parts before ${entry.name}`);
    const flags = bytes.readUInt16LE(local + 6);
    const sizesInDescriptor = (flags & SIZES_IN_DESCRIPTOR) !== 0;
    if (!sizesInDescriptor && bytes.readUInt32LE(local + 18) !== entry.compressedSize) throw new XlsxNotAZipError(`${entry.name}: local and listed sizes differ`);
    expected = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28) + entry.compressedSize;
    if (sizesInDescriptor) {
      if (expected + 12 > directoryStart) throw new XlsxNotAZipError(`${entry.name}: no data descriptor`);
      const signed = bytes.readUInt32LE(expected) === DATA_DESCRIPTOR;
      if (bytes.readUInt32LE(expected + (signed ? 8 : 4)) !== entry.compressedSize) throw new XlsxNotAZipError(`${entry.name}: descriptor and listed sizes differ`);
      expected += signed ? 16 : 12;
    }
  }
  if (expected !== directoryStart) throw new XlsxNotAZipError('bytes outside the listed parts before the directory');
}

/**
 * Refuses a workbook before it is parsed when its zip has too many parts or unpacks past the
 * bound: declared sizes first (cheap), then each part really inflated under a cap, since a crafted
 * zip can lie about its sizes. At most one part's inflated bytes are held at a time.
 */
export function assertXlsxWithinBounds(bytes: Buffer, bounds: XlsxBounds = XLSX_BOUNDS): void {
  if (bytes.length < 22) throw new XlsxNotAZipError('too short');
  const { entries, start } = centralDirectory(bytes, bounds);
  const declared = entries.reduce((sum, entry) => sum + entry.declaredSize, 0);
  if (declared > bounds.maxUncompressedBytes) throw new XlsxTooLargeError(`declares ${declared} bytes`);
  let remaining = bounds.maxUncompressedBytes;
  for (const entry of entries) {
    const local = entry.localHeaderOffset;
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LOCAL_HEADER) throw new XlsxNotAZipError(`broken entry ${entry.name}`);
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(dataStart, dataStart + entry.compressedSize);
    if (entry.method === STORED) {
      remaining -= data.length;
    } else if (entry.method === DEFLATED) {
      try {
        remaining -= inflateRawSync(data, { maxOutputLength: Math.max(1, remaining + 1) }).length;
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new XlsxTooLargeError(`${entry.name} inflates past the bound`);
        throw new XlsxNotAZipError(`${entry.name} cannot be inflated`);
      }
    } else {
      throw new XlsxNotAZipError(`${entry.name} uses compression method ${entry.method}`);
    }
    if (remaining < 0) throw new XlsxTooLargeError(`inflates past ${bounds.maxUncompressedBytes} bytes`);
  }
  assertEntriesTileTheFile(bytes, entries, start);
}

/** The Vietnamese refusal shown to the uploader, with the bound written out. */
export function xlsxTooLargeMessage(bounds: XlsxBounds = XLSX_BOUNDS): string {
  return `Bảng tính giải nén quá lớn (giới hạn ${Math.round(bounds.maxUncompressedBytes / 1024 / 1024)} MB sau giải nén và ${bounds.maxEntries} phần trong tệp); hãy lưu lại tệp bằng Excel hoặc chia nhỏ`;
}
