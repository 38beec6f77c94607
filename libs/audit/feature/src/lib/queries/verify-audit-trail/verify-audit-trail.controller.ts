import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tieuchi/shared/auth';
import { AuditTrailQuery } from '../../audit-trail.query';

export type AuditVerificationResponse =
  | { readonly ok: true; readonly rows: number }
  | { readonly ok: false; readonly firstBrokenAt: number; readonly expected: string; readonly found: string };

@ApiTags('audit')
@Controller('audit/verify')
export class VerifyAuditTrailController {
  constructor(private readonly query: AuditTrailQuery) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Recompute the hash chain; name the first broken link (auditors, admins)' })
  async verify(): Promise<AuditVerificationResponse> {
    const result = await this.query.verify();
    return result.ok ? { ok: true, rows: result.rows } : { ok: false, firstBrokenAt: result.firstBrokenAt, expected: result.expected, found: result.found };
  }
}
