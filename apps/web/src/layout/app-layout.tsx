import { Button, Layout, Select, Spin } from 'antd';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { type Role, useSession } from '../auth/session';
import { type Language, setLanguage } from '../i18n/i18n';

const sections: { key: string; path: string; roles: Role[] | null }[] = [
  { key: 'public', path: '/', roles: null },
  { key: 'unit', path: '/unit', roles: ['unit_editor', 'unit_lead'] },
  { key: 'review', path: '/review', roles: ['reviewer'] },
  { key: 'approve', path: '/approve', roles: ['approver'] },
  { key: 'admin', path: '/admin', roles: ['admin'] },
  { key: 'audit', path: '/audit', roles: ['auditor', 'admin'] },
];

export function AppLayout() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    document.title = `${t('app.title')} | ${t('app.short')}`;
    document.documentElement.lang = i18n.language;
  }, [t, i18n.language]);
  const visible = sections.filter((section) => section.roles === null || session.has(...section.roles));
  const selected = visible.filter((section) => section.path !== '/' && location.pathname.startsWith(section.path)).map((section) => section.key);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">{t('app.skip')}</a>
      <Layout.Header className="app-header">
        <Link className="brand" to="/">{t('app.short')}</Link>
        <nav aria-label={t('nav.menu')} style={{ flex: 1, minWidth: 0 }}>
          {/* Plain links: every one stays reachable by keyboard at any width (the menu's overflow hid them). */}
          <ul className="nav-links">
            {visible.map((section) => {
              const current = selected.length ? selected.includes(section.key) : section.key === 'public' && (location.pathname === '/' || location.pathname.startsWith('/public'));
              return (
                <li key={section.key}>
                  <Link to={section.path} aria-current={current ? 'page' : undefined} className={current ? 'current' : undefined}>
                    {t(`nav.${section.key}`)}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="tools">
          <Select<Language>
            aria-label={t('app.language')}
            size="small"
            value={i18n.language === 'en' ? 'en' : 'vi'}
            onChange={setLanguage}
            options={[{ value: 'vi', label: 'VI' }, { value: 'en', label: 'EN' }]}
            style={{ width: 64 }}
          />
          {session.me ? (
            <>
              <span className="who-name" title={session.me.name}>{session.me.name}</span>
              <Button size="small" onClick={() => void session.signOut().then(() => navigate('/'))}>{t('nav.signOut')}</Button>
            </>
          ) : (
            <Link to="/sign-in" style={{ color: '#fff', textDecoration: 'underline' }}>{t('nav.signIn')}</Link>
          )}
        </div>
      </Layout.Header>
      <Layout.Content>
        <main id="main" className="app-main" tabIndex={-1}>
          {session.ready ? (
            <Suspense fallback={<Spin aria-label={t('app.loading')} />}>
              <Outlet />
            </Suspense>
          ) : (
            <Spin aria-label={t('app.loading')} />
          )}
        </main>
      </Layout.Content>
    </Layout>
  );
}
