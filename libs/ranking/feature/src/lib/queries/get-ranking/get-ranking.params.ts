import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, MaxLength } from 'class-validator';

export class RankingPathParams {
  @ApiProperty({ example: 'daknong-2019' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'periodId must be lower-case letters, digits and dashes' })
  periodId!: string;

  @ApiProperty({ example: 'district' })
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'tier must be a tier code such as district' })
  tier!: string;

  @ApiProperty({ example: 'readiness' })
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'part must be a part code such as readiness' })
  part!: string;
}

export const RANKING_VIEWS = ['official', 'working'] as const;
export type RankingViewKind = (typeof RANKING_VIEWS)[number];

export class RankingQueryDto {
  @ApiPropertyOptional({ example: '47/QĐ-UBND', description: 'an earlier publication or correction; the latest when absent' })
  @IsOptional()
  @MaxLength(100)
  decision?: string;

  @ApiPropertyOptional({
    enum: RANKING_VIEWS,
    description:
      'official (default): the edition of the latest decision (or of ?decision=), and for staff before publication the working ranking; ' +
      'working (reviewer, approver, admin, auditor): the working ranking as it stands, after publication the provisional corrected ranking',
  })
  @IsOptional()
  @IsIn(RANKING_VIEWS)
  view?: RankingViewKind;
}
