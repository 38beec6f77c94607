import { ApiProperty } from '@nestjs/swagger';
import type { OpenDataRow } from './export-ranking.controller';

export class OpenDataRowDto implements OpenDataRow {
  @ApiProperty() readonly periodId!: string;
  @ApiProperty({ type: 'integer', nullable: true }) readonly year!: number | null;
  @ApiProperty({ type: String, nullable: true }) readonly decisionNumber!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly decisionDate!: string | null;
  @ApiProperty() readonly tier!: string;
  @ApiProperty() readonly part!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null below Mức IV' }) readonly rank!: number | null;
  @ApiProperty() readonly unitCode!: string;
  @ApiProperty() readonly unitName!: string;
  @ApiProperty() readonly score!: number;
  @ApiProperty({ type: String, nullable: true }) readonly level!: string | null;
  @ApiProperty({ type: Number, nullable: true }) readonly previousScore!: number | null;
  @ApiProperty({ type: Number, nullable: true }) readonly change!: number | null;
}

export class OpenDataDto {
  @ApiProperty({ type: [OpenDataRowDto], description: 'ranked units in rank order, then the unranked' }) readonly rows!: OpenDataRowDto[];
}
