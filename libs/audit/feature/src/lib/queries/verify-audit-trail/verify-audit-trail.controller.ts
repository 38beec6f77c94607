import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tieuchi/shared/auth';
import { AuditTrailQuery, type TamperedEvidence } from '../../audit-trail.query';
import { AuditVerificationDto } from './audit-verification.dto';

export type AuditVerificationResponse =
  | { readonly ok: true; readonly rows: number; readonly evidenceFiles: number }
  | {
      readonly ok: false;
      readonly rows: number;
      /** The first row whose hash does not match; null when the chain is intact but evidence is not. */
      readonly firstBrokenAt: number | null;
      readonly expected?: string;
      readonly found?: string;
      readonly evidenceFiles: number;
      /** Stored evidence files whose bytes no longer have the hash the trail recorded (or that are gone), by name. */
      readonly tamperedEvidence: readonly TamperedEvidence[];
    };

@ApiTags('audit')
@Controller('audit/verify')
export class VerifyAuditTrailController {
  constructor(private readonly query: AuditTrailQuery) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOkResponse({ type: AuditVerificationDto })
  @ApiOperation({ summary: 'Recompute the hash chain and the hash of every evidence file it cites; name the first broken link and every altered file (auditors, admins)' })
  async verify(): Promise<AuditVerificationResponse> {
    const result = await this.query.verify();
    const { evidenceFiles, tamperedEvidence } = result;
    if (result.ok && tamperedEvidence.length === 0) return { ok: true, rows: result.rows, evidenceFiles };
    return result.ok
      ? { ok: false, rows: result.rows, firstBrokenAt: null, evidenceFiles, tamperedEvidence }
      : { ok: false, rows: result.rows, firstBrokenAt: result.firstBrokenAt, expected: result.expected, found: result.found, evidenceFiles, tamperedEvidence };
  }
}
