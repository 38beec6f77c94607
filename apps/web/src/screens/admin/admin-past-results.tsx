import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, AutoComplete, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, postRaw, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import type { PeriodListItem } from '../../api/views';
import { useSession } from '../../auth/session';
import { problemText } from '../../components/query-state';
import { ImportProblems, type RowProblem, SpreadsheetUploadButton, spreadsheetType } from '../../components/spreadsheet-import';
import { formatDate } from '../../format';
import { usePeriodFrameworks } from './admin-periods-data';

type ImportResult = components['schemas']['ImportPastResultsResultDto'];
type Outcome = { title: string; problems: RowProblem[]; years: ImportResult['years'] };

const PROVINCE_CODE = /^[0-9]{2}$/;

/**
 * Administrator: a province's rankings published before tieuchi, from a CSV or XLSX, recorded as
 * imported (not assessed) so that the next year's ranking has a previous year to compare with.
 * A province without periods names the framework whose parts the rows name.
 */
export function AdminPastResults() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { me } = useSession();
  const [province, setProvince] = useState(me?.provinceCode ?? '');
  const [framework, setFramework] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [frameworkError, setFrameworkError] = useState<string | null>(null);
  const provinceCode = province.trim();
  const knownProvince = PROVINCE_CODE.test(provinceCode);
  const periods = useQuery({
    queryKey: ['periods', 'province', provinceCode],
    enabled: knownProvince,
    queryFn: () => unwrap<{ items: PeriodListItem[] }>(api.GET('/periods', { params: { query: { provinceCode, limit: 1 } } })),
  });
  const needsFramework = knownProvince && periods.data?.items.length === 0;
  // The frameworks periods already use (any province's published ones are public): the likely choices.
  const pinned = usePeriodFrameworks(needsFramework);
  const frameworks = [...new Set((pinned.data ?? []).map((period) => period.frameworkId))].sort();

  // All or nothing: a refused file records no year and lists every bad row; the same file sent again records nothing again.
  const upload = async (file: File) => {
    setOutcome(null);
    setFrameworkError(null);
    setBusy(true);
    try {
      const query = needsFramework && framework.trim() ? `?framework=${encodeURIComponent(framework.trim())}` : '';
      const result = await postRaw<ImportResult>(`/provinces/${encodeURIComponent(provinceCode)}/past-results${query}`, file, spreadsheetType(file));
      const recorded = result.years.filter((year) => year.recorded).length;
      setOutcome({ title: t('admin.pastImportResult', { recorded, total: result.years.length }), problems: [], years: result.years });
      void message.success(t('admin.done'));
      await queryClient.invalidateQueries({ queryKey: ['periods'] });
    } catch (error) {
      const problem = error instanceof ApiError ? (error.problem as { code?: string; field?: string; errors?: RowProblem[] }) : {};
      if (problem.code === 'RESULTS.IMPORT_INVALID_ROWS' && problem.errors) setOutcome({ title: t('admin.pastImportRefused', { count: problem.errors.length }), problems: problem.errors, years: [] });
      else if (problem.field === 'framework') setFrameworkError(problemText(error, t));
      else void message.error(problemText(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Card size="small" title={<span className="card-title-wrap">{t('admin.pastResults')}</span>}>
        <Flex vertical gap={8}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('admin.pastImportHelp')}</Typography.Paragraph>
          <Form layout="vertical" name="past-results">
            <Form.Item label={t('admin.provinceCode')} htmlFor="past-province" validateStatus={province && !knownProvince ? 'error' : undefined} help={province && !knownProvince ? t('admin.pastProvinceHelp') : undefined}>
              <Input id="past-province" inputMode="numeric" style={{ maxWidth: 120 }} value={province} onChange={(event) => setProvince(event.target.value)} />
            </Form.Item>
            {needsFramework ? (
              <Form.Item label={t('admin.framework')} htmlFor="past-framework" extra={t('admin.pastFrameworkHelp')} validateStatus={frameworkError ? 'error' : undefined} help={frameworkError ?? undefined}>
                <AutoComplete
                  id="past-framework"
                  style={{ maxWidth: 240 }}
                  value={framework}
                  onChange={(value: string) => setFramework(value)}
                  options={frameworks.map((id) => ({ value: id, label: id }))}
                  placeholder="2392-2017"
                />
              </Form.Item>
            ) : null}
          </Form>
          <div>
            <SpreadsheetUploadButton label={t('admin.pastImport')} testId="past-results-file" busy={busy || (knownProvince && periods.isLoading)} onFile={upload} />
          </div>
        </Flex>
      </Card>
      {outcome ? (
        <ImportProblems title={outcome.title} problems={outcome.problems}>
          {outcome.years.length ? (
            <ul className="run-failures" aria-label={t('admin.pastYears')}>
              {outcome.years.map((year) => (
                <li key={year.year}>
                  {t(year.recorded ? 'admin.pastYearRecorded' : 'admin.pastYearUnchanged', { year: year.year, decision: year.decisionNumber, date: formatDate(year.decisionDate), count: year.results })}
                </li>
              ))}
            </ul>
          ) : null}
        </ImportProblems>
      ) : null}
    </Flex>
  );
}
