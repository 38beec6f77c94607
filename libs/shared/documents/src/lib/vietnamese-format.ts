/** 2020-01-10 → 10/01/2020, as decisions write dates. */
export function vietnameseDate(iso: string): string {
  const [year, month, day] = iso.slice(0, 10).split('-');
  return `${day}/${month}/${year}`;
}

/** 2020-01-10T08:05:00Z → 15:05 10/01/2020, the time in Vietnam (UTC+7, no daylight saving). */
export function vietnameseDateTime(iso: string): string {
  const local = new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(11, 16)} ${vietnameseDate(local)}`;
}

/** Decimal comma with a fixed number of decimals (43.8 → "43,80" for scores). */
export function vietnameseNumber(value: number, decimals: number): string {
  return value.toFixed(decimals).replace('.', ',');
}
