import { ApiProperty } from '@nestjs/swagger';
import { UNIT_COMPARISON_RULES, type UnitChangeRecord, type UnitComparisonRule, type UnitMergeRecord } from '@tieuchi/unit/domain';
import type { UnitView } from './get-unit.query';

export class UnitChangeRecordDto implements UnitChangeRecord {
  @ApiProperty({ description: 'the day the attributes below stopped holding', example: '2025-07-01' }) readonly effectiveDate!: string;
  @ApiProperty({ description: 'the decision that changed them' }) readonly reference!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ example: 'huyện' }) readonly type!: string;
  @ApiProperty({ example: 'district' }) readonly tier!: string;
  @ApiProperty({ type: String, nullable: true }) readonly parentCode!: string | null;
}

export class UnitMergeRecordDto implements UnitMergeRecord {
  @ApiProperty({ type: [String] }) readonly predecessorCodes!: string[];
  @ApiProperty({ enum: UNIT_COMPARISON_RULES, description: 'how the predecessors’ past results compare with the successor’s' }) readonly comparisonRule!: UnitComparisonRule;
  @ApiProperty({ example: '2025-07-01' }) readonly effectiveDate!: string;
  @ApiProperty() readonly legalBasis!: string;
}

export class UnitViewDto implements UnitView {
  @ApiProperty({ example: '662' }) readonly code!: string;
  @ApiProperty({ enum: ['active', 'merged_into', 'dissolved'] }) readonly status!: 'active' | 'merged_into' | 'dissolved';
  @ApiProperty({ type: 'integer', description: 'the stream version (ETag)' }) readonly version!: number;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ example: 'huyện' }) readonly type!: string;
  @ApiProperty({ example: 'district' }) readonly tier!: string;
  @ApiProperty({ type: String, nullable: true }) readonly parentCode!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the unit it was merged into' }) readonly successorCode!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'when it was merged or dissolved' }) readonly endedOn!: string | null;
  @ApiProperty({ type: [UnitChangeRecordDto] }) readonly history!: UnitChangeRecordDto[];
  @ApiProperty({ type: [UnitMergeRecordDto] }) readonly merges!: UnitMergeRecordDto[];
}
