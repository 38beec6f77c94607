import { Alert, Button, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** The loading and error states every screen shows the same way. */
export function QueryState({ loading, error, retry, children }: { loading: boolean; error: unknown; retry?: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  if (loading) return <Skeleton active />;
  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        title={t('app.error', { message: problemText(error, t) })}
        action={retry ? <Button size="small" onClick={retry}>{t('app.retry')}</Button> : undefined}
      />
    );
  }
  return <>{children}</>;
}

/** A refusal in words: the catalogue's text for its code when there is one, else the server's detail. */
export function problemText(error: unknown, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (error instanceof ApiError) {
    const code = error.problem.code;
    if (code) {
      const known = t(`errors.${code}`, { defaultValue: '' });
      if (known) return known;
      return error.problem.detail ?? t('errors.generic', { code });
    }
    return error.message;
  }
  if (error instanceof TypeError) return t('errors.network');
  return error instanceof Error ? error.message : String(error);
}
