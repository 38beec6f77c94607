import { Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, CLOCK, type Clock } from '@tieuchi/shared/application';
import { assertOwnUnit, CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import type { AppConfig } from '@tieuchi/shared/config';
import { EvidenceIngest } from '@tieuchi/shared/evidence-storage';
import type { Request } from 'express';
import { AssessmentPathParams } from '../../assessment-path.params';
import { EvidenceUploads } from '../../evidence/evidence-uploads.repository';
import { evidenceHref } from '../../evidence/evidence-view';
import { receiveMultipartFile } from './multipart-file';
import { EvidenceUploadResponse } from './upload-evidence.response';

@ApiTags('evidence')
@Controller('periods/:periodId/assessments/:unitCode/evidence')
export class UploadEvidenceController {
  constructor(
    private readonly ingest: EvidenceIngest,
    private readonly uploads: EvidenceUploads,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Unit editors and leads of the unit itself. The file is streamed to storage (never held in
   * memory), typed by its bytes and stored once per SHA-256; it counts against the per-file and
   * per-assessment limits. Not attached to anything until a score names its id; uploads never
   * attached are deleted after EVIDENCE_UNATTACHED_HOURS.
   */
  @Post()
  @HttpCode(201)
  @Roles('unit_editor', 'unit_lead')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'PDF, image, Office or OpenDocument file' } } },
  })
  @ApiCreatedResponse({ type: EvidenceUploadResponse })
  @ApiOperation({ summary: 'Upload one evidence file (minh chứng) for the assessment (unit editors and leads of the unit)' })
  async upload(@Param() params: AssessmentPathParams, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<EvidenceUploadResponse> {
    assertOwnUnit(principal, params.unitCode);
    const { maxFileBytes, maxAssessmentBytes } = this.config.evidence;
    // The per-file limit bounds what is read; the assessment's is checked when the upload is recorded.
    const upload = await receiveMultipartFile(request, maxFileBytes, (source, info) =>
      this.ingest.ingestAndRecord({ source, name: info.filename, declaredType: info.mimeType, maxBytes: maxFileBytes }, (evidence) =>
        this.uploads.record(params.periodId, params.unitCode, evidence, principal.id, this.clock.now(), maxAssessmentBytes),
      ),
    );
    return {
      id: upload.id,
      name: upload.name,
      size: upload.size,
      mediaType: upload.mediaType,
      sha256: upload.sha256,
      href: evidenceHref(params.periodId, params.unitCode, upload.sha256),
      uploadedAt: upload.uploadedAt,
    };
  }
}
