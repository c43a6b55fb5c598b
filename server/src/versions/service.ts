import { clauseLabels, type Clause, type DefinitionDiff, type PublishVersionBody, type Version, type VersionDetail } from '@draftroom/shared';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db } from '../db/database.ts';
import { loadDefinition, type DefinitionRecord } from '../definitions/service.ts';
import { conflict, invalidInput, notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import { notifyEndorsementRenewal, notifyVersionPublished } from '../notifications/notify.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import { storedMarkdown } from '../text/content.ts';
import { markdownInline, markdownLine } from '../text/escape.ts';
import { readText } from '../text/edit.ts';
import { diffDefinitions, type ClauseSnapshot } from './diff.ts';
import * as repo from './repository.ts';

export const CURRENT = 'current';

export interface LiveClause extends Clause {
  content: unknown;
}

/** Every clause of the committed document, rendered, with the Yjs state they come from. */
export async function liveClauses(registry: DocumentRegistry, definition: DefinitionRecord): Promise<{ clauses: LiveClause[]; state: Uint8Array }> {
  return readText({ registry }, definition, (text) => ({ clauses: text.clausesWithContent(), state: text.encodeState() }));
}

type VersionRow = Awaited<ReturnType<typeof repo.listVersions>>[number];

function presentVersion(row: Omit<VersionRow, 'clause_count'>, clauseCount: number): Version {
  return {
    id: row.id,
    definitionId: row.definition_id,
    label: row.label,
    notes: row.notes,
    publishedAt: row.published_at.toISOString(),
    publishedBy: { id: row.published_by, displayName: row.publisher_name },
    clauseCount,
  };
}

/** Publishes an immutable snapshot: the Yjs state and every clause's text, Markdown and content. */
export async function publishVersion(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  definitionId: string,
  input: PublishVersionBody,
): Promise<VersionDetail> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'version.publish', definition);
  if (input.label.toLowerCase() === CURRENT) {
    throw invalidInput('"current" names the live draft', [{ path: '/label', message: 'is reserved' }]);
  }
  const { clauses, state } = await liveClauses(registry, definition);
  const versionId = await db.transaction().execute(async (tx) => {
    // Its endorsers are invited to endorse the new one (endorsements never carry over).
    const previous = await repo.findLatestVersion(tx, definitionId);
    const inserted = await repo.insertVersion(tx, { definitionId, label: input.label, notes: input.notes, state, publishedBy: actor.userId });
    if (!inserted) throw conflict(`Version ${input.label} already exists`, [{ path: '/label', message: 'is taken' }]);
    await repo.insertVersionClauses(
      tx,
      inserted.id,
      clauses.map((c) => ({ clauseId: c.id, position: c.position, kind: c.kind, text: c.text, markdown: c.markdown, content: c.content })),
    );
    await recordEvent(tx, {
      groupId: definition.group_id,
      actorId: actor.userId,
      type: 'version.published',
      payload: { definitionId, versionId: inserted.id, label: input.label, clauseCount: clauses.length },
    });
    const published = { versionId: inserted.id, groupId: definition.group_id, definitionId, label: input.label };
    await notifyVersionPublished(tx, published, actor.userId);
    if (previous) await notifyEndorsementRenewal(tx, published, previous, actor.userId);
    return inserted.id;
  });
  return getVersion(db, actor, definitionId, input.label).then((v) => {
    if (v.id !== versionId) throw new Error('published version not found');
    return v;
  });
}

export async function listVersions(db: Db, actor: Actor, definitionId: string): Promise<Version[]> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'version.read', definition);
  const rows = await repo.listVersions(db, definitionId);
  return rows.map((row) => presentVersion(row, Number(row.clause_count)));
}

export async function getVersion(db: Db, actor: Actor, definitionId: string, label: string): Promise<VersionDetail & { definitionTitle: string }> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'version.read', definition);
  const row = await repo.findVersion(db, definitionId, label);
  if (!row) throw notFound('version');
  const clauses = await repo.listVersionClauses(db, row.id);
  return {
    ...presentVersion(row, clauses.length),
    clauses: clauses.map((c) => ({ id: c.clause_id, kind: c.kind, position: c.position, text: c.text, markdown: storedMarkdown(c.content) })),
    definitionTitle: definition.title,
  };
}

/** The version as a Markdown document: title, label, notes, then the clauses (headings as ##). */
export function versionMarkdown(version: VersionDetail & { definitionTitle: string }): string {
  // User text (titles, names, notes, headings) is escaped so that it reads as written; clause Markdown already is.
  // Each clause under its label, as in the full export: citable ("Clause 4"), and where a clause of several
  // blocks (a paragraph and its list) ends, so that importing the download gives the same clauses.
  const labels = clauseLabels(version.clauses.map((c) => c.kind));
  const body = version.clauses.map((c, i) => (c.kind === 'heading' ? `## ${markdownInline(c.text)}` : `**${labels[i]}**\n\n${c.markdown}`)).join('\n\n');
  const notes = version.notes.trim()
    ? `\n\n${version.notes
        .trim()
        .split('\n')
        .map((line) => `> ${markdownLine(line)}`)
        .join('\n')}`
    : '';
  return `# ${markdownInline(version.definitionTitle)} — ${markdownInline(version.label)}\n\n_Published ${version.publishedAt} by ${markdownInline(version.publishedBy.displayName)}_${notes}\n\n${body}\n`;
}

async function snapshot(db: Db, registry: DocumentRegistry, definition: DefinitionRecord, label: string): Promise<ClauseSnapshot[]> {
  if (label === CURRENT) return (await liveClauses(registry, definition)).clauses;
  const row = await repo.findVersion(db, definition.id, label);
  if (!row) throw notFound(`version ${label}`);
  return (await repo.listVersionClauses(db, row.id)).map((c) => ({ id: c.clause_id, kind: c.kind, text: c.text, markdown: storedMarkdown(c.content) }));
}

export async function diffVersions(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string, from: string, to: string): Promise<DefinitionDiff> {
  // Comparing with the live draft needs the draft-reading right; versions alone are public in public groups.
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'version.read', definition);
  if (from === CURRENT || to === CURRENT) authorizeOnDefinition(actor, 'draft.read', definition);
  const [before, after] = await Promise.all([snapshot(db, registry, definition, from), snapshot(db, registry, definition, to)]);
  return diffDefinitions(from, to, before, after);
}
