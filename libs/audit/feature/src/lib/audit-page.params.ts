import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const defaultAuditPageSize = 100;

/** Keyset paging over the trail's positions. */
export class AuditPageParams {
  // Positions are bigint in the store; a client can hold no position JavaScript cannot represent exactly.
  @ApiPropertyOptional({ description: 'return rows after this position (exclusive)', type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, example: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: defaultAuditPageSize })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
