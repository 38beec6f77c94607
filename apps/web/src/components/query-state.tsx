import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { i18next } from '../i18n/i18n';

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
        {problemDetail(error) ? (
          <details className="error-details">
            <summary>{t('common.details')}</summary>
            <code>{problemDetail(error)}</code>
          </details>
        ) : null}
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

type Translate = (key: string, options?: Record<string, unknown>) => string;

// Letters only Vietnamese writes: a server detail with them is meant for the user (which limit, which unit).
export const VIETNAMESE_LETTERS = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;

function statusKey(status: number): string {
  if (status >= 500) return status === 503 ? 'unavailable' : 'server';
  const known: Record<number, string> = { 400: 'invalid', 401: 'unauthenticated', 403: 'forbidden', 404: 'notFound', 409: 'conflict', 412: 'stale', 413: 'tooLarge', 415: 'invalid', 429: 'rateLimited' };
  return known[status] ?? 'generic';
}

/**
 * A refusal in the user's language: the catalogue's text for its code; else the server's detail
 * when the server wrote it in Vietnamese for a Vietnamese screen; else a sentence for its status.
 * English details written for developers are never shown here (see problemDetail).
 */
export function refusalText(code: string | undefined, detail: string | undefined, t: Translate, status = 400, field?: string): string {
  if (code) {
    const known = t(`errors.${code}`, { defaultValue: '' });
    if (known) return known;
  }
  if (detail && i18next.language !== 'en' && VIETNAMESE_LETTERS.test(detail)) return detail;
  const key = statusKey(status);
  return key === 'invalid' && field ? t('errors.byStatus.invalidField', { field }) : t(`errors.byStatus.${key}`);
}

export function problemText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) return refusalText(error.problem.code, error.problem.detail, t, error.status, error.problem.field ?? undefined);
  if (error instanceof TypeError) return t('errors.network');
  return t('errors.byStatus.generic');
}

/** What the server said, as it said it (code and detail): for the "details" toggle, never the main message. */
export function problemDetail(error: unknown): string | null {
  if (error instanceof ApiError) return [error.problem.code ?? `HTTP ${error.status}`, error.problem.detail].filter(Boolean).join(' · ');
  return error instanceof Error ? error.message : null;
}
