import { Link, NavLink, Outlet, useOutletContext, useParams } from 'react-router';
import { ROLE_LABELS, type Group } from '@draftroom/shared';
import { getGroup } from '../../api/groups.ts';
import { useResource } from '../../api/useResource.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { memberCountText, VISIBILITY_LABELS } from './labels.ts';

export interface GroupOutletContext {
  group: Group;
  /** Replaces the group with what a mutation returned. */
  setGroup(group: Group): void;
  /** Fetches the group again, e.g. after a membership change moved my role or the member count. */
  reloadGroup(): void;
}

export function useGroup(): GroupOutletContext {
  return useOutletContext<GroupOutletContext>();
}

/** Loads one group and frames its pages: heading, role, and the sections the caller may open. */
export function GroupLayout() {
  const slug = useParams().slug!;
  const group = useResource((signal) => getGroup(slug, signal), [slug]);

  if (group.status === 'loading') {
    return (
      <div className="page">
        <p role="status">Loading the group…</p>
      </div>
    );
  }
  if (group.status === 'error') {
    const missing = group.error.status === 404;
    return (
      <div className="page page-narrow">
        <PageHeading title={missing ? 'Group not found' : 'Could not load the group'}>{missing ? 'Group not found' : 'Could not load the group'}</PageHeading>
        {missing ? (
          <p>There is no group at this address, or it is private and you are not one of its members.</p>
        ) : (
          <div role="alert" className="alert alert-error">
            <p>{group.error.message}</p>
            <button type="button" className="button" onClick={group.reload}>
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
  const context: GroupOutletContext = { group: current, setGroup: group.setData, reloadGroup: group.reload };

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/">Groups</Link>
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
