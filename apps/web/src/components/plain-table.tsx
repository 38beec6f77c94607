import type { ReactNode } from 'react';

export interface PlainColumn<Row> {
  key: string;
  title: ReactNode;
  align?: 'left' | 'right';
  width?: number;
  render: (row: Row) => ReactNode;
}

/**
 * A read-only HTML table styled like antd's small table. The public pages use it instead of antd's
 * Table, which brings sorting, filtering, selection and pagination (trees, menus, dropdowns and
 * virtual lists) that a published ranking never needs, and would double their JavaScript.
 */
export function PlainTable<Row>({ columns, rows, rowKey, empty, caption }: { columns: PlainColumn<Row>[]; rows: Row[]; rowKey: (row: Row) => string; empty: ReactNode; caption?: string }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="plain-table">
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" style={{ textAlign: column.align ?? 'left', width: column.width }}>
                {column.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length ? (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.key} style={{ textAlign: column.align ?? 'left' }}>
                    {column.render(row)}
                  </td>
                ))}
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={columns.length} className="muted" style={{ textAlign: 'center' }}>
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
