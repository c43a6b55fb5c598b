import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { PublicGroupSummary } from '@draftroom/shared';
import { publicQueries } from '../../api/public.ts';
import { viewOf } from '../../api/queries.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { useLiveTopic } from '../../live/LiveProvider.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { GroupsPage } from '../groups/GroupsPage.tsx';
import { memberCountText } from '../groups/labels.ts';
import { definitionCountText } from './labels.ts';
import { PublicWork, PublicWorkSections } from './PublicWork.tsx';
import './public.css';

/** `/`: signed-in people see their groups first, then the public work; visitors see the front door. */
export function HomePage() {
  const { user } = useSession();
  if (!user) return <FrontDoor />;
  return (
    <>
      <GroupsPage />
      <PublicWorkSections />
    </>
  );
}

/** What Draftroom is, and what anyone may read here without an account. */
function FrontDoor() {
  const overview = viewOf(useQuery(publicQueries.overview()));
  // A group made public, a comment period opened, a version published: the lists follow without a reload.
  useLiveTopic('public');
  return (
    <div className="page front-door">
      <section aria-labelledby="front-intro" className="front-intro">
        <PageHeading title="Draftroom">
          <span id="front-intro">Draftroom</span>
        </PageHeading>
        <p className="front-lede">
          Working groups draft definitions here together. Members write the text clause by clause, comment on exact passages, propose other wordings and decide
          contested points by ballot; every published version, vote and decision stays on the record. Anyone may read what public groups have published, and
          during a public comment period anyone with an account may comment on it.
        </p>
        <p className="front-actions">
          <Link to="/login" className="button button-primary">
            Sign in
          </Link>
          <Link to="/register" className="button">
            Create an account
          </Link>
        </p>
      </section>
      {overview.status === 'loading' && <p role="status">Loading…</p>}
      {overview.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{overview.error.message}</p>
          <button type="button" className="button" onClick={overview.retry}>
            Try again
          </button>
        </div>
      )}
      {overview.status === 'ready' && (
        <div className="front-grid">
          <PublicWork overview={overview.data} />
          <section aria-labelledby="public-groups-heading" className="front-section front-groups">
            <h2 id="public-groups-heading">Public groups</h2>
            {overview.data.groups.length === 0 ? (
              <p className="empty">No public group yet.</p>
            ) : (
              <ul className="group-list">
                {overview.data.groups.map((group) => (
                  <PublicGroupCard key={group.slug} group={group} />
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </div>
  );
}

function PublicGroupCard({ group }: { group: PublicGroupSummary }) {
  return (
    <li className="group-card">
      <h3 className="group-card-title">
        <Link to={`/groups/${encodeURIComponent(group.slug)}`}>{group.name}</Link>
      </h3>
      <p className="group-meta">
        <span>{memberCountText(group.memberCount)}</span>
        <span>{definitionCountText(group.definitionCount)}</span>
      </p>
      {group.charter && <p className="group-card-charter">{group.charter}</p>}
    </li>
  );
}
