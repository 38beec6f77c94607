import { periodStreamName } from '@tieuchi/period/data-access';
import { evolvePeriod, initialPeriodState, type PeriodEvent, type PeriodState } from '@tieuchi/period/domain';
import type { CommandExecutor } from '@tieuchi/shared/application';

/** The province a period belongs to, or null for a period that was never opened (it has nothing to show). */
export async function periodProvince(executor: CommandExecutor, periodId: string): Promise<string | null> {
  const { state } = await executor.loadState<PeriodState, PeriodEvent>(periodStreamName(periodId), initialPeriodState, evolvePeriod);
  return state.status === 'not_opened' ? null : state.provinceCode;
}
