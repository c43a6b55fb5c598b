import type { Ballot, BallotResult, MatrixCellResult } from '@draftroom/shared';
import { outcomeText, VERDICT_LABELS, percent, positionLabel } from './labels.ts';
import { MatrixTable } from './MatrixTable.tsx';

/** The counts per position or option, the outcome and the rule that decided it; a heat map for a matrix. */
export function BallotResults({ ballot, result, Sub }: { ballot: Ballot; result: BallotResult; Sub: 'h4' | 'h5' }) {
  const format = ballot.format;
  const known = ballot.options.map((option) => option.id);
  // Every option in the ballot's order, then any position the server counted that the options lack.
  const positions = [...known, ...Object.keys(result.counts).filter((position) => !known.includes(position))];
  const { turnout } = result;
  return (
    <section className="ballot-results" aria-label={`Results of ${ballot.title}`}>
      <Sub>{ballot.status === 'closed' ? 'Result' : 'Results so far'}</Sub>
      <p className="ballot-result-outcome">
        <strong className={`outcome outcome-${result.outcome}`}>{outcomeText(ballot, result)}</strong>
        {format === 'choice' && result.winner !== undefined && (
          <>
            {' '}
            —{' '}
            {result.winner ? (
              <>
                winner: <strong>{positionLabel(ballot, result.winner)}</strong>
              </>
            ) : (
              'no winner'
            )}
          </>
        )}
      </p>
      <p className="ballot-decided-by">Decided by {result.decidedBy}.</p>
      <p className="ballot-result-turnout">
        Turnout: {turnout.voted} of {turnout.eligible} took part ({turnout.abstained} abstained, {turnout.recused} recused).
      </p>
      <table className="ballot-counts">
        <caption className="visually-hidden">Votes per {format === 'choice' ? 'option' : 'position'}</caption>
        <thead>
          <tr>
            <th scope="col">{format === 'choice' ? 'Option' : 'Position'}</th>
            <th scope="col">Votes</th>
          </tr>
        </thead>
        <tbody>
          {positions.map((position) => (
            <tr key={position} data-position={position} className={result.winner === position ? 'ballot-winner' : undefined}>
              <th scope="row">{positionLabel(ballot, position)}</th>
              <td>{result.counts[position] ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {ballot.subject.kind === 'matrix' && result.cells && <MatrixHeatMap rows={ballot.subject.rows} columns={ballot.subject.columns} cells={result.cells} />}
    </section>
  );
}

/** Intensity 0–10 from a cell's share, as a class: the CSP allows no inline styles. */
function heatClass(cell: MatrixCellResult): string {
  const leaning = cell.counts.required >= cell.counts.not_required ? 'required' : 'not-required';
  const level = Math.max(0, Math.min(10, Math.round(cell.share * 10)));
  return `heat heat-${leaning} heat-${level} verdict-${cell.verdict.replace('_', '-')}`;
}

/** The matrix result: each cell coloured by how clear its majority is, with the counts in words. */
export function MatrixHeatMap({ rows, columns, cells }: { rows: string[]; columns: string[]; cells: MatrixCellResult[][] }) {
  return (
    <MatrixTable
      className="matrix-heat"
      caption="Results by cell: r = required, n = not required, u = unsure; darker means a clearer majority."
      rows={rows}
      columns={columns}
      cell={(r, c, _row, column) => {
        const cell = cells[r]?.[c];
        if (!cell) return <td key={column}>—</td>;
        const { counts, turnout } = cell;
        return (
          <td key={column} className={heatClass(cell)}>
            <strong className="heat-verdict">{VERDICT_LABELS[cell.verdict]}</strong>
            <span className="heat-counts" aria-hidden="true">
              {counts.required} r · {counts.not_required} n · {counts.unsure} u
            </span>
            <span className="visually-hidden">
              {counts.required} required, {counts.not_required} not required, {counts.unsure} unsure,
            </span>
            <span className="heat-turnout">
              {turnout.marked} of {turnout.electorate} marked
            </span>
            <span className="heat-share">{percent(cell.share)}</span>
          </td>
        );
      }}
    />
  );
}
