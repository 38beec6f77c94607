import { ApiProperty } from '@nestjs/swagger';

/** What a command on one stream answers: the stream's new version (also the ETag) and the events it appended. */
export class StreamCommandResponseDto {
  @ApiProperty({ example: 'framework-daknong-2019' }) readonly streamName!: string;
  @ApiProperty({ type: 'integer', description: 'the new stream version: send it back as If-Match' }) readonly version!: number;
  @ApiProperty({ type: [String], example: ['FrameworkDrafted'] }) readonly events!: string[];
}

/** A stream command whose write queries can be asked to wait for: `position` goes back as their `after`. */
export class PositionedCommandResponseDto extends StreamCommandResponseDto {
  @ApiProperty({ type: String, nullable: true, description: 'opaque position of the write; pass as `after` to a query to read your write (null when nothing was written)' })
  readonly position!: string | null;
}
