import { useQuery } from '@tanstack/react-query';
import { Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { LevelTag } from '../../components/level-tag';
import { PlainTable } from '../../components/plain-table';
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
      <h1 className="page-title">{t('public.historyHeading', { unit: unitCode })}</h1>
      <QueryState loading={history.isLoading} error={history.error}>
        {history.data?.periods.length ? (
          history.data.periods.map((period) => (
            <section key={period.periodId} className="panel" aria-labelledby={`history-${period.periodId}`}>
              <h2 className="panel-title" id={`history-${period.periodId}`}>
                {`${t('public.year', { year: period.year })}${period.decision ? ` · ${t('public.decision', { number: period.decision.number, date: formatDate(period.decision.date) })}` : ''}`}
              </h2>
              <PlainTable
                rowKey={(row) => row.partCode}
                rows={period.parts}
                empty={null}
                columns={[
                  { key: 'part', title: t('admin.part'), render: (row) => t(`parts.${row.partCode}`, { defaultValue: row.partCode }) },
                  { key: 'score', title: t('public.score'), align: 'right', render: (row) => `${formatScore(row.score)} / ${formatScore(row.maxPoints, 0)}` },
                  { key: 'level', title: t('public.level'), render: (row) => <LevelTag level={row.level} /> },
                ]}
              />
            </section>
          ))
        ) : (
          <p className="empty-note">{t('public.noHistory')}</p>
        )}
      </QueryState>
    </Flex>
  );
}
