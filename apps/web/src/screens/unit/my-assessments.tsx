import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { PeriodAssessmentItem, PeriodListItem } from '../../api/views';
import { useSession } from '../../auth/session';
import { StatusTag } from '../../components/level-tag';
import { QueryState } from '../../components/query-state';

/** Unit editor / lead: the open periods and the state of the unit's assessment in each. */
export function MyAssessments() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const unitCode = session.me?.unitCode ?? '';
  const periods = useQuery({
    queryKey: ['periods', 'all'],
    queryFn: () => unwrap<{ items: PeriodListItem[] }>(api.GET('/periods', { params: { query: { limit: 50 } } })),
  });
  const mine = useQuery({
    queryKey: ['my-assessments', unitCode, periods.data?.items.map((p) => p.periodId).join()],
    enabled: !!periods.data && !!unitCode,
    queryFn: async () => {
      const entries = await Promise.all(
        (periods.data?.items ?? []).map(async (period) => {
          const list = await unwrap<{ items: PeriodAssessmentItem[] }>(api.GET('/periods/{periodId}/assessments', { params: { path: { periodId: period.periodId }, query: { unitCode } } }));
          return [period.periodId, list.items[0] ?? null] as const;
        }),
      );
      return Object.fromEntries(entries);
    },
  });
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t('unit.heading', { unit: unitCode })}</Typography.Title>
      <QueryState loading={periods.isLoading} error={periods.error ?? mine.error}>
        <Card size="small" title={t('unit.periods')}>
          {periods.data?.items.length ? (
            <List
              dataSource={periods.data.items}
              renderItem={(period) => {
                const assessment = mine.data?.[period.periodId] ?? null;
                return (
                  <List.Item
                    actions={[
                      <Button key="open" type={assessment ? 'default' : 'primary'} onClick={() => void navigate(`/unit/${period.periodId}`)}>
                        {assessment ? t('unit.open') : t('unit.start')}
                      </Button>,
                    ]}
                  >
                    <List.Item.Meta title={`${period.periodId} · ${t('public.year', { year: period.year })}`} description={<StatusTag status={period.status} />} />
                    {assessment ? <StatusTag status={assessment.status} /> : <Typography.Text type="secondary">{t('unit.noAssessment')}</Typography.Text>}
                  </List.Item>
                );
              }}
            />
          ) : (
            <Empty description={t('unit.none')} />
          )}
        </Card>
      </QueryState>
    </Flex>
  );
}
