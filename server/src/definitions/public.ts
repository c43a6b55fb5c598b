import type { PublicDefinition } from '@draftroom/shared';
import { storedMarkdown } from '../text/content.ts';
import { renderMarkdown } from '../comments/markdown.ts';
import * as comments from '../comments/repository.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../errors.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import * as versions from '../versions/repository.ts';
import { loadDefinition } from './service.ts';

/**
 * The public face of a definition: its latest published version (never the draft), the comment
 * deadline in UTC, and how many public comments each clause has (an older published version by its label) — the group's internal discussion is
 * neither shown nor counted. Public groups show it to anyone, before a comment period too.
 */
export async function publicDefinition(db: Db, actor: Actor, definitionId: string, label?: string): Promise<PublicDefinition> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'version.read', definition);
  // Newest first: the first is the latest; an older one is read by its label.
  const published = await versions.listVersions(db, definitionId);
  const version = label === undefined ? published[0] : published.find((v) => v.label === label);
  if (!version) throw notFound('published version');
  const [clauses, counts] = await Promise.all([versions.listVersionClauseTexts(db, version.id), comments.countPublicCommentsByClause(db, definitionId)]);
  const byClause = new Map(counts.map((c) => [c.clause_id, Number(c.n)]));
  const deadline = definition.comment_deadline;
  return {
    id: definition.id,
    title: definition.title,
    status: definition.status,
    commentDeadline: deadline?.toISOString() ?? null,
    commentsOpen: definition.status === 'public-comment' && definition.visibility === 'public' && (deadline === null || deadline > new Date()),
    version: { label: version.label, publishedAt: version.published_at.toISOString(), latest: version.id === published[0]!.id },
    versions: published.map((v) => ({ label: v.label, publishedAt: v.published_at.toISOString() })),
    clauses: clauses.map((c) => ({
      id: c.clause_id,
      kind: c.kind,
      position: c.position,
      text: c.text,
      markdown: storedMarkdown(c.content),
      // Headings are shown as their plain text; clauses keep their formatting (bold, lists, links).
      html: c.kind === 'clause' ? renderMarkdown(storedMarkdown(c.content)) : '',
      comments: byClause.get(c.clause_id) ?? 0,
    })),
  };
}
