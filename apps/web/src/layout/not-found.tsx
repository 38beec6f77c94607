import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <div style={{ textAlign: 'center', padding: '48px 16px' }}>
      <h1 className="page-title">{t('app.notFound')}</h1>
      <Link to="/">{t('app.home')}</Link>
    </div>
  );
}
