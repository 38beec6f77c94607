import { Alert, Button, Card, Table } from 'antd';
import { type ReactNode, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { i18next } from '../i18n/i18n';
import { refusalText, VIETNAMESE_LETTERS } from './query-state';

/** A row of an uploaded list the server refused: the spreadsheet's row number, its column letter when the server names it, the field. */
export interface RowProblem {
  row: number;
  column?: string;
  field: string;
  code: string;
  message: string;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The content type an import endpoint expects for the chosen file (CSV by its name, XLSX otherwise). */
export function spreadsheetType(file: File): string {
  return /\.csv$/i.test(file.name) ? 'text/csv' : XLSX_TYPE;
}

/** A button that opens the file chooser for a CSV or XLSX list; the input stays hidden and is emptied after each choice, so the same file can be sent again. */
export function SpreadsheetUploadButton({ label, testId, busy, onFile }: { label: string; testId: string; busy: boolean; onFile: (file: File) => Promise<void> }) {
  const input = useRef<HTMLInputElement>(null);
  const chosen = async (file: File | undefined) => {
    if (file) await onFile(file);
    if (input.current) input.current.value = '';
  };
  return (
    <>
      <input ref={input} type="file" accept={`.csv,.xlsx,text/csv,${XLSX_TYPE}`} hidden data-testid={testId} onChange={(event) => void chosen(event.target.files?.[0])} />
      <Button loading={busy} onClick={() => input.current?.click()}>{label}</Button>
    </>
  );
}

/**
 * The outcome of an import: its summary as the card's title, and every refused row with its row,
 * column and field. A row's own Vietnamese message names the value and what it clashes with, so
 * it is shown as written; a message written for developers gives way to the catalogue's text.
 */
export function ImportProblems({ title, problems, children }: { title: string; problems: readonly RowProblem[]; children?: ReactNode }) {
  const { t } = useTranslation();
  const withColumns = problems.some((problem) => problem.column);
  const text = (problem: RowProblem) =>
    i18next.language !== 'en' && VIETNAMESE_LETTERS.test(problem.message) ? problem.message : refusalText(problem.code, problem.message, t);
  return (
    <Card size="small" title={<span className="card-title-wrap">{title}</span>}>
      {problems.length ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('admin.importErrors')}>
          <Table<RowProblem>
            rowKey={(problem) => `${problem.row}-${problem.field}-${problem.code}`}
            size="small"
            pagination={false}
            dataSource={[...problems]}
            columns={[
              { title: t('admin.importRow'), dataIndex: 'row' },
              ...(withColumns ? [{ title: t('admin.importColumn'), dataIndex: 'column' }] : []),
              { title: t('admin.importField'), dataIndex: 'field' },
              { title: t('admin.importProblem'), key: 'm', render: (_: unknown, problem) => <span className="wrap-anywhere">{text(problem)}</span> },
            ]}
          />
        </div>
      ) : (
        <Alert type="success" title={t('admin.importAllGood')} />
      )}
      {children}
    </Card>
  );
}
