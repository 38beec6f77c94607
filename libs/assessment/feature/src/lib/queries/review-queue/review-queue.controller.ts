import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import { ReviewQueueDto, ReviewQueueQueryDto } from './review-queue.dto';
import { type ReviewQueue, ReviewQueueQuery } from './review-queue.query';

@ApiTags('assessments')
@Controller('review-queue')
export class ReviewQueueController {
  constructor(private readonly query: ReviewQueueQuery) {}

  /** Reviewers get what waits for review, approvers what waits for approval; nobody else has a queue. */
  @Get()
  @Roles('reviewer', 'approver')
  @ApiOkResponse({ type: ReviewQueueDto })
  @ApiOperation({ summary: 'Assessments waiting for the caller, oldest first (reviewers, approvers)' })
  get(@Query() filter: ReviewQueueQueryDto, @CurrentPrincipal() principal: Principal): Promise<ReviewQueue> {
    return this.query.execute(principal, filter.periodId);
  }
}
