import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Grid, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, postRaw, unwrap, type Written } from '../../api/client';
import type { components } from '../../api/schema';
import { problemText, QueryState } from '../../components/query-state';
import { ImportProblems, SpreadsheetUploadButton, spreadsheetType } from '../../components/spreadsheet-import';
import { formatDateTime } from '../../format';

type Account = components['schemas']['AccountListItemDto'];
type AccountList = components['schemas']['AccountListDto'];
type Grant = components['schemas']['GrantViewDto'];
type Role = 'unit_editor' | 'unit_lead' | 'reviewer' | 'approver' | 'admin' | 'auditor';
type Filters = { q?: string; role?: Role; status?: 'invited' | 'active' | 'disabled' };
/** The one-time link the API answers when it has no mail server: shown once, for the admin to hand over. */
type IssuedLink = components['schemas']['IssuedLinkDto'];
type ImportResult = components['schemas']['StaffImportResultDto'];
type AccountVersion = components['schemas']['AccountVersionDto'];
type ReasonAction = { kind: 'disable' | 'enable' | 'unlock'; account: Account } | { kind: 'revoke'; account: Account; grant: Grant };

const ROLES: Role[] = ['unit_editor', 'unit_lead', 'reviewer', 'approver', 'admin', 'auditor'];
const UNIT_ROLES: Role[] = ['unit_editor', 'unit_lead'];
const PAGE = 50;

/** Administrator: the province's accounts; invite, import a staff list, grant and revoke roles, disable, enable, unlock, new link. */
export function AdminAccounts() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<Filters>({});
  const [inviting, setInviting] = useState(false);
  const [granting, setGranting] = useState<Account | null>(null);
  const [reasonFor, setReasonFor] = useState<ReasonAction | null>(null);
  const [links, setLinks] = useState<Omit<IssuedLink, 'position'>[]>([]);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  // The last command's position: the list is read `after` it, so the API answers once the accounts read model shows it.
  const after = useRef<string | null>(null);
  const accounts = useInfiniteQuery({
    queryKey: ['accounts', filters],
    initialPageParam: 0,
    getNextPageParam: (last: AccountList, pages: AccountList[]) => {
      const shown = pages.reduce((sum, page) => sum + page.items.length, 0);
      return shown < last.total ? shown : undefined;
    },
    queryFn: ({ pageParam }) => unwrap<AccountList>(api.GET('/accounts', { params: { query: { ...filters, limit: PAGE, offset: pageParam, ...(after.current ? { after: after.current } : {}) } } })),
  });
  const items = accounts.data?.pages.flatMap((page) => page.items) ?? [];
  const roleLabel = (role: string) => t(`roles.${role}`, { defaultValue: role });
  const scopeOf = (grant: Grant) => (grant.unitCode ? grant.unitCode : grant.national ? t('admin.national') : (grant.provinceCode ?? ''));

  /** Sends a command, then reads the list again after its position (nothing to read again when it wrote nothing). */
  const act = async <T extends Written>(call: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    try {
      const result = await call();
      void message.success(t('admin.done'));
      if (result.position) {
        after.current = result.position;
        await queryClient.refetchQueries({ queryKey: ['accounts', filters] });
      }
      return result;
    } catch (error) {
      void message.error(problemText(error, t));
      return null;
    } finally {
      setBusy(false);
    }
  };
  const path = (account: Account) => ({ params: { path: { login: account.login } } });
  const upload = async (chosen: File) => {
    const result = await act(() => postRaw<ImportResult>('/accounts/import', chosen, spreadsheetType(chosen)));
    if (result) {
      setImported(result);
      setLinks(result.imported.filter((row) => row.activationLink));
    }
  };

  // A phone has room for one column: each account becomes one cell with its roles, status and actions under its name.
  const narrow = !Grid.useBreakpoint().md;
  const person = (a: Account) => (
    <div style={{ minWidth: 160 }}>
      <strong>{a.name}</strong>
      <div className="muted wrap-anywhere">{a.login}</div>
    </div>
  );
  const grants = (a: Account) => (
    <Flex wrap gap={4} style={{ minWidth: 160 }}>
      {a.grants.map((grant) => (
        <Tag key={`${grant.role}-${scopeOf(grant)}`} closable={a.status !== 'disabled'} closeIcon={<span aria-label={t('admin.revokeOf', { role: roleLabel(grant.role), scope: scopeOf(grant) })}>×</span>} onClose={(event) => { event.preventDefault(); setReasonFor({ kind: 'revoke', account: a, grant }); }}>
          {roleLabel(grant.role)} · {scopeOf(grant)}
        </Tag>
      ))}
    </Flex>
  );
  const status = (a: Account) => <Tag color={a.status === 'active' ? 'green' : a.status === 'disabled' ? 'red' : 'blue'}>{t(`admin.accountStatus.${a.status}`)}</Tag>;
  const actions = (a: Account) => (
    <Space wrap>
      {a.status !== 'disabled' ? <Button size="small" aria-label={t('admin.grantTo', { name: a.name })} onClick={() => setGranting(a)}>{t('admin.grant')}</Button> : null}
      {a.status === 'disabled' ? (
        <Button size="small" aria-label={t('admin.enableOf', { name: a.name })} onClick={() => setReasonFor({ kind: 'enable', account: a })}>{t('admin.enable')}</Button>
      ) : (
        <Button size="small" danger aria-label={t('admin.disableOf', { name: a.name })} onClick={() => setReasonFor({ kind: 'disable', account: a })}>{t('admin.disable')}</Button>
      )}
      {a.status === 'active' ? <Button size="small" aria-label={t('admin.unlockOf', { name: a.name })} onClick={() => setReasonFor({ kind: 'unlock', account: a })}>{t('admin.unlock')}</Button> : null}
      {a.status !== 'disabled' ? (
        <Button
          size="small"
          aria-label={t('admin.resetOf', { name: a.name })}
          onClick={() => void act(() => unwrap<IssuedLink>(api.POST('/accounts/{login}/reset', path(a)))).then((link) => link?.activationLink && setLinks([link]))}
        >
          {t('admin.reset')}
        </Button>
      ) : null}
    </Space>
  );

  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Flex wrap gap={12} align="end" justify="space-between">
          <Form name="account-filters" layout="inline" onValuesChange={(_: unknown, all: Filters) => setFilters({ ...all, q: all.q?.trim() || undefined })}>
            <Form.Item name="q" label={t('admin.accountSearch')}><Input allowClear style={{ width: 180 }} /></Form.Item>
            <Form.Item name="role" label={t('admin.role')}><Select allowClear style={{ width: 170 }} options={ROLES.map((role) => ({ value: role, label: roleLabel(role) }))} /></Form.Item>
            <Form.Item name="status" label={t('common.status')}><Select allowClear style={{ width: 150 }} options={(['invited', 'active', 'disabled'] as const).map((s) => ({ value: s, label: t(`admin.accountStatus.${s}`) }))} /></Form.Item>
          </Form>
          <Space wrap>
            <Button type="primary" onClick={() => setInviting(true)}>{t('admin.invite')}</Button>
            <SpreadsheetUploadButton label={t('admin.importStaff')} testId="staff-file" busy={busy} onFile={upload} />
          </Space>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>{t('admin.importHelp')}</Typography.Paragraph>
      </Card>
      {imported ? <ImportProblems title={t('admin.importResult', { imported: imported.imported.length, errors: imported.errors.length })} problems={imported.errors} /> : null}
      {links.length ? (
        <Alert
          type="info"
          closable
          onClose={() => setLinks([])}
          title={t('admin.linksOnce')}
          description={
            <ul className="link-list">
              {links.map((link) => (
                <li key={link.login}><strong>{link.login}</strong>: <code>{link.activationLink}</code> ({t('admin.linkExpires', { at: formatDateTime(link.expiresAt) })})</li>
              ))}
            </ul>
          }
        />
      ) : null}
      <QueryState loading={accounts.isLoading} error={accounts.error}>
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('admin.accounts')}>
          <Table<Account>
            rowKey="login"
            size="small"
            pagination={false}
            dataSource={items}
            columns={
              narrow
                ? [
                    {
                      title: t('admin.account'),
                      key: 'l',
                      render: (_: unknown, a) => (
                        <Flex vertical gap={6} align="start">
                          {person(a)}
                          {grants(a)}
                          <span>
                            {status(a)} <span className="muted">{t('admin.lastSignIn')}: {formatDateTime(a.lastSignInAt)}</span>
                          </span>
                          {actions(a)}
                        </Flex>
                      ),
                    },
                  ]
                : [
                    { title: t('admin.account'), key: 'l', render: (_: unknown, a) => person(a) },
                    { title: t('admin.grants'), key: 'g', render: (_: unknown, a) => grants(a) },
                    { title: t('common.status'), key: 's', render: (_: unknown, a) => status(a) },
                    { title: t('admin.lastSignIn'), key: 'si', render: (_: unknown, a) => formatDateTime(a.lastSignInAt) },
                    { title: t('common.actions'), key: 'a', render: (_: unknown, a) => actions(a) },
                  ]
            }
          />
        </div>
        <Flex gap={12} align="center" wrap>
          <Typography.Text type="secondary">{t('admin.accountsShown', { count: items.length, total: accounts.data?.pages[0]?.total ?? 0 })}</Typography.Text>
          {accounts.hasNextPage ? <Button loading={accounts.isFetchingNextPage} onClick={() => void accounts.fetchNextPage()}>{t('admin.more')}</Button> : null}
        </Flex>
      </QueryState>

      <Modal open={inviting} title={t('admin.invite')} footer={null} onCancel={() => setInviting(false)} destroyOnHidden>
        <GrantForm
          name="account-invite"
          withPerson
          busy={busy}
          submit={t('admin.invite')}
          onFinish={async (v) => {
            const link = await act(() => unwrap<IssuedLink>(api.POST('/accounts', { body: { login: v.login ?? '', name: v.name ?? '', grants: [grantOf(v)] } })));
            if (link) {
              setInviting(false);
              if (link.activationLink) setLinks([link]);
            }
          }}
        />
      </Modal>
      <Modal open={!!granting} title={granting ? t('admin.grantTo', { name: granting.name }) : ''} footer={null} onCancel={() => setGranting(null)} destroyOnHidden>
        <GrantForm
          name="account-grant"
          withReason
          busy={busy}
          submit={t('admin.grant')}
          onFinish={async (v) => {
            if (!granting) return;
            const done = await act(() => unwrap<AccountVersion>(api.POST('/accounts/{login}/grants', { ...path(granting), body: { grant: grantOf(v), reason: v.reason ?? '' } })));
            if (done) setGranting(null);
          }}
        />
      </Modal>
      <Modal open={!!reasonFor} title={reasonFor ? reasonTitle(reasonFor, t, roleLabel, scopeOf) : ''} footer={null} onCancel={() => setReasonFor(null)} destroyOnHidden>
        <Form
          name="account-reason"
          layout="vertical"
          onFinish={async (v: { reason: string }) => {
            if (!reasonFor) return;
            const account = reasonFor.account;
            const done = await act(() =>
              reasonFor.kind === 'revoke'
                ? unwrap<AccountVersion>(api.POST('/accounts/{login}/grants/revoke', { ...path(account), body: { grant: grantOf({ role: reasonFor.grant.role as Role, unitCode: reasonFor.grant.unitCode, provinceCode: reasonFor.grant.provinceCode ?? undefined, national: reasonFor.grant.national }), reason: v.reason } }))
                : reasonFor.kind === 'disable'
                  ? unwrap<AccountVersion>(api.POST('/accounts/{login}/disable', { ...path(account), body: { reason: v.reason } }))
                  : reasonFor.kind === 'enable'
                    ? unwrap<AccountVersion>(api.POST('/accounts/{login}/enable', { ...path(account), body: { reason: v.reason } }))
                    : unwrap<AccountVersion>(api.POST('/accounts/{login}/unlock', { ...path(account), body: { reason: v.reason } })),
            );
            if (done) setReasonFor(null);
          }}
        >
          <Form.Item name="reason" label={t('admin.reason')} rules={[{ required: true, whitespace: true, message: t('signIn.required', { field: t('admin.reason') }) }]}><Input /></Form.Item>
          <Button type="primary" danger={reasonFor?.kind === 'disable' || reasonFor?.kind === 'revoke'} htmlType="submit" loading={busy}>{t('common.confirm')}</Button>
        </Form>
      </Modal>
    </Flex>
  );
}

interface GrantValues {
  login?: string;
  name?: string;
  role: Role;
  unitCode?: string;
  provinceCode?: string;
  national?: boolean;
  reason?: string;
}

function grantOf(v: GrantValues): { role: Role; unitCode?: string; provinceCode?: string; national?: boolean } {
  if (UNIT_ROLES.includes(v.role)) return { role: v.role, unitCode: v.unitCode?.trim() };
  return v.national ? { role: v.role, national: true } : { role: v.role, provinceCode: v.provinceCode?.trim() };
}

function reasonTitle(action: ReasonAction, t: (key: string, options?: Record<string, unknown>) => string, roleLabel: (role: string) => string, scopeOf: (grant: Grant) => string): string {
  if (action.kind === 'revoke') return t('admin.revokeOf', { role: roleLabel(action.grant.role), scope: scopeOf(action.grant) });
  return t(`admin.${action.kind}Of`, { name: action.account.name });
}

/** A role and where it applies (a unit for unit roles, a province otherwise), with the person for an invitation or a reason for a grant. */
function GrantForm(props: { name: string; withPerson?: boolean; withReason?: boolean; busy: boolean; submit: string; onFinish: (values: GrantValues) => Promise<void> }) {
  const { t } = useTranslation();
  const [role, setRole] = useState<Role | undefined>();
  const required = (field: string) => [{ required: true, whitespace: true, message: t('signIn.required', { field }) }];
  return (
    <Form name={props.name} layout="vertical" onFinish={(v: GrantValues) => void props.onFinish(v)} onValuesChange={(changed: Partial<GrantValues>) => changed.role && setRole(changed.role)}>
      {props.withPerson ? (
        <>
          <Form.Item name="login" label={t('admin.login')} rules={required(t('admin.login'))} extra={t('admin.loginHelp')}><Input type="email" autoComplete="off" /></Form.Item>
          <Form.Item name="name" label={t('admin.personName')} rules={required(t('admin.personName'))}><Input autoComplete="off" /></Form.Item>
        </>
      ) : null}
      <Form.Item name="role" label={t('admin.role')} rules={[{ required: true, message: t('signIn.required', { field: t('admin.role') }) }]}>
        <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
      </Form.Item>
      {role && UNIT_ROLES.includes(role) ? (
        <Form.Item name="unitCode" label={t('admin.unitCode')} rules={required(t('admin.unitCode'))}><Input inputMode="numeric" /></Form.Item>
      ) : (
        <Form.Item name="provinceCode" label={t('admin.provinceCode')} extra={t('admin.provinceHelp')}><Input inputMode="numeric" /></Form.Item>
      )}
      {props.withReason ? <Form.Item name="reason" label={t('admin.reason')} rules={required(t('admin.reason'))}><Input /></Form.Item> : null}
      <Button type="primary" htmlType="submit" loading={props.busy}>{props.submit}</Button>
    </Form>
  );
}
