import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) readonly status!: 'ok';
}

export class ComponentStatusDto {
  @ApiProperty({ enum: ['up', 'down', 'not configured'] }) readonly status!: 'up' | 'down' | 'not configured';
  @ApiPropertyOptional({ description: 'why it is down or not configured' }) readonly message?: string;
}

const components = { type: 'object', additionalProperties: { $ref: '#/components/schemas/ComponentStatusDto' } } as const;

/** Readiness as orchestrators read it; the same body comes with 503 when a component is down. */
export class HealthReportDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'], description: '`ok`: serve traffic; `error`: a component is down; `shutting_down`: draining before exit' })
  readonly status!: 'ok' | 'error' | 'shutting_down';
  @ApiProperty({ ...components, description: 'the components that are not down, by name' }) readonly info!: Record<string, ComponentStatusDto>;
  @ApiProperty({ ...components, description: 'the components that are down, by name' }) readonly error!: Record<string, ComponentStatusDto>;
  @ApiProperty({ ...components, description: 'every component: eventStore, readModelDatabase, redis', example: { eventStore: { status: 'up' } } })
  readonly details!: Record<string, ComponentStatusDto>;
}
