import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

/** The approval names the revision the approver read, so nothing changed since can slip under it. */
export class ApproveAssessmentDto {
  @ApiProperty({ example: 3, description: 'the revision being approved (the one ReviewCompleted produced)' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  revision!: number;
}
