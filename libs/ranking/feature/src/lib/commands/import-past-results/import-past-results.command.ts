import { ApiProperty } from '@nestjs/swagger';
import type { RequestContext } from '@tieuchi/shared/application';

/** Records a province's results published before tieuchi, from an uploaded CSV / XLSX table. */
export class ImportPastResultsCommand {
  constructor(
    readonly provinceCode: string,
    readonly table: readonly (readonly string[])[],
    readonly request: RequestContext,
    /** The framework whose parts the rows name; when absent, the frameworks of the province's periods. */
    readonly frameworkId?: string,
  ) {}
}

export class ImportedYearDto {
  @ApiProperty({ example: 2018 })
  readonly year!: number;

  @ApiProperty({ example: '18/QĐ-UBND' })
  readonly decisionNumber!: string;

  @ApiProperty({ example: '2019-01-10', description: 'YYYY-MM-DD' })
  readonly decisionDate!: string;

  @ApiProperty({ example: 158, description: 'unit × part results of that year in the file' })
  readonly results!: number;

  @ApiProperty({ description: 'false when exactly these results were imported before: nothing was recorded for this year' })
  readonly recorded!: boolean;
}

export class ImportPastResultsResultDto {
  @ApiProperty({ example: 'past-results-67', description: "the province's stream of imported results" })
  readonly streamName!: string;

  @ApiProperty({ example: 0, description: "the stream's version after the import (-1: nothing recorded yet)" })
  readonly version!: number;

  @ApiProperty({ type: [ImportedYearDto] })
  readonly years!: ImportedYearDto[];

  @ApiProperty({ nullable: true, type: String, description: 'where the import sits in the global feed; pass as ?after= to read models that wait for it' })
  readonly position!: string | null;
}

export class PastResultsProblemDto {
  @ApiProperty({ example: 3, description: 'the row as the spreadsheet numbers it (the header is row 1)' })
  readonly row!: number;

  @ApiProperty({ example: 'A', description: 'the column letter' })
  readonly column!: string;

  @ApiProperty({ enum: ['unit', 'year', 'part', 'score', 'level', 'decision_number', 'decision_date'] })
  readonly field!: string;

  @ApiProperty({ example: 'RESULTS.UNIT_OUTSIDE_PROVINCE' })
  readonly code!: string;

  @ApiProperty({ example: 'Đơn vị 20275 không thuộc tỉnh 67' })
  readonly message!: string;
}
