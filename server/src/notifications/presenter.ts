import { clauseLabelMap, type Notification, type NotificationKind } from '@draftroom/shared';
import type { Executor } from '../db/database.ts';
import { SUBJECT_OF_KIND } from './policy.ts';
import * as repo from './repository.ts';

const EXCERPT_LENGTH = 200;

/** Control characters and the bidirectional overrides that could make a quote read differently than it is. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this removes
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' };

/**
 * A short plain-text quote: tags dropped (the comment HTML is our own sanitized rendering), entities
 * decoded, control characters and runs of white space collapsed, cut at a word near 200 characters.
 * It is shown as text (React escapes it, mail is plain text), never as HTML.
 */
export function excerpt(text: string | null | undefined, { html = false } = {}): string | null {
  if (!text) return null;
  let plain = html
    ? text
        // Blocks part words; inline tags (emphasis, links) sit inside them.
        .replace(/<\/?(p|br|li|ul|ol|div|h[1-6]|blockquote|pre|tr|td|th|hr)\b[^>]*>/gi, ' ')
        .replace(/<[^>]*>/g, '')
        .replace(/&(#x27|#39|amp|lt|gt|quot|nbsp);/g, (_m, name: string) => ENTITIES[name] ?? ' ')
    : text;
  plain = plain.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  if (plain === '') return null;
  if (plain.length <= EXCERPT_LENGTH) return plain;
  const cut = plain.slice(0, EXCERPT_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXCERPT_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const enc = encodeURIComponent;

/**
 * Where a notification opens, inside the web client: members go to the draft (the thread opened in the
 * discussion panel, the ballot, the amendment, the version), others of a public group to its public pages.
 */
export function notificationLink(row: repo.NotificationRow): string {
  const group = `/groups/${enc(row.group_slug)}`;
  if (row.definition_id === null) return group;
  const base = `${group}/definitions/${enc(row.definition_id)}`;
  const member = row.my_role !== null;
  if (row.disposition_id !== null) {
    // The register: the members' tab, or the public register of a public group's comments.
    return member ? `${base}/dispositions?item=${enc(row.disposition_id)}` : `${base}/public/dispositions?item=${enc(row.disposition_id)}`;
  }
  switch (SUBJECT_OF_KIND[row.kind]) {
    case 'thread':
      if (member) return `${base}?thread=${enc(row.thread_id ?? '')}`;
      // The public page lists comments per clause: the clause opens, at the thread.
      return `${base}/public?${row.clause_id ? `clause=${enc(row.clause_id)}&` : ''}thread=${enc(row.thread_id ?? '')}`;
    case 'draft':
      if (row.ballot_id) return `${base}/decisions?ballot=${enc(row.ballot_id)}`;
      if (row.amendment_id) return `${base}/amendments?amendment=${enc(row.amendment_id)}`;
      return base;
    case 'record':
      if ((row.kind === 'version_published' || row.kind === 'endorsement_renewal') && row.version_label !== null)
        return member ? `${base}/versions?version=${enc(row.version_label)}` : `${base}/public?version=${enc(row.version_label)}`;
      return member && row.visibility === 'private' ? base : `${base}/public`;
    case 'group':
      return group;
    case 'review':
      // Its own page, outside the definition: the developer may read the review but not the group's draft.
      return row.review_id ? `/reviews/${enc(row.review_id)}` : base;
  }
}

/** What the notification quotes: the comment, the passage (members only: it is draft text), the proposal or the notes. */
function quoteOf(row: repo.NotificationRow): string | null {
  const member = row.my_role !== null;
  const kind: NotificationKind = row.kind;
  switch (kind) {
    case 'mention':
    case 'reply':
    case 'new_thread':
    case 'resolved': {
      const comment = row.comment_deleted_at === null && row.comment_hidden_at === null ? excerpt(row.comment_html, { html: true }) : null;
      return comment ?? (member ? excerpt(row.thread_quote) : null);
    }
    case 'amendment_accepted':
      return excerpt(row.amendment_text);
    case 'amendment_rejected':
      return excerpt(row.amendment_reason) ?? excerpt(row.amendment_text);
    case 'version_published':
      return excerpt(row.version_notes);
    case 'disposition_made':
      return excerpt(row.disposition_reason);
    case 'disposition_response':
      return excerpt(row.disposition_note);
    default:
      return null;
  }
}

type Labels = Map<string, Map<string, string>>;

function labelsByDefinition(rows: { definition_id: string; clause_id: string; kind: 'heading' | 'clause' }[]): Labels {
  const grouped = new Map<string, { id: string; kind: 'heading' | 'clause' }[]>();
  for (const r of rows) {
    const list = grouped.get(r.definition_id) ?? [];
    list.push({ id: r.clause_id, kind: r.kind });
    grouped.set(r.definition_id, list);
  }
  return new Map([...grouped].map(([id, clauses]) => [id, clauseLabelMap(clauses)]));
}

/**
 * The notifications as the API shows them. A clause is named as the editor names it now (members: in
 * the draft; others: in the latest published version, the text they read); null when it is not there.
 */
export async function presentNotifications(db: Executor, rows: repo.NotificationRow[]): Promise<Notification[]> {
  const needing = (member: boolean) => [
    ...new Set(rows.filter((r) => r.clause_id !== null && r.definition_id !== null && (r.my_role !== null) === member).map((r) => r.definition_id!)),
  ];
  const [draft, published] = await Promise.all([repo.draftClauses(db, needing(true)), repo.publishedClauses(db, needing(false))]);
  const draftLabels = labelsByDefinition(draft);
  const publishedLabels = labelsByDefinition(published);
  return rows.map((r) => {
    const labels = r.my_role !== null ? draftLabels : publishedLabels;
    return {
      id: r.id,
      kind: r.kind,
      group: { slug: r.group_slug, name: r.group_name },
      definition: r.definition_id !== null ? { id: r.definition_id, title: r.definition_title ?? '' } : null,
      definitionId: r.definition_id,
      clause: r.clause_id !== null && r.definition_id !== null ? { id: r.clause_id, label: labels.get(r.definition_id)?.get(r.clause_id) ?? null } : null,
      threadId: r.thread_id,
      commentId: r.comment_id,
      ballotId: r.ballot_id,
      amendmentId: r.amendment_id,
      excerpt: quoteOf(r),
      details: r.data,
      link: notificationLink(r),
      actor: r.actor_id ? { id: r.actor_id, displayName: r.actor_name ?? '(unknown)' } : null,
      createdAt: r.created_at.toISOString(),
      read: r.read_at !== null,
    };
  });
}
