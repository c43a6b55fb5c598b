import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Checklist } from '@draftroom/shared';
import { conformanceQueries } from '../../api/conformance.ts';
import { viewOf } from '../../api/queries.ts';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { reviewPagePath, STATUS_LABELS } from './labels.ts';
import { OutcomeBadge } from './parts.tsx';

/** The reviews against one checklist: the system, who reviews it and who has submitted, the status and outcome. */
export function ReviewsOfChecklist({ checklist }: { checklist: Checklist }) {
  const { definition } = useDefinition();
  const reviews = viewOf(useQuery(conformanceQueries.reviews(definition.id, checklist.id)));
  return (
    <section className="checklist-reviews" aria-label={`Reviews against version ${checklist.version.label}`}>
      <h4>Reviews</h4>
      {reviews.status === 'loading' && <p role="status">Loading the reviews…</p>}
      {reviews.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{reviews.error.message}</p>
          <button type="button" className="button button-small" onClick={reviews.retry}>
            Try again
          </button>
        </div>
      )}
      {reviews.status === 'ready' &&
        (reviews.data.length === 0 ? (
          <p className="empty">No system has been reviewed against this checklist yet.</p>
        ) : (
          <ul className="review-list">
            {reviews.data.map((review) => (
              <li key={review.id} className="review-item">
                <div className="review-item-head">
                  <Link to={reviewPagePath(definition.groupSlug, definition.id, review.id)} className="review-item-name">
                    {review.system.name}
                    {review.system.version && ` ${review.system.version}`}
                  </Link>
                  <span className={`badge badge-review-${review.status}`}>{STATUS_LABELS[review.status]}</span>
                  {review.outcome && <OutcomeBadge outcome={review.outcome} />}
                </div>
                <p className="review-item-reviewers">
                  {review.reviewers.length === 0
                    ? 'Imported from a spreadsheet'
                    : review.reviewers.map((reviewer, index) => (
                        <span key={reviewer.person.id}>
                          {index > 0 && ', '}
                          {reviewer.person.displayName}{' '}
                          <span className={`reviewer-state${reviewer.submitted ? ' reviewer-submitted' : ''}`}>
                            {reviewer.submitted ? 'submitted' : 'not submitted'}
                          </span>
                        </span>
                      ))}
                </p>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
