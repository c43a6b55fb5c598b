import type { ReactNode } from 'react';

/**
 * A component matrix as a table: components down the side, freedoms across the top, and whatever
 * each use needs in the cells (a select to mark, a read-only mark, a result). Cells are `<td>`s the
 * caller renders, so each can carry its own class.
 */
export function MatrixTable(props: {
  className: string;
  caption: ReactNode;
  rows: readonly string[];
  columns: readonly string[];
  cell(r: number, c: number, row: string, column: string): ReactNode;
  describedBy?: string | undefined;
}) {
  const { rows, columns } = props;
  return (
    <div className="table-scroll">
      <table className={`matrix ${props.className}`} aria-describedby={props.describedBy}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <td className="matrix-corner" aria-hidden="true" />
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={row}>
              <th scope="row">{row}</th>
              {columns.map((column, c) => props.cell(r, c, row, column))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
