import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type AssessmentEvent, type AssessmentState, type AssessmentStatus, evolveAssessment, initialAssessmentState } from '@tieuchi/assessment/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { CommandExecutor, EVIDENCE_STORAGE } from '@tieuchi/shared/application';
import { Public } from '@tieuchi/shared/auth';
import { evidenceError, EvidenceErrorCode, type EvidenceStorage } from '@tieuchi/shared/evidence-storage';
import { Matches } from 'class-validator';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AssessmentContextLoader } from '../../assessment-context.loader';
import { assessmentNotFound } from '../assessment-access';
import { sendEvidenceFile } from '../download-evidence/download-evidence.controller';

/** After the period's decision, whatever an appeal does: the assessment's results are public. */
const PUBLISHED: readonly AssessmentStatus[] = ['published', 'appealed', 'upheld', 'revised'];

export class PublicEvidencePathParams {
  @ApiProperty({ example: 'daknong-2019' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'periodId must be lower-case letters, digits and dashes' })
  periodId!: string;

  @ApiProperty({ example: '24728', description: 'official unit code (mã ĐVHC)' })
  @Matches(/^[0-9]{2,5}$/, { message: 'unitCode must be an official unit code of 2–5 digits' })
  unitCode!: string;
}

export class PublicEvidenceFilePathParams extends PublicEvidencePathParams {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the file' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex digits' })
  sha256!: string;
}

export class PublicEvidenceFileDto {
  @ApiProperty({ example: 'H.SS.HT.1' })
  readonly criterionCode!: string;

  @ApiProperty({ example: 'Quyết định ban hành kế hoạch.pdf' })
  readonly name!: string;

  @ApiProperty({ example: 120_431 })
  readonly size!: number;

  @ApiProperty({ example: 'application/pdf' })
  readonly mediaType!: string;

  @ApiProperty({ example: 'a3f1…', description: 'SHA-256 of the bytes: the download path, and what the audit trail recorded' })
  readonly sha256!: string;
}

export class PublicEvidenceListDto {
  @ApiProperty()
  readonly periodId!: string;

  @ApiProperty()
  readonly unitCode!: string;

  @ApiProperty({ type: [PublicEvidenceFileDto] })
  readonly files!: PublicEvidenceFileDto[];
}

/**
 * Evidence the framework publishes with the results (`publicEvidence` on a criterion), for
 * anyone, without a token: routes of their own, so that the authenticated evidence route keeps
 * its per-unit and per-province checks. Only published assessments; only those criteria.
 */
@ApiTags('evidence')
@Controller('periods/:periodId/units/:unitCode/public-evidence')
export class PublicEvidenceController {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly contexts: AssessmentContextLoader,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: PublicEvidenceListDto })
  @ApiNotFoundResponse({ description: 'ASSESSMENT.NOT_FOUND: no published assessment of the unit in the period (a draft or one under review is answered exactly as a missing one)' })
  @ApiOperation({ summary: "The public evidence of a published assessment: the files of the criteria the framework marks publicEvidence (anyone)" })
  async list(@Param() params: PublicEvidencePathParams): Promise<PublicEvidenceListDto> {
    return { periodId: params.periodId, unitCode: params.unitCode, files: await this.publicFiles(params) };
  }

  @Get(':sha256')
  @Public()
  @ApiQuery({ name: 'inline', required: false, type: Boolean })
  @ApiOkResponse({ description: 'the exact bytes uploaded', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse({ description: 'ASSESSMENT.NOT_FOUND for an unpublished assessment; EVIDENCE.NOT_FOUND for a file that is not public evidence of it (another criterion\'s stays private)' })
  @ApiOperation({ summary: 'Download or preview one public evidence file of a published assessment (anyone)' })
  async download(@Param() params: PublicEvidenceFilePathParams, @Query('inline') inline: string | undefined, @Res() response: Response): Promise<void> {
    const file = (await this.publicFiles(params)).find((candidate) => candidate.sha256 === params.sha256);
    if (!file) throw evidenceError(EvidenceErrorCode.notFound, 'not_found', 'Minh chứng này không được công khai', { sha256: params.sha256 });
    sendEvidenceFile(response, file, inline === 'true', 'public, max-age=3600, immutable');
    await pipeline(await this.storage.open(file.sha256), response);
  }

  private async publicFiles({ periodId, unitCode }: PublicEvidencePathParams): Promise<PublicEvidenceFileDto[]> {
    const { state } = await this.executor.load<AssessmentState, AssessmentEvent>(assessmentStreamName(periodId, unitCode), initialAssessmentState, evolveAssessment);
    if (state.status === 'not_started' || !PUBLISHED.includes(state.status)) throw assessmentNotFound(periodId, unitCode);
    const framework = await this.contexts.loadFramework(state.framework.id, state.framework.version);
    const open = new Set(framework.tiers.flatMap((tier) => tier.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria.filter((c) => c.publicEvidence === true).map((c) => c.code)))));
    const files: PublicEvidenceFileDto[] = [];
    for (const [criterionCode, criterion] of Object.entries(state.criteria)) {
      if (!open.has(criterionCode)) continue;
      for (const record of criterion.self?.evidence ?? []) {
        if (record.kind === 'file') files.push({ criterionCode, name: record.name, size: record.size, mediaType: record.mediaType, sha256: record.sha256 });
      }
    }
    return files.sort((a, b) => a.criterionCode.localeCompare(b.criterionCode, 'en', { numeric: true }) || a.name.localeCompare(b.name));
  }
}
