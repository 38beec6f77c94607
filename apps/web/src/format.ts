import { i18next } from './i18n/i18n';

const locale = (): string => (i18next.language === 'en' ? 'en-GB' : 'vi-VN');

/** Scores in the convention of the language: 43,80 in Vietnamese (2 decimals as published). */
export function formatScore(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return formatDecimal(value, decimals, i18next.language === 'en' ? { decimal: '.', group: ',' } : { decimal: ',', group: '.' }) ?? new Intl.NumberFormat(locale(), { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value);
}

/**
 * A number with a fixed count of decimals, written as Intl.NumberFormat writes it (its shortest
 * decimal form rounded half away from zero: 12.345 → 12,35; grouped by thousands), without it: the
 * first Intl formatter of a page loads the locale's data, tens of milliseconds of the form's first
 * render. Null for a number written with an exponent (below 1e-6 or from 1e21), left to Intl.
 */
export function formatDecimal(value: number, decimals: number, separators: { decimal: string; group: string }): string | null {
  const text = String(Math.abs(value));
  if (!Number.isFinite(value) || text.includes('e')) return null;
  const [whole = '0', fraction = ''] = text.split('.');
  let digits = whole + fraction.slice(0, decimals).padEnd(decimals, '0');
  if ((fraction[decimals] ?? '0') >= '5') digits = (BigInt(digits) + 1n).toString().padStart(digits.length, '0');
  const integer = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+$)/g, separators.group);
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  return `${sign}${integer}${decimals > 0 ? separators.decimal + digits.slice(digits.length - decimals) : ''}`;
}

export function formatChange(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const text = new Intl.NumberFormat(locale(), { maximumFractionDigits: 3, signDisplay: 'exceptZero' }).format(value);
  return text.replace('-', '−');
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
