import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class RecalculationRunPathParams {
  @ApiProperty({ example: 'run-3f2a9c0d1e7b4a6c8d9e0f1a' })
  @Matches(/^run-[0-9a-f]{24}$/, { message: 'runId must be a recalculation run id (run- and 24 hex digits)' })
  runId!: string;
}
