import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { FrameworkDefinition } from '@tieuchi/framework/domain';
import { loadFrameworkState, loadFrameworkVersion } from '@tieuchi/framework/data-access';
import { decideImportPastResults, evolvePastResults, initialPastResultsState, pastResultsStreamName, type PastResultsEvent, type PastResultsState } from '@tieuchi/ranking/domain';
import { CommandExecutor, READ_MODEL_DB, READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';
import { assertCoversProvince } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { DomainError } from '@tieuchi/shared/kernel';
import { unitStreamName } from '@tieuchi/unit/data-access';
import { evolveUnit, initialUnitState, provinceOfUnit, type UnitEvent, type UnitState } from '@tieuchi/unit/domain';
import { ImportPastResultsCommand, type ImportPastResultsResultDto } from './import-past-results.command';
import { editionsOf, type PastResultsProblem, PastResultsFileError, pastResultsFromTable } from './past-results-table';

/**
 * The whole file is judged before anything is recorded (one bad row and nothing is); a good file
 * is one append of one event per year to the province's stream, so it is all or nothing.
 */
@CommandHandler(ImportPastResultsCommand)
export class ImportPastResultsHandler implements ICommandHandler<ImportPastResultsCommand, ImportPastResultsResultDto> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
  ) {}

  async execute({ provinceCode, table, request, frameworkId }: ImportPastResultsCommand): Promise<ImportPastResultsResultDto> {
    if (request.principal) assertCoversProvince(request.principal, provinceCode);
    const states = new Map<string, Promise<UnitState>>();
    const load = (code: string): Promise<UnitState> => {
      const cached = states.get(code) ?? this.executor.load<UnitState, UnitEvent>(unitStreamName(code), initialUnitState, evolveUnit).then((loaded) => loaded.state);
      states.set(code, cached);
      return cached;
    };
    const province = await load(provinceCode);
    if (province.status === 'unregistered' || province.tier !== 'province') {
      throw new DomainError('RESULTS.UNKNOWN_PROVINCE', 'conflict', `Tỉnh ${provinceCode} chưa được đăng ký`, 'provinceCode');
    }
    const frameworks = await this.frameworksOf(provinceCode, frameworkId);
    let parsed: ReturnType<typeof pastResultsFromTable>;
    try {
      parsed = pastResultsFromTable(table);
    } catch (error) {
      if (error instanceof PastResultsFileError) throw new DomainError('RESULTS.IMPORT_FILE', 'validation', error.message, 'body');
      throw error;
    }
    const { columns } = parsed;
    const problems: PastResultsProblem[] = [...parsed.problems];
    const assessed = await this.publishedYears(provinceCode);
    const rows = [];
    for (const row of parsed.rows) {
      const fail = (field: PastResultsProblem['field'], code: string, message: string): void => void problems.push({ row: row.row, column: columns[field], field, code, message });
      const periodId = assessed.get(row.year);
      if (periodId !== undefined) {
        fail('year', 'RESULTS.YEAR_ASSESSED', `Năm ${row.year} đã được đánh giá và công bố trong hệ thống (kỳ ${periodId}); kết quả của năm này không nhập từ tệp`);
        continue;
      }
      const unit = await load(row.unitCode);
      if (unit.status === 'unregistered') {
        fail('unit', 'RESULTS.UNKNOWN_UNIT', `Đơn vị ${row.unitCode} chưa được đăng ký; hãy nhập danh sách đơn vị trước`);
        continue;
      }
      if (unit.tier === 'province') {
        fail('unit', 'RESULTS.NOT_RANKED_TIER', `Đơn vị ${row.unitCode} là cấp tỉnh; chỉ huyện và xã được xếp hạng`);
        continue;
      }
      if ((await provinceOfUnit(row.unitCode, load)) !== provinceCode) {
        fail('unit', 'RESULTS.UNIT_OUTSIDE_PROVINCE', `Đơn vị ${row.unitCode} không thuộc tỉnh ${provinceCode}`);
        continue;
      }
      // The name and tier the unit had in that year's decision: the record kept before a later change, else the current one.
      const held = [...unit.history].find((record) => Number(record.effectiveDate.slice(0, 4)) > row.year) ?? unit;
      const parts = partsOf(frameworks.definitions, held.tier);
      if (!parts.includes(row.partCode)) {
        fail(
          'part',
          'RESULTS.UNKNOWN_PART',
          `Phần "${row.partCode}" không có trong bộ tiêu chí ${frameworks.names} cho ${tierLabels[held.tier] ?? `cấp ${held.tier}`}` +
            (parts.length > 0 ? `; các phần: ${parts.join(', ')}` : ''),
        );
        continue;
      }
      rows.push({ ...row, unitName: held.name, tier: held.tier });
    }
    if (problems.length > 0) {
      problems.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
      throw new DomainError('RESULTS.IMPORT_INVALID_ROWS', 'validation', `${problems.length} lỗi trong tệp kết quả; không có kết quả nào được ghi`, 'body', { errors: problems });
    }
    const editions = editionsOf(rows);
    const { ifMatch: _ifMatch, ...context } = request;
    const outcome = await this.executor.execute<PastResultsState, PastResultsEvent>(
      {
        streamName: pastResultsStreamName(provinceCode),
        initialState: initialPastResultsState,
        evolve: evolvePastResults,
        decide: (state) => decideImportPastResults({ type: 'ImportPastResults', data: { provinceCode, editions } }, state),
      },
      context,
    );
    const recordedYears = new Set(outcome.events.map((event) => event.data.year));
    return {
      streamName: outcome.streamName,
      version: outcome.version,
      years: editions.map((edition) => ({
        year: edition.year,
        decisionNumber: edition.decisionNumber,
        decisionDate: edition.decisionDate,
        results: edition.results.length,
        recorded: recordedYears.has(edition.year),
      })),
      position: outcome.checkpoint,
    };
  }

  /**
   * The framework the rows' parts are checked against: every published version of the one the
   * import names, else the versions the province's own periods are pinned to.
   */
  private async frameworksOf(provinceCode: string, frameworkId: string | undefined): Promise<{ names: string; definitions: FrameworkDefinition[] }> {
    if (frameworkId !== undefined) {
      const state = await loadFrameworkState(this.executor, frameworkId);
      if (state.status !== 'published') throw new DomainError('RESULTS.UNKNOWN_FRAMEWORK', 'validation', `Không có bộ tiêu chí ${frameworkId} đã ban hành`, 'framework');
      return { names: frameworkId, definitions: state.versions.map((version) => version.definition) };
    }
    const { rows } = await this.database.query<{ framework_id: string; framework_version: number }>(
      `SELECT DISTINCT framework_id, framework_version FROM ${S}.ranking_periods WHERE province_code = $1 AND NOT imported ORDER BY framework_id, framework_version`,
      [provinceCode],
    );
    const definitions = (await Promise.all(rows.map((row) => loadFrameworkVersion(this.executor, row.framework_id, Number(row.framework_version))))).filter(
      (definition): definition is FrameworkDefinition => definition !== null,
    );
    if (definitions.length === 0) {
      throw new DomainError(
        'RESULTS.FRAMEWORK_REQUIRED',
        'validation',
        `Tỉnh ${provinceCode} chưa có kỳ đánh giá nào trong hệ thống để biết bộ tiêu chí; hãy ghi bộ tiêu chí của các năm đã công bố (tham số framework, ví dụ 2392-2017)`,
        'framework',
      );
    }
    return { names: [...new Set(definitions.map((definition) => definition.id))].join(', '), definitions };
  }

  /** Years of the province published from assessments run here, as the rankings read model knows them. */
  private async publishedYears(provinceCode: string): Promise<Map<number, string>> {
    const { rows } = await this.database.query<{ year: number; period_id: string }>(
      `SELECT year, period_id FROM ${S}.ranking_periods WHERE province_code = $1 AND decisions > 0 AND NOT imported`,
      [provinceCode],
    );
    return new Map(rows.map((row) => [Number(row.year), row.period_id]));
  }
}

const tierLabels: Readonly<Record<string, string>> = { district: 'cấp huyện', commune: 'cấp xã' };

/** The part codes a tier has in any of the definitions, in the order the first defines them. */
function partsOf(definitions: readonly FrameworkDefinition[], tier: string): string[] {
  return [...new Set(definitions.flatMap((definition) => definition.tiers.filter((entry) => entry.tier === tier).flatMap((entry) => entry.parts.map((part) => part.code))))];
}
