import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Divider, Form, Input, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { type Role, useSession } from '../auth/session';

const ssoRefusals = ['no_account', 'not_active', 'provider_refused', 'flow_missing'] as const;

const homeOf = (roles: Role[]): string =>
  roles.includes('unit_editor') || roles.includes('unit_lead') ? '/unit' : roles.includes('reviewer') ? '/review' : roles.includes('approver') ? '/approve' : roles.includes('admin') ? '/admin' : roles.includes('auditor') ? '/audit' : '/';

/** Sign in with an account (session cookie) or, in the embedded mode, with a token from `npm run token`. */
export function SignIn() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [search] = useSearchParams();
  const refusal = ssoRefusals.find((reason) => reason === search.get('sso'));
  const methods = useQuery({ queryKey: ['auth-methods'], queryFn: () => unwrap<{ oidc: boolean }>(api.GET('/auth/methods')) });
  const afterSignIn = (ok: boolean, failure: string) => {
    setBusy(false);
    if (!ok) return setFailed(failure);
    setFailed(null);
  };
  useEffect(() => {
    if (session.me) void navigate(homeOf(session.me.roles), { replace: true });
  }, [session.me, navigate]);
  return (
    <Card style={{ maxWidth: 480, margin: '24px auto' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t('signIn.heading')}</Typography.Title>
      {failed ? <Alert type="error" showIcon title={failed} style={{ marginBottom: 16 }} role="alert" /> : null}
      {refusal ? <Alert type="error" showIcon title={t(`signIn.sso.${refusal}`)} style={{ marginBottom: 16 }} role="alert" /> : null}
      {methods.data?.oidc ? (
        <>
          <Button href="/auth/oidc/start?returnTo=%2Fsign-in" block size="large" style={{ whiteSpace: 'normal', height: 'auto', minHeight: 40, padding: '6px 12px' }} data-testid="sso-start">{t('signIn.sso.start')}</Button>
          <Divider plain>{t('signIn.sso.or')}</Divider>
        </>
      ) : null}
      <Tabs
        items={[
          {
            key: 'account',
            label: t('signIn.accountTab'),
            children: (
              <Form layout="vertical" onFinish={(values: { login: string; password: string }) => { setBusy(true); void session.signInWithPassword(values.login, values.password).then((ok) => afterSignIn(ok, t('signIn.failed'))); }}>
                <Form.Item name="login" label={t('signIn.login')} rules={[{ required: true, message: t('signIn.required', { field: t('signIn.login') }) }]}>
                  <Input autoComplete="username" />
                </Form.Item>
                <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true, message: t('signIn.required', { field: t('signIn.password') }) }]}>
                  <Input.Password autoComplete="current-password" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy} block>{t('signIn.submit')}</Button>
              </Form>
            ),
          },
          {
            key: 'token',
            label: t('signIn.tokenTab'),
            children: (
              <Form layout="vertical" onFinish={(values: { token: string }) => { setBusy(true); void session.signInWithToken(values.token).then((ok) => afterSignIn(ok, t('signIn.tokenInvalid'))); }}>
                <Form.Item name="token" label={t('signIn.token')} extra={t('signIn.tokenHelp')} rules={[{ required: true, message: t('signIn.required', { field: t('signIn.token') }) }]}>
                  <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} data-testid="token-input" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy} block data-testid="token-submit">{t('signIn.submit')}</Button>
              </Form>
            ),
          },
        ]}
      />
    </Card>
  );
}
