import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Flex, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { LevelTag } from '../../components/level-tag';
import { QueryState } from '../../components/query-state';
import { formatDate, formatScore } from '../../format';

interface HistoryPeriod {
  periodId: string;
  year: number;
  provisional: boolean;
  decision: { number: string; date: string } | null;
  parts: { partCode: string; maxPoints: number; score: number; level: string | null }[];
}

/** Public: a unit's published scores and levels across the years. */
export function UnitHistory() {
  const { t } = useTranslation();
  const { unitCode = '' } = useParams();
  const history = useQuery({
    queryKey: ['unit-history', unitCode],
    queryFn: () => unwrap<{ unitCode: string; periods: HistoryPeriod[] }>(api.GET('/units/{unitCode}/history', { params: { path: { unitCode } } })),
  });
  return (
    <Flex vertical gap={16}>
      <Link to="/">{t('app.back')}</Link>
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('public.historyHeading', { unit: unitCode })}</Typography.Title>
      <QueryState loading={history.isLoading} error={history.error}>
        {history.data?.periods.length ? (
          history.data.periods.map((period) => (
            <Card key={period.periodId} size="small" title={`${t('public.year', { year: period.year })}${period.decision ? ` · ${t('public.decision', { number: period.decision.number, date: formatDate(period.decision.date) })}` : ''}`}>
              <Table
                rowKey="partCode"
                size="small"
                pagination={false}
                dataSource={period.parts}
                columns={[
                  { title: t('admin.part'), dataIndex: 'partCode', render: (code: string) => t(`parts.${code}`, { defaultValue: code }) },
                  { title: t('public.score'), dataIndex: 'score', align: 'right', render: (score: number, row) => `${formatScore(score)} / ${formatScore(row.maxPoints, 0)}` },
                  { title: t('public.level'), dataIndex: 'level', render: (level: string | null) => <LevelTag level={level} /> },
                ]}
              />
            </Card>
          ))
        ) : (
          <Empty description={t('public.noHistory')} />
        )}
      </QueryState>
    </Flex>
  );
}
