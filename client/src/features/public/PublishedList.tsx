import { Link } from 'react-router';
import type { PublishedDefinition } from '@draftroom/shared';
import { When } from '../history/When.tsx';
import { publicDefinitionPath } from '../definitions/paths.ts';
import { publishedDay } from './labels.ts';

/**
 * Published definitions, each linking to its public page (the latest version, and the comment form
 * while comments are open). `showGroup` names the group, for lists that span groups.
 */
export function PublishedList({ definitions, showGroup, showDeadline }: { definitions: PublishedDefinition[]; showGroup: boolean; showDeadline: boolean }) {
  return (
    <ul className="published-list">
      {definitions.map((definition) => (
        <li key={definition.definitionId} className="published-item">
          <Link to={publicDefinitionPath(definition.groupSlug, definition.definitionId)} className="published-title">
            {definition.title}
          </Link>
          <p className="published-meta">
            <span>
              Version {definition.latestVersion.label}, published{' '}
              <time dateTime={definition.latestVersion.publishedAt}>{publishedDay(definition.latestVersion.publishedAt)}</time>
            </span>
            {showGroup && (
              <span>
                <span className="visually-hidden">Group: </span>
                <Link to={`/groups/${encodeURIComponent(definition.groupSlug)}`}>{definition.groupName}</Link>
              </span>
            )}
          </p>
          {showDeadline && definition.commentsOpen && (
            <p className="published-deadline">
              {definition.commentDeadline ? (
                <>
                  Comments close <When at={definition.commentDeadline} />
                </>
              ) : (
                'Open for comment, no deadline set'
              )}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
