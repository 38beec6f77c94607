import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Why the reviewer takes the completed review back: the approver and the audit trail read it. */
export class ReopenReviewDto {
  @ApiProperty({ description: 'why the completed review is taken back (lý do mở lại thẩm định)', example: 'Đơn vị gửi bổ sung quyết định cho tiêu chí X.SS.HT.1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  reason!: string;
}
