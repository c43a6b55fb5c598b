import type { SearchHit, SearchKind } from '@draftroom/shared';
import { definitionPath, publicDefinitionPath } from '../definitions/paths.ts';

/**
 * Where a result leads. Members open the draft where the item lives (the clause, the thread, the
 * amendment, the ballot); a published version opens on the public page of that version; a public
 * comment found by someone outside the group opens where the public reads it.
 */
export function hitPath(hit: SearchHit): string {
  const draft = definitionPath(hit.groupSlug, hit.definitionId);
  const publicPage = publicDefinitionPath(hit.groupSlug, hit.definitionId);
  const clauseAnchor = hit.clauseId ? `#public-clause-${hit.clauseId}` : '';
  switch (hit.kind) {
    case 'clause':
      return `${draft}?clause=${encodeURIComponent(hit.id)}`;
    case 'version':
      return `${publicPage}?version=${encodeURIComponent(hit.versionLabel ?? '')}${clauseAnchor}`;
    case 'comment':
      if (hit.member) return `${draft}?thread=${encodeURIComponent(hit.threadId ?? '')}`;
      // The public page opens that clause's comments at the thread.
      return hit.clauseId && hit.threadId
        ? `${publicPage}?clause=${encodeURIComponent(hit.clauseId)}&thread=${encodeURIComponent(hit.threadId)}`
        : `${publicPage}${clauseAnchor}`;
    case 'amendment':
      return `${draft}/amendments?amendment=${encodeURIComponent(hit.id)}`;
    case 'ballot':
      return `${draft}/decisions?ballot=${encodeURIComponent(hit.id)}`;
  }
}

export const KIND_LABELS: Record<SearchKind, string> = {
  clause: 'Draft text',
  version: 'Published text',
  comment: 'Comment',
  amendment: 'Amendment',
  ballot: 'Ballot',
};

/** The filter's choices, in the order a reader looks for things. */
export const KIND_OPTIONS: { value: SearchKind | ''; label: string }[] = [
  { value: '', label: 'Everything' },
  { value: 'version', label: 'Published text' },
  { value: 'clause', label: 'Draft text' },
  { value: 'comment', label: 'Comments' },
  { value: 'amendment', label: 'Amendments' },
  { value: 'ballot', label: 'Ballots' },
];
