import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/**
 * The loading and error states every screen shows the same way. Plain markup styled like antd's
 * skeleton and error alert: the public pages load this, and antd's Alert, Button and Skeleton would
 * bring their form, tabs and menu code into every visitor's download.
 */
export function QueryState({ loading, error, retry, children }: { loading: boolean; error: unknown; retry?: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  if (loading) {
    return (
      <div className="loading-skeleton" role="status" aria-label={t('app.loading')}>
        <span />
        <span />
        <span />
      </div>
    );
  }
  if (error) {
    return (
      <div className="error-box" role="alert">
        <span>{t('app.error', { message: problemText(error, t) })}</span>
        {retry ? (
          <button type="button" className="plain-button" onClick={retry}>
            {t('app.retry')}
          </button>
        ) : null}
      </div>
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
