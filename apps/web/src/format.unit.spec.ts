/// <reference types="jest" />
import { formatDecimal } from './format';

const formats = [
  { locale: 'vi-VN', separators: { decimal: ',', group: '.' } },
  { locale: 'en-GB', separators: { decimal: '.', group: ',' } },
];

describe('formatDecimal writes a number as Intl.NumberFormat does', () => {
  it('in both languages, for scores, halves, ties, thousands and negatives', () => {
    const values = [0, -0, 1, 1.5, 2.675, 1.005, 12.345, 43.8, 99.995, 999.995, 1234.5, 1_234_567.891, -3.2, -0.001, 0.005, 0.125, 26.57, 7, 100, 1e-6, 123456789.125];
    // Every thousandth up to 100 (each tie of two decimals among them), and sums that carry binary error.
    for (let i = 0; i <= 100_000; i += 7) values.push(i / 1000, i * 0.1 + 0.2);
    for (const { locale, separators } of formats) {
      for (const decimals of [0, 1, 2, 3]) {
        const intl = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
        const wrong = values.filter((value) => formatDecimal(value, decimals, separators) !== intl.format(value));
        expect(wrong.map((value) => `${value} → ${formatDecimal(value, decimals, separators)}, not ${intl.format(value)}`)).toEqual([]);
      }
    }
  });

  it('leaves numbers written with an exponent to Intl', () => {
    expect(formatDecimal(1e-7, 2, formats[0]!.separators)).toBeNull();
    expect(formatDecimal(1e21, 2, formats[0]!.separators)).toBeNull();
    expect(formatDecimal(Number.POSITIVE_INFINITY, 2, formats[0]!.separators)).toBeNull();
  });
});
