import { decideImportPastResults, evolvePastResults, initialPastResultsState, type PastResultsEdition } from '@tieuchi/ranking/domain';
import { editionsOf, isoDateOf, PastResultsFileError, pastResultsFromTable } from './past-results-table';

describe('past results read from a table', () => {
  it('reads Vietnamese headers, part names and dates, in any column order', () => {
    const { rows, problems, columns } = pastResultsFromTable([
      ['Ngày quyết định', 'Mã ĐVHC', 'Năm', 'Phần', 'Điểm', 'Mức', 'Số quyết định', 'Ghi chú'],
      ['15/1/2018', '660', '2017', 'Sẵn sàng', '40,5', 'II', '25/QĐ-UBND', 'x'],
      ['', '', '', '', '', '', '', 'dòng trống được bỏ qua'],
      ['2018-01-15', '661', '2017', 'kết quả', '12', '', '25/QĐ-UBND', ''],
    ]);
    expect(problems).toEqual([]);
    expect(columns).toMatchObject({ unit: 'B', decision_date: 'A' });
    expect(rows).toEqual([
      { row: 2, unitCode: '660', year: 2017, partCode: 'readiness', score: 40.5, level: 'II', decisionNumber: '25/QĐ-UBND', decisionDate: '2018-01-15' },
      { row: 4, unitCode: '661', year: 2017, partCode: 'results', score: 12, level: null, decisionNumber: '25/QĐ-UBND', decisionDate: '2018-01-15' },
    ]);
  });

  it('refuses a header without the required columns, and a file without rows', () => {
    expect(() => pastResultsFromTable([['unit', 'year', 'score']])).toThrow(PastResultsFileError);
    expect(() => pastResultsFromTable([['unit', 'year', 'part', 'score', 'level', 'decision_number', 'decision_date']])).toThrow('Tệp không có dòng kết quả nào');
  });

  it('takes only real dates', () => {
    expect([isoDateOf('10/01/2020'), isoDateOf('2020-01-10'), isoDateOf('29/02/2019'), isoDateOf('2020-13-01'), isoDateOf('10.01.2020')]).toEqual(['2020-01-10', '2020-01-10', null, null, null]);
  });
});

describe('past results decided per year', () => {
  const edition: PastResultsEdition = editionsOf([
    { row: 2, unitCode: '660', unitName: 'Gia Nghĩa', tier: 'district', year: 2017, partCode: 'readiness', score: 40.5, level: 'II', decisionNumber: '25/QĐ-UBND', decisionDate: '2018-01-15' },
  ])[0]!;
  const command = (editions: readonly PastResultsEdition[]) => ({ type: 'ImportPastResults' as const, data: { provinceCode: '67', editions } });

  it('records a year once, marked imported; the same results again record nothing', () => {
    const events = decideImportPastResults(command([edition]), initialPastResultsState());
    expect(events).toEqual([{ type: 'PastResultsImported', data: { provinceCode: '67', ...edition, source: 'imported' } }]);
    const state = events.reduce(evolvePastResults, initialPastResultsState());
    expect(decideImportPastResults(command([{ ...edition, results: [...edition.results].reverse() }]), state)).toEqual([]);
  });

  it('never overwrites a year imported with other results (409)', () => {
    const state = decideImportPastResults(command([edition]), initialPastResultsState()).reduce(evolvePastResults, initialPastResultsState());
    const other = { ...edition, results: edition.results.map((result) => ({ ...result, score: 41 })) };
    expect(() => decideImportPastResults(command([other]), state)).toThrow(expect.objectContaining({ code: 'RESULTS.YEAR_ALREADY_IMPORTED', category: 'conflict' }));
  });
});
