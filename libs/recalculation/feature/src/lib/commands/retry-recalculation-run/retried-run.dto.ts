import { ApiProperty } from '@nestjs/swagger';

/** What a retry answers: the run and how many failed jobs went back in the queue. */
export class RetriedRunDto {
  @ApiProperty() readonly runId!: string;
  @ApiProperty({ type: 'integer' }) readonly retried!: number;
}
