import { Link } from 'react-router';
import type { Group } from '@draftroom/shared';
import { useQuery } from '@tanstack/react-query';
import { groupQueries, viewOf } from '../../api/queries.ts';
import { CreateDefinitionForm } from './CreateDefinitionForm.tsx';
import { definitionPath, publicDefinitionPath } from './paths.ts';
import { STATUS_LABELS } from './labels.ts';

/** The group's definitions, and (for chairs and editors) a form to start one. */
export function DefinitionsSection({ group }: { group: Group }) {
  const definitions = viewOf(useQuery(groupQueries.definitions(group.slug)));
  const canCreate = group.allowedActions.includes('definition.create');

  return (
    <section aria-labelledby="definitions-heading" className="card">
      <h2 id="definitions-heading">Definitions</h2>
      {definitions.status === 'loading' && <p role="status">Loading definitions…</p>}
      {definitions.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{definitions.error.message}</p>
          <button type="button" className="button" onClick={definitions.retry}>
            Try again
          </button>
        </div>
      )}
      {definitions.status === 'ready' &&
        (definitions.data.length === 0 ? (
          <p className="empty">No definition has been started yet.</p>
        ) : (
          <ul className="definition-list">
            {definitions.data.map((definition) => (
              <li key={definition.id} className="definition-item">
                {/* Only members read the draft; everybody else sees the title, and the public version when there is one. */}
                {definition.myRole ? (
                  <Link to={definitionPath(group.slug, definition.id)} className="definition-title">
                    {definition.title}
                  </Link>
                ) : (
                  <span className="definition-title">{definition.title}</span>
                )}
                {definition.status === 'public-comment' && (
                  <Link to={publicDefinitionPath(group.slug, definition.id)} className="definition-public-link">
                    Public comment version<span className="visually-hidden"> of {definition.title}</span>
                  </Link>
                )}
                <span className="group-meta">
                  <span className={`badge badge-status-${definition.status}`}>{STATUS_LABELS[definition.status]}</span>
                  <span className="slug">/{definition.slug}</span>
                </span>
              </li>
            ))}
          </ul>
        ))}
      {canCreate && (
        <div className="add-definition">
          <h3>Start a definition</h3>
          <CreateDefinitionForm slug={group.slug} />
          <p className="add-definition-import">
            Or <Link to={`/groups/${encodeURIComponent(group.slug)}/import`}>import a definition from a file</Link> (Markdown, HTML or plain text).
          </p>
        </div>
      )}
    </section>
  );
}
