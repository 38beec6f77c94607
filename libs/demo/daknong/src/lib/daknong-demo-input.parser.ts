import { parseCsv } from '@tieuchi/unit/domain';
import type { DaknongGroupSplit, DaknongTargetScore } from './daknong-demo.input';

function column(row: Readonly<Record<string, string>>, name: string, line: number): string {
  const value = row[name];
  if (value === undefined) throw new Error(`CSV line ${line}: no column ${name}`);
  return value.trim();
}

function decimal(text: string, what: string, line: number): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new Error(`CSV line ${line}: ${what} "${text}" is not a number`);
  return value;
}

/** `config/demo/daknong-2018-2019-scores.csv`: one row per unit × part, a column per year (`score_<year>`). */
export function parseTargetScores(csvText: string): readonly DaknongTargetScore[] {
  return parseCsv(csvText).flatMap((row, index) => {
    const line = index + 2;
    const years = Object.keys(row)
      .map((name) => /^score_(\d{4})$/.exec(name)?.[1])
      .filter((year): year is string => year !== undefined);
    return years.map((year) => ({
      year: Number(year),
      unitCode: column(row, 'unit_code', line),
      unitName: column(row, 'unit_name', line),
      tier: column(row, 'tier', line),
      partCode: column(row, 'part', line),
      score: decimal(column(row, `score_${year}`, line), `score_${year}`, line),
    }));
  });
}

/** `config/demo/daknong-group-splits.csv`. */
export function parseGroupSplits(csvText: string): readonly DaknongGroupSplit[] {
  return parseCsv(csvText).map((row, index) => {
    const line = index + 2;
    return {
      year: decimal(column(row, 'year', line), 'year', line),
      unitCode: column(row, 'unit_code', line),
      partCode: column(row, 'part', line),
      groupCode: column(row, 'group', line),
      points: decimal(column(row, 'points', line), 'points', line),
      note: column(row, 'note', line),
    };
  });
}
