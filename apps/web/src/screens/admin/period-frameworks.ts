import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { PeriodListItem, PeriodView } from '../../api/views';

/**
 * The framework each period the admin may see is pinned to. The period list does not carry it, so
 * each period is read once: a province has one period a year, and this runs only when asked.
 */
export function usePeriodFrameworks(enabled: boolean) {
  return useQuery({
    queryKey: ['period-frameworks'],
    enabled,
    queryFn: async () => {
      const listed = await unwrap<{ items: PeriodListItem[] }>(api.GET('/periods', { params: { query: { limit: 100 } } }));
      const periods = await Promise.all(listed.items.map((item) => unwrap<PeriodView>(api.GET('/periods/{periodId}', { params: { path: { periodId: item.periodId } } }))));
      return periods.map((period) => ({ periodId: period.periodId, frameworkId: period.framework.id }));
    },
  });
}
