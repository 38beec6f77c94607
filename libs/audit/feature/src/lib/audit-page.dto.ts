import { ApiProperty } from '@nestjs/swagger';
import type { AuditEntry } from '@tieuchi/audit/data-access';
import type { AuditPage } from './audit-trail.query';

const subjectValues = {
  type: 'object',
  additionalProperties: true,
} as const;

/** One row of the hash-chained audit trail: its hash covers every field but itself. */
export class AuditEntryDto implements AuditEntry {
  @ApiProperty({ type: 'integer', description: 'the row’s place in the trail; pass as `after` to page on' }) readonly position!: number;
  @ApiProperty({ description: 'the event’s place in the global feed' }) readonly checkpoint!: string;
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ example: 'assessment-daknong-2019-662' }) readonly stream!: string;
  @ApiProperty({ type: 'integer' }) readonly version!: number;
  @ApiProperty({ example: 'CriterionAdjusted' }) readonly type!: string;
  @ApiProperty() readonly actor!: string;
  @ApiProperty({ format: 'date-time' }) readonly occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly recordedAt!: string;
  @ApiProperty() readonly correlationId!: string;
  @ApiProperty() readonly causationId!: string;
  @ApiProperty({ description: 'what happened, in words' }) readonly summary!: string;
  @ApiProperty({ ...subjectValues, description: 'subject → value before the event (null when it had none)', example: { 'criterion:D.HT.1': 2.5 } })
  readonly before!: Record<string, unknown>;
  @ApiProperty({ ...subjectValues, description: 'subject → value after the event', example: { 'criterion:D.HT.1': 2 } })
  readonly after!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) readonly reason!: string | null;
  @ApiProperty({ description: 'the hash of the row before (empty for the first)' }) readonly previousHash!: string;
  @ApiProperty() readonly hash!: string;
}

export class AuditPageDto implements AuditPage {
  @ApiProperty({ type: [AuditEntryDto] }) readonly events!: AuditEntryDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'pass as `after` for the next page; null when this page is the last one so far' }) readonly next!: number | null;
}
