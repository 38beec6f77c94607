import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class PublishFrameworkDto {
  @ApiPropertyOptional({ example: '2392/QĐ-BTTTT 25/12/2017' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  decisionReference?: string;
}
