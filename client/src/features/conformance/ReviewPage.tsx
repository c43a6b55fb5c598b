import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { Link, useParams } from 'react-router';
import type { Checklist, Review, User } from '@draftroom/shared';
import { conformanceQueries } from '../../api/conformance.ts';
import { viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { When } from '../history/When.tsx';
import { ClosedReview } from './ClosedReview.tsx';
import { BlindGrid, MarkingSheet, SubmittedMarks } from './MarkingSheet.tsx';
import { RevealedReview } from './RevealedReview.tsx';
import { ReviewComments } from './ReviewComments.tsx';
import { conformancePath, ruleInWords, STATUS_LABELS } from './labels.ts';
import { OutcomeBadge } from './parts.tsx';
import './conformance.css';

/**
 * One conformance review. While the reviewers mark, each sees only their own sheet and everyone sees
 * who has submitted; once all have, every verdict is shown side by side and the chair settles the
 * cells they disagree on, then closes it; closed, it shows the final grid, the outcome and its badge.
 */
export function ReviewPage() {
  const { definition, user } = useDefinition();
  const { reviewId } = useParams() as { reviewId: string };
  const review = viewOf(useQuery(conformanceQueries.review(definition.id, reviewId)));
  const checklistId = review.status === 'ready' ? review.data.checklistId : '';
  const checklist = viewOf(useQuery({ ...conformanceQueries.checklist(definition.id, checklistId), enabled: checklistId !== '' }));
  const back = (
    <p className="review-back">
      <Link to={conformancePath(definition.groupSlug, definition.id)}>All conformance reviews of {definition.title}</Link>
    </p>
  );

  const failed = review.status === 'error' ? review : checklist.status === 'error' ? checklist : null;
  if (failed) {
    return (
      <section className="conformance-review" aria-labelledby="review-heading">
        {back}
        <h2 id="review-heading">{failed.error.status === 404 ? 'Review not found' : 'Could not load the review'}</h2>
        {failed.error.status === 404 ? (
          <p>There is no review at this address, or you may not read it.</p>
        ) : (
          <div role="alert" className="alert alert-error">
            <p>{failed.error.message}</p>
            <button type="button" className="button" onClick={failed.retry}>
              Try again
            </button>
          </div>
        )}
      </section>
    );
  }
  if (review.status !== 'ready' || checklist.status !== 'ready') {
    return (
      <section className="conformance-review">
        {back}
        <p role="status">Loading the review…</p>
      </section>
    );
  }
  return <ReviewView review={review.data} checklist={checklist.data} user={user} back={back} />;
}

function ReviewView({ review, checklist, user, back }: { review: Review; checklist: Checklist; user: User; back: ReactNode }) {
  const { definition } = useDefinition();
  const system = `${review.system.name}${review.system.version ? ` ${review.system.version}` : ''}`;
  const title = `Review of ${system}`;
  const me = review.reviewers.find((reviewer) => reviewer.person.id === user.id) ?? null;
  const submitted = review.reviewers.filter((reviewer) => reviewer.submittedAt !== null);
  const canMark = review.allowed.includes('mark') && me !== null && me.submittedAt === null;
  const client = useQueryClient();

  return (
    <section className="conformance-review" aria-labelledby="review-heading">
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
          <p className="blind-count">
            {submitted.length} of {review.reviewers.length} reviewers have submitted
            {submitted.length > 0 && `: ${submitted.map((reviewer) => reviewer.person.displayName).join(', ')}`}.
          </p>
          {/* Submissions are not pushed to open pages: whoever waits asks again. */}
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => void client.invalidateQueries({ queryKey: queryKeys.review(review.definitionId, review.id) })}
          >
            Check for new submissions
          </button>
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
    </section>
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
