import type { PublishPeriod } from '../period.commands';
import { periodError, requireDate, requireText } from '../period.errors';
import type { PeriodPublished, PublicationExclusion } from '../period.events';
import { requireOpenedPeriod, wrongState } from '../period.guards';
import type { PeriodState } from '../period.state';

export function publishPeriod(command: PublishPeriod, state: PeriodState): readonly PeriodPublished[] {
  const period = requireOpenedPeriod(state, command.data.periodId);
  if (period.status === 'published') {
    throw periodError('PERIOD.ALREADY_PUBLISHED', 'conflict', `published by ${period.publication.decisionNumber}; correct it instead`);
  }
  if (period.status !== 'self_assessment_closed') return wrongState(period, 'publish');
  const decisionNumber = requireText(command.data.decisionNumber, 'data.decisionNumber');
  const decisionDate = requireDate(command.data.decisionDate, 'data.decisionDate');
  return [
    {
      type: 'PeriodPublished',
      data: {
        periodId: period.periodId,
        decisionNumber,
        decisionDate,
        exclusions: exclusionsOf(command.data),
        publishedBy: command.metadata.actor,
        publishedAt: command.metadata.occurredAt,
      },
    },
  ];
}

/**
 * A publication never skips a unit silently: every unit without an approved assessment must be
 * named as excluded, with a reason, and only such units may be. The refusal lists the ones missing.
 */
function exclusionsOf({ exclusions, unitsWithoutApproval }: PublishPeriod['data']): readonly PublicationExclusion[] {
  const awaiting = new Map(unitsWithoutApproval.map((unit) => [unit.unitCode, unit]));
  const named = new Map<string, PublicationExclusion>();
  exclusions.forEach((exclusion, index) => {
    const field = `data.exclusions.${index}`;
    const unit = awaiting.get(exclusion.unitCode);
    if (named.has(exclusion.unitCode)) {
      throw periodError('PERIOD.DUPLICATE_EXCLUSION', 'validation', `unit ${exclusion.unitCode} is excluded twice`, `${field}.unitCode`);
    }
    if (!unit) {
      throw periodError(
        'PERIOD.UNEXPECTED_EXCLUSION',
        'conflict',
        `Đơn vị ${exclusion.unitCode} không thuộc danh sách đơn vị chưa có phiếu được phê duyệt của kỳ (unit ${exclusion.unitCode} is not a unit of the period without an approved assessment).`,
        `${field}.unitCode`,
        { unitCode: exclusion.unitCode },
      );
    }
    const reason = requireText(exclusion.reason, `${field}.reason`);
    named.set(unit.unitCode, { unitCode: unit.unitCode, unitName: unit.unitName, tier: unit.tier, reason });
  });
  const missing = unitsWithoutApproval.filter((unit) => !named.has(unit.unitCode));
  if (missing.length > 0) {
    throw periodError(
      'PERIOD.UNITS_NOT_APPROVED',
      'conflict',
      `${missing.length} đơn vị chưa có phiếu đánh giá được phê duyệt; hãy ghi rõ từng đơn vị trong exclusions kèm lý do (${missing.length} units have no approved assessment: name each in exclusions with a reason).`,
      'data.exclusions',
      { units: missing.map(({ unitCode, unitName, tier, status }) => ({ unitCode, unitName, tier, status })) },
    );
  }
  return [...named.values()];
}
