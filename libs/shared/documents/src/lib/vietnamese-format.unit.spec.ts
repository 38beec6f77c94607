import { vietnameseDate, vietnameseDateTime, vietnameseNumber } from './vietnamese-format';

describe('Vietnamese formats of documents', () => {
  it('writes dates day first and times in Vietnam', () => {
    expect(vietnameseDate('2020-01-10')).toBe('10/01/2020');
    expect(vietnameseDateTime('2020-01-10T08:05:00.000Z')).toBe('15:05 10/01/2020');
    expect(vietnameseDateTime('2019-12-31T20:30:00.000Z')).toBe('03:30 01/01/2020');
  });

  it('writes numbers with a decimal comma', () => {
    expect(vietnameseNumber(43.8, 2)).toBe('43,80');
    expect(vietnameseNumber(7, 0)).toBe('7');
  });
});
