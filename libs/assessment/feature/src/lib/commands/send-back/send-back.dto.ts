import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The approver returns the review (not the form) to the reviewers, saying why. */
export class SendBackDto {
  @ApiProperty({ description: 'what the reviewers must look at again' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  comment!: string;
}
