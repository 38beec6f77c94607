import { Flex, Grid, Table, type TableProps } from 'antd';
import type { ReactNode } from 'react';

export interface ResponsiveColumn<Row> {
  key: string;
  title: ReactNode;
  render: (row: Row) => ReactNode;
}

/**
 * A staff table that a phone can read: from md up one column per field; below md a phone has room
 * for one column, so each row becomes one cell with its fields stacked (the first as its heading, the
 * others named by their titles, actions last), and nothing scrolls sideways. `stacked` replaces that
 * layout where a screen says a row better in its own words.
 */
export function ResponsiveTable<Row extends object>({
  label,
  columns,
  stacked,
  ...table
}: Omit<TableProps<Row>, 'columns' | 'size' | 'pagination'> & { label: string; columns: ResponsiveColumn<Row>[]; stacked?: (row: Row) => ReactNode }) {
  const narrow = !Grid.useBreakpoint().md;
  const [heading, ...details] = columns;
  const stackedRow =
    stacked ??
    ((row: Row) => (
      <Flex vertical gap={4} align="start" className="wrap-anywhere">
        {heading ? <strong>{heading.render(row)}</strong> : null}
        {details.map((column) => (
          <span key={column.key}>
            <span className="muted">{column.title}:</span> {column.render(row)}
          </span>
        ))}
      </Flex>
    ));
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      <Table<Row>
        size="small"
        pagination={false}
        {...table}
        columns={
          narrow
            ? [{ key: 'row', title: heading?.title, render: (_: unknown, row: Row) => stackedRow(row) }]
            : columns.map((column) => ({ key: column.key, title: column.title, render: (_: unknown, row: Row) => column.render(row) }))
        }
      />
    </div>
  );
}
