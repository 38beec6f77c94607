import { evolvePeriod, initialPeriodState, type PeriodEvent, type PeriodState } from '@tieuchi/period/domain';
import { periodStreamName } from './period.streams';

/** Where a period's stream is folded: a command's executor, which folds only the events it has not seen yet. */
export interface PeriodStateSource {
  loadState<TState, TEvent extends PeriodEvent>(
    streamName: string,
    initialState: () => TState,
    evolve: (state: TState, event: TEvent) => TState,
  ): Promise<{ readonly state: TState }>;
}

/** The province a period belongs to, or null for a period that was never opened: how every context checks a period's jurisdiction. */
export async function loadPeriodProvince(source: PeriodStateSource, periodId: string): Promise<string | null> {
  const { state } = await source.loadState<PeriodState, PeriodEvent>(periodStreamName(periodId), initialPeriodState, evolvePeriod);
  return state.status === 'not_opened' ? null : state.provinceCode;
}
