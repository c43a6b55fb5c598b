import { clauseLabels, type BallotResult, type Blame, type Provenance, type ProvenanceQuery } from '@draftroom/shared';
import * as amendments from '../amendments/repository.ts';
import * as ballots from '../ballots/repository.ts';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db } from '../db/database.ts';
import { loadDefinition } from '../definitions/service.ts';
import { invalidInput, notFound } from '../errors.ts';
import { attribution, blameVersionClause, contributorsOf } from '../history/service.ts';
import type { Actor } from '../policies/actor.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import { readText } from '../text/edit.ts';
import * as versions from '../versions/repository.ts';
import * as repo from './repository.ts';

type Run = Provenance['authors'][number];

/** The runs that fall in [from, to), cut at its edges. */
function clip(runs: Run[], from: number, to: number): Run[] {
  const out: Run[] = [];
  let at = 0;
  for (const run of runs) {
    const start = Math.max(from, at);
    const end = Math.min(to, at + run.text.length);
    if (start < end) out.push({ ...run, text: run.text.slice(start - at, end - at) });
    at += run.text.length;
  }
  return out;
}

/** Whether any occurrence of `quote` in `text` overlaps [from, to). */
function quotedIn(text: string, quote: string, from: number, to: number): boolean {
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) if (at < to && at + quote.length > from) return true;
  return false;
}

/**
 * The provenance of a clause of the draft, or of a stretch of it: who wrote each part (blame), the
 * amendments proposed on it, the ballots about it, the threads on it and the versions in which it
 * changed. Members only, like the draft itself.
 */
export async function clauseProvenance(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  definitionId: string,
  clauseId: string,
  query: ProvenanceQuery,
): Promise<Provenance> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', definition);
  let asOf: { label: string; publishedAt: Date } | null = null;
  let label: string | null;
  let blame: Blame | null;
  if (query.version !== undefined) {
    // The clause as a published version has it: its snapshot's characters, attributed like the draft's.
    const version = await versions.findVersion(db, definitionId, query.version);
    if (!version) throw notFound(`version ${query.version}`);
    asOf = { label: version.label, publishedAt: version.published_at };
    const clauses = await versions.listVersionClauseTexts(db, version.id);
    const index = clauses.findIndex((clause) => clause.clause_id === clauseId);
    label = index < 0 ? null : clauseLabels(clauses.map((clause) => clause.kind))[index]!;
    blame = label === null ? null : await blameVersionClause(db, definitionId, version.state, clauseId);
  } else {
    // One reading of the draft gives the clause's name, text and the id of every character.
    const read = await readText({ registry }, definition, (text) => {
      const clauses = text.clauses();
      const index = clauses.findIndex((clause) => clause.id === clauseId);
      if (index < 0) return null;
      return { label: clauseLabels(clauses.map((clause) => clause.kind))[index]!, text: clauses[index]!.text, parts: text.pieces(clauseId)! };
    });
    label = read?.label ?? null;
    blame = read && { clauseId, text: read.text, runs: (await attribution(db, definitionId))(read.parts) };
  }
  if (label === null || blame === null) throw notFound(asOf ? `clause in version ${asOf.label}` : 'clause');
  const text = blame.text;
  // As of a version: what came before its publication (each item as the record has it now).
  const before = (at: Date | null) => asOf === null || (at !== null && at <= asOf.publishedAt);

  let range: Provenance['range'] = null;
  if (query.from !== undefined || query.to !== undefined) {
    const from = query.from ?? 0;
    const to = query.to ?? text.length;
    if (from >= to || to > text.length)
      throw invalidInput(`The range must lie within the clause's ${text.length} characters, from before to`, [{ path: '/to', message: 'out of range' }]);
    range = { from, to, text: text.slice(from, to) };
  }
  const authors = range ? clip(blame.runs, range.from, range.to) : blame.runs;
  const [proposed, onRecord, threads, published] = await Promise.all([
    amendments.listAmendments(db, definitionId, { clause: clauseId }),
    ballots.listBallotsOnRecord(db, definitionId),
    repo.threadsOnClause(db, definitionId, clauseId),
    repo.versionsWithClause(db, definitionId, clauseId),
  ]);
  const about = onRecord.filter((ballot) => 'clauseId' in ballot.subject && ballot.subject.clauseId === clauseId && before(ballot.opened_at));
  // Who objected and why: only for public ballots, once closed (what their ballot page shows members).
  const publicClosed = about.filter((ballot) => ballot.status === 'closed' && !ballot.rules.secret).map((ballot) => ballot.id);
  const finalVotes = await ballots.finalNamedVotes(db, publicClosed);

  let previous: string | null = null;
  return {
    clauseId,
    label,
    version: asOf && { label: asOf.label, publishedAt: asOf.publishedAt.toISOString() },
    text,
    range,
    authors,
    contributors: contributorsOf(authors),
    amendments: proposed
      .filter((a) => before(a.created_at))
      .reverse()
      .map((a) => ({
        id: a.id,
        status: a.status,
        author: { id: a.author_id, displayName: a.author_name },
        proposedText: a.proposed_text,
        rationale: a.rationale,
        createdAt: a.created_at.toISOString(),
        decidedBy: a.decided_by ? { id: a.decided_by, displayName: a.decider_name ?? '(unknown)' } : null,
        decidedAt: a.decided_at?.toISOString() ?? null,
        reason: a.decision_reason,
      })),
    ballots: about.map((ballot) => {
      const result = ballot.result as BallotResult | null;
      return {
        id: ballot.id,
        title: ballot.title,
        status: ballot.status,
        rules: { kind: ballot.rules.kind, quorum: ballot.rules.quorum, threshold: ballot.rules.threshold, secret: ballot.rules.secret },
        openedAt: ballot.opened_at?.toISOString() ?? null,
        closedAt: ballot.closed_at?.toISOString() ?? null,
        outcome: ballot.status === 'closed' ? (result?.outcome ?? null) : null,
        decidedBy: ballot.status === 'closed' ? (result?.decidedBy ?? null) : null,
        turnout: ballot.status === 'closed' ? (result?.turnout ?? null) : null,
        dissent: {
          objections: ballot.status === 'closed' ? (result?.counts.object ?? 0) : 0,
          reasons: finalVotes
            .filter((vote) => vote.ballot_id === ballot.id && vote.position === 'object')
            .map((vote) => ({ voter: vote.display_name, rationale: vote.rationale })),
        },
      };
    }),
    threads: threads
      .filter((thread) => before(thread.created_at))
      .map((thread) => ({
        id: thread.id,
        audience: thread.audience,
        status: thread.status,
        quote: thread.quote,
        author: { id: thread.author_id, displayName: thread.author_name },
        createdAt: thread.created_at.toISOString(),
        resolvedBy: thread.resolved_by ? { id: thread.resolved_by, displayName: thread.resolver_name ?? '(unknown)' } : null,
        resolvedAt: thread.resolved_at?.toISOString() ?? null,
        comments: Number(thread.comment_count ?? 0),
        inRange: range && thread.quote ? quotedIn(text, thread.quote, range.from, range.to) : null,
      })),
    versions: published
      .filter((version) => before(version.published_at))
      .map((version) => {
        const change: Provenance['versions'][number]['change'] =
          version.text === null
            ? previous === null
              ? 'absent'
              : 'removed'
            : previous === null
              ? 'added'
              : previous === version.text
                ? 'unchanged'
                : 'changed';
        previous = version.text;
        return { label: version.label, publishedAt: version.published_at.toISOString(), change, text: version.text };
      }),
  };
}
