import { Link, Navigate, NavLink, Outlet, useOutletContext, useParams } from 'react-router';
import type { DefinitionDetail, User } from '@draftroom/shared';
import { getDefinition } from '../../api/definitions.ts';
import { useResource } from '../../api/useResource.ts';
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
      // A new socket for another person (after signing in again), never for a rename.
      key={`${definition.id}:${user.id}`}
      definition={definition}
      self={{ id: user.id, name: user.displayName, color: colorFor(user.id) }}
    />
  );
}

/** One definition: its title and status, and its sections — the live text, versions, changes, history. */
export function DefinitionPage() {
  const { slug, definitionId } = useParams() as { slug: string; definitionId: string };
  const { user } = useSession();
  const definition = useResource((signal) => getDefinition(definitionId, signal), [definitionId]);

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
        reload={definition.reload}
      />
    );
  }

  const current = definition.data;
  // The address names the group too; follow the definition to where it really belongs.
  if (current.groupSlug !== slug) return <Navigate to={definitionPath(current.groupSlug, current.id)} replace />;
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
      <DefinitionHeader definition={current} onUpdated={(updated) => definition.setData({ ...current, ...updated } satisfies DefinitionDetail)} />
      <nav aria-label="Definition sections" className="tabs">
        <NavLink to="." end>
          Text
        </NavLink>
        <NavLink to="amendments">Amendments</NavLink>
        <NavLink to="decisions">Decisions</NavLink>
        <NavLink to="versions">Versions</NavLink>
        <NavLink to="diff">Compare</NavLink>
        <NavLink to="history">History</NavLink>
      </nav>
      <Outlet context={{ definition: current, user } satisfies DefinitionOutletContext} />
    </div>
  );
}
