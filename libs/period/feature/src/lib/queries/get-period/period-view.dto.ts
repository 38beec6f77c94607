import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class PinnedFrameworkDto {
  @ApiProperty({ example: '2392-2017' }) readonly id!: string;
  @ApiProperty({ example: 1 }) readonly version!: number;
}

class FrameworkPinDto extends PinnedFrameworkDto {
  @ApiProperty({ type: String, nullable: true, description: 'Why the version was pinned (an amendment); null for the first pin' }) readonly cause!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly decisionRef!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly pinnedAt!: string;
}

class PeriodDeadlinesDto {
  @ApiProperty({ format: 'date', description: 'Last day on which units may submit' }) readonly selfAssessment!: string;
  @ApiProperty({ format: 'date', description: 'Last day on which reviewers finish' }) readonly review!: string;
  @ApiProperty({ description: 'Days after a publishing or correcting decision during which a unit may appeal' }) readonly appealWindowDays!: number;
}

class PeriodDecisionDto {
  @ApiProperty({ example: '15/QĐ-UBND' }) readonly decisionNumber!: string;
  @ApiProperty({ format: 'date', example: '2020-01-10' }) readonly decisionDate!: string;
  @ApiProperty() readonly recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) readonly recordedAt!: string;
  @ApiPropertyOptional({ description: "A correction's reason; absent on the publication" }) readonly reason?: string;
}

class PublicationExclusionDto {
  @ApiProperty({ example: '24655' }) readonly unitCode!: string;
  @ApiProperty() readonly unitName!: string;
  @ApiProperty({ example: 'commune' }) readonly tier!: string;
  @ApiProperty({ description: 'Why the unit is published as not assessed' }) readonly reason!: string;
}

/** A period as its stream tells it; `publication`, `exclusions` and `corrections` once it is published. */
export class PeriodViewDto {
  @ApiProperty({ enum: ['open', 'self_assessment_closed', 'published'] }) readonly status!: string;
  @ApiProperty({ example: 'daknong-2019' }) readonly periodId!: string;
  @ApiProperty({ example: '67' }) readonly provinceCode!: string;
  @ApiProperty({ example: 2019 }) readonly year!: number;
  @ApiProperty({ type: PinnedFrameworkDto, description: 'The framework version in force now' }) readonly framework!: PinnedFrameworkDto;
  @ApiProperty({ type: [FrameworkPinDto], description: 'Every version pinned, the first one included' }) readonly frameworkPins!: readonly FrameworkPinDto[];
  @ApiProperty({ type: PeriodDeadlinesDto }) readonly deadlines!: PeriodDeadlinesDto;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readonly selfAssessmentClosedAt!: string | null;
  @ApiPropertyOptional({ type: PeriodDecisionDto, description: 'Published periods: the decision' }) readonly publication?: PeriodDecisionDto;
  @ApiPropertyOptional({ type: [PublicationExclusionDto], description: 'Published periods: the units named as not assessed' }) readonly exclusions?: readonly PublicationExclusionDto[];
  @ApiPropertyOptional({ type: [PeriodDecisionDto], description: 'Published periods: correcting decisions, oldest first' }) readonly corrections?: readonly PeriodDecisionDto[];
  @ApiProperty({ description: "The period stream's version (its ETag for period commands)" }) readonly version!: number;
}
