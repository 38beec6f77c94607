import { useQuery } from '@tanstack/react-query';
import type { FrameworkAmendment } from '@tieuchi/framework/domain/scoring';
import { Card, Descriptions, Flex, Form, Select, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { QueryState } from '../../components/query-state';
import { formatDateTime, formatScore } from '../../format';
import { type WhatIfResult, WhatIfTable } from './admin-what-if';
import { usePeriodFrameworks } from './admin-periods-data';

/** One published version of a framework as GET /frameworks/{id}/versions/{version} answers it. */
interface FrameworkVersionResource {
  frameworkId: string;
  frameworkVersion: number;
  effectiveAt: string;
  by: string;
  decisionReference: string | null;
  amendment: FrameworkAmendment | null;
}

/**
 * An amendment already issued, as a recalculation run links to it: the version it made, why and by
 * which decision, its changes, and its what-if preview over the period (scored from the version it
 * amended, so the units listed are the ones it moved).
 */
export function IssuedAmendment({ frameworkId, version, periodId }: { frameworkId: string; version: number; periodId: string | null }) {
  const { t } = useTranslation();
  const card = useRef<HTMLDivElement>(null);
  const issued = useQuery({
    queryKey: ['framework-version', frameworkId, version],
    queryFn: () => unwrap<FrameworkVersionResource>(api.GET('/frameworks/{frameworkId}/versions/{version}', { params: { path: { frameworkId, version: String(version) } } })),
  });
  const amendment = issued.data?.amendment ?? null;
  // Opened without ?period=, the admin picks one of the periods this framework is pinned in; the address then names it.
  const [, setSearch] = useSearchParams();
  const pinned = usePeriodFrameworks(!!amendment && !periodId);
  const choices = pinned.data?.filter((period) => period.frameworkId === frameworkId).map((period) => period.periodId) ?? [];
  const preview = useQuery({
    queryKey: ['what-if', frameworkId, version, periodId],
    enabled: !!amendment && !!periodId,
    queryFn: () =>
      unwrap<WhatIfResult>(
        api.POST('/frameworks/{frameworkId}/amendments/what-if', { params: { path: { frameworkId } }, body: { periodId: periodId ?? '', amendment, baseVersion: version - 1 } as never }),
      ),
  });
  // Arriving by a link, the admin lands on the amendment, not on the top of the frameworks view.
  useEffect(() => {
    if (issued.data) card.current?.scrollIntoView({ block: 'start' });
  }, [issued.data]);

  return (
    <div ref={card}>
      <Card size="small" title={<span className="card-title-wrap">{t('admin.issuedTitle', { framework: frameworkId, version })}</span>}>
        <QueryState loading={issued.isLoading} error={issued.error}>
          {issued.data ? (
            <Flex vertical gap={12}>
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: 'at', label: t('admin.issuedAt'), children: `${formatDateTime(issued.data.effectiveAt)} · ${issued.data.by}` },
                  { key: 'decision', label: t('admin.decisionRef'), children: issued.data.decisionReference ?? '—' },
                  ...(amendment ? [{ key: 'cause', label: t('admin.cause'), children: amendment.cause }] : []),
                ]}
              />
              {amendment ? (
                <>
                  <Typography.Text strong>{t('admin.issuedChanges')}</Typography.Text>
                  <ul className="run-failures" aria-label={t('admin.issuedChanges')}>
                    {amendment.changes.map((change, index) => (
                      <li key={index}>{changeText(change, t)}</li>
                    ))}
                  </ul>
                  {periodId ? (
                    <>
                      <Typography.Text strong>{t('admin.issuedPreview', { period: periodId, from: version - 1, to: version })}</Typography.Text>
                      <QueryState loading={preview.isLoading} error={preview.error}>
                        {preview.data ? <WhatIfTable result={preview.data} /> : null}
                      </QueryState>
                    </>
                  ) : (
                    <QueryState loading={pinned.isLoading} error={pinned.error}>
                      {choices.length ? (
                        <Form layout="vertical">
                          <Form.Item label={t('admin.issuedPeriod')} htmlFor="issued-period" extra={t('admin.issuedNoPeriod')}>
                            <Select
                              id="issued-period"
                              style={{ maxWidth: 240 }}
                              options={choices.map((id) => ({ value: id, label: id }))}
                              onChange={(chosen: string) => setSearch({ period: chosen }, { replace: true })}
                            />
                          </Form.Item>
                        </Form>
                      ) : (
                        <Typography.Text>{t('admin.issuedNoPeriods')}</Typography.Text>
                      )}
                    </QueryState>
                  )}
                </>
              ) : (
                <Typography.Text>{t('admin.issuedFirst')}</Typography.Text>
              )}
            </Flex>
          ) : null}
        </QueryState>
      </Card>
    </div>
  );
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** One change of an amendment in words: thresholds are spelled out, the other kinds named with what they touch. */
function changeText(change: FrameworkAmendment['changes'][number], t: Translate): string {
  const where = (tier: string, part: string) => `${t(`tiers.${tier}`, { defaultValue: tier })} · ${t(`parts.${part}`, { defaultValue: part })}`;
  switch (change.kind) {
    case 'levels_changed':
      return t('admin.change.levels_changed', {
        where: where(change.tier, change.partCode),
        levels: change.levels.map((band) => `${t(`levels.${band.level}`, { defaultValue: band.level })} ≥ ${formatScore(band.minScore)}`).join('; '),
      });
    case 'part_maximum_changed':
      return t('admin.change.part_maximum_changed', { where: where(change.tier, change.partCode), max: formatScore(change.maxPoints) });
    case 'criterion_maximum_changed':
    case 'criterion_excluded':
    case 'criterion_applicability_changed':
    case 'criterion_removed':
      return t(`admin.change.${change.kind}`, { criterion: change.criterionCode });
    case 'rounding_changed':
      return t('admin.change.rounding_changed', { decimals: change.rounding.decimals });
    default:
      return assertNever(change);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown amendment change ${JSON.stringify(value)}`);
}
