import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Table, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { problemText, QueryState } from '../../components/query-state';
import { formatDateTime } from '../../format';

type AuditRow = Record<string, unknown>;
const text = (row: AuditRow, ...keys: string[]): string => {
  for (const key of keys) if (row[key] !== undefined && row[key] !== null) return String(row[key]);
  return '—';
};

/** Auditor: the audit chain's verification, the event log with a stream filter, and one assessment's score history. */
export function AuditHome() {
  const { t } = useTranslation();
  const [stream, setStream] = useState<string | undefined>();
  const [target, setTarget] = useState<{ periodId: string; unitCode: string } | null>(null);
  const verify = useQuery({ queryKey: ['audit-verify'], queryFn: () => unwrap<AuditRow>(api.GET('/audit/verify')) });
  const events = useQuery({
    queryKey: ['audit-events', stream],
    queryFn: () => unwrap<{ items?: AuditRow[]; events?: AuditRow[] }>(api.GET('/audit/events', { params: { query: { limit: 50, ...(stream ? { stream } : {}) } as never } })),
  });
  const history = useQuery({
    queryKey: ['audit-history', target],
    enabled: !!target,
    queryFn: () => unwrap<{ items?: AuditRow[]; events?: AuditRow[] }>(api.GET('/periods/{periodId}/assessments/{unitCode}/audit', { params: { path: target ?? { periodId: '', unitCode: '' }, query: { limit: 100 } as never } })),
  });
  const valid = verify.data && (verify.data['valid'] === true || verify.data['ok'] === true || verify.data['intact'] === true);
  const rowsOf = (data: { items?: AuditRow[]; events?: AuditRow[] } | undefined) => data?.items ?? data?.events ?? [];
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t('audit.heading')}</Typography.Title>
      <Card size="small" title={t('audit.verify')}>
        <QueryState loading={verify.isLoading} error={verify.error}>
          <Alert type={valid ? 'success' : 'warning'} showIcon title={valid ? t('audit.verified', { count: Number(verify.data?.['checked'] ?? verify.data?.['events'] ?? 0) }) : t('audit.broken', { at: text(verify.data ?? {}, 'brokenAt', 'firstBroken') })} />
        </QueryState>
      </Card>
      <Card size="small" title={t('audit.timeline')}>
        <Form layout="inline" onFinish={(v: { periodId: string; unitCode: string }) => setTarget(v)}>
          <Form.Item name="periodId" label={t('audit.periodId')} rules={[{ required: true }]}><Input style={{ width: 160 }} /></Form.Item>
          <Form.Item name="unitCode" label={t('audit.unitCode')} rules={[{ required: true }]}><Input style={{ width: 100 }} /></Form.Item>
          <Button htmlType="submit">{t('audit.show')}</Button>
        </Form>
        {history.error ? <Alert type="error" title={problemText(history.error, t)} /> : null}
        {history.data ? (
          <Timeline
            style={{ marginTop: 16 }}
            items={rowsOf(history.data).map((row, index) => ({
              key: index,
              children: (
                <div>
                  <strong>{text(row, 'type', 'eventType')}</strong> · {formatDateTime(text(row, 'occurredAt', 'at'))} · {text(row, 'actor', 'by')}
                  <div className="muted">{text(row, 'description', 'summary', 'reason')}</div>
                </div>
              ),
            }))}
          />
        ) : null}
      </Card>
      <Card size="small" title={t('audit.events')}>
        <Input.Search aria-label={t('audit.stream')} placeholder={t('audit.stream')} allowClear onSearch={(value) => setStream(value || undefined)} style={{ maxWidth: 360, marginBottom: 12 }} />
        <QueryState loading={events.isLoading} error={events.error}>
          <div className="table-scroll" tabIndex={0}>
            <Table<AuditRow>
              rowKey={(row) => text(row, 'eventId', 'id', 'position')}
              size="small"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              dataSource={rowsOf(events.data)}
              columns={[
                { title: t('audit.at'), key: 'at', render: (_: unknown, row) => formatDateTime(text(row, 'occurredAt', 'at')) },
                { title: t('audit.stream'), key: 's', render: (_: unknown, row) => text(row, 'streamName', 'stream') },
                { title: t('audit.type'), key: 't', render: (_: unknown, row) => text(row, 'type', 'eventType') },
                { title: t('audit.actor'), key: 'a', render: (_: unknown, row) => text(row, 'actor', 'by') },
              ]}
            />
          </div>
        </QueryState>
      </Card>
    </Flex>
  );
}
