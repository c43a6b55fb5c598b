import { useQuery } from '@tanstack/react-query';
import { Link, Navigate, useParams } from 'react-router';
import { conformanceQueries } from '../../api/conformance.ts';
import { viewOf } from '../../api/queries.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { registerPagePath, reviewPagePath } from './labels.ts';
import { LoadedReview } from './ReviewView.tsx';

/**
 * A review on its own page, where its notifications lead. A member is taken to it inside the
 * definition; the reviewed system's developer — who may read and answer the review of their system,
 * but not the group's draft — reads it here.
 */
export function StandaloneReviewPage() {
  const { user } = useSession();
  const { reviewId } = useParams() as { reviewId: string };
  const review = viewOf(useQuery(conformanceQueries.reviewById(reviewId)));
  if (review.status === 'ready' && review.data.definition.member)
    return <Navigate replace to={reviewPagePath(review.data.definition.groupSlug, review.data.definitionId, review.data.id)} />;
  const where = review.status === 'ready' ? review.data.definition : null;
  return (
    <div className="page page-review">
      <PageHeading title={where ? where.title : 'Conformance review'}>{where ? where.title : 'Conformance review'}</PageHeading>
      {where && review.status === 'ready' && (
        <div className="review-context card">
          <p>
            A definition of <strong>{where.groupName}</strong>. You read this review as the developer of the system it reviews
            {review.data.allowed.includes('comment')
              ? review.data.responseUntil
                ? ': you may answer on any component or cell until the response period ends (below).'
                : ': you may answer on any component or cell while the review is open.'
              : '; the response period is over.'}
          </p>
          {where.visibility === 'public' && (
            <p>
              <Link to={registerPagePath(where.groupSlug, review.data.definitionId, review.data.version.label)}>
                Public register of version {review.data.version.label}
              </Link>
            </p>
          )}
        </div>
      )}
      <section className="conformance-review" aria-labelledby="review-heading">
        {/* Signed in (the route requires it). */}
        <LoadedReview review={review} user={user!} back={null} />
      </section>
    </div>
  );
}
