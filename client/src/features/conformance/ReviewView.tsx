import { type ReactNode, useEffect } from 'react';
import type { Review, User } from '@draftroom/shared';
import type { QueryView } from '../../api/queries.ts';
import { When } from '../history/When.tsx';
import { ClosedReview } from './ClosedReview.tsx';
import { BlindGrid, MarkingSheet, SubmittedMarks } from './MarkingSheet.tsx';
import { RevealedReview } from './RevealedReview.tsx';
import { ReviewComments } from './ReviewComments.tsx';
import { ruleInWords, STATUS_LABELS } from './labels.ts';
import { OutcomeBadge } from './parts.tsx';
import './conformance.css';

/*
 * One conformance review, wherever it is shown (inside its definition's pages, or on its own for the
 * developer). While the reviewers mark, each sees only their own sheet and everyone sees who has
 * submitted; once all have, every verdict is shown side by side and the chair settles the cells they
 * disagree on, then closes it; closed, it shows the final grid, the outcome and its badge.
 */

/** The review once loaded; its failure (not found, or could not load) in its place. */
export function LoadedReview({ review, user, back }: { review: QueryView<Review>; user: User; back: ReactNode }) {
  if (review.status === 'error')
    return (
      <>
        {back}
        <h2 id="review-heading">{review.error.status === 404 ? 'Review not found' : 'Could not load the review'}</h2>
        {review.error.status === 404 ? (
          <p>There is no review at this address, or you may not read it.</p>
        ) : (
          <div role="alert" className="alert alert-error">
            <p>{review.error.message}</p>
            <button type="button" className="button" onClick={review.retry}>
              Try again
            </button>
          </div>
        )}
      </>
    );
  if (review.status !== 'ready')
    return (
      <>
        {back}
        <p role="status">Loading the review…</p>
      </>
    );
  return <ReviewView review={review.data} user={user} back={back} />;
}

function ReviewView({ review, user, back }: { review: Review; user: User; back: ReactNode }) {
  const checklist = review.checklist;
  const definition = review.definition;
  const system = `${review.system.name}${review.system.version ? ` ${review.system.version}` : ''}`;
  const title = `Review of ${system}`;
  const me = review.reviewers.find((reviewer) => reviewer.person.id === user.id) ?? null;
  const submitted = review.reviewers.filter((reviewer) => reviewer.submittedAt !== null);
  const canMark = review.allowed.includes('mark') && me !== null && me.submittedAt === null;

  return (
    <>
      {back}
      <header className="review-header">
        {/* The definition's title is the page's h1; the review is the section's heading (and the tab's title). */}
        <PageTitle title={`${title} · ${definition.title}`} />
        <h2 id="review-heading" className="review-title">
          {title}
        </h2>
        <p className="review-badges">
          <span className={`badge badge-review-${review.status}`}>{STATUS_LABELS[review.status]}</span>
          {review.outcome && <OutcomeBadge outcome={review.outcome} />}
          {review.importedFrom && <span className="badge">Imported</span>}
        </p>
        <dl className="review-facts">
          <div>
            <dt>Against</dt>
            <dd>
              Version {review.version.label} <span className="muted">· {checklist.title}</span>
            </dd>
          </div>
          {review.system.developer && (
            <div>
              <dt>Developer</dt>
              <dd>{review.system.developer}</dd>
            </div>
          )}
          <div>
            <dt>Reviewers</dt>
            <dd>
              {review.importedFrom ? (
                <ImportedFromLine review={review} />
              ) : (
                <ul className="reviewer-list">
                  {review.reviewers.map((reviewer) => (
                    <li key={reviewer.person.id}>
                      {reviewer.person.displayName}
                      {reviewer.person.id === user.id && ' (you)'}{' '}
                      {reviewer.submittedAt ? (
                        <span className="reviewer-state reviewer-submitted">submitted</span>
                      ) : (
                        <span className="reviewer-state">not submitted yet</span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
          <div>
            <dt>Rule</dt>
            <dd>{ruleInWords(review.rule)}</dd>
          </div>
          <div>
            <dt>Opened</dt>
            <dd>
              <When at={review.openedAt} /> by {review.openedBy.displayName}
            </dd>
          </div>
          {review.responseUntil && (
            <div>
              <dt>Developer may respond until</dt>
              <dd>
                <When at={review.responseUntil} />
              </dd>
            </div>
          )}
          {review.closedAt && (
            <div>
              <dt>Closed</dt>
              <dd>
                <When at={review.closedAt} />
              </dd>
            </div>
          )}
        </dl>
      </header>

      {review.status === 'marking' && (
        <div className="blind-notice" role="note">
          <p>
            <strong>Marks are hidden from everyone until all reviewers have submitted.</strong> Each reviewer sees only their own marks — not the other
            reviewers, not the chair, not the members. Then every reviewer’s marks are shown side by side.
          </p>
          {/* Kept up to date as reviewers submit (live/staleQueries.ts: conformance.changed). */}
          <p className="blind-count" aria-live="polite">
            {submitted.length} of {review.reviewers.length} reviewers have submitted
            {submitted.length > 0 && `: ${submitted.map((reviewer) => reviewer.person.displayName).join(', ')}`}.
          </p>
        </div>
      )}

      {review.status === 'marking' &&
        (canMark ? (
          <MarkingSheet key={review.id} review={review} checklist={checklist} mine={me!.sheet} />
        ) : me?.submittedAt ? (
          <SubmittedMarks review={review} checklist={checklist} sheet={me.sheet} />
        ) : (
          <BlindGrid review={review} checklist={checklist} />
        ))}
      {review.status === 'reconciling' && <RevealedReview review={review} checklist={checklist} />}
      {review.status === 'closed' && <ClosedReview review={review} checklist={checklist} />}

      <ReviewComments review={review} checklist={checklist} />
    </>
  );
}

/** Sets the window's title without a second h1 (the definition page has the page's h1). */
function PageTitle({ title }: { title: string }) {
  useEffect(() => {
    document.title = `${title} · Draftroom`;
  }, [title]);
  return null;
}

export function ImportedFromLine({ review }: { review: Pick<Review, 'importedFrom'> }) {
  const imported = review.importedFrom;
  if (!imported) return null;
  return (
    <span className="imported-from">
      Imported from {imported.file ? <strong>{imported.file}</strong> : 'a spreadsheet'} by {imported.by.displayName} on <When at={imported.at} />
      {imported.reviewers.length > 0 && <>, reviewers: {imported.reviewers.join(', ')}</>}
      {imported.reviewedOn && <> (reviewed {imported.reviewedOn})</>}
    </span>
  );
}
