import { i18next } from './i18n/i18n';

const locale = (): string => (i18next.language === 'en' ? 'en-GB' : 'vi-VN');

/** Scores in the convention of the language: 43,80 in Vietnamese (2 decimals as published). */
export function formatScore(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return scoreFormat(locale(), decimals).format(value);
}

/** A change from the previous year, signed: +1,5 or −0,25 (up to 3 decimals). */
export function formatChange(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return changeFormat(locale()).format(value).replace('-', '−');
}

// A formatter costs far more to build than to use, and a form shows hundreds of scores: each is
// built once per language and shape.
const numberFormats = new Map<string, Intl.NumberFormat>();

/** The current language's number formatter of one shape, built on first use. */
export function numberFormat(shape: string, options: Intl.NumberFormatOptions, language = locale()): Intl.NumberFormat {
  const key = `${language}/${shape}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(language, options);
    numberFormats.set(key, format);
  }
  return format;
}

const scoreFormat = (language: string, decimals: number): Intl.NumberFormat =>
  numberFormat(`score${decimals}`, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }, language);
const changeFormat = (language: string): Intl.NumberFormat => numberFormat('change', { maximumFractionDigits: 3, signDisplay: 'exceptZero' }, language);

/**
 * Builds the language's score and change formatters in idle time, now and after each change of
 * language: the first formatter of a page loads the locale's data, tens of milliseconds better
 * spent while the app waits on the network than once a form's data has arrived.
 */
export function prepareScoreFormats(): void {
  const prepare = (): void => {
    const language = locale();
    whenIdle(() => {
      scoreFormat(language, 2);
      scoreFormat(language, 0);
      changeFormat(language);
    });
  };
  prepare();
  i18next.on('languageChanged', prepare);
}

function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 1_000 });
  else setTimeout(work, 0);
}

/** Dates as dd/mm/yyyy (10/01/2020); ISO dates without a time are read as calendar dates. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: /^\d{4}-\d{2}-\d{2}$/.test(value) ? 'UTC' : undefined }).format(date);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(value));
}
