import { useQuery } from '@tanstack/react-query';
import type { Group } from '@draftroom/shared';
import { publicQueries } from '../../api/public.ts';
import { viewOf } from '../../api/queries.ts';
import { PublishedList } from './PublishedList.tsx';

/** A group's published versions, readable by anyone who can read the group (the public, for public groups). */
export function PublishedSection({ group }: { group: Group }) {
  const published = viewOf(useQuery(publicQueries.published(group.slug)));
  return (
    <section aria-labelledby="published-heading" className="card">
      <h2 id="published-heading">Published versions</h2>
      {published.status === 'loading' && <p role="status">Loading published versions…</p>}
      {published.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{published.error.message}</p>
          <button type="button" className="button" onClick={published.retry}>
            Try again
          </button>
        </div>
      )}
      {published.status === 'ready' &&
        (published.data.length === 0 ? (
          <p className="empty">Nothing has been published yet.</p>
        ) : (
          <>
            {group.visibility === 'public' && !group.myRole && (
              <p className="muted">Anyone can read these; while a definition is open for public comment, anyone signed in may comment on it.</p>
            )}
            <PublishedList definitions={published.data} showGroup={false} showDeadline />
          </>
        ))}
    </section>
  );
}
