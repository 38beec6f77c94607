import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';

/** Applies a later version (an amendment) of the period's framework to the period. */
export class PinFrameworkVersionDto {
  @ApiProperty({ example: '2392-2017' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'frameworkId must be lower-case letters, digits and dashes' })
  frameworkId!: string;

  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiProperty({ example: 'Ngưỡng mới theo hướng dẫn của Bộ' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  cause!: string;

  @ApiProperty({ example: '12/QĐ-UBND 05/03/2019' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  decisionRef!: string;
}
