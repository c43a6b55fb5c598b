import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { conformanceQueries } from '../../api/conformance.ts';
import { viewOf } from '../../api/queries.ts';
import { useDefinition } from '../definitions/DefinitionPage.tsx';
import { conformancePath } from './labels.ts';
import { LoadedReview } from './ReviewView.tsx';

/** A conformance review inside its definition's pages, for members (ReviewView.tsx draws it). */
export function ReviewPage() {
  const { definition, user } = useDefinition();
  const { reviewId } = useParams() as { reviewId: string };
  const review = viewOf(useQuery(conformanceQueries.review(definition.id, reviewId)));
  const back = (
    <p className="review-back">
      <Link to={conformancePath(definition.groupSlug, definition.id)}>All conformance reviews of {definition.title}</Link>
    </p>
  );
  return (
    <section className="conformance-review" aria-labelledby="review-heading">
      <LoadedReview review={review} user={user} back={back} />
    </section>
  );
}
