import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { LevelBandDto, RoundingRuleDto } from '@tieuchi/framework/data-access';
import type { CriterionDefinition, FrameworkDefinition, GroupDefinition, PartDefinition, ScoringRule, TierDefinition } from '@tieuchi/framework/domain';

export class YesNoRuleDto {
  @ApiProperty({ enum: ['yes_no'], description: 'a boolean answer: 0 or the maximum' }) readonly kind!: 'yes_no';
}

export class ManualRuleDto {
  @ApiProperty({ enum: ['manual'], description: 'points entered directly, 0 to the maximum' }) readonly kind!: 'manual';
}

export class RatioRuleDto {
  @ApiProperty({ enum: ['ratio'], description: 'value / target × maximum, capped at the maximum' }) readonly kind!: 'ratio';
  @ApiProperty() readonly target!: number;
}

export class ScoreBandDto {
  @ApiProperty({ description: 'inclusive' }) readonly from!: number;
  @ApiPropertyOptional({ description: 'exclusive; absent for the last, open-ended range' }) readonly to?: number;
  @ApiProperty() readonly points!: number;
}

export class BandedRuleDto {
  @ApiProperty({ enum: ['banded'], description: 'the first range holding the value gives the points' }) readonly kind!: 'banded';
  @ApiProperty({ type: [ScoreBandDto] }) readonly bands!: ScoreBandDto[];
}

@ApiExtraModels(YesNoRuleDto, ManualRuleDto, RatioRuleDto, BandedRuleDto)
export class CriterionDefinitionDto implements CriterionDefinition {
  @ApiProperty({ example: 'H.SS.HT.1', description: 'stable, unique within the framework' }) readonly code!: string;
  @ApiProperty() readonly title!: string;
  @ApiPropertyOptional({ description: 'how to answer: what the value measures' }) readonly guidance?: string;
  @ApiProperty() readonly maxPoints!: number;
  @ApiProperty({
    description: 'how an answer becomes points, capped at the maximum',
    oneOf: [YesNoRuleDto, ManualRuleDto, RatioRuleDto, BandedRuleDto].map((rule) => ({ $ref: getSchemaPath(rule) })),
  })
  readonly rule!: ScoringRule;
  @ApiProperty() readonly mayBeNotApplicable!: boolean;
  @ApiProperty() readonly evidenceRequired!: boolean;
  @ApiProperty() readonly explanationRequired!: boolean;
  @ApiPropertyOptional({ description: 'its evidence is published with the results (minh chứng công khai)' }) readonly publicEvidence?: boolean;
  @ApiPropertyOptional({ description: 'its wording stands in for the official appendix text' }) readonly placeholder?: boolean;
  @ApiPropertyOptional({ description: 'declared not applicable for every unit by an amendment' }) readonly excluded?: boolean;
}

export class GroupDefinitionDto implements GroupDefinition {
  @ApiProperty() readonly code!: string;
  @ApiProperty() readonly title!: string;
  @ApiPropertyOptional({ description: 'only with weighted aggregation; the weights of a part sum to 1' }) readonly weight?: number;
  @ApiProperty({ type: [CriterionDefinitionDto] }) readonly criteria!: CriterionDefinitionDto[];
}

export class PartDefinitionDto implements PartDefinition {
  @ApiProperty({ example: 'readiness' }) readonly code!: string;
  @ApiProperty() readonly title!: string;
  @ApiProperty() readonly maxPoints!: number;
  @ApiProperty({ enum: ['sum', 'weighted'] }) readonly aggregation!: 'sum' | 'weighted';
  @ApiProperty({ type: [GroupDefinitionDto] }) readonly groups!: GroupDefinitionDto[];
  @ApiProperty({ type: [LevelBandDto], description: 'from the highest level down; below the last band a unit is unranked' }) readonly levels!: LevelBandDto[];
}

export class TierDefinitionDto implements TierDefinition {
  @ApiProperty({ example: 'district' }) readonly tier!: string;
  @ApiProperty({ type: [PartDefinitionDto] }) readonly parts!: PartDefinitionDto[];
}

/** A framework definition (bộ tiêu chí) as loaded and validated: criteria, scoring rules and level bands per tier and part. */
export class FrameworkDefinitionDto implements FrameworkDefinition {
  @ApiProperty({ example: 'daknong-2019' }) readonly id!: string;
  @ApiProperty({ type: 'integer' }) readonly version!: number;
  @ApiProperty() readonly title!: string;
  @ApiPropertyOptional({ example: '2392/QĐ-BTTTT 25/12/2017' }) readonly legalBasis?: string;
  @ApiPropertyOptional({ description: 'values stand in for an official appendix not yet entered' }) readonly provisional?: boolean;
  @ApiPropertyOptional() readonly notes?: string;
  @ApiProperty({ type: RoundingRuleDto }) readonly rounding!: RoundingRuleDto;
  @ApiProperty({ description: 'exclude not-applicable criteria and rescale: score / (max − excluded) × max' }) readonly notApplicableRescaling!: boolean;
  @ApiProperty({ type: [TierDefinitionDto] }) readonly tiers!: TierDefinitionDto[];
}
