import type { Blame, BlameRun, HistoryClauseChange, HistoryEntry, HistoryPage } from '@draftroom/shared';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db } from '../db/database.ts';
import { loadDefinition } from '../definitions/service.ts';
import { notFound } from '../errors.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import { wordChanges } from '../versions/diff.ts';
import { UpdateIndex } from '../text/attribution.ts';
import { readText } from '../text/edit.ts';
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
  const { parts, text } = read;
  const [rows, owners] = await Promise.all([repo.allUpdates(db, definitionId), repo.clientOwners(db, definitionId)]);
  const index = new UpdateIndex(rows.map((r) => r.update));
  const ownerOf = new Map(owners.map((o) => [Number(o.client_id), o.user_id]));
  const names = await authorNames(db, [...ownerOf.values()]);

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
  return { clauseId, text, runs };
}

// ---------- history ----------

interface Burst {
  userId: string | null;
  from: Date;
  to: Date;
  updates: number;
  clauses: Map<string, { before: string | null; after: string | null; positionBefore: number; positionAfter: number }>;
}

function finishBurst(burst: Burst, names: Map<string, string>): HistoryEntry | null {
  const clauses: HistoryClauseChange[] = [];
  for (const [clauseId, c] of burst.clauses) {
    let change: HistoryClauseChange['change'];
    if (c.before === null && c.after === null) continue;
    if (c.before === null) change = 'created';
    else if (c.after === null) change = 'deleted';
    else if (c.before !== c.after) change = 'edited';
    else if (c.positionBefore !== c.positionAfter) change = 'moved';
    else continue;
    clauses.push({ clauseId, change, changes: wordChanges(c.before ?? '', c.after ?? '') });
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

/**
 * Replays every stored update (archive and log) into a document without garbage collection and
 * groups consecutive updates by the same author into bursts, each with what it inserted and deleted
 * per clause; published versions appear between them as milestones. Newest first.
 */
export async function history(db: Db, actor: Actor, definitionId: string, options: { clause?: string; cursor?: number; limit?: number }): Promise<HistoryPage> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', definition);
  const [rows, versions] = await Promise.all([repo.allUpdates(db, definitionId), repo.versionMilestones(db, definitionId)]);
  const names = await authorNames(db, [...rows.map((r) => r.user_id), ...versions.map((v) => v.published_by)]);

  const texts = new Map<string, string>();

  const entries: { at: number; entry: HistoryEntry }[] = [];
  let burst: Burst | null = null;
  const flush = () => {
    if (!burst) return;
    const entry = finishBurst(burst, names);
    if (entry) entries.push({ at: burst.to.getTime(), entry });
    burst = null;
  };

  for (const step of replayUpdates(rows.map((r) => r.update))) {
    const row = rows[step.index]!;
    const current: Burst | null = burst;
    // A version published in between closes the burst: the entry must not straddle a milestone.
    const versionBetween = current !== null && versions.some((v) => v.published_at > current.to && v.published_at <= row.created_at);
    if (!current || versionBetween || current.userId !== row.user_id || row.created_at.getTime() - current.to.getTime() > BURST_GAP_MS) {
      flush();
      burst = { userId: row.user_id, from: row.created_at, to: row.created_at, updates: 0, clauses: new Map() };
    }
    const active = burst!;
    active.to = row.created_at;
    active.updates += 1;
    for (const change of step.changes) {
      const known = active.clauses.get(change.clauseId);
      if (known) {
        known.after = change.text;
        known.positionAfter = change.positionAfter;
      } else {
        active.clauses.set(change.clauseId, {
          before: texts.get(change.clauseId) ?? null,
          after: change.text,
          positionBefore: change.positionBefore,
          positionAfter: change.positionAfter,
        });
      }
      if (change.text === null) texts.delete(change.clauseId);
      else texts.set(change.clauseId, change.text);
    }
  }
  flush();

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
