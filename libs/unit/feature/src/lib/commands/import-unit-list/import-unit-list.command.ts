import { ApiProperty } from '@nestjs/swagger';
import type { RequestContext } from '@tieuchi/shared/application';

/** Registers the units of an uploaded list (CSV or the first sheet of an XLSX). */
export class ImportUnitListCommand {
  constructor(
    readonly table: readonly (readonly string[])[],
    readonly request: RequestContext,
  ) {}
}

export class ImportUnitListResultDto {
  @ApiProperty({ example: 80, description: 'unit rows in the file' })
  readonly total!: number;

  @ApiProperty({ example: 79, description: 'units registered by this import' })
  readonly registered!: number;

  @ApiProperty({ example: 1, description: 'rows whose unit was registered already with these attributes (now or before a later rename or type change)' })
  readonly unchanged!: number;

  @ApiProperty({ type: [String], example: ['660', '24611'], description: 'the codes registered, parents first' })
  readonly registeredCodes!: string[];

  @ApiProperty({ type: String, nullable: true, description: 'opaque position of the last registration; pass as `after` to GET /units to read the import (null when nothing was registered)' })
  readonly position!: string | null;
}

export class UnitListProblemDto {
  @ApiProperty({ example: 3, description: 'the row as the spreadsheet numbers it (the header is row 1)' })
  readonly row!: number;

  @ApiProperty({ example: 'D', description: 'the column letter' })
  readonly column!: string;

  @ApiProperty({ enum: ['code', 'name', 'type', 'parent_code'] })
  readonly field!: string;

  @ApiProperty({ example: 'UNIT.PARENT_NOT_FOUND' })
  readonly code!: string;

  @ApiProperty({ example: 'Đơn vị cấp trên 999 chưa được đăng ký và không có trong tệp' })
  readonly message!: string;
}
