import { useQuery } from '@tanstack/react-query';
import type { PublicOverview } from '@draftroom/shared';
import { publicQueries } from '../../api/public.ts';
import { viewOf } from '../../api/queries.ts';
import { PublishedList } from './PublishedList.tsx';

/** What is open for public comment and what was published last, in every public group. */
export function PublicWork({ overview }: { overview: PublicOverview }) {
  return (
    <>
      <section aria-labelledby="open-for-comment-heading" className="card front-section">
        <h2 id="open-for-comment-heading">Open for public comment</h2>
        {overview.openForComment.length === 0 ? (
          <p className="empty">No definition is open for public comment right now.</p>
        ) : (
          <PublishedList definitions={overview.openForComment} showGroup showDeadline />
        )}
      </section>
      <section aria-labelledby="latest-versions-heading" className="card front-section">
        <h2 id="latest-versions-heading">Latest published versions</h2>
        {overview.latestVersions.length === 0 ? (
          <p className="empty">Nothing has been published yet.</p>
        ) : (
          <PublishedList definitions={overview.latestVersions} showGroup showDeadline={false} />
        )}
      </section>
    </>
  );
}

/** The same, loading the overview itself (for the signed-in home page, below the groups). */
export function PublicWorkSections() {
  const overview = viewOf(useQuery(publicQueries.overview()));
  if (overview.status !== 'ready') return null;
  return (
    <div className="page front-public-work">
      <PublicWork overview={overview.data} />
    </div>
  );
}
