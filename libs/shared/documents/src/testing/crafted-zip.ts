import { crc32, deflateRawSync } from 'node:zlib';

/** One part of a hand-made zip; `declaredSize` may lie about what `content` inflates to. */
export interface CraftedEntry {
  readonly name: string;
  readonly content: Buffer;
  readonly declaredSize?: number;
  /** Written among the parts but left out of the directory: only a reader walking the local headers finds it. */
  readonly unlisted?: boolean;
}

/**
 * Writes a zip by hand (deflated parts, central directory, end record), so tests can build what no
 * honest zip tool writes: parts that inflate far past the size they declare, or thousands of parts.
 */
export function craftZip(entries: readonly CraftedEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = deflateRawSync(entry.content, { level: 9 });
    const size = entry.declaredSize ?? entry.content.length;
    const crc = crc32(entry.content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    if (!entry.unlisted) centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const listed = entries.filter((entry) => !entry.unlisted).length;
  end.writeUInt16LE(listed, 8);
  end.writeUInt16LE(listed, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * An XLSX-looking zip bomb of well under 1 MB: a worksheet part of `inflatedMegabytes` of spaces,
 * declared (falsely, unless `honest`) as a few hundred bytes.
 */
export function craftXlsxBomb(inflatedMegabytes: number, honest = false): Buffer {
  const content = Buffer.alloc(inflatedMegabytes * 1024 * 1024, 0x20);
  return craftZip([
    { name: '[Content_Types].xml', content: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
    { name: 'xl/worksheets/sheet1.xml', content, ...(honest ? {} : { declaredSize: 512 }) },
  ]);
}
