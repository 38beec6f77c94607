import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Progress, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { problemText, QueryState } from '../../components/query-state';
import { formatDateTime } from '../../format';
import { listPeriods } from './admin-periods-data';
import { unitLabel } from './unit-label';

type RunProgress = components['schemas']['RunProgressDto'];

const ACTIVE = new Set(['queued', 'running']);
const STATUS_COLOR: Record<string, string> = { queued: 'default', running: 'processing', done: 'success', failed: 'error' };

type RunFailure = RunProgress['failures'][number];

/** A failed job's unit by its name and code, as the register knows it; the stream's name when the run does not know it as an assessment. */
function unitOf(failure: RunFailure): string {
  if (failure.unitCode === null) return failure.streamName;
  return unitLabel(failure.unitName, failure.unitCode);
}

/**
 * A period's recalculation runs, live: polled every 1.5 s while a run is queued or running, every
 * 10 s otherwise (a run starts when someone pins an amendment, perhaps in another tab).
 */
export function AdminRecalculation() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const periods = useQuery({ queryKey: ['periods', 'all'], queryFn: () => listPeriods() });
  const [chosen, setChosen] = useState<string | null>(null);
  const periodId = chosen ?? periods.data?.items[0]?.periodId ?? null;
  const runs = useQuery({
    queryKey: ['recalculation-runs', periodId],
    enabled: !!periodId,
    queryFn: () => unwrap<{ items: RunProgress[] }>(api.GET('/recalculation-runs', { params: { query: { periodId: periodId ?? '' } } })),
    refetchInterval: (query) => ((query.state.data?.items ?? []).some((run) => ACTIVE.has(run.status)) ? 1_500 : 10_000),
  });
  const retry = async (runId: string) => {
    try {
      const answer = await unwrap<{ retried: number }>(api.POST('/recalculation-runs/{runId}/retry', { params: { path: { runId } } }));
      void message.success(t('admin.runRetried', { count: answer.retried }));
      await queryClient.invalidateQueries({ queryKey: ['recalculation-runs'] });
    } catch (error) {
      void message.error(problemText(error, t));
    }
  };
  // A job's error is led by its stable code (FRAMEWORK.NOT_FOUND: …): explained from the catalogue; the text as written stays under "details".
  const failureText = (error: string | null) => {
    const code = /^([A-Z][A-Z_]*\.[A-Z_]+): /.exec(error ?? '')?.[1];
    return t(`admin.runFailure.${code ?? 'unknown'}`, { defaultValue: t('admin.runFailure.unknown') });
  };
  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph type="secondary">{t('admin.recalculationHelp')}</Typography.Paragraph>
      <Form layout="inline">
        <Form.Item label={t('admin.periodId')} htmlFor="recalculation-period">
          <Select id="recalculation-period" style={{ width: 170 }} value={periodId} onChange={setChosen} options={(periods.data?.items ?? []).map((p) => ({ value: p.periodId, label: p.periodId }))} />
        </Form.Item>
      </Form>
      <QueryState loading={periods.isLoading || runs.isLoading} error={periods.error ?? runs.error}>
        {/* Cards, not a table: a run's cause and failures are long, and a phone has room for one column. */}
        {(runs.data?.items ?? []).length === 0 ? <Typography.Paragraph>{t('admin.noRuns')}</Typography.Paragraph> : null}
        <ul className="run-list" aria-label={t('admin.recalculation')}>
          {(runs.data?.items ?? []).map((run) => (
            <li key={run.runId}>
              <Card
                size="small"
                title={
                  <Link className="card-title-wrap wrap-anywhere" to={`/admin/frameworks/${encodeURIComponent(run.frameworkId)}/versions/${run.toVersion}?period=${encodeURIComponent(run.periodId)}`}>
                    {t('admin.runAmendment', { framework: run.frameworkId, from: run.fromVersion, to: run.toVersion })}
                  </Link>
                }
                extra={<Tag color={STATUS_COLOR[run.status]}>{t(`admin.runStatus.${run.status}`)}</Tag>}
              >
                <Flex vertical gap={6}>
                  <span>{run.cause}{run.decisionRef ? ` · ${run.decisionRef}` : ''}</span>
                  <Typography.Text type="secondary">{t('admin.runStarted', { at: formatDateTime(run.createdAt) })}</Typography.Text>
                  {run.provisional ? <Typography.Text type="warning">{t('admin.runProvisional')}</Typography.Text> : null}
                  <span>{t('admin.runProgress', { done: run.done, total: run.total })}</span>
                  <Progress
                    percent={run.total ? Math.floor(((run.done + run.failed) * 100) / run.total) : 100}
                    success={{ percent: run.total ? Math.floor((run.done * 100) / run.total) : 100 }}
                    status={run.failed ? 'exception' : ACTIVE.has(run.status) ? 'active' : 'normal'}
                    size="small"
                    showInfo={false}
                    aria-label={t('admin.runProgress', { done: run.done, total: run.total })}
                  />
                  {run.failed ? (
                    <>
                      <Flex wrap gap={8} align="center">
                        <span>{t('admin.runFailed', { count: run.failed })}</span>
                        <Button size="small" danger onClick={() => void retry(run.runId)}>{t('admin.runRetry', { count: run.failed })}</Button>
                      </Flex>
                      <ul className="run-failures" aria-label={t('admin.runFailures')}>
                        {run.failures.map((failure) => (
                          <li key={failure.jobId}>
                            <strong>{t('admin.runFailedUnit', { unit: unitOf(failure) })}</strong> · {failureText(failure.error)} · {t('admin.attempts', { count: failure.attempts })}
                            {failure.error ? (
                              <details className="error-details">
                                <summary>{t('common.details')}</summary>
                                <code>{failure.error}</code>
                              </details>
                            ) : null}
                          </li>
                        ))}
                      </ul>
                    </>
                  ) : null}
                </Flex>
              </Card>
            </li>
          ))}
        </ul>
      </QueryState>
    </Flex>
  );
}
