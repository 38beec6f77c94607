import { ApiProperty } from '@nestjs/swagger';

/** What a command on one stream answers: the stream's new version (also the ETag) and the events it appended. */
export class StreamCommandResponseDto {
  @ApiProperty({ example: 'framework-daknong-2019' }) readonly streamName!: string;
  @ApiProperty({ type: 'integer', description: 'the new stream version: send it back as If-Match' }) readonly version!: number;
  @ApiProperty({ type: [String], example: ['FrameworkDrafted'] }) readonly events!: string[];
}
