import { useQueries, useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Flex, Progress, Row, Select, Table, Tag, Typography } from 'antd';
import { ViewSwitch } from '../../components/view-switch';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { PeriodListItem, RankedEntry, RankingView, UnrankedEntry } from '../../api/views';
import { LevelTag, } from '../../components/level-tag';
import { QueryState } from '../../components/query-state';
import { formatChange, formatDate, formatScore } from '../../format';

const VIEWS = [
  { tier: 'district', part: 'readiness' },
  { tier: 'district', part: 'results' },
  { tier: 'commune', part: 'readiness' },
  { tier: 'commune', part: 'results' },
] as const;
const LEVELS = ['I', 'II', 'III', 'IV'] as const;

/** Public: published rankings of a period per tier × part, with the distribution of levels. */
export function PublicRankings() {
  const { t } = useTranslation();
  const { periodId } = useParams();
  const navigate = useNavigate();
  const periods = useQuery({
    queryKey: ['periods', 'published'],
    queryFn: () => unwrap<{ items: PeriodListItem[] }>(api.GET('/periods', { params: { query: { status: 'published', limit: 100 } } })),
  });
  const chosen = periodId ?? periods.data?.items[0]?.periodId;
  useEffect(() => {
    if (!periodId && chosen) void navigate(`/public/${chosen}`, { replace: true });
  }, [periodId, chosen, navigate]);
  const rankings = useQueries({
    queries: VIEWS.map((view) => ({
      queryKey: ['ranking', chosen, view.tier, view.part],
      enabled: !!chosen,
      queryFn: () =>
        unwrap<RankingView>(api.GET('/periods/{periodId}/rankings/{tier}/{part}', { params: { path: { periodId: chosen ?? '', tier: view.tier, part: view.part } } })).catch(
          () => null,
        ),
    })),
  });
  const period = periods.data?.items.find((item) => item.periodId === chosen);
  const available = rankings.map((query, index) => ({ view: VIEWS[index] ?? VIEWS[0], data: query.data ?? null, loading: query.isLoading })).filter((entry) => entry.loading || entry.data);

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={1} style={{ fontSize: 24, marginBottom: 4 }}>{t('public.heading')}</Typography.Title>
        <Typography.Text type="secondary">{t('public.intro')}</Typography.Text>
      </div>
      <QueryState loading={periods.isLoading} error={periods.error} retry={() => void periods.refetch()}>
        {periods.data?.items.length ? (
          <Flex wrap gap={12} align="center">
            <label htmlFor="period-select">{t('public.period')}</label>
            <Select
              id="period-select"
              style={{ minWidth: 260, maxWidth: '100%' }}
              value={chosen}
              onChange={(value: string) => void navigate(`/public/${value}`)}
              options={periods.data.items.map((item) => ({
                value: item.periodId,
                label: `${t(`public.provinces.${item.provinceCode}`, { defaultValue: item.provinceCode })}, ${t('public.year', { year: item.year })}`,
              }))}
            />
            {period?.decisionNumber ? (
              <Tag color="blue">{t('public.decision', { number: period.decisionNumber, date: formatDate(period.decisionDate) })}</Tag>
            ) : null}
          </Flex>
        ) : (
          <Empty description={t('public.noPeriods')} />
        )}
      </QueryState>
      {chosen && available.length > 0 ? (
        <ViewSwitch
          key={chosen}
          label={t('public.period')}
          items={available.map(({ view, data, loading }) => ({
            key: `${view.tier}-${view.part}`,
            label: `${t(`tiers.${view.tier}`)}: ${t(`parts.${view.part}`)}`,
            children: <RankingPanel view={view} data={data} loading={loading} />,
          }))}
        />
      ) : null}
    </Flex>
  );
}

function RankingPanel({ view, data, loading }: { view: { tier: string; part: string }; data: RankingView | null; loading: boolean }) {
  const { t } = useTranslation();
  if (loading || !data) return <QueryState loading error={null}>{null}</QueryState>;
  const total = data.counts.units;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={16}>
        <Card title={t('public.ranked', { count: data.counts.ranked, total })} size="small">
          {data.provisional ? <Tag color="orange">{t('public.provisional')}</Tag> : null}
          <div className="table-scroll" tabIndex={0}>
            <Table<RankedEntry>
              rowKey="unitCode"
              size="small"
              pagination={false}
              dataSource={data.ranked}
              locale={{ emptyText: t('public.noneRanked') }}
              columns={[
                { title: t('public.rank'), dataIndex: 'rank', width: 64 },
                { title: t('public.unit'), dataIndex: 'unitName', render: (name: string, row) => <Link to={`/public/units/${row.unitCode}`}>{name}</Link> },
                { title: t('public.score'), dataIndex: 'score', align: 'right', render: (score: number) => formatScore(score) },
                { title: t('public.level'), dataIndex: 'level', render: (level: string) => <LevelTag level={level} /> },
                { title: <abbr title={t('public.change')}>{t('public.changeShort')}</abbr>, dataIndex: 'change', align: 'right', render: (change: number | null) => formatChange(change) },
              ]}
            />
          </div>
        </Card>
        {data.unranked.length ? (
          <Card title={t('public.unrankedHeading', { count: data.unranked.length })} size="small" style={{ marginTop: 16 }}>
            <div className="table-scroll" tabIndex={0}>
              <Table<UnrankedEntry>
                rowKey="unitCode"
                size="small"
                pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
                dataSource={data.unranked}
                columns={[
                  { title: t('public.unit'), dataIndex: 'unitName', render: (name: string, row) => <Link to={`/public/units/${row.unitCode}`}>{name}</Link> },
                  { title: t('public.score'), dataIndex: 'score', align: 'right', render: (score: number) => formatScore(score) },
                  { title: <abbr title={t('public.change')}>{t('public.changeShort')}</abbr>, dataIndex: 'change', align: 'right', render: (change: number | null) => formatChange(change) },
                ]}
              />
            </div>
          </Card>
        ) : null}
      </Col>
      <Col xs={24} lg={8}>
        <Card title={t('public.distribution')} size="small">
          <figure aria-label={t('public.distributionOf', { tier: t(`tiers.${view.tier}`), part: t(`parts.${view.part}`) })} style={{ margin: 0 }}>
            {[...LEVELS, 'unranked' as const].map((level) => {
              const count = level === 'unranked' ? data.counts.unranked : (data.counts.byLevel[level] ?? 0);
              return (
                <div className="level-bar" key={level}>
                  <span>{t(`levels.${level}`)}</span>
                  <Progress percent={total ? Math.round((count / total) * 100) : 0} showInfo={false} strokeColor={level === 'unranked' ? '#8c8c8c' : '#0b57d0'} aria-label={t(`levels.${level}`)} />
                  <span style={{ textAlign: 'right' }}>{count}</span>
                </div>
              );
            })}
            <figcaption className="muted" style={{ marginTop: 8 }}>{t('public.units', { count: total })}</figcaption>
          </figure>
        </Card>
      </Col>
    </Row>
  );
}
