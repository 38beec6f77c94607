import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import { requestContextOf } from '@tieuchi/shared/application';
import { JURISDICTION_RULES, Roles } from '@tieuchi/shared/auth';
import { CSV_TYPE, SPREADSHEET_TYPES, uploadedTable } from '@tieuchi/shared/documents';
import type { Request } from 'express';
import { ImportUnitListCommand, ImportUnitListResultDto, UnitListProblemDto } from './import-unit-list.command';

export const UNIT_LIST_MAX_BYTES = '5mb';

@ApiTags('units')
@Controller('units/import')
export class ImportUnitListController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin')
  @ApiConsumes(...SPREADSHEET_TYPES)
  @ApiBody({
    schema: { type: 'string', format: 'binary' },
    description:
      'Danh sách đơn vị: dòng 1 là tiêu đề với các cột code (mã ĐVHC), name, type, parent_code (hoặc mã, tên, loại, mã cấp trên); các cột khác được bỏ qua. ' +
      'A unit list as the statistics office publishes it (config/units/daknong-2019.csv is one), CSV in UTF-8 or the first sheet of an XLSX, at most 5 MB.',
  })
  @ApiExtraModels(UnitListProblemDto)
  @ApiOkResponse({ type: ImportUnitListResultDto })
  @ApiBadRequestResponse({ description: 'UNIT.IMPORT_INVALID_ROWS: nothing registered; `errors` lists every bad row with its row number, column letter, field, code and a Vietnamese message (UnitListProblemDto). UNIT.IMPORT_FILE: the file is not a unit list.' })
  @ApiPayloadTooLargeResponse({ description: 'FILE.XLSX_TOO_LARGE: the XLSX unpacks past the bound (64 MB, 2,000 parts); or the upload is over 5 MB.' })
  @ApiOperation({
    summary: 'Import a unit list (CSV or XLSX with GSO codes): all rows are valid or nothing is registered; re-sending the same list registers nothing again (administrators, of the province the units belong to)',
    description:
      `${JURISDICTION_RULES.units} ${JURISDICTION_RULES.register} ` +
      'Hàng được kiểm tra toàn bộ trước khi ghi; một hàng lỗi thì không đơn vị nào được đăng ký. Đơn vị đã đăng ký với cùng tên, loại, cấp trên (hiện tại hoặc trước một lần đổi tên) được tính là không đổi. ' +
      'Every row is checked before anything is written (parents in the file or registered, active, of the tier above; tier from the type: tỉnh / thành phố without a parent is a province, xã / phường / thị trấn a commune, the rest a district). ' +
      'Units are then registered parents first, one append each: if the import is interrupted, sending the same file again completes it.',
  })
  async import(@Req() request: Request): Promise<ImportUnitListResultDto> {
    const table = await uploadedTable(request.body, Boolean(request.is(CSV_TYPE)), 'UNIT.IMPORT_FILE', 'danh sách đơn vị', '5 MB');
    return this.commandBus.execute<ImportUnitListCommand, ImportUnitListResultDto>(new ImportUnitListCommand(table, requestContextOf(request)));
  }
}
