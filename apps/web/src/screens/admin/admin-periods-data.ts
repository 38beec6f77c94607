import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { PeriodListItem, PeriodView } from '../../api/views';

/** The periods an admin may see, newest first; read after a command's position when given (read-your-writes). */
export function listPeriods(after?: string | null): Promise<{ items: PeriodListItem[] }> {
  return unwrap<{ items: PeriodListItem[] }>(api.GET('/periods', { params: { query: { limit: 100, ...(after ? { after } : {}) } } }));
}

/**
 * After a period command: the list is read again after the command's position, so the API answers
 * once the list shows the write (nothing to read when it wrote nothing); the other period views follow.
 */
export async function readPeriodsAfter(queryClient: QueryClient, position: string | null): Promise<void> {
  if (!position) return;
  await queryClient.fetchQuery({ queryKey: ['periods', 'all'], queryFn: () => listPeriods(position), staleTime: 0 });
  await queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] === 'period-frameworks' || (query.queryKey[0] === 'periods' && query.queryKey[1] !== 'all') });
}

/**
 * The framework each period the admin may see is pinned to. The period list does not carry it, so
 * each period is read once: a province has one period a year, and this runs only when asked.
 */
export function usePeriodFrameworks(enabled: boolean) {
  return useQuery({
    queryKey: ['period-frameworks'],
    enabled,
    queryFn: async () => {
      const listed = await listPeriods();
      const periods = await Promise.all(listed.items.map((item) => unwrap<PeriodView>(api.GET('/periods/{periodId}', { params: { path: { periodId: item.periodId } } }))));
      return periods.map((period) => ({ periodId: period.periodId, frameworkId: period.framework.id }));
    },
  });
}
