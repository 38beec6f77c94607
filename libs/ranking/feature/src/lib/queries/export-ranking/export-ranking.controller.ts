import { Controller, Get, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RANKING_RULES_REFERENCE } from '@tieuchi/ranking/domain';
import { READ_MODEL_DB, READ_MODEL_SCHEMA } from '@tieuchi/shared/application';
import { CurrentPrincipal, type Principal, Public } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';
import type { Response } from 'express';
import { RankingPathParams, RankingQueryDto } from '../get-ranking/get-ranking.params';
import { GetRankingQuery, type RankingView } from '../get-ranking/get-ranking.query';
import { OpenDataDto } from './open-data.dto';
import { rankingAppendix } from './ranking-appendix';
import { appendixPdf } from './ranking-appendix.pdf';
import { appendixWorkbook } from './ranking-appendix.xlsx';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One row of the open data, with the decision's metadata on every row so each file stands alone. */
export interface OpenDataRow {
  readonly periodId: string;
  readonly year: number | null;
  readonly decisionNumber: string | null;
  readonly decisionDate: string | null;
  readonly tier: string;
  readonly part: string;
  readonly rank: number | null;
  readonly unitCode: string;
  readonly unitName: string;
  readonly score: number;
  readonly level: string | null;
  readonly previousScore: number | null;
  readonly change: number | null;
}

/**
 * The published ranking as documents: the decision's appendix (XLSX, PDF) and open data (CSV,
 * JSON). The same rules as the ranking itself: public once published, the provisional ranking for
 * staff only.
 */
@ApiTags('rankings')
@Controller('periods/:periodId/rankings/:tier/:part')
export class ExportRankingController {
  constructor(
    private readonly query: GetRankingQuery,
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
  ) {}

  @Get('appendix.xlsx')
  @Public()
  @ApiProduces(xlsxType)
  @ApiOkResponse({ description: 'the appendix of the decision as a spreadsheet', content: { [xlsxType]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: "The ranking in the layout of the decision's appendix, XLSX (public once published)", description: RANKING_RULES_REFERENCE })
  async xlsx(@Param() params: RankingPathParams, @Query() filter: RankingQueryDto, @CurrentPrincipal({ optional: true }) principal: Principal | undefined, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const view = await this.view(params, filter, principal, response);
    const appendix = rankingAppendix(view, await this.yearOf(params.periodId));
    return this.file(response, await appendixWorkbook(appendix), xlsxType, `${appendix.fileName}.xlsx`);
  }

  @Get('appendix.pdf')
  @Public()
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'the appendix of the decision as PDF, Vietnamese font embedded', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: "The ranking in the layout of the decision's appendix, PDF (public once published)", description: RANKING_RULES_REFERENCE })
  async pdf(@Param() params: RankingPathParams, @Query() filter: RankingQueryDto, @CurrentPrincipal({ optional: true }) principal: Principal | undefined, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const view = await this.view(params, filter, principal, response);
    const appendix = rankingAppendix(view, await this.yearOf(params.periodId));
    return this.file(response, await appendixPdf(appendix), 'application/pdf', `${appendix.fileName}.pdf`);
  }

  @Get('open-data.json')
  @Public()
  @ApiOkResponse({ type: OpenDataDto })
  @ApiOperation({ summary: 'Open data: every unit of the ranking with its score, level, change and the decision (public once published)', description: RANKING_RULES_REFERENCE })
  async json(@Param() params: RankingPathParams, @Query() filter: RankingQueryDto, @CurrentPrincipal({ optional: true }) principal: Principal | undefined, @Res({ passthrough: true }) response: Response): Promise<{ rows: OpenDataRow[] }> {
    const view = await this.view(params, filter, principal, response);
    return { rows: openDataRows(view, await this.yearOf(params.periodId)) };
  }

  @Get('open-data.csv')
  @Public()
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'open data as CSV (UTF-8 with BOM, comma-separated, header row)', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiOperation({ summary: 'Open data as CSV (public once published)', description: RANKING_RULES_REFERENCE })
  async csv(@Param() params: RankingPathParams, @Query() filter: RankingQueryDto, @CurrentPrincipal({ optional: true }) principal: Principal | undefined, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const view = await this.view(params, filter, principal, response);
    const rows = openDataRows(view, await this.yearOf(params.periodId));
    const columns: (keyof OpenDataRow)[] = ['periodId', 'year', 'decisionNumber', 'decisionDate', 'tier', 'part', 'rank', 'unitCode', 'unitName', 'score', 'level', 'previousScore', 'change'];
    const lines = [columns.join(','), ...rows.map((row) => columns.map((column) => csvCell(row[column])).join(','))];
    // The BOM makes spreadsheet programs read the Vietnamese names as UTF-8.
    return this.file(response, Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8'), 'text/csv; charset=utf-8', `xep-hang-${params.periodId}-${params.tier}-${params.part}.csv`);
  }

  private async view(params: RankingPathParams, filter: RankingQueryDto, principal: Principal | undefined, response: Response): Promise<RankingView> {
    const view = await this.query.execute(params.periodId, params.tier, params.part, principal, { decision: filter.decision, view: filter.view });
    response.setHeader('Cache-Control', view.provisional ? 'private, no-store' : 'public, max-age=60');
    return view;
  }

  private async yearOf(periodId: string): Promise<number | null> {
    const { rows } = await this.database.query<{ year: number }>(`SELECT year FROM ${READ_MODEL_SCHEMA}.ranking_periods WHERE period_id = $1`, [periodId]);
    return rows[0] ? Number(rows[0].year) : null;
  }

  private file(response: Response, bytes: Buffer, type: string, name: string): StreamableFile {
    response.setHeader('Content-Type', type);
    response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    return new StreamableFile(bytes);
  }
}

export function openDataRows(view: RankingView, year: number | null): OpenDataRow[] {
  const base = { periodId: view.periodId, year, decisionNumber: view.decision?.number ?? null, decisionDate: view.decision?.date ?? null, tier: view.tier, part: view.part };
  return [
    ...view.ranked.map((r) => ({ ...base, rank: r.rank, unitCode: r.unitCode, unitName: r.unitName, score: r.score, level: r.level, previousScore: r.previousScore, change: r.change })),
    ...view.unranked.map((r) => ({ ...base, rank: null, unitCode: r.unitCode, unitName: r.unitName, score: r.score, level: null, previousScore: r.previousScore, change: r.change })),
  ];
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
