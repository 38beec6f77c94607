import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title={t('app.notFound')} extra={<Link to="/">{t('app.home')}</Link>} />;
}
