import type { Evidence, Outcome, Verdict } from '@draftroom/shared';
import type { ApiError } from '../../api/client.ts';
import { formErrorMessage } from '../../forms/messages.ts';
import { utcText } from '../history/When.tsx';
import { type ChecklistShape, describeProblemPath, EVIDENCE_KIND_LABELS, OUTCOME_LABELS, VERDICT_LABELS } from './labels.ts';

/** A verdict in words, coloured by what it means (the colour is never the only sign). */
export function VerdictTag({ verdict }: { verdict: Verdict | null }) {
  if (verdict === null) return <span className="verdict verdict-none">Not marked</span>;
  return <span className={`verdict verdict-${verdict}`}>{VERDICT_LABELS[verdict]}</span>;
}

export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  return <span className={`badge badge-conformance badge-conformance-${outcome}`}>{OUTCOME_LABELS[outcome]}</span>;
}

/**
 * A refusal from the server with every detail it gave, each named by where it is (a cell, a line of
 * the spreadsheet). Always in the page, empty when all is well, so that a new refusal is announced.
 */
export function ProblemAlert({ error, checklist, intro }: { error: ApiError | null; checklist: ChecklistShape | null; intro?: string }) {
  const details = error?.fieldDetails ?? [];
  return (
    <div role="alert" className={error ? 'alert alert-error problem-alert' : 'alert-empty'}>
      {error && (
        <>
          <p>{intro ?? formErrorMessage(error)}</p>
          {details.length > 0 && (
            <ul className="problem-list">
              {details.map((detail, index) => {
                const where = describeProblemPath(detail.path, checklist);
                const said = where && !detail.message.startsWith(where) ? `${where}: ${detail.message}` : detail.message;
                return <li key={index}>{said}</li>;
              })}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

/** What a reviewer (or a spreadsheet) cited for one component. */
export function EvidenceList({ evidence, note }: { evidence: readonly Evidence[]; note: string }) {
  if (evidence.length === 0 && !note.trim()) return <p className="muted evidence-none">No evidence given.</p>;
  return (
    <>
      {evidence.length > 0 && (
        <ul className="evidence-list">
          {evidence.map((item, index) => (
            <li key={index}>
              <span className="evidence-kind">{EVIDENCE_KIND_LABELS[item.kind]}</span>{' '}
              {item.url ? (
                <a href={item.url} rel="noopener noreferrer nofollow" target="_blank">
                  {item.text || item.url}
                </a>
              ) : (
                <span className={item.kind === 'quote' ? 'evidence-quote' : undefined}>{item.text}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {note.trim() && <p className="evidence-note">{note}</p>}
    </>
  );
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/** A day as the group agrees on it (UTC), the exact moment in its tooltip: for tables and records, where the hour says little. */
export function Day({ at }: { at: string }) {
  return (
    <time dateTime={at} title={utcText(at)}>
      {dayFormat.format(new Date(at))}
    </time>
  );
}
