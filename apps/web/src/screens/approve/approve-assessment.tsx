import { Alert, App, Button, Card, Flex, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { CommandResponse } from '../../api/views';
import { LevelTag, StatusTag } from '../../components/level-tag';
import { problemText, QueryState } from '../../components/query-state';
import { formatChange, formatScore } from '../../format';
import { reviewChanged, scoreText, useStaffAssessment } from '../review/review-assessment';

/** Approver: the reviewed form and its changes from the self-assessment; approve the revision on screen, or send back. */
export function ApproveAssessment() {
  const { t } = useTranslation();
  const { periodId = '', unitCode = '' } = useParams();
  const { message } = App.useApp();
  const { assessment, framework, refresh, rows } = useStaffAssessment(periodId, unitCode);
  const [sendingBack, setSendingBack] = useState(false);
  const [busy, setBusy] = useState(false);
  const detail = assessment.data;
  const actions = new Set(detail?.nextActions ?? []);
  // Only where the reviewed answer differs from the unit's own: an accepted or same-valued criterion is no change.
  const changed = rows.filter((row) => reviewChanged(row.record?.self, row.record?.review));
  const path = { periodId, unitCode };
  const run = async (call: () => Promise<CommandResponse>, done?: string) => {
    setBusy(true);
    try {
      const result = await call();
      await refresh(result.position);
      if (done) void message.success(done);
      return true;
    } catch (error) {
      void message.error(problemText(error, t));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex vertical gap={16}>
      <Link to="/approve">{t('app.back')}</Link>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t('approve.heading', { unit: unitCode, period: periodId })}</Typography.Title>
      <QueryState loading={assessment.isLoading || framework.isLoading} error={assessment.error ?? framework.error}>
        {detail ? (
          <>
            <Card size="small">
              <Flex wrap gap={16} justify="space-between" align="center">
                <Space wrap>
                  <StatusTag status={detail.status} />
                  <span>{t('approve.revision', { revision: detail.revision })}</span>
                  {detail.parts.map((part) => (
                    <span key={part.partCode}>
                      {t(`parts.${part.partCode}`)}: <strong>{formatScore(part.score)}</strong>/{formatScore(part.maxPoints, 0)} <LevelTag level={part.level} />
                    </span>
                  ))}
                </Space>
                {actions.has('ApproveAssessment') ? (
                  <Space wrap>
                    <Button
                      type="primary"
                      loading={busy}
                      onClick={() =>
                        void run(
                          () => unwrap(api.POST('/periods/{periodId}/assessments/{unitCode}/approve', { params: { path }, headers: { 'If-Match': `"${detail.version}"` }, body: { revision: detail.revision } })),
                          t('approve.approved'),
                        )
                      }
                    >
                      {t('approve.approve', { revision: detail.revision })}
                    </Button>
                    <Button danger onClick={() => setSendingBack(true)}>{t('approve.sendBack')}</Button>
                  </Space>
                ) : null}
              </Flex>
            </Card>
            <Card size="small" title={t('approve.changes', { count: changed.length })}>
              {changed.length ? (
                <div className="table-scroll" tabIndex={0}>
                  <Table
                    rowKey={(row) => row.criterion.code}
                    size="small"
                    pagination={false}
                    dataSource={changed}
                    columns={[
                      { title: t('review.criterionColumn'), key: 'c', render: (_: unknown, row) => <span><strong>{row.criterion.code}</strong> {row.criterion.title}</span> },
                      { title: t('review.self'), key: 's', render: (_: unknown, row) => scoreText(row.record?.self, t) },
                      { title: t('review.reviewed'), key: 'r', render: (_: unknown, row) => <strong>{scoreText(row.record?.review, t)}</strong> },
                      {
                        title: t('approve.difference'),
                        key: 'd',
                        render: (_: unknown, row) => {
                          const self = row.record?.self?.points;
                          const reviewed = row.record?.review?.points;
                          return typeof self === 'number' && typeof reviewed === 'number' ? formatChange(Math.round((reviewed - self) * 100) / 100) : '—';
                        },
                      },
                      { title: t('review.reason'), key: 'why', render: (_: unknown, row) => row.record?.review?.reason ?? '—' },
                    ]}
                  />
                </div>
              ) : (
                <Alert type="info" title={t('approve.noChanges')} />
              )}
            </Card>
            <Modal open={sendingBack} title={t('approve.sendBack')} footer={null} onCancel={() => setSendingBack(false)} destroyOnHidden>
              <Form
                layout="vertical"
                onFinish={(values: { comment: string }) =>
                  void run(() => unwrap(api.POST('/periods/{periodId}/assessments/{unitCode}/send-back', { params: { path }, headers: { 'If-Match': `"${detail.version}"` }, body: { comment: values.comment } }))).then(
                    (ok) => ok && setSendingBack(false),
                  )
                }
              >
                <Form.Item name="comment" label={t('approve.comment')} rules={[{ required: true, message: t('signIn.required', { field: t('approve.comment') }) }]}>
                  <Input.TextArea autoSize={{ minRows: 3 }} />
                </Form.Item>
                <Button type="primary" danger htmlType="submit" loading={busy}>{t('approve.sendBack')}</Button>
              </Form>
            </Modal>
          </>
        ) : null}
      </QueryState>
    </Flex>
  );
}
