import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { isoDateMessage, isoDatePattern } from '../../period-fields';

/** New last days; an omitted one is left as it is. Deadlines only move later. */
export class ExtendDeadlinesDto {
  @ApiPropertyOptional({ example: '2019-12-06', description: 'Hạn tự chấm mới (ngày cuối, giờ Việt Nam) / the new last day of self-assessment' })
  @IsOptional()
  @Matches(isoDatePattern, { message: isoDateMessage('selfAssessment') })
  selfAssessment?: string;

  @ApiPropertyOptional({ example: '2019-12-27', description: 'Hạn thẩm định mới / the new last day of review (and of revising a returned form)' })
  @IsOptional()
  @Matches(isoDatePattern, { message: isoDateMessage('review') })
  review?: string;

  @ApiProperty({ example: 'Gia hạn theo Công văn 512/STTTT-BCVT do sự cố đường truyền' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}
