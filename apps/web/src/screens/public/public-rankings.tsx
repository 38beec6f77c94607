import { useQueries, useQuery } from '@tanstack/react-query';
import { Flex } from 'antd';
import { ViewSwitch } from '../../components/view-switch';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { NotAssessedEntry, PeriodListItem, RankedEntry, RankingView, UnrankedEntry } from '../../api/views';
import { LevelTag, PlainTag } from '../../components/level-tag';
import { PlainTable } from '../../components/plain-table';
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
        <h1 className="page-title">{t('public.heading')}</h1>
        <p className="muted" style={{ margin: 0 }}>{t('public.intro')}</p>
      </div>
      <QueryState loading={periods.isLoading} error={periods.error} retry={() => void periods.refetch()}>
        {periods.data?.items.length ? (
          <Flex wrap gap={12} align="center">
            <label htmlFor="period-select">{t('public.period')}</label>
            <select id="period-select" className="native-select" style={{ minWidth: 260 }} value={chosen} onChange={(event) => void navigate(`/public/${event.target.value}`)}>
              {periods.data.items.map((item) => (
                <option key={item.periodId} value={item.periodId}>
                  {`${t(`public.provinces.${item.provinceCode}`, { defaultValue: item.provinceCode })}, ${t('public.year', { year: item.year })}`}
                </option>
              ))}
            </select>
            {period?.decisionNumber ? (
              <PlainTag colour="blue">{t('public.decision', { number: period.decisionNumber, date: formatDate(period.decisionDate) })}</PlainTag>
            ) : null}
          </Flex>
        ) : (
          <p className="empty-note">{t('public.noPeriods')}</p>
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
    <div className="ranking-grid">
      <div>
        <section className="panel" aria-labelledby={`ranked-${view.tier}-${view.part}`}>
          <h2 className="panel-title" id={`ranked-${view.tier}-${view.part}`}>{t('public.ranked', { count: data.counts.ranked, total })}</h2>
          {data.provisional ? <PlainTag colour="orange">{t('public.provisional')}</PlainTag> : null}
          <PlainTable<RankedEntry>
            caption={t('public.ranked', { count: data.counts.ranked, total })}
            rowKey={(row) => row.unitCode}
            rows={data.ranked}
            empty={t('public.noneRanked')}
            columns={[
              { key: 'rank', title: t('public.rank'), width: 64, render: (row) => row.rank },
              { key: 'unit', title: t('public.unit'), render: (row) => <Link to={`/public/units/${row.unitCode}`}>{row.unitName}</Link> },
              { key: 'score', title: t('public.score'), align: 'right', render: (row) => formatScore(row.score) },
              { key: 'level', title: t('public.level'), render: (row) => <LevelTag level={row.level} /> },
              { key: 'change', title: <abbr title={t('public.change')}>{t('public.changeShort')}</abbr>, align: 'right', render: (row) => formatChange(row.change) },
            ]}
          />
        </section>
        {data.unranked.length ? (
          <section className="panel" aria-labelledby={`unranked-${view.tier}-${view.part}`} style={{ marginTop: 16 }}>
            <h2 className="panel-title" id={`unranked-${view.tier}-${view.part}`}>{t('public.unrankedHeading', { count: data.unranked.length })}</h2>
            <PlainTable<UnrankedEntry>
              caption={t('public.unrankedHeading', { count: data.unranked.length })}
              rowKey={(row) => row.unitCode}
              rows={data.unranked}
              empty={null}
              columns={[
                { key: 'unit', title: t('public.unit'), render: (row) => <Link to={`/public/units/${row.unitCode}`}>{row.unitName}</Link> },
                { key: 'score', title: t('public.score'), align: 'right', render: (row) => formatScore(row.score) },
                { key: 'change', title: <abbr title={t('public.change')}>{t('public.changeShort')}</abbr>, align: 'right', render: (row) => formatChange(row.change) },
              ]}
            />
          </section>
        ) : null}
        {data.notAssessed.length ? (
          <section className="panel" aria-labelledby={`not-assessed-${view.tier}-${view.part}`} style={{ marginTop: 16 }}>
            <h2 className="panel-title" id={`not-assessed-${view.tier}-${view.part}`}>{t('public.notAssessedHeading', { count: data.notAssessed.length })}</h2>
            <PlainTable<NotAssessedEntry>
              caption={t('public.notAssessedHeading', { count: data.notAssessed.length })}
              rowKey={(row) => row.unitCode}
              rows={data.notAssessed}
              empty={null}
              columns={[
                { key: 'unit', title: t('public.unit'), render: (row) => <Link to={`/public/units/${row.unitCode}`}>{row.unitName}</Link> },
                { key: 'status', title: t('public.level'), render: () => <PlainTag>{t('public.notAssessed')}</PlainTag> },
                { key: 'reason', title: t('public.reason'), render: (row) => row.reason },
              ]}
            />
          </section>
        ) : null}
      </div>
      <div>
        <section className="panel" aria-labelledby={`distribution-${view.tier}-${view.part}`}>
          <h2 className="panel-title" id={`distribution-${view.tier}-${view.part}`}>{t('public.distribution')}</h2>
          <figure aria-label={t('public.distributionOf', { tier: t(`tiers.${view.tier}`), part: t(`parts.${view.part}`) })} style={{ margin: 0 }}>
            {[...LEVELS, 'unranked' as const].map((level) => {
              const count = level === 'unranked' ? data.counts.unranked : (data.counts.byLevel[level] ?? 0);
              return (
                <div className="level-bar" key={level}>
                  <span>{t(`levels.${level}`)}</span>
                  <span className="bar-track" aria-hidden="true">
                    <span className="bar-fill" style={{ width: `${total ? Math.round((count / total) * 100) : 0}%`, background: level === 'unranked' ? '#8c8c8c' : '#0b57d0' }} />
                  </span>
                  <span style={{ textAlign: 'right' }}>{count}</span>
                </div>
              );
            })}
            <figcaption className="muted" style={{ marginTop: 8 }}>
              {t('public.units', { count: total })}
              {data.counts.notAssessed ? ` · ${t('public.notAssessedHeading', { count: data.counts.notAssessed })}` : null}
            </figcaption>
          </figure>
        </section>
      </div>
    </div>
  );
}
