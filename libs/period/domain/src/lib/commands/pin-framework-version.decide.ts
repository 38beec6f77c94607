import type { PinFrameworkVersion } from '../period.commands';
import { periodError, requireText } from '../period.errors';
import type { FrameworkVersionPinned } from '../period.events';
import { requireOpenedPeriod } from '../period.guards';
import type { PeriodState } from '../period.state';

export function pinFrameworkVersion(command: PinFrameworkVersion, state: PeriodState): readonly FrameworkVersionPinned[] {
  const period = requireOpenedPeriod(state, command.data.periodId);
  const { frameworkId, version } = command.data;
  // An amendment is a later version of the same framework; switching frameworks is a new period.
  if (frameworkId !== period.framework.id) {
    throw periodError('PERIOD.FRAMEWORK_MISMATCH', 'validation', `the period is pinned to ${period.framework.id}`, 'data.frameworkId');
  }
  if (!Number.isInteger(version) || version <= period.framework.version) {
    throw periodError(
      'PERIOD.STALE_FRAMEWORK_VERSION',
      'conflict',
      `version ${version} is not later than the pinned ${period.framework.version}`,
      'data.version',
    );
  }
  return [
    {
      type: 'FrameworkVersionPinned',
      data: {
        periodId: period.periodId,
        frameworkId,
        previousVersion: period.framework.version,
        version,
        cause: requireText(command.data.cause, 'data.cause'),
        decisionRef: requireText(command.data.decisionRef, 'data.decisionRef'),
        pinnedBy: command.metadata.actor,
        pinnedAt: command.metadata.occurredAt,
      },
    },
  ];
}
