/// <reference types="jest" />

// Each test takes a fresh format module and i18next: the score formatters are cached per module.
async function freshFormat() {
  jest.resetModules();
  const format = await import('./format');
  const { i18next } = await import('./i18n/i18n');
  return { ...format, i18next };
}

afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

describe('formatScore', () => {
  it('writes scores in the convention of the language, following a change of language', async () => {
    const { formatScore, i18next } = await freshFormat();
    expect([formatScore(43.8), formatScore(1234.5), formatScore(2.675), formatScore(100, 0), formatScore(-3.2), formatScore(null), formatScore(Number.NaN)]).toEqual([
      '43,80',
      '1.234,50',
      '2,68',
      '100',
      '-3,20',
      '—',
      '—',
    ]);
    await i18next.changeLanguage('en');
    expect([formatScore(43.8), formatScore(1234.5), formatScore(100, 0)]).toEqual(['43.80', '1,234.50', '100']);
    await i18next.changeLanguage('vi');
    expect(formatScore(43.8)).toBe('43,80');
  });

  it("builds the language's formatters in idle time, before a score is written, and again when the language changes", async () => {
    const { formatChange, formatScore, prepareScoreFormats, i18next } = await freshFormat();
    jest.useFakeTimers();
    const built = jest.spyOn(Intl, 'NumberFormat');
    const locales = () => built.mock.calls.map(([locale]) => locale);

    prepareScoreFormats();
    expect(locales()).toEqual([]);
    jest.runOnlyPendingTimers();
    expect(locales()).toEqual(['vi-VN', 'vi-VN', 'vi-VN']);
    expect([formatScore(43.8), formatScore(100, 0), formatChange(1.5)]).toEqual(['43,80', '100', '+1,5']);
    expect(locales()).toEqual(['vi-VN', 'vi-VN', 'vi-VN']);

    await i18next.changeLanguage('en');
    jest.runOnlyPendingTimers();
    expect(locales()).toEqual(['vi-VN', 'vi-VN', 'vi-VN', 'en-GB', 'en-GB', 'en-GB']);
    expect([formatScore(43.8), formatScore(100, 0), formatChange(1.5)]).toEqual(['43.80', '100', '+1.5']);
    expect(locales()).toHaveLength(6);
  });
});

describe('formatChange', () => {
  it('signs a change in the convention of the language with one formatter per language, however many changes it writes', async () => {
    const { formatChange, i18next } = await freshFormat();
    const built = jest.spyOn(Intl, 'NumberFormat');
    expect([formatChange(1.5), formatChange(-0.25), formatChange(0), formatChange(1234.5678), formatChange(null)]).toEqual(['+1,5', '−0,25', '0', '+1.234,568', '—']);
    await i18next.changeLanguage('en');
    expect([formatChange(1.5), formatChange(-0.25)]).toEqual(['+1.5', '−0.25']);
    await i18next.changeLanguage('vi');
    expect(formatChange(-2)).toBe('−2');
    expect(built.mock.calls.map(([locale]) => locale)).toEqual(['vi-VN', 'en-GB']);
  });
});
