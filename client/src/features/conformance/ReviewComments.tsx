import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Review } from '@draftroom/shared';
import type { ChecklistShape } from './labels.ts';
import { commentOnReview } from '../../api/conformance.ts';
import { FormAlert, StatusMessage, SubmitButton, TextAreaField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { When } from '../history/When.tsx';
import { storeReview } from './reviewActions.ts';

/**
 * Comments on a component or one of its cells, by members and — during the response period — the
 * system's developer (marked "Developer"). Read-only once the review is closed.
 */
export function ReviewComments({ review, checklist }: { review: Review; checklist: ChecklistShape }) {
  const canComment = review.allowed.includes('comment');
  if (review.comments.length === 0 && review.sealedComments === 0 && !canComment) return null;
  return (
    <section className="review-comments" aria-labelledby="comments-heading">
      <h3 id="comments-heading">Comments</h3>
      {review.status === 'marking' && (
        <p className="muted sealed-comments">
          {review.sealedComments > 0
            ? `${review.sealedComments} ${review.sealedComments === 1 ? 'comment by a reviewer is' : 'comments by reviewers are'} held back until every reviewer has submitted: what a reviewer writes could tell how they marked.`
            : 'What reviewers write here is shown to others only once every reviewer has submitted: it could tell how they marked.'}
        </p>
      )}
      {review.comments.length === 0 ? (
        <p className="empty">No comments yet.</p>
      ) : (
        checklist.rows
          .filter((row) => review.comments.some((comment) => comment.rowId === row.id))
          .map((row) => (
            <article key={row.id} className="comment-group" aria-label={`Comments on ${row.component}`}>
              <h4>{row.component}</h4>
              <ul className="review-comment-list">
                {review.comments
                  .filter((comment) => comment.rowId === row.id)
                  .map((comment) => (
                    <li key={comment.id} className={`review-comment${comment.asDeveloper ? ' review-comment-developer' : ''}`}>
                      <p className="review-comment-meta">
                        <strong>{comment.author.displayName}</strong>
                        {comment.asDeveloper && <span className="badge badge-developer">Developer</span>}
                        {comment.freedom !== null && <span className="review-comment-cell">on {checklist.freedoms[comment.freedom]}</span>}
                        <When at={comment.createdAt} />
                      </p>
                      <p className="review-comment-body">{comment.body}</p>
                    </li>
                  ))}
              </ul>
            </article>
          ))
      )}
      {canComment && <CommentForm review={review} checklist={checklist} />}
    </section>
  );
}

function CommentForm({ review, checklist }: { review: Review; checklist: ChecklistShape }) {
  const client = useQueryClient();
  const id = useId();
  const [rowId, setRowId] = useState(checklist.rows[0]?.id ?? '');
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const form = useApiForm({ rowId: { label: 'Component' }, freedom: { label: 'Cell' }, body: { label: 'Comment' } });
  const row = checklist.rows.find((r) => r.id === rowId);
  return (
    <form
      className="comment-form form"
      aria-labelledby={`${id}-heading`}
      noValidate
      onSubmit={form.onSubmit(async (values, element) => {
        const updated = await commentOnReview(review.id, {
          rowId: values.rowId,
          freedom: values.freedom === '' ? null : Number(values.freedom),
          body: values.body.trim(),
        });
        storeReview(client, updated);
        (element.elements.namedItem('body') as HTMLTextAreaElement).value = '';
        setAnnouncement('Comment added.');
      })}
    >
      <h4 id={`${id}-heading`}>Add a comment</h4>
      <div className="form-row form-row-even">
        <div className="field">
          <label htmlFor={`${id}-row`}>Component</label>
          <select id={`${id}-row`} name="rowId" value={rowId} onChange={(event) => setRowId(event.target.value)}>
            {checklist.rows.map((r) => (
              <option key={r.id} value={r.id}>
                {r.component}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-cell`}>About</label>
          <select id={`${id}-cell`} name="freedom" key={rowId} defaultValue="">
            <option value="">The whole component</option>
            {row?.required.map((required, freedom) =>
              required ? (
                <option key={freedom} value={String(freedom)}>
                  {checklist.freedoms[freedom]}
                </option>
              ) : null,
            )}
          </select>
        </div>
      </div>
      <TextAreaField {...form.field('body')} required maxLength={8000} rows={3} />
      <FormAlert message={form.formError} />
      <StatusMessage message={announcement} />
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Adding…">
          Add comment
        </SubmitButton>
      </div>
    </form>
  );
}
