/**
 * A small RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF). The unit lists are tiny and
 * the domain takes no parser dependency for them.
 */
export function parseCsv(text: string): readonly Readonly<Record<string, string>>[] {
  const rows = parseRows(text.replace(/^\uFEFF/, ''));
  const [header, ...body] = rows;
  if (!header) return [];
  return body
    .filter((row) => row.some((cell) => cell !== ''))
    .map((row, index) => {
      if (row.length !== header.length) {
        throw new Error(`CSV line ${index + 2}: ${row.length} fields, the header has ${header.length}`);
      }
      return Object.fromEntries(header.map((name, i) => [name, row[i] ?? '']));
    });
}

function parseRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function column(row: Readonly<Record<string, string>>, name: string): string {
  const value = row[name];
  if (value === undefined) throw new Error(`CSV column ${name} is missing`);
  return value.trim();
}
