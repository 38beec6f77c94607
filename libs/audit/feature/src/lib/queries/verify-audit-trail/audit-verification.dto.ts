import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TamperedEvidence } from '../../audit-trail.query';

export class TamperedEvidenceDto implements TamperedEvidence {
  @ApiProperty() readonly name!: string;
  @ApiProperty({ description: 'the SHA-256 the trail recorded' }) readonly sha256!: string;
  @ApiProperty() readonly stream!: string;
  @ApiProperty({ example: 'evidence:D.HT.1' }) readonly subject!: string;
  @ApiProperty({ type: 'integer', description: 'the audit row that attached it' }) readonly position!: number;
  @ApiProperty({ type: String, nullable: true, description: 'the SHA-256 of what is stored now; null when the file is gone' }) readonly found!: string | null;
}

/** Intact: `ok`, `rows` and `evidenceFiles` only. Otherwise the first broken link and every altered file. */
export class AuditVerificationDto {
  @ApiProperty() readonly ok!: boolean;
  @ApiProperty({ type: 'integer' }) readonly rows!: number;
  @ApiProperty({ type: 'integer', description: 'evidence files the trail cites' }) readonly evidenceFiles!: number;
  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'when not ok: the first row whose hash does not match; null when the chain is intact but evidence is not' })
  readonly firstBrokenAt?: number | null;
  @ApiPropertyOptional({ description: 'the hash the broken row should have' }) readonly expected?: string;
  @ApiPropertyOptional({ description: 'the hash it has' }) readonly found?: string;
  @ApiPropertyOptional({ type: [TamperedEvidenceDto], description: 'when not ok: stored files whose bytes no longer have the recorded hash (or that are gone)' })
  readonly tamperedEvidence?: TamperedEvidenceDto[];
}
