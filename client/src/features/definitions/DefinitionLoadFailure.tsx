import { Link } from 'react-router';
import type { ApiError } from '../../api/client.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';

/**
 * Why a definition page could not show its definition: not found (or private), not allowed (the
 * server's reason), or a failure worth retrying — with the way back to the group.
 */
export function DefinitionLoadFailure(props: {
  error: ApiError;
  slug: string;
  notFound: { title: string; text: string };
  forbiddenTitle: string;
  reload(): void;
}) {
  const { status } = props.error;
  const forbidden = status === 403 || status === 401;
  const title = status === 404 ? props.notFound.title : forbidden ? props.forbiddenTitle : 'Could not load the definition';
  return (
    <div className="page page-narrow">
      <PageHeading title={title}>{title}</PageHeading>
      {status === 404 ? (
        <p>{props.notFound.text}</p>
      ) : forbidden ? (
        <p>{props.error.message}</p>
      ) : (
        <div role="alert" className="alert alert-error">
          <p>{props.error.message}</p>
          <button type="button" className="button" onClick={props.reload}>
            Try again
          </button>
        </div>
      )}
      <p>
        <Link to={`/groups/${encodeURIComponent(props.slug)}`}>Back to the group</Link>
      </p>
    </div>
  );
}
