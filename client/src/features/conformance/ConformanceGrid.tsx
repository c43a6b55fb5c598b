import type { ReactNode } from 'react';
import type { ChecklistRow } from '@draftroom/shared';
import type { ChecklistShape } from './labels.ts';

/**
 * A checklist as a table: its components down the side (each with its category), its freedoms across
 * the top, and whatever a use needs in each cell the checklist asks about (a mark to choose, every
 * reviewer's verdict, the final verdict). Cells it does not ask about say so. The table scrolls
 * sideways inside its own box, so a phone scrolls the grid and never the page; the box takes the
 * keyboard focus for that.
 */
export function ConformanceGrid(props: {
  checklist: ChecklistShape;
  caption: ReactNode;
  /** A short name for the scrolling box ("Final verdicts"); the caption's text when it is plain. */
  label: string;
  cell(row: ChecklistRow, freedom: number): ReactNode;
  /** Extra classes of a required cell (a disagreement, a cell in error). */
  cellClass?(row: ChecklistRow, freedom: number): string;
  className?: string;
}) {
  const { checklist } = props;
  return (
    <>
      {/* The caption is seen above the box: inside the table it would scroll away with the columns on a phone. */}
      <p className="grid-caption" aria-hidden="true">
        {props.caption}
        <span className="grid-scroll-hint"> · scroll sideways for every freedom</span>
      </p>
      {/* A box that scrolls sideways takes the focus, so the keyboard can scroll it too. */}
      <div className="grid-scroll" role="region" aria-label={props.label} tabIndex={0}>
        {/* The number of columns sets the table's least width (the page's CSP allows no inline style). */}
        <table className={`conformance-grid grid-freedoms-${Math.min(checklist.freedoms.length, 12)}${props.className ? ` ${props.className}` : ''}`}>
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col" className="grid-component-head">
                Component
              </th>
              {checklist.freedoms.map((freedom) => (
                <th key={freedom} scope="col">
                  {freedom}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {checklist.rows.map((row) => (
              <tr key={row.id}>
                <th scope="row" className="grid-component">
                  <span className="grid-component-name">{row.component}</span>
                  {row.category && <span className="grid-category">{row.category}</span>}
                </th>
                {checklist.freedoms.map((freedom, index) =>
                  row.required[index] ? (
                    <td key={freedom} className={`grid-cell${props.cellClass ? ` ${props.cellClass(row, index)}` : ''}`}>
                      {props.cell(row, index)}
                    </td>
                  ) : (
                    <td key={freedom} className="grid-cell grid-na">
                      <span aria-hidden="true">—</span>
                      <span className="visually-hidden">Not applicable</span>
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The key under a grid: what a dash means. */
export function NotApplicableNote() {
  return <p className="grid-note muted">— not applicable: the checklist does not ask about this freedom for this component.</p>;
}
