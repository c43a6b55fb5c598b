import { useId, useState } from 'react';
import { Link } from 'react-router';
import type { Review } from '@draftroom/shared';
import type { ChecklistShape } from './labels.ts';
import { badgeUrl } from '../../api/conformance.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { embedSnippets, OUTCOME_LABELS, registerPagePath } from './labels.ts';
import { OutcomeBadge } from './parts.tsx';
import { isSplit } from './RevealedReview.tsx';
import { DissentList, EvidenceByComponent, FinalGrid } from './ReviewRecord.tsx';

/** A closed review: its outcome and conditions, the final grid with how each cell was settled, the badge to embed, the record. */
export function ClosedReview({ review, checklist }: { review: Review; checklist: ChecklistShape }) {
  const definition = review.definition;
  const registerPath = registerPagePath(definition.groupSlug, review.definitionId, review.version.label);
  // A private group's register is for its members: the developer reading the review of their system is not one.
  const registerReadable = definition.member || definition.visibility === 'public';
  const dissent = (review.disagreements ?? []).filter(isSplit);
  const cited = [
    ...review.reviewers.flatMap((reviewer) =>
      (reviewer.sheet ?? []).map((row) => ({ rowId: row.rowId, who: reviewer.person.displayName, evidence: row.evidence, note: row.note })),
    ),
    ...review.importedEvidence.map((row) => ({ ...row, who: 'The spreadsheet' })),
  ];
  return (
    <>
      {review.outcome && (
        <section className={`review-outcome review-outcome-${review.outcome}`} aria-labelledby="outcome-heading">
          <h3 id="outcome-heading">Outcome</h3>
          <p className="outcome-line">
            <OutcomeBadge outcome={review.outcome} />
          </p>
          {review.conditions.length > 0 && (
            <>
              <p className="outcome-conditions-intro">Conformant if:</p>
              <ul className="outcome-conditions">
                {review.conditions.map((condition) => (
                  <li key={condition}>{condition}</li>
                ))}
              </ul>
            </>
          )}
          {registerReadable && (
            <p>
              <Link to={`${registerPath}#review-${review.id}`}>See it in the public register of version {review.version.label}</Link>
            </p>
          )}
        </section>
      )}
      {review.cells && <FinalGrid checklist={checklist} cells={review.cells} label="Final verdicts" />}
      {review.outcome && (
        <BadgeEmbed reviewId={review.id} alt={`${definition.title} ${review.version.label}: ${OUTCOME_LABELS[review.outcome]}`} registerPath={registerPath} />
      )}
      {!review.importedFrom && <DissentList checklist={checklist} dissent={dissent} />}
      <EvidenceByComponent checklist={checklist} cited={cited} />
    </>
  );
}

/** The outcome's SVG badge, and the Markdown and HTML to put it on a model card or a website. */
function BadgeEmbed({ reviewId, alt, registerPath }: { reviewId: string; alt: string; registerPath: string }) {
  const id = useId();
  const [copied, setCopied] = useState<string | null>(null);
  const snippets = embedSnippets({ origin: window.location.origin, badgePath: badgeUrl(reviewId), registerPath, reviewId, alt });
  const copy = async (what: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`${what} copied.`);
    } catch {
      setCopied(`Could not copy: select the ${what} text and copy it.`);
    }
  };
  return (
    <section className="badge-embed" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Badge</h3>
      <p>
        <img src={badgeUrl(reviewId)} alt={alt} className="conformance-badge-image" />
      </p>
      {(['Markdown', 'HTML'] as const).map((what) => {
        const text = what === 'Markdown' ? snippets.markdown : snippets.html;
        return (
          <div key={what} className="field badge-snippet">
            <label htmlFor={`${id}-${what}`}>{what} to embed it</label>
            <div className="badge-snippet-row">
              <textarea id={`${id}-${what}`} readOnly rows={3} value={text} onFocus={(event) => event.currentTarget.select()} />
              <button type="button" className="button button-small" onClick={() => void copy(what, text)}>
                Copy<span className="visually-hidden"> the {what}</span>
              </button>
            </div>
          </div>
        );
      })}
      <StatusMessage message={copied} />
    </section>
  );
}
