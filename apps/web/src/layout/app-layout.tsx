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
    <div className="app-frame">
      <a className="skip-link" href="#main">{t('app.skip')}</a>
      <header className="app-header">
        <Link className="brand" to="/">{t('app.short')}</Link>
        <nav aria-label={t('nav.menu')}>
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
          <select aria-label={t('app.language')} className="native-select header-select" value={i18n.language === 'en' ? 'en' : 'vi'} onChange={(event) => setLanguage(event.target.value as Language)}>
            <option value="vi">VI</option>
            <option value="en">EN</option>
          </select>
          {session.me ? (
            <>
              <span className="who-name" title={session.me.name}>{session.me.name}</span>
              <button type="button" className="header-button" onClick={() => void session.signOut().then(() => navigate('/'))}>{t('nav.signOut')}</button>
            </>
          ) : (
            <Link to="/sign-in" style={{ color: '#fff', textDecoration: 'underline' }}>{t('nav.signIn')}</Link>
          )}
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {session.ready ? (
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        ) : (
          <PageLoading />
        )}
      </main>
    </div>
  );
}

/** Shown while a screen's chunk or the session loads: plain text, so the first bundle needs no spinner. */
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div className="page-loading" role="status" aria-live="polite">
      {t('app.loading')}
    </div>
  );
}
