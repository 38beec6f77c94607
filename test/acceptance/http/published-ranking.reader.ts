import { parseCsv } from '@tieuchi/unit/domain';
import { readFileSync } from 'node:fs';

/** One row of a published ranking table, as the decision prints it. */
export interface PublishedRankingRow {
  readonly decisionNumber: string;
  /** ISO date; the decision prints dd/mm/yyyy. */
  readonly decisionDate: string;
  readonly tier: string;
  readonly part: string;
  readonly rank: number;
  readonly unitCode: string;
  readonly unitName: string;
  readonly score: number;
  readonly level: string;
  readonly change: number;
}

/** Reads test/acceptance/fixtures/daknong-2019-published.csv (Quyết định 47/QĐ-UBND, 10/01/2020). */
export function readPublishedRanking(path: string): readonly PublishedRankingRow[] {
  return parseCsv(readFileSync(path, 'utf8')).map((row) => {
    const [decisionNumber = '', printedDate = ''] = (row['decision'] ?? '').split(' ');
    const [day, month, year] = printedDate.split('/');
    return {
      decisionNumber,
      decisionDate: `${year}-${month}-${day}`,
      tier: row['tier'] ?? '',
      part: row['part'] ?? '',
      rank: Number(row['rank']),
      unitCode: row['unit_code'] ?? '',
      unitName: row['unit_name'] ?? '',
      score: Number(row['score']),
      level: row['level'] ?? '',
      change: Number(row['change_vs_2018']),
    };
  });
}
