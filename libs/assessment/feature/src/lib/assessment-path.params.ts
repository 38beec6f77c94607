import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

// Ids end up in stream names and SQL parameters: keep them to a plain, bounded alphabet.
const periodIdPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
const unitCodePattern = /^[0-9]{2,5}$/;
const criterionCodePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class PeriodPathParams {
  @ApiProperty({ example: 'daknong-2019' })
  @Matches(periodIdPattern, { message: 'periodId must be lower-case letters, digits and dashes' })
  periodId!: string;
}

export class AssessmentPathParams {
  @ApiProperty({ example: 'daknong-2019' })
  @Matches(periodIdPattern, { message: 'periodId must be lower-case letters, digits and dashes' })
  periodId!: string;

  @ApiProperty({ example: '24728', description: 'official unit code (mã ĐVHC)' })
  @Matches(unitCodePattern, { message: 'unitCode must be an official unit code of 2–5 digits' })
  unitCode!: string;
}

export class CriterionPathParams extends AssessmentPathParams {
  @ApiProperty({ example: 'H.SS.HT.1' })
  @Matches(criterionCodePattern, { message: 'criterionCode must be a criterion code such as H.SS.HT.1' })
  criterionCode!: string;
}
