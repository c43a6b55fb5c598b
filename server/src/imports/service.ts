import { randomUUID } from 'node:crypto';
import {
  SLUG_PATTERN,
  type Definition,
  type DefinitionImportPreview,
  type DraftImport,
  type ImportDefinitionBody,
  type ImportFormat,
  type ImportIntoDraftBody,
} from '@draftroom/shared';
import { renderMarkdown } from '../comments/markdown.ts';
import type { Tx } from '../db/database.ts';
import * as definitionsRepo from '../definitions/repository.ts';
import { loadDefinition, presentDefinition } from '../definitions/service.ts';
import { conflict, invalidInput } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import { loadGroup } from '../groups/service.ts';
import type { Actor, SignedIn } from '../policies/actor.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import { editText, readText, type StoredClause, type TextDeps, type TextEdit } from '../text/edit.ts';
import type { TextClauseWithContent } from '../text/view.ts';
import { diffDefinitions } from '../versions/diff.ts';
import { draftHead, matchClauses } from './match.ts';
import { type ParsedImport, parseImport } from './parse.ts';

export type DefinitionImportAnswer = { created: false; preview: DefinitionImportPreview } | { created: true; definition: Definition };

/**
 * Starts a definition from a source (chairs and editors, as any definition is started): the definition,
 * its clauses and its audit events (`definition.created`, `definition.imported`) are written in one
 * transaction, the text as one edit by the caller. With `preview`, only says what it would create.
 */
export async function importDefinition(deps: TextDeps, actor: Actor, groupSlug: string, input: ImportDefinitionBody): Promise<DefinitionImportAnswer> {
  const group = await loadGroup(deps.db, actor, groupSlug);
  authorizeOnDefinition(actor, 'definition.create', group);
  const parsed = parseImport(input.format, input.source);
  const title = input.title?.trim() || titleFrom(parsed.title);
  if (input.preview) {
    return {
      created: false,
      preview: {
        title: title ?? null,
        // Shown as the draft shows its clauses before the editor loads: the Markdown rendered, raw HTML escaped.
        clauses: parsed.clauses.map(({ kind, text, markdown }) => ({ kind, text, markdown, html: kind === 'clause' ? renderMarkdown(markdown) : '' })),
        warnings: parsed.warnings,
        stripped: parsed.stripped,
      },
    };
  }
  if (!title)
    throw invalidInput('Give the definition a title: the source has no level-1 heading to take it from', [{ path: '/title', message: 'is required' }]);

  const definitionId = randomUUID();
  await editText(deps, { id: definitionId, group_id: group.id }, async (tx, text) => {
    const slug = await insertDefinition(tx, { id: definitionId, groupId: group.id, title, slug: input.slug, createdBy: actor.userId });
    await recordEvent(tx, { groupId: group.id, actorId: actor.userId, type: 'definition.created', payload: { definitionId, slug, title } });
    // The whole text as one edit, by the importer: one client id, one update.
    text.restoreAll(actor.userId, storedClauses(parsed.clauses.map((clause) => ({ ...clause, id: randomUUID() }))));
    await recordImported(tx, group.id, actor, definitionId, input.format, parsed);
  });
  const row = await loadDefinition(deps.db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', row);
  return { created: true, definition: presentDefinition(actor, row) };
}

/**
 * Makes the draft read as the source (chairs and editors): clauses matched to the draft's keep their
 * ids (see matchClauses), new ones are added, missing ones removed — one edit by the caller, in one
 * transaction with its `definition.imported` event. With `preview`, only answers the changes it would
 * make and the draft's head; applying with that head as `expectedHead` is refused (409) if the draft
 * changed meanwhile. The changes are worked out again against the committed draft when applied.
 */
export async function importIntoDraft(deps: TextDeps, actor: Actor, definitionId: string, input: ImportIntoDraftBody): Promise<DraftImport> {
  const definition = await loadDefinition(deps.db, actor, definitionId);
  authorizeOnDefinition(actor, 'text.edit', definition);
  const parsed = parseImport(input.format, input.source);
  const notes = { warnings: parsed.warnings, stripped: parsed.stripped };
  if (input.preview) {
    const current = await readText(deps, definition, (text) => text.clausesWithContent());
    return { applied: false, diff: planImport(current, parsed).diff, head: draftHead(current), ...notes };
  }
  return editText(deps, definition, async (tx, text) => {
    const current = text.clausesWithContent();
    if (input.expectedHead !== undefined && input.expectedHead !== draftHead(current)) {
      throw conflict('The draft has changed since this import was previewed: preview it again', [
        { path: '/expectedHead', message: 'is not the head of the current draft' },
      ]);
    }
    const plan = planImport(current, parsed);
    const { unchanged, ...changes } = plan.diff.summary;
    if (Object.values(changes).some((count) => count > 0)) {
      text.restoreAll(actor.userId, plan.stored);
      await recordImported(tx, definition.group_id, actor, definitionId, input.format, parsed, plan.diff.summary);
    }
    return { applied: true, diff: plan.diff, head: headOf(text), ...notes };
  });
}

function headOf(text: TextEdit): string {
  return draftHead(text.clauses());
}

/** The draft's clauses matched with the imported ones, as the text to write and as the diff it makes. */
function planImport(current: TextClauseWithContent[], parsed: ParsedImport) {
  const ids = matchClauses(current, parsed.clauses);
  const next = parsed.clauses.map((clause, i) => ({ ...clause, id: ids[i] ?? randomUUID() }));
  return { stored: storedClauses(next), diff: diffDefinitions('current', 'imported', current, next) };
}

function storedClauses(clauses: (ParsedImport['clauses'][number] & { id: string })[]): StoredClause[] {
  return clauses.map((clause, position) => ({ clauseId: clause.id, kind: clause.kind, position, content: clause.content.toJSON() }));
}

async function recordImported(
  tx: Tx,
  groupId: string,
  actor: SignedIn,
  definitionId: string,
  format: ImportFormat,
  parsed: ParsedImport,
  changes?: DraftImport['diff']['summary'],
): Promise<void> {
  await recordEvent(tx, {
    groupId,
    actorId: actor.userId,
    type: 'definition.imported',
    payload: { definitionId, format, clauseCount: parsed.clauses.length, sha256: parsed.sha256, ...(changes && { changes }) },
  });
}

/** A title from the source's: one line of printable characters, at most 200. */
function titleFrom(raw: string | null): string | undefined {
  const title = [
    ...(raw ?? '')
      .replace(/\p{Cc}/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  ]
    .slice(0, 200)
    .join('')
    .trim();
  return title || undefined;
}

/** "The Open Source AI Definition – 1.0" → "the-open-source-ai-definition-1-0" (as the form suggests one). */
function slugFrom(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 36)
    .replace(/-+$/, '');
  return base.length >= 3 ? base : `${base}${base ? '-' : ''}definition`;
}

/**
 * Inserts the definition with its id; returns its slug. A slug the caller chose that is taken is a
 * conflict; one made from the title is numbered instead ("osaid-2").
 */
async function insertDefinition(
  tx: Tx,
  definition: { id: string; groupId: string; title: string; slug: string | undefined; createdBy: string },
): Promise<string> {
  const candidates = definition.slug
    ? [definition.slug]
    : Array.from({ length: 20 }, (_, i) => (i === 0 ? slugFrom(definition.title) : `${slugFrom(definition.title)}-${i + 1}`));
  for (const slug of candidates) {
    if (!new RegExp(SLUG_PATTERN).test(slug)) continue;
    const created = await definitionsRepo.insertDefinition(tx, { ...definition, slug });
    if (created) return slug;
  }
  throw conflict('This group already has a definition with this slug', [{ path: '/slug', message: 'is taken' }]);
}
