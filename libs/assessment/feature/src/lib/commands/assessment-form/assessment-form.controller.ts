import { Controller, Get, HttpCode, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiPayloadTooLargeResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  ASSESSMENT_BATCH_REFUSED,
  type AssessmentCommand,
  type AssessmentEvent,
  type AssessmentState,
  type BatchItemError,
  type EvidenceRecord,
  evolveAssessment,
  initialAssessmentState,
  type StartedAssessment,
} from '@tieuchi/assessment/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import type { TierDefinition } from '@tieuchi/framework/domain';
import { CommandExecutor } from '@tieuchi/shared/application';
import { assertOwnUnit, CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import { DomainError, isDomainError, type MessageMetadata } from '@tieuchi/shared/kernel';
import type { Request, Response } from 'express';
import { isDeepStrictEqual } from 'node:util';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentContextLoader } from '../../assessment-context.loader';
import { AssessmentPathParams } from '../../assessment-path.params';
import { assessmentNotFound } from '../../queries/assessment-access';
import { sendAssessmentCommand } from '../send-assessment-command';
import { assessmentFormWorkbook, cellProblem, FORM_COLUMNS, type FormCellProblem, FormFileError, type FormRow, readAssessmentForm } from './assessment-form.workbook';

export const FORM_FILE_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface FormImportResponse extends AssessmentCommandResponse {
  readonly changedCriteria: readonly string[];
}

export class FormImportResponseDto extends AssessmentCommandResponseDto implements FormImportResponse {
  @ApiProperty({ type: [String], description: 'the criteria whose answers the file changed (rows left as they were record nothing)' })
  readonly changedCriteria!: string[];
}

/** The criterion row a refused batch item came from, and the column its field is in. */
function cellOfRefusal(error: BatchItemError, rows: readonly FormRow[]): FormCellProblem {
  const row = rows[error.index]?.row ?? 0;
  const field = error.field ?? '';
  const column = field.includes('explanation')
    ? FORM_COLUMNS.explanation
    : field.includes('evidence')
      ? FORM_COLUMNS.references
      : field.endsWith('criterionCode')
        ? FORM_COLUMNS.code
        : FORM_COLUMNS.answer;
  return cellProblem(column, row, error.code, error.message);
}

const invalidCells = (problems: readonly FormCellProblem[]): DomainError =>
  new DomainError('FORM.INVALID_CELLS', 'validation', `${problems.length} ô của phiếu không hợp lệ; không có gì được ghi`, problems[0]?.field, { errors: problems });

/**
 * The self-assessment form as a spreadsheet, for units that fill it offline: downloaded
 * pre-filled, uploaded back, applied as one command (every changed row, or nothing).
 */
@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode/form.xlsx')
export class AssessmentFormController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly executor: CommandExecutor,
    private readonly contexts: AssessmentContextLoader,
  ) {}

  @Get()
  @Roles('unit_editor', 'unit_lead')
  @ApiProduces(FORM_FILE_TYPE)
  @ApiOkResponse({ description: 'the form pre-filled with the answers so far', content: { [FORM_FILE_TYPE]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: 'Download the self-assessment form as XLSX, pre-filled, to fill offline (unit editors and leads of the unit)' })
  async download(@Param() params: AssessmentPathParams, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    assertOwnUnit(principal, params.unitCode);
    const { state, version, tier } = await this.load(params);
    const workbook = await assessmentFormWorkbook({
      periodId: params.periodId,
      unitCode: params.unitCode,
      unitName: await this.contexts.unitName(params.unitCode),
      version,
      frameworkId: state.framework.id,
      frameworkVersion: state.framework.version,
      tier,
      criteria: state.criteria,
    });
    response.setHeader('Content-Type', FORM_FILE_TYPE);
    response.setHeader('Content-Disposition', `attachment; filename="phieu-tu-danh-gia-${params.periodId}-${params.unitCode}.xlsx"`);
    response.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(workbook);
  }

  @Post()
  @HttpCode(200)
  @Roles('unit_editor', 'unit_lead')
  @ApiConsumes(FORM_FILE_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'the form downloaded from GET, filled in (at most 2 MB)' })
  @ApiOkResponse({ type: FormImportResponseDto })
  @ApiPayloadTooLargeResponse({ description: 'FILE.XLSX_TOO_LARGE: the workbook unpacks past the XLSX bound (64 MB inflated, 2,000 zip parts), checked before it is parsed; or the upload is over 2 MB.' })
  @ApiOperation({
    summary: 'Upload a filled XLSX form: every bad cell is named (sheet, cell, reason) and nothing is recorded; a good file is one command (unit editors and leads of the unit)',
    description:
      'Rows left as downloaded record nothing; an answer cannot be cleared. 412 FORM.STALE when the assessment changed after the form was downloaded: download it again.',
  })
  async upload(@Param() params: AssessmentPathParams, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<FormImportResponse> {
    assertOwnUnit(principal, params.unitCode);
    const body: unknown = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new DomainError('FORM.FILE', 'validation', `Gửi phiếu dạng XLSX (Content-Type ${FORM_FILE_TYPE}), tối đa 2 MB`, 'body');
    }
    const { state, version, tier } = await this.load(params);
    let form: Awaited<ReturnType<typeof readAssessmentForm>>;
    try {
      form = await readAssessmentForm(body, tier);
    } catch (error) {
      if (error instanceof FormFileError) throw new DomainError(error.tooLarge ? 'FILE.XLSX_TOO_LARGE' : 'FORM.FILE', error.tooLarge ? 'too_large' : 'validation', error.message, 'body');
      throw error;
    }
    if (form.identity.periodId !== params.periodId || form.identity.unitCode !== params.unitCode) {
      throw new DomainError('FORM.OTHER_ASSESSMENT', 'validation', `Phiếu này của đơn vị ${form.identity.unitCode}, kỳ ${form.identity.periodId}; không phải phiếu đang tải lên`, 'body');
    }
    if (form.identity.version !== version) {
      throw new DomainError('FORM.STALE', 'precondition', `Phiếu trên hệ thống đã thay đổi (phiên bản ${version}) sau khi tải xuống (phiên bản ${form.identity.version}); hãy tải phiếu mới và điền lại`, 'body', {
        current: version,
        downloaded: form.identity.version,
      });
    }
    const { changed, problems } = changedRows(form.rows, state);
    if (form.problems.length + problems.length > 0) throw invalidCells([...form.problems, ...problems].sort((a, b) => a.cell.localeCompare(b.cell, 'en', { numeric: true })));
    if (changed.length === 0) return { streamName: assessmentStreamName(params.periodId, params.unitCode), version, events: [], position: null, changedCriteria: [] };
    try {
      // The form names the version it was downloaded at: that is its If-Match.
      const commands = (_state: AssessmentState, metadata: MessageMetadata) => changed.map((row) => commandOf(row, state, metadata));
      const response = await sendAssessmentCommand(this.commandBus, params, commands, principal, request, { ifMatch: version });
      return { ...response, changedCriteria: changed.map((row) => row.criterionCode) };
    } catch (error) {
      if (isDomainError(error) && error.code === ASSESSMENT_BATCH_REFUSED) {
        throw invalidCells(((error.details?.['errors'] ?? []) as BatchItemError[]).map((item) => cellOfRefusal(item, changed)));
      }
      throw error;
    }
  }

  private async load(params: AssessmentPathParams): Promise<{ state: StartedAssessment; version: number; tier: TierDefinition }> {
    const { state, version } = await this.executor.loadState<AssessmentState, AssessmentEvent>(
      assessmentStreamName(params.periodId, params.unitCode),
      initialAssessmentState,
      evolveAssessment,
    );
    if (state.status === 'not_started') throw assessmentNotFound(params.periodId, params.unitCode);
    const framework = await this.contexts.loadFramework(state.framework.id, state.framework.version);
    const tier = framework.tiers.find((candidate) => candidate.tier === state.tier);
    if (!tier) throw assessmentNotFound(params.periodId, params.unitCode);
    return { state, version, tier };
  }
}

/** The rows that change something, and rows that try what a form cannot do (clear an answer, explain nothing). */
function changedRows(rows: readonly FormRow[], state: StartedAssessment): { changed: FormRow[]; problems: FormCellProblem[] } {
  const changed: FormRow[] = [];
  const problems: FormCellProblem[] = [];
  for (const row of rows) {
    const self = state.criteria[row.criterionCode]?.self ?? null;
    const references = (self?.evidence ?? []).flatMap((record) => (record.kind === 'reference' ? [record.reference] : []));
    if (row.answer === null) {
      if (self !== null) problems.push(cellProblem(FORM_COLUMNS.answer, row.row, 'FORM.ANSWER_CLEARED', `Không thể xoá câu trả lời đã ghi của tiêu chí ${row.criterionCode}; hãy nhập lại câu trả lời`));
      else if (row.explanation !== undefined || row.references.length > 0) {
        problems.push(cellProblem(FORM_COLUMNS.answer, row.row, 'FORM.ANSWER_MISSING', `Tiêu chí ${row.criterionCode} có giải trình hoặc minh chứng nhưng chưa có câu trả lời`));
      }
      continue;
    }
    const same = self !== null && isDeepStrictEqual(self.answer, row.answer) && (self.explanation ?? undefined) === row.explanation && isDeepStrictEqual(references, row.references);
    if (!same) changed.push(row);
  }
  return { changed, problems };
}

/** Files attached online stay attached; the references in words are the form's. */
function commandOf(row: FormRow, state: StartedAssessment, metadata: MessageMetadata): AssessmentCommand {
  const files = (state.criteria[row.criterionCode]?.self?.evidence ?? []).filter((record) => record.kind === 'file');
  const evidence: EvidenceRecord[] = [...files, ...row.references.map((reference): EvidenceRecord => ({ kind: 'reference', reference }))];
  if (row.answer?.kind === 'not_applicable') {
    return { type: 'MarkCriterionNotApplicable', data: { criterionCode: row.criterionCode, explanation: row.explanation ?? '', evidence }, metadata };
  }
  return {
    type: 'ScoreCriterion',
    data: { criterionCode: row.criterionCode, answer: row.answer ?? { kind: 'not_applicable' }, evidence, ...(row.explanation !== undefined ? { explanation: row.explanation } : {}) },
    metadata,
  };
}
