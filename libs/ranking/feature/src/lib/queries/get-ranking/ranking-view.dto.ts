import { ApiProperty } from '@nestjs/swagger';
import type { Decision, NotAssessedEntry, RankedEntry, RankingView, UnrankedEntry } from './get-ranking.query';


export class RankingDecisionDto implements Decision {
  @ApiProperty({ example: '47/QĐ-UBND' }) readonly number!: string;
  @ApiProperty({ example: '2020-01-15' }) readonly date!: string;
}

export class RankedEntryDto implements RankedEntry {
  @ApiProperty({ type: 'integer' }) readonly rank!: number;
  @ApiProperty() readonly unitCode!: string;
  @ApiProperty() readonly unitName!: string;
  @ApiProperty() readonly score!: number;
  @ApiProperty({ example: 'II', description: 'a level band of the framework' }) readonly level!: string;
  @ApiProperty({ type: Number, nullable: true }) readonly previousScore!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'score − the previous period’s score (a merged unit: by its merge’s rule); null without one' }) readonly change!: number | null;
}

export class UnrankedEntryDto implements UnrankedEntry {
  @ApiProperty() readonly unitCode!: string;
  @ApiProperty() readonly unitName!: string;
  @ApiProperty() readonly score!: number;
  @ApiProperty({ type: Number, nullable: true }) readonly previousScore!: number | null;
  @ApiProperty({ type: Number, nullable: true }) readonly change!: number | null;
}

export class NotAssessedEntryDto implements NotAssessedEntry {
  @ApiProperty() readonly unitCode!: string;
  @ApiProperty() readonly unitName!: string;
  @ApiProperty({ description: 'the decision’s reason ("Chưa đánh giá")' }) readonly reason!: string;
}

export class ComparedWithDto {
  @ApiProperty() readonly periodId!: string;
  @ApiProperty({ type: RankingDecisionDto }) readonly decision!: RankingDecisionDto;
  @ApiProperty({ description: 'that year was never assessed here: its scores are its decision’s, as imported' }) readonly imported!: boolean;
}

export class RankingCountsDto {
  @ApiProperty({ type: 'integer' }) readonly units!: number;
  @ApiProperty({ type: 'integer' }) readonly ranked!: number;
  @ApiProperty({ type: 'integer' }) readonly unranked!: number;
  @ApiProperty({ type: 'integer' }) readonly notAssessed!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'ranked units per level', example: { I: 1, II: 3 } })
  readonly byLevel!: Record<string, number>;
}

export class RankingViewDto implements RankingView {
  @ApiProperty() readonly periodId!: string;
  @ApiProperty({ example: 'district' }) readonly tier!: string;
  @ApiProperty({ example: 'readiness' }) readonly part!: string;
  @ApiProperty({ description: 'true for the working ranking (staff only): not a published result' }) readonly provisional!: boolean;
  @ApiProperty({ type: RankingDecisionDto, nullable: true }) readonly decision!: RankingDecisionDto | null;
  @ApiProperty({ description: 'the working ranking of a published period differs from its official edition (a correction would be needed)' }) readonly correctionPending!: boolean;
  @ApiProperty({ type: RankingDecisionDto, nullable: true, description: 'for the working ranking of a published period: the decision in force a correction would replace' })
  readonly corrects!: RankingDecisionDto | null;
  @ApiProperty({ type: ComparedWithDto, nullable: true, description: 'the previous year’s official edition the changes are taken against; null when it had none' })
  readonly comparedWith!: ComparedWithDto | null;
  @ApiProperty({ type: [RankedEntryDto] }) readonly ranked!: RankedEntryDto[];
  @ApiProperty({ type: [UnrankedEntryDto], description: 'below Mức IV' }) readonly unranked!: UnrankedEntryDto[];
  @ApiProperty({ type: [NotAssessedEntryDto] }) readonly notAssessed!: NotAssessedEntryDto[];
  @ApiProperty({ type: RankingCountsDto }) readonly counts!: RankingCountsDto;
}
