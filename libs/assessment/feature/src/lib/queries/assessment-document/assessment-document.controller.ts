import { Controller, Get, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock, ReadAfter } from '@tieuchi/shared/application';
import { CurrentPrincipal, type Principal, ROLES, Roles } from '@tieuchi/shared/auth';
import type { Response } from 'express';
import { AssessmentContextLoader } from '../../assessment-context.loader';
import { ASSESSMENT_SUMMARY_PROJECTION_ID } from '@tieuchi/assessment/data-access';
import { AssessmentPathParams } from '../../assessment-path.params';
import { ReadAfterQueryDto } from '@tieuchi/shared/http';
import { GetAssessmentQuery } from '../get-assessment/get-assessment.query';
import { assessmentDocument } from './assessment-document';
import { assessmentPdf } from './assessment-document.pdf';

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class AssessmentDocumentController {
  constructor(
    private readonly query: GetAssessmentQuery,
    private readonly contexts: AssessmentContextLoader,
    private readonly readAfter: ReadAfter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Whoever may read the assessment (its unit's users; staff of its province once submitted) may print it. */
  @Get('document.pdf')
  @Roles(...ROLES)
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'the assessment as PDF, Vietnamese font embedded', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiOperation({
    summary: 'The assessment as a document: criteria with maxima, self and reviewed scores, reasons, evidence with SHA-256, who submitted, reviewed and approved it and when (same readers as the assessment)',
  })
  async pdf(
    @Param() params: AssessmentPathParams,
    @Query() query: ReadAfterQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    await this.readAfter.waitFor(ASSESSMENT_SUMMARY_PROJECTION_ID, query.after);
    const detail = await this.query.execute(params.periodId, params.unitCode, principal);
    const [framework, unitName] = await Promise.all([this.contexts.loadFramework(detail.framework.id, detail.framework.version), this.contexts.unitName(params.unitCode)]);
    const document = assessmentDocument(detail, framework, { code: params.unitCode, name: unitName }, this.clock.now().toISOString());
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `attachment; filename="${document.fileName}.pdf"`);
    response.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(await assessmentPdf(document));
  }
}
