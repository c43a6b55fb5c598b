import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { Review } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { useSession } from '../../session/SessionProvider.tsx';

/** A review as the server just answered it: the page shows it, and the lists that summarise it read again. */
export function storeReview(client: QueryClient, review: Review) {
  // Cached twice: inside its definition's pages, and on its own page (the developer's).
  client.setQueryData(queryKeys.review(review.definitionId, review.id), review);
  client.setQueryData(queryKeys.reviewById(review.id), review);
  void client.invalidateQueries({ queryKey: queryKeys.checklistReviews(review.definitionId, review.checklistId) });
  if (review.status === 'closed') void client.invalidateQueries({ queryKey: queryKeys.registers(review.definitionId) });
}

/**
 * One action on a review (save, submit, settle, comment, close): one at a time, the answer stored,
 * a refusal kept with its details for the page to show next to what it names.
 */
export function useReviewAction() {
  const client = useQueryClient();
  const { signedOut } = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const busy = useRef(false);

  async function run(action: () => Promise<Review>): Promise<Review | null> {
    if (busy.current) return null;
    busy.current = true;
    setPending(true);
    setError(null);
    try {
      const review = await action();
      storeReview(client, review);
      return review;
    } catch (caught) {
      const apiError = caught instanceof ApiError ? caught : new ApiError(0, 'unexpected', 'Something went wrong in this page. Reload it and try again.');
      if (apiError.status === 401 && apiError.code === 'unauthenticated') signedOut('expired');
      setError(apiError);
      return null;
    } finally {
      busy.current = false;
      setPending(false);
    }
  }

  return { pending, error, run, clearError: () => setError(null) };
}
