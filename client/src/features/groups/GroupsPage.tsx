import { Link, useLocation } from 'react-router';
import { ROLE_LABELS, type Group } from '@draftroom/shared';
import { useQuery } from '@tanstack/react-query';
import { groupQueries, viewOf } from '../../api/queries.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { CreateGroupForm } from './CreateGroupForm.tsx';
import { memberCountText, VISIBILITY_LABELS } from './labels.ts';

export interface GroupsPageNotice {
  notice?: string;
}

function GroupCard({ group }: { group: Group }) {
  return (
    <li className="group-card">
      <h3 className="group-card-title">
        <Link to={`/groups/${group.slug}`}>{group.name}</Link>
      </h3>
      <p className="group-meta">
        {group.myRole && (
          <span className="badge badge-role">
            <span className="visually-hidden">Your role: </span>
            {ROLE_LABELS[group.myRole]}
          </span>
        )}
        <span className={`badge badge-${group.visibility}`}>{VISIBILITY_LABELS[group.visibility]}</span>
        <span>{memberCountText(group.memberCount)}</span>
      </p>
      {group.charter && <p className="group-card-charter">{group.charter}</p>}
    </li>
  );
}

export function GroupsPage() {
  const groups = viewOf(useQuery(groupQueries.list()));
  const notice = (useLocation().state as GroupsPageNotice | null)?.notice ?? null;

  let mine: Group[] = [];
  let others: Group[] = [];
  if (groups.status === 'ready') {
    mine = groups.data.filter((group) => group.myRole !== null);
    others = groups.data.filter((group) => group.myRole === null);
  }

  return (
    <div className="page">
      <PageHeading title="Working groups">Working groups</PageHeading>
      <StatusMessage message={notice} />
      <div className="groups-layout">
        <div className="groups-lists">
          {groups.status === 'loading' && <p role="status">Loading groups…</p>}
          {groups.status === 'error' && (
            <div role="alert" className="alert alert-error">
              <p>{groups.error.message}</p>
              <button type="button" className="button" onClick={groups.retry}>
                Try again
              </button>
            </div>
          )}
          {groups.status === 'ready' && (
            <>
              <section aria-labelledby="my-groups-heading">
                <h2 id="my-groups-heading">My groups</h2>
                {mine.length === 0 ? (
                  <p className="empty">You are not in any group yet. Create one, or ask a chair to add you.</p>
                ) : (
                  <ul className="group-list">
                    {mine.map((group) => (
                      <GroupCard key={group.id} group={group} />
                    ))}
                  </ul>
                )}
              </section>
              <section aria-labelledby="public-groups-heading">
                <h2 id="public-groups-heading">Public groups</h2>
                {others.length === 0 ? (
                  <p className="empty">No other public groups yet.</p>
                ) : (
                  <ul className="group-list">
                    {others.map((group) => (
                      <GroupCard key={group.id} group={group} />
                    ))}
                  </ul>
                )}
              </section>
            </>
          )}
        </div>
        <section aria-labelledby="create-group-heading" className="card groups-create">
          <h2 id="create-group-heading">Create a working group</h2>
          <p className="muted">You become its chair and can add members afterwards.</p>
          <CreateGroupForm />
        </section>
      </div>
    </div>
  );
}
