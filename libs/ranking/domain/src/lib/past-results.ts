import { DomainError } from '@tieuchi/shared/kernel';

/**
 * Results a province published before it used tieuchi, taken from its decisions: so that the
 * first year run here has a previous year to compare with. They were never assessed here, and
 * every reader marks them as imported.
 */
export interface PastResult {
  readonly unitCode: string;
  readonly unitName: string;
  readonly tier: string;
  readonly partCode: string;
  readonly score: number;
  /** Null where the decision listed the unit without a level (not ranked). */
  readonly level: string | null;
}

/** One year's published results of one province, as its decision printed them. */
export interface PastResultsEdition {
  readonly year: number;
  readonly decisionNumber: string;
  readonly decisionDate: string;
  readonly results: readonly PastResult[];
}

export interface PastResultsImported {
  readonly type: 'PastResultsImported';
  readonly data: PastResultsEdition & { readonly provinceCode: string; readonly source: 'imported' };
}

export type PastResultsEvent = PastResultsImported;

export interface ImportPastResults {
  readonly type: 'ImportPastResults';
  readonly data: { readonly provinceCode: string; readonly editions: readonly PastResultsEdition[] };
}

/** What each imported year holds, to tell a re-import of the same file from a different one. */
export interface PastResultsState {
  readonly years: Readonly<Record<string, { readonly decisionNumber: string; readonly decisionDate: string; readonly fingerprint: string }>>;
}

export const initialPastResultsState = (): PastResultsState => ({ years: {} });

/** One stream per province (persisted name: never change). */
export const pastResultsStreamName = (provinceCode: string): string => `past-results-${provinceCode}`;

/** The same year, decision and rows in any order give the same fingerprint. */
export function fingerprintOf(edition: PastResultsEdition): string {
  const rows = [...edition.results].map((r) => [r.unitCode, r.partCode, r.score, r.level, r.tier, r.unitName]).sort((a, b) => `${a[0]}\u0000${a[1]}`.localeCompare(`${b[0]}\u0000${b[1]}`));
  return JSON.stringify([edition.year, edition.decisionNumber, edition.decisionDate, rows]);
}

export function evolvePastResults(state: PastResultsState, event: PastResultsEvent): PastResultsState {
  const { year, decisionNumber, decisionDate } = event.data;
  return { years: { ...state.years, [String(year)]: { decisionNumber, decisionDate, fingerprint: fingerprintOf(event.data) } } };
}

/**
 * A year imported already with exactly these results is skipped (the same file twice records
 * nothing); a year imported with other results is refused: an official record is not overwritten.
 */
export function decideImportPastResults(command: ImportPastResults, state: PastResultsState): PastResultsEvent[] {
  const events: PastResultsEvent[] = [];
  for (const edition of command.data.editions) {
    const held = state.years[String(edition.year)];
    if (held?.fingerprint === fingerprintOf(edition)) continue;
    if (held) {
      throw new DomainError(
        'RESULTS.YEAR_ALREADY_IMPORTED',
        'conflict',
        `Kết quả năm ${edition.year} đã được nhập theo quyết định ${held.decisionNumber} ngày ${held.decisionDate}, khác với tệp này; kết quả đã nhập không bị ghi đè`,
        'body',
        { year: edition.year, decisionNumber: held.decisionNumber },
      );
    }
    events.push({ type: 'PastResultsImported', data: { provinceCode: command.data.provinceCode, ...edition, source: 'imported' } });
  }
  return events;
}
