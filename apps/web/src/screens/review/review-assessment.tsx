import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CriterionDefinition, FrameworkDefinition } from '@tieuchi/framework/domain/scoring';
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { AssessmentDetail, CommandResponse, CriterionDetail, PeriodView } from '../../api/views';
import { EvidenceList } from '../../components/evidence-link';
import { CriterionInput } from '../../components/criterion-input';
import { LevelTag, StatusTag } from '../../components/level-tag';
import { problemText, QueryState } from '../../components/query-state';
import { formatScore } from '../../format';

interface Row {
  criterion: CriterionDefinition;
  record: CriterionDetail | undefined;
  group: string;
}

/** The assessment with its framework, for staff screens; `refresh(position)` reads it again once the write shows. */
export function useStaffAssessment(periodId: string, unitCode: string) {
  const queryClient = useQueryClient();
  const assessment = useQuery({
    queryKey: ['assessment', periodId, unitCode],
    queryFn: () => unwrap<AssessmentDetail>(api.GET('/periods/{periodId}/assessments/{unitCode}', { params: { path: { periodId, unitCode } } })),
  });
  const pin = assessment.data?.framework;
  const framework = useQuery({
    queryKey: ['framework', pin?.id, pin?.version],
    enabled: !!pin,
    staleTime: Infinity,
    queryFn: async () =>
      (await unwrap<{ definition: FrameworkDefinition }>(api.GET('/frameworks/{frameworkId}/versions/{version}', { params: { path: { frameworkId: pin?.id ?? '', version: String(pin?.version ?? 1) } } })))
        .definition,
  });
  const refresh = async (position: string | null) => {
    const fresh = await unwrap<AssessmentDetail>(api.GET('/periods/{periodId}/assessments/{unitCode}', { params: { path: { periodId, unitCode }, query: position ? { after: position } : {} } }));
    queryClient.setQueryData(['assessment', periodId, unitCode], fresh);
    void queryClient.invalidateQueries({ queryKey: ['review-queue'] });
  };
  const rows = useMemo<Row[]>(() => {
    const definition = framework.data?.tiers.find((x) => x.tier === assessment.data?.tier);
    const byCode = new Map((assessment.data?.criteria ?? []).map((c) => [c.code, c]));
    return (definition?.parts ?? []).flatMap((part) => part.groups.flatMap((group) => group.criteria.map((criterion) => ({ criterion, record: byCode.get(criterion.code), group: group.title }))));
  }, [framework.data, assessment.data]);
  return { assessment, framework, refresh, rows };
}

export function answerText(record: { answer: { kind: string; value?: number | boolean } } | null | undefined, t: (key: string) => string): string {
  if (!record) return '—';
  if (record.answer.kind === 'not_applicable') return t('form.notApplicable');
  const value = record.answer.value;
  return typeof value === 'boolean' ? (value ? t('form.yes') : t('form.no')) : formatScore(value ?? null);
}

type Scored = { answer: { kind: string; value?: number | boolean }; points: number | null } | null | undefined;

/** An answer and its points in one phrase: "7,00 điểm" when the answer is the points, "Có · 2,00 điểm" otherwise, the answer alone without points. */
export function scoreText(record: Scored, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (!record) return '—';
  if (record.points === null) return answerText(record, t);
  const points = t('form.points', { points: formatScore(record.points) });
  return record.answer.kind === 'value' && typeof record.answer.value === 'number' && record.answer.value === record.points ? points : `${answerText(record, t)} · ${points}`;
}

/**
 * Whether the reviewed answer differs from the unit's own: an acceptance, or an "adjustment" to the
 * same answer, changes nothing (a criterion left out scores no points on either side, null or 0).
 */
export function reviewChanged(self: Scored, review: Scored): boolean {
  if (!review) return false;
  if (!self) return true;
  if (review.answer.kind !== self.answer.kind || review.answer.value !== self.answer.value) return true;
  return typeof review.points === 'number' && typeof self.points === 'number' && Math.abs(review.points - self.points) > 1e-9;
}

/** Reviewer: self and reviewed score side by side; accept, adjust with a reason, return, complete. */
export function ReviewAssessment() {
  const { t } = useTranslation();
  const { periodId = '', unitCode = '' } = useParams();
  const { message } = App.useApp();
  const { assessment, framework, refresh, rows } = useStaffAssessment(periodId, unitCode);
  const [adjusting, setAdjusting] = useState<Row | null>(null);
  const [returning, setReturning] = useState(false);
  const [busy, setBusy] = useState(false);
  const detail = assessment.data;
  const actions = new Set(detail?.nextActions ?? []);
  const headers = detail ? { 'If-Match': `"${detail.version}"` } : {};

  const run = async (call: () => Promise<CommandResponse>) => {
    setBusy(true);
    try {
      const result = await call();
      await refresh(result.position);
      return true;
    } catch (error) {
      void message.error(problemText(error, t));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const path = { periodId, unitCode };
  const remaining = rows.filter((row) => row.record?.self && !row.record.review).length;

  return (
    <Flex vertical gap={16}>
      <Link to="/review">{t('app.back')}</Link>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t('review.heading', { unit: unitCode, period: periodId })}</Typography.Title>
      <QueryState loading={assessment.isLoading || framework.isLoading} error={assessment.error ?? framework.error}>
        {detail ? (
          <>
            <Card size="small">
              <Flex wrap gap={16} align="center" justify="space-between">
                <Space wrap>
                  <StatusTag status={detail.status} />
                  {detail.parts.map((part) => (
                    <span key={part.partCode}>
                      {t(`parts.${part.partCode}`)}: <strong>{formatScore(part.score)}</strong>/{formatScore(part.maxPoints, 0)} <LevelTag level={part.level} />
                    </span>
                  ))}
                </Space>
                <Space wrap>
                  {actions.has('StartReview') ? <Button type="primary" loading={busy} onClick={() => void run(() => unwrap(api.POST('/periods/{periodId}/assessments/{unitCode}/review/start', { params: { path }, headers })))}>{t('review.start')}</Button> : null}
                  {actions.has('AcceptCriterion') && remaining > 0 ? (
                    <Button loading={busy} onClick={() => void run(() => unwrap(api.POST('/periods/{periodId}/assessments/{unitCode}/review/accept-remaining', { params: { path }, headers })))}>{t('review.acceptAll')}</Button>
                  ) : null}
                  {actions.has('ReturnAssessment') ? <Button danger onClick={() => setReturning(true)}>{t('review.returnToUnit')}</Button> : null}
                  {actions.has('CompleteReview') ? (
                    <Button type="primary" loading={busy} disabled={remaining > 0} onClick={() => void run(() => unwrap(api.POST('/periods/{periodId}/assessments/{unitCode}/review/complete', { params: { path }, headers })))}>{t('review.complete')}</Button>
                  ) : null}
                </Space>
              </Flex>
              {actions.has('AcceptCriterion') ? <Typography.Text type="secondary">{remaining ? t('review.remaining', { count: remaining }) : t('review.done')}</Typography.Text> : null}
            </Card>
            <div className="table-scroll" tabIndex={0}>
              <Table<Row>
                rowKey={(row) => row.criterion.code}
                size="small"
                pagination={false}
                dataSource={rows}
                columns={[
                  { title: t('form.criterion', { code: '' }).trim(), key: 'c', render: (_: unknown, row) => <div style={{ minWidth: 200 }}><strong>{row.criterion.code}</strong> {row.criterion.title}<div className="muted">{t('form.max', { max: formatScore(row.criterion.maxPoints) })}</div></div> },
                  {
                    title: t('review.self'),
                    key: 's',
                    render: (_: unknown, row) => (
                      <div style={{ minWidth: 160 }}>
                        <div><strong>{scoreText(row.record?.self, t)}</strong></div>
                        <EvidenceList evidence={row.record?.self?.evidence ?? []} />
                        {row.record?.self?.explanation ? <div className="muted">{row.record.self.explanation}</div> : null}
                      </div>
                    ),
                  },
                  {
                    title: t('review.reviewed'),
                    key: 'r',
                    render: (_: unknown, row) =>
                      row.record?.review ? (
                        <div style={{ minWidth: 140 }}>
                          <Tag color={row.record.review.decision === 'adjusted' ? 'orange' : 'green'}>{row.record.review.decision === 'adjusted' ? t('review.adjusted') : t('review.accepted')}</Tag>
                          <strong>{formatScore(row.record.review.points)}</strong>
                          {row.record.review.reason ? <div className="muted">{row.record.review.reason}</div> : null}
                        </div>
                      ) : (
                        '—'
                      ),
                  },
                  {
                    title: t('common.actions'),
                    key: 'a',
                    render: (_: unknown, row) =>
                      actions.has('AcceptCriterion') ? (
                        <Space>
                          <Button size="small" aria-label={`${t('review.accept')} ${row.criterion.code}`} onClick={() => void run(() => unwrap(api.POST('/periods/{periodId}/assessments/{unitCode}/criteria/{criterionCode}/accept', { params: { path: { ...path, criterionCode: row.criterion.code } }, headers })))}>
                            {t('review.accept')}
                          </Button>
                          <Button size="small" aria-label={`${t('review.adjust')} ${row.criterion.code}`} onClick={() => setAdjusting(row)}>{t('review.adjust')}</Button>
                        </Space>
                      ) : null,
                  },
                ]}
              />
            </div>
            <AdjustModal
              row={adjusting}
              onClose={() => setAdjusting(null)}
              onSubmit={async (value, reason) => {
                if (!adjusting) return;
                const ok = await run(() =>
                  unwrap(
                    api.POST('/periods/{periodId}/assessments/{unitCode}/criteria/{criterionCode}/adjust', {
                      params: { path: { ...path, criterionCode: adjusting.criterion.code } },
                      headers,
                      body: { answer: { kind: 'value', value }, reason },
                    }),
                  ),
                );
                if (ok) setAdjusting(null);
              }}
            />
            <Modal open={returning} title={t('review.returnToUnit')} footer={null} onCancel={() => setReturning(false)} destroyOnHidden>
              <Form
                layout="vertical"
                onFinish={(values: { comment: string; flagged?: string[] }) =>
                  void run(() =>
                    unwrap(api.POST('/periods/{periodId}/assessments/{unitCode}/return', { params: { path }, headers, body: { comment: values.comment, flaggedCriteria: values.flagged ?? [] } })),
                  ).then((ok) => ok && setReturning(false))
                }
              >
                <Form.Item name="comment" label={t('review.comment')} rules={[{ required: true, message: t('signIn.required', { field: t('review.comment') }) }]}>
                  <Input.TextArea autoSize={{ minRows: 3 }} />
                </Form.Item>
                <Form.Item name="flagged" label={t('review.flag')}>
                  <Select mode="multiple" options={rows.map((row) => ({ value: row.criterion.code, label: row.criterion.code }))} />
                </Form.Item>
                <Button type="primary" danger htmlType="submit" loading={busy}>{t('review.returnToUnit')}</Button>
              </Form>
            </Modal>
          </>
        ) : (
          <Alert type="info" title={t('review.empty')} />
        )}
      </QueryState>
    </Flex>
  );
}

function AdjustModal({ row, onClose, onSubmit }: { row: Row | null; onClose: () => void; onSubmit: (value: number | boolean, reason: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<number | boolean | null>(null);
  const [reason, setReason] = useState('');
  // Start from the unit's answer as soon as a criterion is chosen: set after the opening animation
  // instead, it overwrote what a quick reviewer had already typed (an "adjustment" from 7 to 7).
  useEffect(() => {
    const self = row?.record?.self?.answer;
    setValue(self?.kind === 'value' ? (self.value ?? null) : null);
    setReason('');
  }, [row]);
  return (
    <Modal
      open={!!row}
      title={row ? `${t('review.adjust')} ${row.criterion.code}` : ''}
      okText={t('review.adjust')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: value === null || reason.trim() === '' }}
      onOk={() => void (value !== null ? onSubmit(value, reason) : undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      {row ? (
        <Flex vertical gap={12}>
          <Descriptions size="small" column={1} items={[{ key: 's', label: t('review.self'), children: scoreText(row.record?.self, t) }]} />
          <label htmlFor="adjust-value">{t('review.newValue')}</label>
          <CriterionInput id="adjust-value" label={t('review.newValue')} criterion={row.criterion} value={value} onChange={setValue} t={t} />
          <label htmlFor="adjust-reason">{t('review.reason')}</label>
          <Input.TextArea id="adjust-reason" value={reason} onChange={(event) => setReason(event.target.value)} autoSize={{ minRows: 2 }} />
        </Flex>
      ) : null}
    </Modal>
  );
}

export type { PeriodView };
