import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Flex, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, postRaw, unwrap, type Written } from '../../api/client';
import type { components } from '../../api/schema';
import { problemText, QueryState } from '../../components/query-state';
import { ResponsiveTable } from '../../components/responsive-table';
import { ImportProblems, type RowProblem, SpreadsheetUploadButton, spreadsheetType } from '../../components/spreadsheet-import';
import { formatDate } from '../../format';

type UnitItem = components['schemas']['UnitListItemDto'];
type UnitList = components['schemas']['UnitListDto'];
type ImportResult = components['schemas']['ImportUnitListResultDto'];
type Filters = { tier?: 'province' | 'district' | 'commune'; status?: 'active' | 'merged_into' | 'dissolved'; q?: string };
type Action = { kind: 'rename' | 'type'; unit: UnitItem } | { kind: 'merge' } | { kind: 'register' } | null;

const TIERS = ['province', 'district', 'commune'] as const;
const STATUSES = ['active', 'merged_into', 'dissolved'] as const;
const PAGE = 50;

/** Administrator: the province's units with filters and paging; register, rename, change type, merge. */
export function AdminUnits() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<Filters>({ status: 'active' });
  const [action, setAction] = useState<Action>(null);
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState<{ title: string; problems: RowProblem[] } | null>(null);
  // The last command's position: the list is read `after` it, so the API answers once the units read model shows it.
  const after = useRef<string | null>(null);
  const units = useInfiniteQuery({
    queryKey: ['units', filters],
    initialPageParam: null as string | null,
    getNextPageParam: (last: UnitList) => last.nextCursor,
    queryFn: ({ pageParam }) =>
      unwrap<UnitList>(api.GET('/units', { params: { query: { ...filters, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}), ...(after.current ? { after: after.current } : {}) } } })),
  });
  const items = units.data?.pages.flatMap((page) => page.items) ?? [];

  /** Sends a command, then reads the list again after its position (nothing to read again when it wrote nothing). */
  const act = async (call: () => Promise<Written>) => {
    setBusy(true);
    try {
      const { position } = await call();
      void message.success(t('admin.done'));
      setAction(null);
      if (position) {
        after.current = position;
        await queryClient.refetchQueries({ queryKey: ['units', filters] });
      }
    } catch (error) {
      void message.error(problemText(error, t));
    } finally {
      setBusy(false);
    }
  };
  // All or nothing: a refused list registers no unit and lists every bad row; a list sent again registers nothing again.
  const upload = async (file: File) => {
    setImported(null);
    await act(async () => {
      try {
        const result = await postRaw<ImportResult>('/units/import', file, spreadsheetType(file));
        setImported({ title: t('admin.unitImportResult', { registered: result.registered, total: result.total, unchanged: result.unchanged }), problems: [] });
        return result;
      } catch (error) {
        const rows = error instanceof ApiError ? (error.problem as { errors?: RowProblem[] }).errors : undefined;
        if (error instanceof ApiError && error.problem.code === 'UNIT.IMPORT_INVALID_ROWS' && rows) setImported({ title: t('admin.unitImportRefused', { count: rows.length }), problems: rows });
        throw error;
      }
    });
  };
  const tierOf = (tier: string) => t(`tiers.${tier}`, { defaultValue: tier });
  const status = (unit: UnitItem) => (
    <Tag color={unit.status === 'active' ? 'green' : 'default'}>
      {t(`admin.unitStatus.${unit.status}`)}
      {unit.successorCode ? ` → ${unit.successorCode}` : ''}
      {unit.endedOn ? ` (${formatDate(unit.endedOn)})` : ''}
    </Tag>
  );
  const actions = (unit: UnitItem) =>
    unit.status === 'active' ? (
      <Space wrap>
        <Button size="small" aria-label={t('admin.renameUnitOf', { unit: unit.name })} onClick={() => setAction({ kind: 'rename', unit })}>{t('admin.renameUnit')}</Button>
        <Button size="small" aria-label={t('admin.changeTypeOf', { unit: unit.name })} onClick={() => setAction({ kind: 'type', unit })}>{t('admin.changeType')}</Button>
      </Space>
    ) : null;
  const tierOptions = TIERS.map((tier) => ({ value: tier, label: t(`tiers.${tier}`) }));
  const required = (field: string) => [{ required: true, whitespace: true, message: t('signIn.required', { field }) }];

  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Flex wrap gap={12} align="end" justify="space-between">
          <Form name="unit-filters" layout="inline" onValuesChange={(_: unknown, all: Filters) => setFilters({ ...all, q: all.q?.trim() || undefined })} initialValues={filters} className="filters">
            <Form.Item name="q" label={t('admin.unitSearch')}><Input allowClear style={{ width: 180 }} /></Form.Item>
            <Form.Item name="tier" label={t('admin.tier')}><Select allowClear style={{ width: 130 }} options={tierOptions} /></Form.Item>
            <Form.Item name="status" label={t('common.status')}><Select allowClear style={{ width: 180 }} options={STATUSES.map((s) => ({ value: s, label: t(`admin.unitStatus.${s}`) }))} /></Form.Item>
          </Form>
          <Space wrap>
            <Button type="primary" onClick={() => setAction({ kind: 'register' })}>{t('admin.registerUnit')}</Button>
            <Button onClick={() => setAction({ kind: 'merge' })}>{t('admin.mergeUnits')}</Button>
            <SpreadsheetUploadButton label={t('admin.importUnits')} testId="unit-file" busy={busy} onFile={upload} />
          </Space>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>{t('admin.unitImportHelp')}</Typography.Paragraph>
      </Card>
      {imported ? <ImportProblems title={imported.title} problems={imported.problems} /> : null}
      <QueryState loading={units.isLoading} error={units.error}>
        <ResponsiveTable<UnitItem>
          label={t('admin.units')}
          rowKey="code"
          dataSource={items}
          columns={[
            { key: 'code', title: t('admin.unitCode'), render: (unit) => unit.code },
            { key: 'name', title: t('admin.unitName'), render: (unit) => <span style={{ minWidth: 140, display: 'inline-block' }}>{unit.name} <span className="muted">({unit.type})</span></span> },
            { key: 'tier', title: t('admin.tier'), render: (unit) => tierOf(unit.tier) },
            { key: 'parent', title: t('admin.parent'), render: (unit) => unit.parentCode ?? '—' },
            { key: 'status', title: t('common.status'), render: status },
            { key: 'actions', title: t('common.actions'), render: actions },
          ]}
          stacked={(unit) => (
            <Flex vertical gap={4} align="start">
              <span>
                <strong>{unit.code}</strong> · {unit.name} <span className="muted">({unit.type})</span>
              </span>
              <span className="muted">
                {tierOf(unit.tier)} · {t('admin.parent')}: {unit.parentCode ?? '—'}
              </span>
              {status(unit)}
              {actions(unit)}
            </Flex>
          )}
        />
        <Flex gap={12} align="center" wrap>
          <Typography.Text type="secondary">{t('admin.unitsShown', { count: items.length })}</Typography.Text>
          {units.hasNextPage ? <Button loading={units.isFetchingNextPage} onClick={() => void units.fetchNextPage()}>{t('admin.more')}</Button> : null}
        </Flex>
      </QueryState>

      <Modal open={action?.kind === 'rename' || action?.kind === 'type'} title={action && 'unit' in action ? t(action.kind === 'rename' ? 'admin.renameTitle' : 'admin.changeTypeTitle', { unit: `${action.unit.name} (${action.unit.code})` }) : ''} footer={null} onCancel={() => setAction(null)} destroyOnHidden>
        {action && 'unit' in action ? (
          <Form
            name="unit-change"
            layout="vertical"
            initialValues={{ name: action.unit.name, type: action.unit.type }}
            onFinish={(v: { name: string; type: string; effectiveDate: Dayjs; decisionRef: string }) =>
              void act(() => {
                const path = { params: { path: { code: action.unit.code } } };
                const common = { effectiveDate: v.effectiveDate.format('YYYY-MM-DD'), decisionRef: v.decisionRef };
                return action.kind === 'rename'
                  ? unwrap<Written>(api.POST('/units/{code}/rename', { ...path, body: { name: v.name, ...common } }))
                  : unwrap<Written>(api.POST('/units/{code}/type', { ...path, body: { type: v.type, ...common } }));
              })
            }
          >
            {action.kind === 'rename' ? (
              <Form.Item name="name" label={t('admin.newName')} rules={required(t('admin.newName'))}><Input /></Form.Item>
            ) : (
              <Form.Item name="type" label={t('admin.newType')} rules={required(t('admin.newType'))} extra={t('admin.typeHelp')}><Input /></Form.Item>
            )}
            <Form.Item name="effectiveDate" label={t('admin.effectiveDate')} rules={[{ required: true, message: t('signIn.required', { field: t('admin.effectiveDate') }) }]}><DatePicker format="DD/MM/YYYY" /></Form.Item>
            <Form.Item name="decisionRef" label={t('admin.decisionRef')} rules={required(t('admin.decisionRef'))}><Input placeholder="Nghị quyết 835/NQ-UBTVQH14" /></Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>{t('common.confirm')}</Button>
          </Form>
        ) : null}
      </Modal>

      <Modal open={action?.kind === 'register'} title={t('admin.registerUnit')} footer={null} onCancel={() => setAction(null)} destroyOnHidden>
        <Form
          name="unit-register"
          layout="vertical"
          onFinish={(v: { code: string; name: string; type: string; tier: string; parentCode?: string }) =>
            void act(() => unwrap<Written>(api.POST('/units', { body: { code: v.code.trim(), name: v.name, type: v.type, tier: v.tier, parentCode: v.parentCode?.trim() || null } })))
          }
        >
          <Form.Item name="code" label={t('admin.unitCode')} rules={required(t('admin.unitCode'))} extra={t('admin.codeHelp')}><Input inputMode="numeric" /></Form.Item>
          <Form.Item name="name" label={t('admin.unitName')} rules={required(t('admin.unitName'))}><Input /></Form.Item>
          <Form.Item name="type" label={t('admin.unitType')} rules={required(t('admin.unitType'))} extra={t('admin.typeHelp')}><Input /></Form.Item>
          <Form.Item name="tier" label={t('admin.tier')} rules={[{ required: true, message: t('signIn.required', { field: t('admin.tier') }) }]}><Select options={tierOptions} /></Form.Item>
          <Form.Item name="parentCode" label={t('admin.parent')} extra={t('admin.parentHelp')}><Input inputMode="numeric" /></Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>{t('admin.registerUnit')}</Button>
        </Form>
      </Modal>

      <Modal open={action?.kind === 'merge'} title={t('admin.mergeUnits')} footer={null} onCancel={() => setAction(null)} destroyOnHidden width={640}>
        <Form
          name="unit-merge"
          layout="vertical"
          initialValues={{ comparisonRule: 'mean' }}
          onFinish={(v: { predecessorCodes: string[]; successorCode: string; name: string; type: string; tier: string; parentCode?: string; comparisonRule: 'mean' | 'sum' | 'max'; effectiveDate: Dayjs; legalBasis: string }) =>
            void act(() =>
              unwrap<Written>(
                api.POST('/units/merges', {
                  body: {
                    successorCode: v.successorCode.trim(),
                    predecessorCodes: v.predecessorCodes,
                    comparisonRule: v.comparisonRule,
                    effectiveDate: v.effectiveDate.format('YYYY-MM-DD'),
                    legalBasis: v.legalBasis,
                    name: v.name,
                    type: v.type,
                    tier: v.tier,
                    parentCode: v.parentCode?.trim() || null,
                  },
                }),
              ),
            )
          }
        >
          <Form.Item name="predecessorCodes" label={t('admin.predecessors')} rules={[{ required: true, message: t('signIn.required', { field: t('admin.predecessors') }) }]}>
            <Select mode="multiple" showSearch optionFilterProp="label" options={items.filter((u) => u.status === 'active').map((u) => ({ value: u.code, label: `${u.code} · ${u.name}` }))} />
          </Form.Item>
          <Form.Item name="successorCode" label={t('admin.successorCode')} rules={required(t('admin.successorCode'))} extra={t('admin.successorHelp')}><Input inputMode="numeric" /></Form.Item>
          <Form.Item name="name" label={t('admin.unitName')} rules={required(t('admin.unitName'))}><Input /></Form.Item>
          <Form.Item name="type" label={t('admin.unitType')} rules={required(t('admin.unitType'))}><Input /></Form.Item>
          <Form.Item name="tier" label={t('admin.tier')} rules={[{ required: true, message: t('signIn.required', { field: t('admin.tier') }) }]}><Select options={tierOptions} /></Form.Item>
          <Form.Item name="parentCode" label={t('admin.parent')}><Input inputMode="numeric" /></Form.Item>
          <Form.Item name="comparisonRule" label={t('admin.comparisonRule')} extra={t('admin.comparisonHelp')}>
            <Select options={(['mean', 'sum', 'max'] as const).map((rule) => ({ value: rule, label: t(`admin.comparison.${rule}`) }))} />
          </Form.Item>
          <Form.Item name="effectiveDate" label={t('admin.effectiveDate')} rules={[{ required: true, message: t('signIn.required', { field: t('admin.effectiveDate') }) }]}><DatePicker format="DD/MM/YYYY" /></Form.Item>
          <Form.Item name="legalBasis" label={t('admin.legalBasis')} rules={required(t('admin.legalBasis'))}><Input placeholder="Nghị quyết 1671/NQ-UBTVQH15" /></Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>{t('admin.mergeUnits')}</Button>
        </Form>
      </Modal>
    </Flex>
  );
}
