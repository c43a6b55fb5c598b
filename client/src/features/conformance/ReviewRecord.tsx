import type { Evidence, FinalCell, Verdict } from '@draftroom/shared';
import { ConformanceGrid, NotApplicableNote } from './ConformanceGrid.tsx';
import { type ChecklistShape, cellName, SETTLED_LABELS } from './labels.ts';
import { EvidenceList, VerdictTag } from './parts.tsx';

/**
 * The record of a closed review, as its page and the public register both show it: the final grid,
 * the cells the reviewers disagreed on with the chair's reasons, and what each reviewer cited.
 */

interface Person {
  id: string;
  displayName: string;
}

/** Final verdict per cell, how it was settled, and the condition that would cure it. */
export function FinalGrid({ checklist, cells, label }: { checklist: ChecklistShape; cells: readonly FinalCell[]; label: string }) {
  const find = (rowId: string, freedom: number) => cells.find((cell) => cell.rowId === rowId && cell.freedom === freedom) ?? null;
  return (
    <>
      <ConformanceGrid
        checklist={checklist}
        label={`${label} (scrolls sideways)`}
        caption={label}
        className="grid-final"
        cellClass={(row, freedom) => {
          const cell = find(row.id, freedom);
          return cell ? `mark-${cell.verdict}` : 'mark-none';
        }}
        cell={(row, freedom) => {
          const cell = find(row.id, freedom);
          if (!cell) return <span className="muted">No verdict</span>;
          return (
            <>
              <VerdictTag verdict={cell.verdict} />
              <span className="cell-settled">{SETTLED_LABELS[cell.settledBy]}</span>
              {cell.condition && <span className="cell-condition">If: {cell.condition}</span>}
            </>
          );
        }}
      />
      <NotApplicableNote />
    </>
  );
}

export interface DissentEntry {
  rowId: string;
  freedom: number;
  verdicts: readonly { reviewer: Person; verdict: Verdict | null }[];
  resolution: { verdict: Verdict; reason: string; condition: string | null; by: Person } | null;
}

/** The cells the reviewers marked differently: each reviewer's verdict and how the chair settled it, with the reason. */
export function DissentList({ checklist, dissent, headingLevel = 3 }: { checklist: ChecklistShape; dissent: readonly DissentEntry[]; headingLevel?: 3 | 4 }) {
  const H = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <section className="dissent" aria-label="Dissent">
      <H>Dissent</H>
      {dissent.length === 0 ? (
        <p className="muted">The reviewers agreed on every cell.</p>
      ) : (
        <ul className="dissent-list">
          {dissent.map((entry) => (
            <li key={`${entry.rowId}/${entry.freedom}`}>
              <strong>{cellName(checklist, entry.rowId, entry.freedom)}</strong>
              <ul className="dissent-verdicts">
                {entry.verdicts.map((v) => (
                  <li key={v.reviewer.id}>
                    {v.reviewer.displayName}: <VerdictTag verdict={v.verdict} />
                  </li>
                ))}
              </ul>
              {entry.resolution ? (
                <p className="dissent-resolution">
                  Settled as <VerdictTag verdict={entry.resolution.verdict} /> by {entry.resolution.by.displayName}: {entry.resolution.reason}
                  {entry.resolution.condition && <span className="dissent-condition"> Condition: {entry.resolution.condition}</span>}
                </p>
              ) : (
                <p className="dissent-resolution muted">Not settled yet.</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export interface CitedEvidence {
  rowId: string;
  /** The reviewer's name, or where it came from ("The spreadsheet"). */
  who: string;
  evidence: readonly Evidence[];
  note: string;
}

/** Per component, what each reviewer cited, side by side. */
export function EvidenceByComponent({
  checklist,
  cited,
  headingLevel = 3,
}: {
  checklist: ChecklistShape;
  cited: readonly CitedEvidence[];
  headingLevel?: 3 | 4;
}) {
  const H = headingLevel === 3 ? 'h3' : 'h4';
  const Sub = headingLevel === 3 ? 'h4' : 'h5';
  return (
    <section className="evidence-section" aria-label="Evidence">
      <H>Evidence</H>
      {checklist.rows.map((row) => {
        const forRow = cited.filter((entry) => entry.rowId === row.id);
        return (
          <article key={row.id} className="evidence-component" aria-label={`Evidence for ${row.component}`}>
            <Sub className="evidence-component-title">
              {row.component}
              {row.category && <span className="grid-category"> · {row.category}</span>}
            </Sub>
            {forRow.length === 0 ? (
              <p className="muted evidence-none">No evidence given.</p>
            ) : (
              <div className="evidence-columns">
                {forRow.map((entry, index) => (
                  <div key={index} className="evidence-column">
                    <p className="evidence-who">{entry.who}</p>
                    <EvidenceList evidence={entry.evidence} note={entry.note} />
                  </div>
                ))}
              </div>
            )}
          </article>
        );
      })}
    </section>
  );
}
