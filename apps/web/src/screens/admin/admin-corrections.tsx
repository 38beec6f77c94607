import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Modal, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Written } from '../../api/client';
import { problemText, QueryState } from '../../components/query-state';
import { formatDate, formatDateTime } from '../../format';
import { readPeriodsAfter } from './admin-periods-data';

interface PeriodDecision {
  decisionNumber: string;
  decisionDate: string;
  reason?: string;
  recordedBy?: string;
  recordedAt?: string;
}

interface PublishedPeriod {
  periodId: string;
  version: number;
  publication?: PeriodDecision;
  corrections?: PeriodDecision[];
}

/**
 * A published period's decisions (publication first, then every correction) and the form for a
 * correcting decision. Bound to the period's version on screen: a decision recorded meanwhile is refused (412).
 */
export function CorrectionDialog({ periodId, onClose }: { periodId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [form] = Form.useForm<{ decisionNumber: string; decisionDate: Dayjs; reason: string }>();
  const period = useQuery({
    queryKey: ['periods', 'one', periodId],
    enabled: !!periodId,
    queryFn: () => unwrap<PublishedPeriod>(api.GET('/periods/{periodId}', { params: { path: { periodId: periodId ?? '' } } })),
  });
  const decisions = period.data ? [...(period.data.publication ? [{ ...period.data.publication, kind: 'publication' }] : []), ...(period.data.corrections ?? []).map((d) => ({ ...d, kind: 'correction' }))] : [];
  const submit = async (v: { decisionNumber: string; decisionDate: Dayjs; reason: string }) => {
    if (busy || !period.data || !periodId) return;
    setBusy(true);
    setRefusal(null);
    try {
      const { position } = await unwrap<Written>(
        api.POST('/periods/{periodId}/corrections', {
          params: { path: { periodId }, header: { 'If-Match': `"${period.data.version}"` } },
          body: { decisionNumber: v.decisionNumber.trim(), decisionDate: v.decisionDate.format('YYYY-MM-DD'), reason: v.reason.trim() },
        }),
      );
      form.resetFields();
      // The dialog's period is read from its stream (the decision is there at once); the list after the correction's position.
      await readPeriodsAfter(queryClient, position);
    } catch (error) {
      setRefusal(problemText(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!periodId} title={t('admin.correctionTitle', { period: periodId })} footer={null} onCancel={onClose} destroyOnHidden width={720}>
      <QueryState loading={period.isLoading} error={period.error}>
        <Typography.Title level={2} style={{ fontSize: 16 }}>{t('admin.decisions')}</Typography.Title>
        {/* A list, not a table: the reasons are long and commune staff read this on phones. */}
        <ol className="decision-list" aria-label={t('admin.decisions')}>
          {decisions.map((d) => (
            <li key={`${d.kind}/${d.decisionNumber}`}>
              <div>
                <strong>{t(`admin.decisionKinds.${d.kind}`)}</strong> {d.decisionNumber} · {formatDate(d.decisionDate)}
              </div>
              {d.reason ? <div>{t('admin.reason')}: {d.reason}</div> : null}
              <Typography.Text type="secondary">
                {t('admin.recordedBy')} <span data-user-text>{d.recordedBy ?? t('common.none')}</span> {t('admin.recordedAt', { at: formatDateTime(d.recordedAt) })}
              </Typography.Text>
            </li>
          ))}
        </ol>
      </QueryState>
      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>{t('admin.newCorrection')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('admin.correctionHelp')}</Typography.Paragraph>
      {refusal ? <Alert type="error" showIcon title={refusal} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} disabled={!period.data}>
        <Form.Item name="decisionNumber" label={t('admin.decisionNumber')} rules={[{ required: true, whitespace: true, message: t('signIn.required', { field: t('admin.decisionNumber') }) }]}>
          <Input placeholder="52/QĐ-UBND" maxLength={100} />
        </Form.Item>
        <Form.Item name="decisionDate" label={t('admin.decisionDate')} rules={[{ required: true, message: t('signIn.required', { field: t('admin.decisionDate') }) }]}>
          <DatePicker format="DD/MM/YYYY" />
        </Form.Item>
        <Form.Item name="reason" label={t('admin.reason')} rules={[{ required: true, whitespace: true, message: t('signIn.required', { field: t('admin.reason') }) }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('admin.correct')}</Button>
      </Form>
    </Modal>
  );
}
