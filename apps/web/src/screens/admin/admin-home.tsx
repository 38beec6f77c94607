import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FrameworkDefinition } from '@tieuchi/framework/domain/scoring';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { ViewSwitch } from '../../components/view-switch';
import { AdminAccounts } from './admin-accounts';
import { AdminPastResults } from './admin-past-results';
import { CorrectionDialog } from './admin-corrections';
import { AdminRecalculation } from './admin-recalculation';
import { listPeriods, readPeriodsAfter } from './admin-periods-data';
import { AdminUnits } from './admin-units';
import { IssuedAmendment } from './admin-issued-amendment';
import { type WhatIfResult, WhatIfTable } from './admin-what-if';
import type { Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap, type Written } from '../../api/client';
import type { components } from '../../api/schema';
import type { PeriodListItem, PeriodView } from '../../api/views';
import { StatusTag } from '../../components/level-tag';
import { problemText, QueryState } from '../../components/query-state';
import { ResponsiveTable } from '../../components/responsive-table';
import { formatDate } from '../../format';

/** A unit the province would publish without an approved assessment: it must be named with a reason. */
interface UnapprovedUnit {
  unitCode: string;
  unitName: string;
  tier: string;
  status: string | null;
}

/** Administrator: periods (open, close, publish), amendments with a what-if preview, projection status. */
export function AdminHome() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  // /admin/frameworks/:frameworkId/versions/:version?period=… opens an issued amendment (a recalculation run links there).
  const { frameworkId, version } = useParams();
  const [search] = useSearchParams();
  const issued = frameworkId && Number(version) >= 1 ? { frameworkId, version: Number(version), periodId: search.get('period') } : null;
  const [view, setView] = useState(issued ? 'frameworks' : 'periods');
  useEffect(() => {
    if (frameworkId) setView('frameworks');
  }, [frameworkId, version]);
  const choose = (key: string) => {
    setView(key);
    if (issued && key !== 'frameworks') void navigate('/admin');
  };
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t('nav.admin')}</Typography.Title>
      <ViewSwitch
        label={t('nav.admin')}
        value={view}
        onChange={choose}
        items={[
          { key: 'periods', label: t('admin.periods'), children: <Periods /> },
          { key: 'units', label: t('admin.units'), children: <AdminUnits /> },
          { key: 'past-results', label: t('admin.pastResults'), children: <AdminPastResults /> },
          {
            key: 'frameworks',
            label: t('admin.frameworks'),
            children: (
              <Flex vertical gap={16}>
                {issued ? <IssuedAmendment frameworkId={issued.frameworkId} version={issued.version} periodId={issued.periodId} /> : null}
                <Amendments />
              </Flex>
            ),
          },
          { key: 'recalculation', label: t('admin.recalculation'), children: <AdminRecalculation /> },
          { key: 'projections', label: t('admin.projections'), children: <Projections /> },
          { key: 'accounts', label: t('admin.accounts'), children: <AdminAccounts /> },
        ]}
      />
    </Flex>
  );
}

function Periods() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [publishing, setPublishing] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState<string | null>(null);
  // One publication per click: Enter in the date field also submits, and a second request would be refused.
  const [publishBusy, setPublishBusy] = useState(false);
  const publishSent = useRef(false);
  // Filled from 409 PERIOD.UNITS_NOT_APPROVED: the units the decision must name, each with a reason.
  const [unapproved, setUnapproved] = useState<UnapprovedUnit[]>([]);
  const periods = useQuery({ queryKey: ['periods', 'all'], queryFn: () => listPeriods() });
  /** Sends a period command, then reads the list after its position: the API answers once the list shows the change. */
  const act = async (call: () => Promise<Written>, onRefusal?: (error: unknown) => boolean): Promise<boolean> => {
    try {
      const { position } = await call();
      void message.success(t('admin.done'));
      await readPeriodsAfter(queryClient, position);
      return true;
    } catch (error) {
      if (!onRefusal?.(error)) void message.error(problemText(error, t));
      return false;
    }
  };
  const closePublish = () => {
    setPublishing(null);
    setUnapproved([]);
  };
  return (
    <Flex vertical gap={16}>
      <QueryState loading={periods.isLoading} error={periods.error}>
        <ResponsiveTable<PeriodListItem>
          label={t('admin.periods')}
          rowKey="periodId"
          dataSource={periods.data?.items ?? []}
          columns={[
            { key: 'id', title: t('admin.periodId'), render: (p) => p.periodId },
            { key: 'year', title: t('admin.year'), render: (p) => p.year },
            { key: 'status', title: t('common.status'), render: (p) => <StatusTag status={p.status} /> },
            { key: 'decision', title: t('admin.decisionNumber'), render: (p) => (p.decisionNumber ? `${p.decisionNumber} (${formatDate(p.decisionDate)})` : '—') },
            {
              key: 'actions',
              title: t('common.actions'),
              render: (p) => (
                <Space wrap>
                  {p.status === 'open' ? <Button size="small" onClick={() => void act(() => unwrap<Written>(api.POST('/periods/{periodId}/self-assessment/close', { params: { path: { periodId: p.periodId } } })))}>{t('admin.close')}</Button> : null}
                  {p.status !== 'published' ? <Button size="small" type="primary" onClick={() => setPublishing(p.periodId)}>{t('admin.publish')}</Button> : null}
                  {p.status === 'published' ? <Button size="small" onClick={() => setCorrecting(p.periodId)}>{t('admin.correct')}</Button> : null}
                </Space>
              ),
            },
          ]}
        />
      </QueryState>
      <Card size="small" title={t('admin.openPeriod')}>
        <Form
          layout="inline"
          onFinish={(v: { periodId: string; provinceCode: string; year: number; frameworkId: string; frameworkVersion: number; self: Dayjs; review: Dayjs; appeal: number }) =>
            void act(() =>
              unwrap<Written>(
                api.POST('/periods', {
                  body: {
                    periodId: v.periodId,
                    provinceCode: v.provinceCode,
                    year: v.year,
                    framework: { id: v.frameworkId, version: v.frameworkVersion },
                    deadlines: { selfAssessment: v.self.format('YYYY-MM-DD'), review: v.review.format('YYYY-MM-DD'), appealWindowDays: v.appeal },
                  },
                }),
              ),
            )
          }
          initialValues={{ provinceCode: '67', frameworkId: '2392-2017', frameworkVersion: 1, appeal: 15 }}
        >
          <Form.Item name="periodId" label={t('admin.periodId')} rules={[{ required: true }]}><Input style={{ width: 160 }} /></Form.Item>
          <Form.Item name="provinceCode" label={t('admin.provinceCode')} rules={[{ required: true }]}><Input style={{ width: 64 }} /></Form.Item>
          <Form.Item name="year" label={t('admin.year')} rules={[{ required: true }]}><InputNumber style={{ width: 96 }} /></Form.Item>
          <Form.Item name="frameworkId" label={t('admin.framework')} rules={[{ required: true }]}><Input style={{ width: 120 }} /></Form.Item>
          <Form.Item name="frameworkVersion" label={t('admin.frameworkVersion')} rules={[{ required: true }]}><InputNumber style={{ width: 64 }} /></Form.Item>
          <Form.Item name="self" label={t('admin.selfDeadline')} rules={[{ required: true }]}><DatePicker format="DD/MM/YYYY" /></Form.Item>
          <Form.Item name="review" label={t('admin.reviewDeadline')} rules={[{ required: true }]}><DatePicker format="DD/MM/YYYY" /></Form.Item>
          <Form.Item name="appeal" label={t('admin.appealDays')} rules={[{ required: true }]}><InputNumber style={{ width: 64 }} /></Form.Item>
          <Button type="primary" htmlType="submit">{t('admin.openPeriod')}</Button>
        </Form>
      </Card>
      <CorrectionDialog periodId={correcting} onClose={() => setCorrecting(null)} />
      <Modal open={!!publishing} title={t('admin.publishTitle', { period: publishing })} footer={null} onCancel={closePublish} destroyOnHidden>
        <Form
          layout="vertical"
          onFinish={(v: { decisionNumber: string; decisionDate: Dayjs; reasons?: Record<string, string> }) => {
            if (publishSent.current) return;
            publishSent.current = true;
            setPublishBusy(true);
            const exclusions = unapproved.map((unit) => ({ unitCode: unit.unitCode, reason: v.reasons?.[unit.unitCode] ?? '' }));
            void act(
              () =>
                unwrap<Written>(
                  api.POST('/periods/{periodId}/publish', {
                    params: { path: { periodId: publishing ?? '' } },
                    body: { decisionNumber: v.decisionNumber, decisionDate: v.decisionDate.format('YYYY-MM-DD'), ...(exclusions.length ? { exclusions } : {}) },
                  }),
                ),
              (error) => {
                // The server lists the units without an approved assessment: ask for a reason for each, then publish again.
                if (!(error instanceof ApiError) || error.problem.code !== 'PERIOD.UNITS_NOT_APPROVED') return false;
                const listed = ((error.problem as { units?: UnapprovedUnit[] }).units ?? []).filter((unit) => !unapproved.some((known) => known.unitCode === unit.unitCode));
                setUnapproved((current) => [...current, ...listed]);
                return true;
              },
            )
              .then((published) => published && closePublish())
              .finally(() => {
                publishSent.current = false;
                setPublishBusy(false);
              });
          }}
        >
          <Form.Item name="decisionNumber" label={t('admin.decisionNumber')} rules={[{ required: true, message: t('signIn.required', { field: t('admin.decisionNumber') }) }]}><Input placeholder="47/QĐ-UBND" /></Form.Item>
          <Form.Item name="decisionDate" label={t('admin.decisionDate')} rules={[{ required: true, message: t('signIn.required', { field: t('admin.decisionDate') }) }]}><DatePicker format="DD/MM/YYYY" /></Form.Item>
          {unapproved.length ? (
            <>
              <Alert type="warning" showIcon title={t('admin.unapproved', { count: unapproved.length })} style={{ marginBottom: 12 }} />
              {unapproved.map((unit) => (
                <Form.Item
                  key={unit.unitCode}
                  name={['reasons', unit.unitCode]}
                  label={t('admin.exclusionReason', { unit: `${unit.unitName} (${unit.unitCode}, ${t(`tiers.${unit.tier}`, { defaultValue: unit.tier })})` })}
                  rules={[{ required: true, whitespace: true, message: t('signIn.required', { field: t('admin.reason') }) }]}
                >
                  {/* Typed, not prefilled: a second click on Publish must not publish these units unread. */}
                  <Input placeholder={t('admin.exclusionDefault')} />
                </Form.Item>
              ))}
            </>
          ) : null}
          <Button type="primary" htmlType="submit" loading={publishBusy}>{unapproved.length ? t('admin.publishExcluding', { count: unapproved.length }) : t('admin.publish')}</Button>
        </Form>
      </Modal>
    </Flex>
  );
}

function Amendments() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [result, setResult] = useState<WhatIfResult | null>(null);
  const [form] = Form.useForm<{ periodId: string; tier: string; part: string; level: string; threshold: number; cause: string; decisionRef: string }>();
  const periods = useQuery({ queryKey: ['periods', 'all'], queryFn: () => listPeriods() });
  const amendmentOf = async (v: { periodId: string; tier: string; part: string; level: string; threshold: number; cause: string; decisionRef: string }) => {
    const period = await unwrap<PeriodView>(api.GET('/periods/{periodId}', { params: { path: { periodId: v.periodId } } }));
    const { definition } = await unwrap<{ definition: FrameworkDefinition }>(
      api.GET('/frameworks/{frameworkId}/versions/{version}', { params: { path: { frameworkId: period.framework.id, version: String(period.framework.version) } } }),
    );
    const part = definition.tiers.find((x) => x.tier === v.tier)?.parts.find((p) => p.code === v.part);
    const levels = (part?.levels ?? []).map((band) => (band.level === v.level ? { ...band, minScore: v.threshold } : band));
    return { period, amendment: { cause: v.cause, decisionReference: v.decisionRef, changes: [{ kind: 'levels_changed', tier: v.tier, partCode: v.part, levels }] } };
  };
  const preview = async () => {
    try {
      const v = await form.validateFields();
      const { period, amendment } = await amendmentOf(v);
      setResult(await unwrap<WhatIfResult>(api.POST('/frameworks/{frameworkId}/amendments/what-if', { params: { path: { frameworkId: period.framework.id } }, body: { periodId: v.periodId, amendment } as never })));
    } catch (error) {
      if (error instanceof Error) void message.error(problemText(error, t));
    }
  };
  const amendAndPin = async () => {
    try {
      const v = await form.validateFields();
      const { period, amendment } = await amendmentOf(v);
      await unwrap(api.POST('/frameworks/{frameworkId}/amendments', { params: { path: { frameworkId: period.framework.id } }, body: amendment as never }));
      await unwrap(
        api.POST('/periods/{periodId}/framework-version', {
          params: { path: { periodId: v.periodId } },
          body: { frameworkId: period.framework.id, version: result?.toVersion ?? period.framework.version + 1, cause: v.cause, decisionRef: v.decisionRef },
        }),
      );
      void message.success(t('admin.done'));
    } catch (error) {
      void message.error(problemText(error, t));
    }
  };
  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph type="secondary">{t('admin.whatIfHelp')}</Typography.Paragraph>
      <Form form={form} layout="inline" initialValues={{ tier: 'district', part: 'readiness', level: 'II', cause: '', decisionRef: '' }}>
        <Form.Item name="periodId" label={t('admin.periodId')} rules={[{ required: true }]}>
          <Select style={{ width: 170 }} options={(periods.data?.items ?? []).map((p) => ({ value: p.periodId, label: p.periodId }))} />
        </Form.Item>
        <Form.Item name="tier" label={t('admin.tier')}><Select style={{ width: 120 }} options={['district', 'commune'].map((x) => ({ value: x, label: t(`tiers.${x}`) }))} /></Form.Item>
        <Form.Item name="part" label={t('admin.part')}><Select style={{ width: 180 }} options={['readiness', 'results'].map((x) => ({ value: x, label: t(`parts.${x}`) }))} /></Form.Item>
        <Form.Item name="level" label={t('admin.levelName')}><Select style={{ width: 100 }} options={['I', 'II', 'III', 'IV'].map((x) => ({ value: x, label: t(`levels.${x}`) }))} /></Form.Item>
        <Form.Item name="threshold" label={t('admin.newThreshold')} rules={[{ required: true }]}><InputNumber decimalSeparator="," step={0.5} style={{ width: 100 }} /></Form.Item>
        <Form.Item name="cause" label={t('admin.cause')} rules={[{ required: true }]}><Input style={{ width: 200 }} /></Form.Item>
        <Form.Item name="decisionRef" label={t('admin.decisionRef')} rules={[{ required: true }]}><Input style={{ width: 160 }} /></Form.Item>
        <Space>
          <Button onClick={() => void preview()}>{t('admin.preview')}</Button>
          <Button type="primary" disabled={!result} onClick={() => void amendAndPin()}>{t('admin.amend')}</Button>
        </Space>
      </Form>
      {result ? (
        // With no unit moved, the table's own note says so; a title repeating it would say it twice.
        <Card size="small" title={result.changes.length ? <span className="card-title-wrap">{t('admin.affected', { count: result.changes.length })}</span> : undefined}>
          <WhatIfTable result={result} />
        </Card>
      ) : null}
    </Flex>
  );
}

type ProjectionOverview = components['schemas']['ProjectionOverviewDto'];

/** A runner's name in words: its id without the version suffix (rankings.v1 → rankings) names it in the catalogue. */
const projectionName = (id: string, t: TFunction): string => t(`admin.projectionNames.${id.replace(/\.v\d+$/, '')}`, { defaultValue: id });

/**
 * Every projection and process runner the workers host, as the API reads it from the database:
 * whether one runs, how far behind it is, and, where allowed, a rebuild beside the live version.
 */
function Projections() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [requested, setRequested] = useState<string | null>(null);
  const status = useQuery({
    queryKey: ['projections'],
    refetchInterval: 2_000,
    queryFn: () => unwrap<{ items: ProjectionOverview[] }>(api.GET('/admin/projections')),
  });
  const items = status.data?.items ?? [];
  const building = new Set(items.filter((row) => row.building).map((row) => row.projectionId));
  const liveVersion = (id: string) => items.find((row) => row.projectionId === id && !row.building)?.version;
  const rebuild = async (projectionId: string) => {
    setRequested(projectionId);
    try {
      await unwrap(api.POST('/admin/projections/{projectionId}/rebuild', { params: { path: { projectionId } } }));
      void message.success(t('admin.done'));
      await queryClient.invalidateQueries({ queryKey: ['projections'] });
    } catch (error) {
      void message.error(problemText(error, t));
    } finally {
      setRequested(null);
    }
  };
  return (
    <QueryState loading={status.isLoading} error={status.error}>
      <ResponsiveTable<ProjectionOverview>
        label={t('admin.projections')}
        rowKey={(row) => `${row.projectionId}/${row.schema}`}
        dataSource={items}
        columns={[
          { key: 'id', title: t('admin.projection'), render: (row) => projectionName(row.projectionId, t) },
          {
            key: 'state',
            title: t('admin.state'),
            render: (row) => (
              <Space wrap size={4}>
                <Tag color={row.state === 'running' ? 'green' : 'red'}>{t(`admin.runnerStates.${row.state}`)}</Tag>
                {row.version === null ? null : row.building ? t('admin.projectionBuilding', { version: row.version, from: liveVersion(row.projectionId) }) : t('admin.projectionLive', { version: row.version })}
              </Space>
            ),
          },
          {
            key: 'lag',
            title: t('admin.lag'),
            render: (row) => (row.lagEvents === null ? '—' : row.lagEvents === 0 ? t('admin.caughtUp') : t('admin.behind', { count: row.lagEvents, seconds: Math.round(row.lagSeconds ?? 0) })),
          },
          { key: 'checkpoint', title: t('admin.checkpoint'), render: (row) => <code style={{ wordBreak: 'break-all' }}>{row.checkpoint ?? '—'}</code> },
          {
            key: 'actions',
            title: t('common.actions'),
            // Only a rebuildable projection's live version, and not while a version of it is being built.
            render: (row) =>
              row.rebuildable && !row.building && !building.has(row.projectionId) ? (
                <Popconfirm title={t('admin.rebuildConfirm')} okText={t('common.confirm')} cancelText={t('common.cancel')} onConfirm={() => void rebuild(row.projectionId)}>
                  <Button size="small" loading={requested === row.projectionId}>
                    {t('admin.rebuild')}
                  </Button>
                </Popconfirm>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </QueryState>
  );
}
