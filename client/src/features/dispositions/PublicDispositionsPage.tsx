import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import type { Disposition, PublicDefinition } from '@draftroom/shared';
import { dispositionQueries, PUBLIC_COMMENTS } from '../../api/dispositions.ts';
import { definitionQueries, viewOf } from '../../api/queries.ts';
import { StatusMessage } from '../../forms/fields.tsx';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { useLinkedTarget } from '../../layout/useLinkedTarget.ts';
import { useLiveTopic } from '../../live/LiveProvider.tsx';
import { loginPath } from '../../session/next.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { DefinitionLoadFailure } from '../definitions/DefinitionLoadFailure.tsx';
import { publicDefinitionPath } from '../definitions/paths.ts';
import { itemElementId } from './DispositionItem.tsx';
import { countsOf, publicLinks } from './labels.ts';
import { Counts, RegisterList } from './RegisterList.tsx';
import { RespondPanel } from './RespondForm.tsx';
import './dispositions.css';

/**
 * How the public comments on a definition were answered: each comment, its disposition and reason,
 * and whether the commenter is satisfied. Anyone who reads the published versions reads it, signed in
 * or not; whoever wrote a comment answers its disposition here.
 */
export function PublicDispositionsPage() {
  const { slug, definitionId } = useParams() as { slug: string; definitionId: string };
  const definitionQuery = useQuery(definitionQueries.public(definitionId));
  const definition = viewOf(definitionQuery);
  const register = viewOf(useQuery(dispositionQueries.register(definitionId, PUBLIC_COMMENTS)));
  // Dispositions and answers arrive by themselves (`dispositions.changed` reaches the public comments' readers).
  useLiveTopic(definitionQuery.data ? `definition:${definitionQuery.data.id}` : null);

  const failed = definition.status === 'error' ? definition : register.status === 'error' ? register : null;
  if (failed) {
    return (
      <DefinitionLoadFailure
        error={failed.error}
        slug={slug}
        notFound={{
          title: 'Nothing published here',
          text: 'There is no published version of a definition at this address, or it belongs to a private group you are not in.',
        }}
        forbiddenTitle="You cannot read this register"
        reload={failed.retry}
      />
    );
  }
  if (definition.status !== 'ready' || register.status !== 'ready') {
    return (
      <div className="page">
        <p role="status">Loading the register…</p>
      </div>
    );
  }
  return <PublicRegister slug={slug} definition={definition.data} items={register.data.items} />;
}

function PublicRegister({ slug, definition, items }: { slug: string; definition: PublicDefinition; items: Disposition[] }) {
  const { user } = useSession();
  const location = useLocation();
  const [params] = useSearchParams();
  const linkedId = params.get('item');
  useLinkedTarget(linkedId ? itemElementId(linkedId) : null);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const publicPage = publicDefinitionPath(slug, definition.id);
  return (
    <div className="page public-dispositions">
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/">{user ? 'Groups' : 'Home'}</Link>
          </li>
          <li>
            <Link to={`/groups/${encodeURIComponent(slug)}`}>{slug}</Link>
          </li>
          <li>
            <Link to={publicPage}>{definition.title}</Link>
          </li>
          <li aria-current="page">Disposition of comments</li>
        </ol>
      </nav>
      <header className="disposition-register-header">
        <PageHeading title={`Disposition of comments: ${definition.title}`}>
          Disposition of comments
          <span className="disposition-subtitle">{definition.title}</span>
        </PageHeading>
        <p className="muted">
          Every public comment on the published versions of <Link to={publicPage}>{definition.title}</Link> is answered here: a chair of the group disposes of
          it with a reason, and whoever wrote it may say whether that satisfies them.
        </p>
        <Counts counts={countsOf(items)} />
        {!user && (
          <p>
            <Link to={loginPath(`${location.pathname}${location.search}`)}>Sign in</Link>
            <span className="muted"> to answer the disposition of your own comment.</span>
          </p>
        )}
      </header>
      <StatusMessage message={announcement} />
      <RegisterList
        register={{ items }}
        filtered={false}
        linkedId={linkedId}
        links={publicLinks(slug, definition.id)}
        render={(item) => item.allowedActions.includes('respond') && <RespondPanel item={item} onAnswered={setAnnouncement} />}
      />
    </div>
  );
}
