import MarkdownIt from 'markdown-it';
import type { BallotResult, BallotRules, BallotSubject } from '@draftroom/shared';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Db } from '../db/database.ts';
import { loadDefinition } from '../definitions/service.ts';
import { notFound } from '../errors.ts';
import { groupChain } from '../events/service.ts';
import type { Actor } from '../policies/actor.ts';
import * as versionsRepo from '../versions/repository.ts';
import { liveClauses } from '../versions/service.ts';

export interface DefinitionExport {
  definition: { id: string; title: string; status: string };
  text: { source: string; clauses: { id: string; kind: 'heading' | 'clause'; position: number; text: string; markdown: string }[] };
  decisions: {
    ballots: { id: string; title: string; subject: BallotSubject; rules: BallotRules; status: string; subjectText: string | null; finalText: string | null; result: BallotResult | null; cancelledReason: string | null; openedAt: string | null; closedAt: string | null }[];
    acceptedAmendments: { id: string; clauseId: string; author: string; acceptedBy: string | null; acceptedAt: string | null; baseText: string; proposedText: string; rationale: string }[];
    threads: { clauseId: string; open: number; resolved: number; items: { id: string; status: string; author: string; quote: string | null; firstComment: string | null; resolvedBy: string | null }[] }[];
  };
  /** The head of the group's audit chain when this export was made: compare it with a later verify. */
  audit: { chain: string; seq: number | null; hash: string | null };
  exportedAt: string;
}

/**
 * A definition's text (a version or the current draft) with its decision record: every ballot with its
 * frozen rules and result, every accepted amendment, the threads per clause, and the audit-log head.
 * Secret ballots appear with their counts only — the export never links a person to a position.
 */
export async function exportDefinition(db: Db, registry: DocumentRegistry, actor: Actor, definitionId: string, versionLabel: string | null): Promise<DefinitionExport> {
  const definition = await loadDefinition(db, actor, definitionId, 'draft.read');
  let source = 'current draft';
  let clauses: DefinitionExport['text']['clauses'];
  if (versionLabel) {
    const version = await versionsRepo.findVersion(db, definitionId, versionLabel);
    if (!version) throw notFound(`version ${versionLabel}`);
    source = `version ${version.label}`;
    clauses = (await versionsRepo.listVersionClauses(db, version.id)).map((c) => ({ id: c.clause_id, kind: c.kind, position: c.position, text: c.text, markdown: c.markdown }));
  } else {
    clauses = (await liveClauses(registry, definition)).clauses.map(({ id, kind, position, text, markdown }) => ({ id, kind, position, text, markdown }));
  }
  const [ballots, amendments, threads, firstComments, head] = await Promise.all([
    db.selectFrom('ballots').selectAll().where('definition_id', '=', definitionId).where('status', '!=', 'draft').orderBy('created_at').execute(),
    db
      .selectFrom('amendments')
      .innerJoin('users as author', 'author.id', 'amendments.author_id')
      .leftJoin('users as decider', 'decider.id', 'amendments.decided_by')
      .select(['amendments.id', 'amendments.clause_id', 'author.display_name as author', 'decider.display_name as decider', 'amendments.decided_at', 'amendments.base_text', 'amendments.proposed_text', 'amendments.rationale'])
      .where('amendments.definition_id', '=', definitionId)
      .where('amendments.status', '=', 'accepted')
      .orderBy('amendments.decided_at')
      .execute(),
    db
      .selectFrom('threads')
      .innerJoin('users as author', 'author.id', 'threads.author_id')
      .leftJoin('users as resolver', 'resolver.id', 'threads.resolved_by')
      .select(['threads.id', 'threads.clause_id', 'threads.status', 'threads.quote', 'author.display_name as author', 'resolver.display_name as resolver'])
      .where('threads.definition_id', '=', definitionId)
      .orderBy('threads.created_at')
      .execute(),
    db
      .selectFrom('comments')
      .innerJoin('threads', 'threads.id', 'comments.thread_id')
      .select(['comments.thread_id', 'comments.body', 'comments.deleted_at', 'comments.hidden_at', 'comments.created_at'])
      .where('threads.definition_id', '=', definitionId)
      .orderBy('comments.created_at')
      .execute(),
    db.selectFrom('events').select(['seq', 'hash']).where('chain', '=', groupChain(definition.group_id)).orderBy('seq', 'desc').limit(1).executeTakeFirst(),
  ]);
  const first = new Map<string, string | null>();
  for (const c of firstComments) if (!first.has(c.thread_id)) first.set(c.thread_id, c.deleted_at || c.hidden_at ? null : c.body);
  const byClause = new Map<string, DefinitionExport['decisions']['threads'][number]>();
  for (const t of threads) {
    const entry = byClause.get(t.clause_id) ?? { clauseId: t.clause_id, open: 0, resolved: 0, items: [] };
    if (t.status === 'open') entry.open += 1;
    else entry.resolved += 1;
    entry.items.push({ id: t.id, status: t.status, author: t.author, quote: t.quote, firstComment: first.get(t.id) ?? null, resolvedBy: t.resolver });
    byClause.set(t.clause_id, entry);
  }
  return {
    definition: { id: definition.id, title: definition.title, status: definition.status },
    text: { source, clauses },
    decisions: {
      ballots: ballots.map((b) => ({
        id: b.id,
        title: b.title,
        subject: b.subject as BallotSubject,
        rules: b.rules as BallotRules,
        status: b.status,
        subjectText: b.subject_text,
        finalText: b.final_text,
        result: (b.result as BallotResult | null) ?? null,
        cancelledReason: b.cancelled_reason,
        openedAt: b.opened_at?.toISOString() ?? null,
        closedAt: b.closed_at?.toISOString() ?? null,
      })),
      acceptedAmendments: amendments.map((a) => ({
        id: a.id,
        clauseId: a.clause_id,
        author: a.author,
        acceptedBy: a.decider,
        acceptedAt: a.decided_at?.toISOString() ?? null,
        baseText: a.base_text,
        proposedText: a.proposed_text,
        rationale: a.rationale,
      })),
      threads: [...byClause.values()],
    },
    audit: { chain: groupChain(definition.group_id), seq: head?.seq ?? null, hash: head?.hash ?? null },
    exportedAt: new Date().toISOString(),
  };
}

const quote = (text: string) => text.split('\n').map((line) => `> ${line}`).join('\n');

export function exportMarkdown(data: DefinitionExport): string {
  const position = new Map(data.text.clauses.map((c) => [c.id, c.position + 1]));
  const clauseName = (id: string) => (position.has(id) ? `clause ${position.get(id)}` : 'a removed clause');
  const out: string[] = [`# ${data.definition.title}`, '', `_${data.text.source}, status ${data.definition.status}, exported ${data.exportedAt}_`, ''];
  for (const clause of data.text.clauses) out.push(clause.kind === 'heading' ? `## ${clause.text.replaceAll('\n', ' ')}` : clause.markdown, '');
  out.push('---', '', '## Decision record', '', '### Ballots', '');
  if (data.decisions.ballots.length === 0) out.push('No ballots.', '');
  for (const b of data.decisions.ballots) {
    const subject = b.subject.kind === 'clause' ? clauseName(b.subject.clauseId) : `version ${b.subject.label}`;
    out.push(`#### ${b.title} (${subject}) — ${b.status}`, '');
    out.push(`- Kind: ${b.rules.kind}; eligible: ${b.rules.eligibleRoles.join(', ')}; quorum ${Math.round(b.rules.quorum * 100)}%; threshold ${Math.round(b.rules.threshold * 10000) / 100}% Yes of Yes + Object; blocking objection fails: ${b.rules.blockingObjectionFails ? 'yes' : 'no'}; ${b.rules.secret ? 'secret' : 'public'} ballot; closes ${b.rules.closesAt}`);
    if (b.result) {
      const t = b.result.turnout;
      out.push(`- Turnout: ${t.voted} of ${t.eligible} eligible (${t.abstained} abstained, ${t.recused} recused)`);
      out.push(`- Counts: ${Object.entries(b.result.counts).map(([k, v]) => `${k.replace('_', ' ')} ${v}`).join(', ')}`);
      out.push(`- Result: **${b.result.outcome.replace('_', ' ')}** — ${b.result.decidedBy}`);
    }
    if (b.subjectText !== null && b.finalText !== null && b.subjectText !== b.finalText) out.push('- The clause text changed while the ballot was open.');
    if (b.cancelledReason) out.push(`- Cancelled: ${b.cancelledReason}`);
    out.push('');
  }
  out.push('### Accepted amendments', '');
  if (data.decisions.acceptedAmendments.length === 0) out.push('None.', '');
  for (const a of data.decisions.acceptedAmendments) {
    out.push(`- ${clauseName(a.clauseId)}: proposed by ${a.author}, accepted by ${a.acceptedBy ?? '?'} on ${a.acceptedAt ?? '?'}`, '', quote(a.proposedText), '');
    if (a.rationale.trim()) out.push(`  Rationale: ${a.rationale.replaceAll('\n', ' ')}`, '');
  }
  out.push('### Discussion', '');
  if (data.decisions.threads.length === 0) out.push('No threads.', '');
  for (const entry of data.decisions.threads) {
    out.push(`- ${clauseName(entry.clauseId)}: ${entry.open} open, ${entry.resolved} resolved`);
    for (const item of entry.items) {
      out.push(`  - ${item.status}${item.resolvedBy ? ` (resolved by ${item.resolvedBy})` : ''}, started by ${item.author}${item.quote ? ` on “${item.quote.replaceAll('\n', ' ')}”` : ''}${item.firstComment ? `: ${item.firstComment.replaceAll('\n', ' ').slice(0, 300)}` : ''}`);
    }
  }
  out.push('', '---', '', `Audit log ${data.audit.chain} at event ${data.audit.seq ?? 0}, hash \`${data.audit.hash ?? 'none'}\`.`, '');
  return out.join('\n');
}

const html = new MarkdownIt({ html: false, linkify: false });

export function exportHtml(data: DefinitionExport): string {
  const title = data.definition.title.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>\n${html.render(exportMarkdown(data))}</body></html>\n`;
}
