import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type AssessmentEvent, type AssessmentState, type EvidenceFile, evolveAssessment, initialAssessmentState } from '@tieuchi/assessment/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { CommandExecutor, EVIDENCE_STORAGE } from '@tieuchi/shared/application';
import { CurrentPrincipal, type Principal, ROLES, Roles } from '@tieuchi/shared/auth';
import { evidenceError, EvidenceErrorCode, type EvidenceStorage } from '@tieuchi/shared/evidence-storage';
import { Matches } from 'class-validator';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AssessmentContextLoader } from '../../assessment-context.loader';
import { AssessmentPathParams } from '../../assessment-path.params';
import { EvidenceUploads } from '../../evidence/evidence-uploads.repository';
import { assertMayReadAssessment, assessmentNotFound, isUnitMember } from '../assessment-access';

export class EvidencePathParams extends AssessmentPathParams {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the file' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex digits' })
  sha256!: string;
}

/** Types a browser may show in place; anything else is always a download. */
const previewable = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/gif', 'image/webp']);

@ApiTags('evidence')
@Controller('periods/:periodId/assessments/:unitCode/evidence')
export class DownloadEvidenceController {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly uploads: EvidenceUploads,
    private readonly contexts: AssessmentContextLoader,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
  ) {}

  /**
   * With the assessment's own authorization: the unit's users get any file uploaded for it;
   * staff, once the assessment has been submitted, the files its criteria name. The public gets
   * nothing. `?inline=true` previews PDF and images in the browser.
   */
  @Get(':sha256')
  @Roles(...ROLES)
  @ApiQuery({ name: 'inline', required: false, type: Boolean })
  @ApiOkResponse({ description: 'the exact bytes uploaded', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: 'Download or preview an evidence file (the unit; staff once submitted)' })
  async download(
    @Param() params: EvidencePathParams,
    @Query('inline') inline: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res() response: Response,
  ): Promise<void> {
    const { periodId, unitCode, sha256 } = params;
    const { state } = await this.executor.load<AssessmentState, AssessmentEvent>(assessmentStreamName(periodId, unitCode), initialAssessmentState, evolveAssessment);
    const unitMember = isUnitMember(principal, unitCode);
    if (state.status === 'not_started' && !unitMember) throw assessmentNotFound(periodId, unitCode);
    if (state.status !== 'not_started') assertMayReadAssessment(principal, periodId, unitCode, state.submitters.length > 0, await this.contexts.periodProvince(periodId));
    const file = unitMember ? await this.uploads.findForAssessment(periodId, unitCode, sha256) : attachedFile(state, sha256);
    if (!file) throw evidenceError(EvidenceErrorCode.notFound, 'not_found', 'Phiếu này không có minh chứng đó', { sha256 });
    const body = await this.storage.open(sha256);
    sendEvidenceFile(response, file, inline === 'true', 'private, max-age=3600, immutable');
    await pipeline(body, response);
  }
}

/** The headers of an evidence file's answer: its own type and name, previewed only when safe, never sniffed or scripted. */
export function sendEvidenceFile(response: Response, file: Pick<EvidenceFile, 'name' | 'size' | 'mediaType' | 'sha256'>, inline: boolean, cacheControl: string): void {
  const disposition = inline && previewable.has(file.mediaType) ? 'inline' : 'attachment';
  response.status(200);
  response.setHeader('Content-Type', file.mediaType);
  response.setHeader('Content-Length', String(file.size));
  response.setHeader('Content-Disposition', contentDisposition(disposition, file.name));
  response.setHeader('ETag', `"${file.sha256}"`);
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
}

function attachedFile(state: AssessmentState, sha256: string): EvidenceFile | null {
  if (state.status === 'not_started') return null;
  // The current answers and every submitted revision's: a file replaced after a return stays readable with the revision that named it.
  for (const criteria of [state.criteria, ...state.revisions.map((revision) => revision.criteria)]) {
    for (const criterion of Object.values(criteria)) {
      for (const record of criterion.self?.evidence ?? []) if (record.kind === 'file' && record.sha256 === sha256) return record;
    }
  }
  return null;
}

/** RFC 6266 with an ASCII fallback and the exact UTF-8 name (RFC 8187), so Vietnamese names download unchanged. */
function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
