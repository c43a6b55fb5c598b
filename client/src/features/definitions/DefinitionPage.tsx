import { Link, Navigate, NavLink, Outlet, useLocation, useOutletContext, useParams } from 'react-router';
import type { DefinitionDetail, User } from '@draftroom/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { useLiveTopic } from '../../live/LiveProvider.tsx';
import { colorFor } from '../../collab/userColor.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { DefinitionHeader } from './DefinitionHeader.tsx';
import { LiveText } from './LiveText.tsx';
import { definitionPath } from './paths.ts';
import { DefinitionLoadFailure } from './DefinitionLoadFailure.tsx';

export interface DefinitionOutletContext {
  definition: DefinitionDetail;
  user: User;
}

/** The definition the surrounding DefinitionPage loaded, for its sections (text, versions, changes, history). */
export function useDefinition(): DefinitionOutletContext {
  return useOutletContext<DefinitionOutletContext>();
}

/** The live text everybody in the group works on: the definition's first section. */
export function DefinitionTextPage() {
  const { definition, user } = useDefinition();
  return (
    <LiveText
      // A new socket for another person (after signing in again) or another role (the server decides
      // once per socket whether its edits count), never for a rename.
      key={`${definition.id}:${user.id}:${definition.myRole}`}
      definition={definition}
      self={{ id: user.id, name: user.displayName, color: colorFor(user.id) }}
    />
  );
}

/**
 * One definition: its title and status, and its sections — the live text, versions, changes, history.
 * While it is open, everything under it (threads, amendments, ballots, versions, status) arrives over
 * the live channel; losing access (removed from the group) shows as "not found" at once.
 */
export function DefinitionPage() {
  const { slug, definitionId } = useParams() as { slug: string; definitionId: string };
  const location = useLocation();
  const { user } = useSession();
  const client = useQueryClient();
  const query = useQuery(definitionQueries.detail(definitionId));
  const definition = viewOf(query);
  useLiveTopic(query.data ? `definition:${query.data.id}` : null);

  if (definition.status === 'loading') {
    return (
      <div className="page">
        <p role="status">Loading the definition…</p>
      </div>
    );
  }
  if (definition.status === 'error') {
    return (
      <DefinitionLoadFailure
        error={definition.error}
        slug={slug}
        notFound={{ title: 'Definition not found', text: 'There is no definition at this address, or it belongs to a private group you are not in.' }}
        forbiddenTitle="You cannot read this draft"
        reload={definition.retry}
      />
    );
  }

  const current = definition.data;
  // The address names the group too; follow the definition to where it really belongs (keeping the section and any link to an item in it).
  if (current.groupSlug !== slug) {
    const section = location.pathname.split(`/definitions/${encodeURIComponent(current.id)}`)[1] ?? '';
    return <Navigate to={`${definitionPath(current.groupSlug, current.id)}${section}${location.search}${location.hash}`} replace />;
  }
  if (!user) return null;

  return (
    <div className="page definition-page">
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/">Groups</Link>
          </li>
          <li>
            <Link to={`/groups/${encodeURIComponent(current.groupSlug)}`}>{current.groupSlug}</Link>
          </li>
          <li aria-current="page">{current.title}</li>
        </ol>
      </nav>
      <DefinitionHeader
        definition={current}
        onUpdated={(updated) => {
          client.setQueryData(queryKeys.definitionDetail(current.id), { ...current, ...updated } satisfies DefinitionDetail);
          // The group's list shows titles and statuses; the public page, the status and deadline.
          void client.invalidateQueries({ queryKey: queryKeys.groupDefinitions(current.groupSlug) });
          void client.invalidateQueries({ queryKey: queryKeys.publicDefinition(current.id) });
        }}
      />
      <nav aria-label="Definition sections" className="tabs">
        <NavLink to="." end>
          Text
        </NavLink>
        <NavLink to="amendments">Amendments</NavLink>
        <NavLink to="decisions">Decisions</NavLink>
        <NavLink to="dispositions">Dispositions</NavLink>
        <NavLink to="conformance">Conformance</NavLink>
        <NavLink to="versions">Versions</NavLink>
        <NavLink to="diff">Compare</NavLink>
        <NavLink to="history">History</NavLink>
      </nav>
      <Outlet context={{ definition: current, user } satisfies DefinitionOutletContext} />
    </div>
  );
}
