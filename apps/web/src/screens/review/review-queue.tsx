import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Input, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { PeriodListItem, ReviewQueueItem } from '../../api/views';
import { StatusTag } from '../../components/level-tag';
import { QueryState } from '../../components/query-state';
import { formatDateTime } from '../../format';

function Queue({ kind }: { kind: 'review' | 'approval' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [periodId, setPeriodId] = useState<string | undefined>();
  const [tier, setTier] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [unit, setUnit] = useState('');
  const periods = useQuery({ queryKey: ['periods', 'all'], queryFn: () => unwrap<{ items: PeriodListItem[] }>(api.GET('/periods', { params: { query: { limit: 50 } } })) });
  const queue = useQuery({
    queryKey: ['review-queue', periodId],
    queryFn: () => unwrap<{ items: ReviewQueueItem[] }>(api.GET('/review-queue', { params: { query: periodId ? { periodId } : {} } })),
  });
  const items = (queue.data?.items ?? []).filter(
    (item) => item.queue === kind && (!tier || item.tier === tier) && (!status || item.status === status) && (!unit || item.unitCode.includes(unit.trim())),
  );
  const states = kind === 'review' ? ['submitted', 'resubmitted', 'under_review'] : ['reviewed'];
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{kind === 'review' ? t('review.queue') : t('review.approvalQueue')}</Typography.Title>
      <Card size="small" title={t('review.filters')}>
        <Flex wrap gap={8}>
          <Select aria-label={t('public.period')} allowClear placeholder={t('review.allPeriods')} style={{ minWidth: 180 }} value={periodId} onChange={setPeriodId} options={(periods.data?.items ?? []).map((p) => ({ value: p.periodId, label: p.periodId }))} />
          <Select aria-label={t('admin.tier')} allowClear placeholder={t('review.allTiers')} style={{ minWidth: 140 }} value={tier} onChange={setTier} options={['district', 'commune'].map((x) => ({ value: x, label: t(`tiers.${x}`) }))} />
          <Select aria-label={t('common.status')} allowClear placeholder={t('review.allStates')} style={{ minWidth: 180 }} value={status} onChange={setStatus} options={states.map((x) => ({ value: x, label: t(`status.${x}`) }))} />
          <Input aria-label={t('review.unitFilter')} placeholder={t('review.unitFilter')} style={{ width: 140 }} value={unit} onChange={(event) => setUnit(event.target.value)} />
        </Flex>
      </Card>
      <QueryState loading={queue.isLoading} error={queue.error}>
        <div className="table-scroll" tabIndex={0}>
          <Table<ReviewQueueItem>
            rowKey={(item) => `${item.periodId}/${item.unitCode}`}
            size="small"
            dataSource={items}
            locale={{ emptyText: t('review.empty') }}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: t('public.period'), dataIndex: 'periodId' },
              { title: t('public.unit'), dataIndex: 'unitCode' },
              { title: t('admin.tier'), dataIndex: 'tier', render: (x: string) => t(`tiers.${x}`, { defaultValue: x }) },
              { title: t('common.status'), dataIndex: 'status', render: (x: string) => <StatusTag status={x} /> },
              { title: t('review.waitingSince'), dataIndex: 'waitingSince', render: (x: string | null) => formatDateTime(x) },
              {
                title: t('common.actions'),
                key: 'open',
                render: (_: unknown, item) => (
                  <Button size="small" type="primary" onClick={() => void navigate(`/${kind === 'review' ? 'review' : 'approve'}/${item.periodId}/${item.unitCode}`)}>
                    {t('review.open')}
                  </Button>
                ),
              },
            ]}
          />
        </div>
      </QueryState>
    </Flex>
  );
}

/** Reviewer: what waits for review, with filters. */
export function ReviewQueue() {
  return <Queue kind="review" />;
}

/** Approver: what waits for approval. */
export function ApprovalQueue() {
  return <Queue kind="approval" />;
}
