import { Link, Navigate, NavLink, Outlet, useLocation, useOutletContext, useParams } from 'react-router';
import { ROLE_LABELS, type Group } from '@draftroom/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { groupQueries, viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { useLiveTopic } from '../../live/LiveProvider.tsx';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { loginPath } from '../../session/next.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { memberCountText, VISIBILITY_LABELS } from './labels.ts';

export interface GroupOutletContext {
  group: Group;
  /** Replaces the group with what a mutation returned. */
  setGroup(group: Group): void;
}

export function useGroup(): GroupOutletContext {
  return useOutletContext<GroupOutletContext>();
}

/**
 * Loads one group and frames its pages: heading, role, and the sections the caller may open. While it
 * is open, changes to the group (members, roles, definitions, settings) arrive over the live channel.
 */
export function GroupLayout() {
  const slug = useParams().slug!;
  const { user } = useSession();
  const location = useLocation();
  const client = useQueryClient();
  const query = useQuery(groupQueries.detail(slug));
  const group = viewOf(query);
  useLiveTopic(query.data ? `group:${query.data.id}` : null);

  if (group.status === 'loading') {
    return (
      <div className="page">
        <p role="status">Loading the group…</p>
      </div>
    );
  }
  if (group.status === 'error') {
    const missing = group.error.status === 404;
    // Not found by a visitor may be a private group they belong to: sign in first, then come back.
    if (missing && !user) return <Navigate to={loginPath(`${location.pathname}${location.search}`)} replace />;
    return (
      <div className="page page-narrow">
        <PageHeading title={missing ? 'Group not found' : 'Could not load the group'}>{missing ? 'Group not found' : 'Could not load the group'}</PageHeading>
        {missing ? (
          <p>There is no group at this address, or it is private and you are not one of its members.</p>
        ) : (
          <div role="alert" className="alert alert-error">
            <p>{group.error.message}</p>
            <button type="button" className="button" onClick={group.retry}>
              Try again
            </button>
          </div>
        )}
        <p>
          <Link to="/">Back to your groups</Link>
        </p>
      </div>
    );
  }

  const current = group.data;
  const can = (action: Group['allowedActions'][number]) => current.allowedActions.includes(action);
  const context: GroupOutletContext = {
    group: current,
    setGroup: (updated) => client.setQueryData(queryKeys.groupDetail(slug), updated),
  };

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/">{user ? 'Groups' : 'Home'}</Link>
          </li>
          <li aria-current="page">{current.name}</li>
        </ol>
      </nav>
      <header className="group-header">
        <PageHeading title={current.name}>{current.name}</PageHeading>
        <p className="group-meta">
          <span className={`badge badge-${current.visibility}`}>{VISIBILITY_LABELS[current.visibility]}</span>
          <span>
            {current.myRole ? (
              <>
                Your role: <strong>{ROLE_LABELS[current.myRole]}</strong>
              </>
            ) : (
              'You are not a member'
            )}
          </span>
          <span>{memberCountText(current.memberCount)}</span>
          <span className="slug">/{current.slug}</span>
        </p>
      </header>
      <nav aria-label="Group sections" className="tabs">
        <NavLink to="." end>
          Overview
        </NavLink>
        {can('events.read') && <NavLink to="activity">Activity</NavLink>}
        {can('group.update') && <NavLink to="settings">Settings</NavLink>}
      </nav>
      <Outlet context={context} />
    </div>
  );
}
