import { ApiProperty } from '@nestjs/swagger';
import { EVERY_ASSESSMENT_STATUS } from '../get-assessment/assessment-detail.dto';
import type { UnitHistory, UnitHistoryPeriod } from './unit-history.query';

export class DecisionDto {
  @ApiProperty({ example: '47/QĐ-UBND' }) readonly number!: string;
  @ApiProperty({ example: '2020-01-15' }) readonly date!: string;
}

export class UnitHistoryPartDto {
  @ApiProperty({ example: 'readiness' }) readonly partCode!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'unknown (null) for an imported year unless a later assessed year states it' }) readonly maxPoints!: number | null;
  @ApiProperty() readonly score!: number;
  @ApiProperty({ type: String, nullable: true, description: 'null below Mức IV (not ranked)' }) readonly level!: string | null;
}

export class UnitHistoryPeriodDto implements UnitHistoryPeriod {
  @ApiProperty() readonly periodId!: string;
  @ApiProperty({ example: '67' }) readonly provinceCode!: string;
  @ApiProperty({ type: 'integer' }) readonly year!: number;
  @ApiProperty({ enum: [...EVERY_ASSESSMENT_STATUS, 'imported'], description: 'the assessment’s status; `imported` for a year published before tieuchi' }) readonly status!: string;
  @ApiProperty({ description: 'true until the period is published with this assessment’s approved scores in it' }) readonly provisional!: boolean;
  @ApiProperty({ type: DecisionDto, nullable: true }) readonly decision!: DecisionDto | null;
  @ApiProperty({ enum: ['assessed', 'imported'] }) readonly source!: 'assessed' | 'imported';
  @ApiProperty({ type: [UnitHistoryPartDto] }) readonly parts!: UnitHistoryPartDto[];
}

export class UnitHistoryDto implements UnitHistory {
  @ApiProperty({ example: '24728' }) readonly unitCode!: string;
  @ApiProperty({ type: [UnitHistoryPeriodDto] }) readonly periods!: UnitHistoryPeriodDto[];
}
