import { Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { requestContextOf } from '@tieuchi/shared/application';
import { assertCoversProvince, CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import { CSV_TYPE, SPREADSHEET_TYPES, uploadedTable } from '@tieuchi/shared/documents';
import { IsOptional, Matches } from 'class-validator';
import type { Request } from 'express';
import { ImportPastResultsCommand, ImportPastResultsResultDto, PastResultsProblemDto } from './import-past-results.command';

export const PAST_RESULTS_MAX_BYTES = '5mb';

export class ProvincePathParams {
  @ApiProperty({ example: '67', description: 'official code of the province (mã ĐVHC)' })
  @Matches(/^[0-9]{2,5}$/, { message: 'provinceCode must be an official unit code of 2–5 digits' })
  provinceCode!: string;
}

export class PastResultsQueryDto {
  @ApiPropertyOptional({
    example: '2392-2017',
    description: "the framework whose part codes the file's rows name (any of its published versions); by default the frameworks of the province's periods",
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'framework must be a framework id: lower-case letters, digits and dashes' })
  framework?: string;
}

@ApiTags('rankings')
@Controller('provinces/:provinceCode/past-results')
export class ImportPastResultsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin')
  @ApiConsumes(...SPREADSHEET_TYPES)
  @ApiBody({
    schema: { type: 'string', format: 'binary' },
    description:
      'Kết quả đã công bố của tỉnh trước khi dùng hệ thống: dòng 1 là tiêu đề với các cột unit (mã ĐVHC), year, part, score, level, decision_number, decision_date ' +
      '(hoặc mã, năm, phần, điểm, mức, số quyết định, ngày quyết định). CSV in UTF-8 or the first sheet of an XLSX, at most 5 MB; part is a part code ' +
      'of the framework (readiness, results in 2392-2017) or "sẵn sàng" / "kết quả", checked against the tier of the unit in the framework the import names (?framework=) or else ' +
      "the frameworks of the province's periods; the date is 10/01/2020 or 2020-01-10; level may be empty for a unit the decision did not rank.",
  })
  @ApiExtraModels(PastResultsProblemDto)
  @ApiOkResponse({ type: ImportPastResultsResultDto })
  @ApiBadRequestResponse({
    description:
      'RESULTS.IMPORT_INVALID_ROWS: nothing recorded; `errors` lists every bad row (PastResultsProblemDto): an unregistered unit, a unit of another province, ' +
      'a year the province already published from assessments run here (RESULTS.YEAR_ASSESSED), two decisions for one year, a bad number or date, ' +
      "a part the framework does not have for the unit's tier (RESULTS.UNKNOWN_PART). RESULTS.IMPORT_FILE: not a results table. " +
      'RESULTS.UNKNOWN_FRAMEWORK (field framework): no published framework of that id. RESULTS.FRAMEWORK_REQUIRED (field framework): the province has no period to take the framework from and the import names none.',
  })
  @ApiConflictResponse({ description: 'RESULTS.YEAR_ALREADY_IMPORTED: a year of the file was imported before with other results (never overwritten). RESULTS.UNKNOWN_PROVINCE (field provinceCode).' })
  @ApiPayloadTooLargeResponse({ description: 'FILE.XLSX_TOO_LARGE: the XLSX unpacks past the bound (64 MB, 2,000 parts); or the upload is over 5 MB.' })
  @ApiOperation({
    summary: "Import a province's results published before tieuchi (unit, year, part, score, level, decision), marked as imported, so that the next year's changes have a previous year (administrators of the province)",
    description:
      'Kết quả nhập được đánh dấu "nhập từ quyết định đã công bố", không phải đánh giá trong hệ thống. ' +
      "Each year becomes an official edition of the province's rankings for that year (period id imported-{province}-{year}, readable like any published ranking) " +
      "that the next year's ranking compares with (its comparedWith says imported: true). The file is judged whole: one bad row and nothing is recorded; " +
      'a good file is one append, one PastResultsImported event per year. The same file again records nothing; a year already imported with other results is refused (409).',
  })
  async import(@Param() params: ProvincePathParams, @Query() query: PastResultsQueryDto, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<ImportPastResultsResultDto> {
    // Another province's admin is refused before the file is read.
    assertCoversProvince(principal, params.provinceCode);
    const table = await uploadedTable(request.body, Boolean(request.is(CSV_TYPE)), 'RESULTS.IMPORT_FILE', 'bảng kết quả đã công bố', '5 MB');
    return this.commandBus.execute<ImportPastResultsCommand, ImportPastResultsResultDto>(new ImportPastResultsCommand(params.provinceCode, table, requestContextOf(request), query.framework));
  }
}
