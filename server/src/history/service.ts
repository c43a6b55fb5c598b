import * as Y from 'yjs';
import type { Blame, BlameRun, HistoryClauseChange, HistoryEntry, HistoryPage } from '@draftroom/shared';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db } from '../db/database.ts';
import { loadDefinition } from '../definitions/service.ts';
import { notFound } from '../errors.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import { wordChanges } from '../versions/diff.ts';
import { describeFormatting } from '../text/formatting.ts';
import { rebaseEdit } from '../text/rebase.ts';
import { UpdateIndex } from '../text/attribution.ts';
import { readText } from '../text/edit.ts';
import { type AuthoredPiece, TextView } from '../text/view.ts';
import { replayUpdates } from '../text/replay.ts';
import * as repo from './repository.ts';

/** Edits by one person with pauses shorter than this are one history entry. */
export const BURST_GAP_MS = 2 * 60 * 1000;

async function authorNames(db: Db, userIds: (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds.filter((id): id is string => id !== null))];
  return new Map((await repo.userNames(db, ids)).map((u) => [u.id, u.display_name]));
}

// ---------- blame ----------

/** A clause's current text in runs, each with the author (from server-recorded client-id ownership) and time. */
export async function blameClause(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string, clauseId: string): Promise<Blame> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', definition);
  const read = await readText({ registry }, definition, (text) => {
    const clause = text.clause(clauseId);
    return clause && { parts: text.pieces(clauseId)!, text: clause.text };
  });
  if (!read) throw notFound('clause');
  return { clauseId, text: read.text, runs: await attribute(db, definitionId, read.parts) };
}

/**
 * A clause as a published version has it, in runs with their authors: the version's own snapshot
 * keeps the id of every character, which the stored edits attribute as for the draft. Null when the
 * version does not have the clause. The caller has authorized reading the definition.
 */
export async function blameVersionClause(db: Db, definitionId: string, state: Uint8Array, clauseId: string): Promise<Blame | null> {
  const doc = new Y.Doc({ gc: false });
  try {
    Y.applyUpdateV2(doc, state);
    const view = new TextView(doc);
    const clause = view.clause(clauseId);
    if (!clause) return null;
    return { clauseId, text: clause.text, runs: await attribute(db, definitionId, view.pieces(clauseId)!) };
  } finally {
    doc.destroy();
  }
}

/** Runs of characters with the person whose edit wrote them and when (adjacent pieces by one person joined). */
async function attribute(db: Db, definitionId: string, parts: AuthoredPiece[]): Promise<BlameRun[]> {
  return (await attribution(db, definitionId))(parts);
}

/** Reads a definition's stored edits and who owns each client id once, for attributing any number of clauses. */
export async function attribution(db: Db, definitionId: string): Promise<(parts: AuthoredPiece[]) => BlameRun[]> {
  const [rows, owners] = await Promise.all([repo.allUpdates(db, definitionId), repo.clientOwners(db, definitionId)]);
  const index = new UpdateIndex(rows.map((r) => r.update));
  const ownerOf = new Map(owners.map((o) => [Number(o.client_id), o.user_id]));
  const names = await authorNames(db, [...ownerOf.values()]);
  return (parts) => {
    const runs: BlameRun[] = [];
    for (const piece of parts) {
      const userId = piece.clientId === null ? null : (ownerOf.get(piece.clientId) ?? null);
      const row = piece.clientId !== null ? index.rowOf(piece.clientId, piece.clock!) : null;
      const at = row === null ? null : rows[row]!.created_at.toISOString();
      const last = runs.at(-1);
      if (last && (last.author?.id ?? null) === userId && (userId !== null || piece.clientId === null) === (last.author !== null || last.at === null)) {
        last.text += piece.text;
        if (at !== null && (last.at === null || at > last.at)) last.at = at;
        continue;
      }
      runs.push({ text: piece.text, author: userId ? { id: userId, displayName: names.get(userId) ?? '(unknown)' } : null, at });
    }
    return runs;
  };
}

/** Who wrote how much of some text: people by the characters (not counting white space) they wrote, most first. */
export function contributorsOf(runs: BlameRun[]): { person: BlameRun['author']; characters: number }[] {
  const byPerson = new Map<string | null, { person: BlameRun['author']; characters: number }>();
  for (const run of runs) {
    const key = run.author?.id ?? null;
    const entry = byPerson.get(key) ?? { person: run.author, characters: 0 };
    entry.characters += run.text.replace(/\s/g, '').length;
    byPerson.set(key, entry);
  }
  return [...byPerson.values()].filter((c) => c.characters > 0).sort((a, b) => b.characters - a.characters);
}

/** Every clause of a version's snapshot, by id, in runs with their authors. */
export async function blameVersion(db: Db, definitionId: string, state: Uint8Array): Promise<Map<string, BlameRun[]>> {
  const doc = new Y.Doc({ gc: false });
  try {
    Y.applyUpdateV2(doc, state);
    const view = new TextView(doc);
    const attribute = await attribution(db, definitionId);
    return new Map(view.clauses().map((clause) => [clause.id, attribute(view.pieces(clause.id) ?? [])]));
  } finally {
    doc.destroy();
  }
}

// ---------- history ----------

interface ClauseSpell {
  /** The clause's text and Markdown when this person began on it. */
  before: string | null;
  beforeMarkdown: string | null;
  /** As only this person's edits in the spell would have left it (others' edits meanwhile left out). */
  after: string | null;
  afterMarkdown: string | null;
  positionBefore: number;
  positionAfter: number;
}

/** One person's working spell: their edits with pauses under BURST_GAP_MS, however others' interleave. */
interface Burst {
  userId: string | null;
  from: Date;
  to: Date;
  updates: number;
  clauses: Map<string, ClauseSpell>;
}

function finishBurst(burst: Burst, names: Map<string, string>): HistoryEntry | null {
  const clauses: HistoryClauseChange[] = [];
  for (const [clauseId, c] of burst.clauses) {
    let change: HistoryClauseChange['change'];
    if (c.before === null && c.after === null) continue;
    const formatting = c.beforeMarkdown !== null && c.afterMarkdown !== null ? describeFormatting(c.beforeMarkdown, c.afterMarkdown) : [];
    if (c.before === null) change = 'created';
    else if (c.after === null) change = 'deleted';
    else if (c.before !== c.after) change = 'edited';
    else if (c.beforeMarkdown !== c.afterMarkdown) change = 'formatted';
    else if (c.positionBefore !== c.positionAfter) change = 'moved';
    else continue;
    clauses.push({ clauseId, change, changes: wordChanges(c.before ?? '', c.after ?? ''), ...(formatting.length > 0 && { formatting }) });
  }
  if (clauses.length === 0) return null;
  return {
    type: 'edit',
    author: burst.userId ? { id: burst.userId, displayName: names.get(burst.userId) ?? '(unknown)' } : null,
    from: burst.from.toISOString(),
    to: burst.to.toISOString(),
    updates: burst.updates,
    clauses,
  };
}

/** The edit (before → after) applied to what one person's spell has, or what the full text became when that cannot apply. */
function rebaseOnto(before: string | null, after: string | null, onto: string | null): string | null {
  if (after === null) return null;
  if (before === null || onto === null) return after;
  return rebaseEdit(before, after, onto);
}

/**
 * Replays every stored update (archive and log) into a document without garbage collection and
 * groups each person's updates into working spells — one entry per person per spell, even when two
 * people type in one clause at once: each spell keeps the clause as only that person's edits would
 * have left it (text/rebase.ts), so its words are theirs alone. Formatting changes (bold, a paragraph
 * made a list item) are named. Published versions appear between entries as milestones. Newest first.
 */
export async function history(db: Db, actor: Actor, definitionId: string, options: { clause?: string; cursor?: number; limit?: number }): Promise<HistoryPage> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', definition);
  const [rows, versions] = await Promise.all([repo.allUpdates(db, definitionId), repo.versionMilestones(db, definitionId)]);
  const names = await authorNames(db, [...rows.map((r) => r.user_id), ...versions.map((v) => v.published_by)]);

  const texts = new Map<string, string>();
  const markdowns = new Map<string, string>();

  const entries: { at: number; entry: HistoryEntry }[] = [];
  const open = new Map<string | null, Burst>();
  const flush = (burst: Burst) => {
    open.delete(burst.userId);
    const entry = finishBurst(burst, names);
    if (entry) entries.push({ at: burst.to.getTime(), entry });
  };

  for (const step of replayUpdates(rows.map((r) => r.update))) {
    const row = rows[step.index]!;
    // Spells that ended before this update: a pause too long, or a version published since (an entry never straddles a milestone).
    for (const burst of [...open.values()]) {
      const versionBetween = versions.some((v) => v.published_at > burst.to && v.published_at <= row.created_at);
      if (versionBetween || row.created_at.getTime() - burst.to.getTime() > BURST_GAP_MS) flush(burst);
    }
    let burst = open.get(row.user_id);
    if (!burst) {
      burst = { userId: row.user_id, from: row.created_at, to: row.created_at, updates: 0, clauses: new Map() };
      open.set(row.user_id, burst);
    }
    burst.to = row.created_at;
    burst.updates += 1;
    for (const change of step.changes) {
      const fullBefore = texts.get(change.clauseId) ?? null;
      const fullBeforeMarkdown = markdowns.get(change.clauseId) ?? null;
      const known = burst.clauses.get(change.clauseId);
      if (known) {
        known.after = rebaseOnto(fullBefore, change.text, known.after);
        known.afterMarkdown = rebaseOnto(fullBeforeMarkdown, change.markdown, known.afterMarkdown);
        known.positionAfter = change.positionAfter;
      } else {
        burst.clauses.set(change.clauseId, {
          before: fullBefore,
          beforeMarkdown: fullBeforeMarkdown,
          after: change.text,
          afterMarkdown: change.markdown,
          positionBefore: change.positionBefore,
          positionAfter: change.positionAfter,
        });
      }
      if (change.text === null) texts.delete(change.clauseId);
      else texts.set(change.clauseId, change.text);
      if (change.markdown === null) markdowns.delete(change.clauseId);
      else markdowns.set(change.clauseId, change.markdown);
    }
  }
  for (const burst of [...open.values()]) flush(burst);

  for (const version of versions) {
    entries.push({
      at: version.published_at.getTime(),
      entry: {
        type: 'version',
        label: version.label,
        at: version.published_at.toISOString(),
        author: { id: version.published_by, displayName: names.get(version.published_by) ?? '(unknown)' },
      },
    });
  }
  // Newest first; a version published right after an edit comes before (above) that edit.
  entries.sort((a, b) => b.at - a.at || (a.entry.type === 'version' ? -1 : 1));

  let list = entries.map((e) => e.entry);
  if (options.clause) {
    list = list.flatMap((entry): HistoryEntry[] => {
      if (entry.type === 'version') return [entry];
      const clauses = entry.clauses.filter((c) => c.clauseId === options.clause);
      return clauses.length > 0 ? [{ ...entry, clauses }] : [];
    });
  }
  const start = options.cursor ?? 0;
  const limit = options.limit ?? 50;
  const page = list.slice(start, start + limit);
  return { entries: page, nextCursor: start + limit < list.length ? start + limit : null };
}
