import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AssessmentCommand, EvidenceRecord } from '@tieuchi/assessment/domain';
import type { CriterionAnswer } from '@tieuchi/framework/domain';
import { CLOCK, type Clock } from '@tieuchi/shared/application';
import { assertOwnUnit, CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import type { MessageMetadata } from '@tieuchi/shared/kernel';
import type { Request } from 'express';
import { type AssessmentCommandResponse, AssessmentCommandResponseDto } from '../../assessment-command.response';
import { AssessmentPathParams } from '../../assessment-path.params';
import { EvidenceUploads } from '../../evidence/evidence-uploads.repository';
import { sendAssessmentCommand } from '../send-assessment-command';
import type { SaveAnswerItemDto } from './save-answers.dto';
import { SaveAnswersDto } from './save-answers.dto';
import { ApiIfMatch } from '@tieuchi/shared/http';

function commandOf(item: SaveAnswerItemDto, evidence: readonly EvidenceRecord[], metadata: MessageMetadata): AssessmentCommand {
  if (item.answer.kind === 'not_applicable') {
    return {
      type: 'MarkCriterionNotApplicable',
      data: { criterionCode: item.criterionCode, explanation: item.explanation ?? '', evidence },
      metadata,
    };
  }
  return {
    type: 'ScoreCriterion',
    data: {
      criterionCode: item.criterionCode,
      answer: item.answer as CriterionAnswer,
      evidence,
      ...(item.explanation !== undefined ? { explanation: item.explanation } : {}),
    },
    metadata,
  };
}

@ApiTags('assessments')
@Controller('periods/:periodId/assessments/:unitCode')
export class SaveAnswersController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly uploads: EvidenceUploads,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The form's save: unit editors and leads of the unit; one append, so one If-Match covers the whole form. */
  @Post('answers')
  @HttpCode(200)
  @Roles('unit_editor', 'unit_lead')
  @ApiIfMatch('the version (ETag) the form was read at; 412 when the assessment moved since')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retried save with the same key records nothing twice' })
  @ApiOkResponse({ type: AssessmentCommandResponseDto })
  @ApiOperation({ summary: 'Save many criterion answers at once, all or none; 400 names every refused criterion (unit editors and leads of the unit)' })
  async save(
    @Param() params: AssessmentPathParams,
    @Body() body: SaveAnswersDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<AssessmentCommandResponse> {
    assertOwnUnit(principal, params.unitCode);
    const now = this.clock.now();
    const evidence: EvidenceRecord[][] = [];
    for (const [index, item] of body.items.entries()) evidence.push(await this.uploads.resolve(params.periodId, params.unitCode, item.evidence, `items.${index}.evidence`, now));
    return sendAssessmentCommand(this.commandBus, params, (_state, metadata) => body.items.map((item, index) => commandOf(item, evidence[index] ?? [], metadata)), principal, request);
  }
}
