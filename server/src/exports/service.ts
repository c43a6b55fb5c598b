import MarkdownIt from 'markdown-it';
import {
  clauseLabels,
  DISPOSITION_LABELS,
  DISPOSITION_SOURCE_LABELS,
  type DispositionKind,
  type DispositionSource,
  type AuditCheck,
  type BallotOption,
  type BallotResult,
  type BallotRules,
  type BallotSubject,
  type MatrixMark,
} from '@draftroom/shared';
import * as amendmentsRepo from '../amendments/repository.ts';
import * as ballotsRepo from '../ballots/repository.ts';
import { ballotOptions } from '../ballots/service.ts';
import { ballotFormat } from '../ballots/subject.ts';
import type { DocumentRegistry } from '../collab/registry.ts';
import * as commentsRepo from '../comments/repository.ts';
import type { Db } from '../db/database.ts';
import * as dispositionsRepo from '../dispositions/repository.ts';
import { loadDefinition } from '../definitions/service.ts';
import { notFound } from '../errors.ts';
import * as eventsRepo from '../events/repository.ts';
import { groupChain } from '../events/service.ts';
import { blameVersion, contributorsOf } from '../history/service.ts';
import type { Actor } from '../policies/actor.ts';
import { storedMarkdown } from '../text/content.ts';
import { markdownInline, markdownLine } from '../text/escape.ts';
import { authorizeOnDefinition } from '../policies/definitions.ts';
import * as versionsRepo from '../versions/repository.ts';
import { liveClauses } from '../versions/service.ts';
import { escapeHtml } from '../http/html.ts';

export interface DefinitionExport {
  definition: { id: string; title: string; status: string };
  /** `label` is the clause's name as the editor shows it ("Clause 4"), which the decision record uses too. */
  text: {
    source: string;
    clauses: {
      id: string;
      kind: 'heading' | 'clause';
      position: number;
      label: string;
      text: string;
      markdown: string;
      /** Who wrote it, by the characters each wrote (from the stored edits, as blame and provenance attribute them); null: not attributable. */
      authors: { name: string | null; characters: number }[];
    }[];
  };
  decisions: {
    ballots: {
      id: string;
      title: string;
      subject: BallotSubject;
      rules: BallotRules;
      /** How it is counted (`npm run verify` recounts with the same rule functions). */
      format: 'positions' | 'choice' | 'matrix';
      options: BallotOption[];
      status: string;
      /** Eligible voters, frozen when it opened. */
      eligible: number | null;
      /** A closed public ballot: each voter's final vote, to recount from. Secret (or not closed): null. */
      votes: { voter: string; voterId: string; position: string; marks: MatrixMark[][] | null }[] | null;
      subjectText: string | null;
      finalText: string | null;
      result: BallotResult | null;
      cancelledReason: string | null;
      openedAt: string | null;
      closedAt: string | null;
    }[];
    acceptedAmendments: {
      id: string;
      clauseId: string;
      author: string;
      acceptedBy: string | null;
      acceptedAt: string | null;
      baseText: string;
      proposedText: string;
      rationale: string;
    }[];
    threads: {
      clauseId: string;
      open: number;
      resolved: number;
      items: { id: string; status: string; author: string; quote: string | null; firstComment: string | null; resolvedBy: string | null }[];
    }[];
    /** Published versions, newest first. */
    versions: { label: string; notes: string; publishedBy: string; publishedAt: string }[];
    /** The disposition register as it stands at the export: every comment and objection and how it was answered. */
    dispositions: {
      number: number;
      source: DispositionSource;
      clauseId: string | null;
      author: string;
      /** Null: the comment was deleted (or hidden by a moderator). */
      body: string | null;
      public: boolean;
      raisedAt: string;
      disposition: DispositionKind | null;
      reason: string | null;
      amendmentId: string | null;
      versionLabel: string | null;
      decidedBy: string | null;
      decidedAt: string | null;
      response: { satisfied: boolean; note: string | null; at: string } | null;
    }[];
  };
  /** The head of the group's audit chain when this export was made, and where to check it later (`npm run verify`). */
  audit: { chain: string; seq: number | null; hash: string | null; server: string | null };
  exportedAt: string;
}

/**
 * A definition's text (a version or the current draft) with its decision record: every ballot with its
 * frozen rules and result, every accepted amendment, the threads per clause, and the audit-log head.
 * Secret ballots appear with their counts only — the export never links a person to a position.
 */
export async function exportDefinition(
  db: Db,
  registry: DocumentRegistry,
  actor: Actor,
  definitionId: string,
  versionLabel: string | null,
  server: string | null = null,
): Promise<DefinitionExport> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', definition);
  let source = 'current draft';
  let read: Omit<DefinitionExport['text']['clauses'][number], 'label' | 'authors'>[];
  let state: Uint8Array;
  if (versionLabel) {
    const version = await versionsRepo.findVersion(db, definitionId, versionLabel);
    if (!version) throw notFound(`version ${versionLabel}`);
    source = `version ${version.label}`;
    state = version.state;
    read = (await versionsRepo.listVersionClauses(db, version.id)).map((c) => ({
      id: c.clause_id,
      kind: c.kind,
      position: c.position,
      text: c.text,
      markdown: storedMarkdown(c.content),
    }));
  } else {
    const live = await liveClauses(registry, definition);
    state = live.state;
    read = live.clauses.map(({ id, kind, position, text, markdown }) => ({ id, kind, position, text, markdown }));
  }
  // Numbered as the exported text reads, the same way the editor numbers the draft; with who wrote each clause.
  const labels = clauseLabels(read.map((c) => c.kind));
  const runs = await blameVersion(db, definitionId, state);
  const clauses = read.map((clause, i) => ({
    ...clause,
    label: labels[i]!,
    authors: contributorsOf(runs.get(clause.id) ?? []).map((c) => ({ name: c.person?.displayName ?? null, characters: c.characters })),
  }));
  const [ballots, amendments, threads, firstComments, head, versions, register] = await Promise.all([
    ballotsRepo.listBallotsOnRecord(db, definitionId),
    amendmentsRepo.listAccepted(db, definitionId),
    commentsRepo.listAllThreads(db, definitionId),
    commentsRepo.listAllComments(db, definitionId),
    eventsRepo.findLastEvent(db, groupChain(definition.group_id)),
    versionsRepo.listVersions(db, definitionId),
    dispositionsRepo.listItems(db, definitionId, { publicOnly: false }),
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
  const options = await Promise.all(ballots.map((b) => ballotOptions(db, definitionId, b.subject, b.rules, b.subject_text)));
  // Public ballots, once closed, carry each final vote (members saw them on the ballot); secret ones never do.
  const recountable = ballots.filter((b) => b.status === 'closed' && !b.rules.secret).map((b) => b.id);
  const votes = await ballotsRepo.finalNamedVotes(db, recountable);
  return {
    definition: { id: definition.id, title: definition.title, status: definition.status },
    text: { source, clauses },
    decisions: {
      ballots: ballots.map((b, i) => ({
        id: b.id,
        title: b.title,
        subject: b.subject,
        rules: b.rules,
        format: ballotFormat(b.subject, b.rules),
        options: options[i]!,
        status: b.status,
        eligible: b.eligible_count,
        votes: recountable.includes(b.id)
          ? votes
              .filter((v) => v.ballot_id === b.id)
              .map((v) => ({ voter: v.display_name, voterId: v.voter_id!, position: v.position, marks: v.marks ?? null }))
          : null,
        subjectText: b.subject_text,
        finalText: b.final_text,
        result: b.result,
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
      versions: versions.map((v) => ({ label: v.label, notes: v.notes, publishedBy: v.publisher_name, publishedAt: v.published_at.toISOString() })),
      dispositions: register.map((d) => ({
        number: d.number,
        source: d.source,
        clauseId: d.clause_id,
        author: d.author_name,
        body: d.comment_deleted_at || d.comment_hidden_at ? null : d.body,
        public: d.public,
        raisedAt: d.raised_at.toISOString(),
        disposition: d.disposition,
        reason: d.reason,
        amendmentId: d.amendment_id,
        versionLabel: d.version_label,
        decidedBy: d.decider_name,
        decidedAt: d.decided_at?.toISOString() ?? null,
        response: d.satisfied === null || d.responded_at === null ? null : { satisfied: d.satisfied, note: d.response_note, at: d.responded_at.toISOString() },
      })),
    },
    audit: { chain: groupChain(definition.group_id), seq: head?.seq ?? null, hash: head?.hash ?? null, server },
    exportedAt: new Date().toISOString(),
  };
}

const pct = (share: number) => `${Math.round(share * 10000) / 100}%`;

function subjectName(subject: BallotSubject, clauseName: (id: string) => string): string {
  switch (subject.kind) {
    case 'clause':
      return clauseName(subject.clauseId);
    case 'amendments':
      return `${clauseName(subject.clauseId)} against ${subject.amendmentIds.length} amendment${subject.amendmentIds.length === 1 ? '' : 's'}`;
    case 'version':
      return `version ${subject.label}`;
    case 'matrix':
      return `component matrix, ${subject.rows.length} × ${subject.columns.length}`;
  }
}

const cellText = (text: string) => markdownInline(text);
const VERDICTS = { required: 'Required', not_required: 'Not required', undecided: 'Undecided', no_quorum: 'No quorum' } as const;

/** The matrix result as a Markdown table: verdict, then Required / Not required / Unsure and turnout. */
function matrixTable(subject: Extract<BallotSubject, { kind: 'matrix' }>, cells: NonNullable<BallotResult['cells']>): string[] {
  const lines = [`| Component | ${subject.columns.map(cellText).join(' | ')} |`, `|---|${subject.columns.map(() => '---').join('|')}|`];
  subject.rows.forEach((row, r) => {
    const entries = subject.columns.map((_, c) => {
      const cell = cells[r]![c]!;
      return `${VERDICTS[cell.verdict]} (${cell.counts.required} R / ${cell.counts.not_required} N / ${cell.counts.unsure} U; ${cell.turnout.marked} of ${cell.turnout.electorate})`;
    });
    lines.push(`| ${cellText(row)} | ${entries.join(' | ')} |`);
  });
  return [...lines, ''];
}

/** User text as a block quote, each line escaped so that it reads as written. */
const quote = (text: string) =>
  text
    .split('\n')
    .map((line) => `> ${markdownLine(line)}`)
    .join('\n');

/**
 * Where an export's audit head stands in its group's log now (for `npm run verify` and /verify): the
 * hash of the event it names and the chain's head. For whoever could make the export: members.
 */
export async function auditCheck(db: Db, actor: Actor, definitionId: string, seq: number): Promise<AuditCheck> {
  const definition = await loadDefinition(db, actor, definitionId);
  authorizeOnDefinition(actor, 'draft.read', definition);
  const chain = groupChain(definition.group_id);
  const [event, head] = await Promise.all([eventsRepo.findChainEvent(db, chain, seq), eventsRepo.findChainHead(db, chain)]);
  return { chain, seq, hash: event?.hash ?? null, head: { seq: head?.seq ?? 0, hash: head?.hash ?? null } };
}

/** The decision record (ballots, accepted amendments, discussion, versions) as Markdown; user text escaped. */
function decisionRecordMarkdown(data: DefinitionExport): string[] {
  // The labels the text carries, never positions: those count headings, the editor's numbers do not.
  const labels = new Map(data.text.clauses.map((c) => [c.id, c.label]));
  const clauseName = (id: string) => labels.get(id) ?? 'a removed clause';
  const listed = (id: string) => labels.get(id) ?? 'A removed clause';
  const out: string[] = ['## Decision record', '', '### Ballots', ''];
  if (data.decisions.ballots.length === 0) out.push('No ballots.', '');
  for (const b of data.decisions.ballots) {
    const format = ballotFormat(b.subject, b.rules);
    const label = (id: string) => b.options.find((o) => o.id === id)?.label ?? id.replace('_', ' ');
    out.push(`#### ${markdownInline(b.title)} (${markdownInline(subjectName(b.subject, clauseName))}) — ${b.status}`, '');
    const rule =
      format === 'positions'
        ? `threshold ${pct(b.rules.threshold)} Yes of Yes + Object; blocking objection fails: ${b.rules.blockingObjectionFails ? 'yes' : 'no'}`
        : format === 'choice'
          ? `plurality, the winner needs ${pct(b.rules.threshold)} of option votes`
          : `a cell is decided by Required or Not required at ${pct(b.rules.threshold)} of its marks (Unsure ${b.rules.countUnsure === false ? 'not counted' : 'counted'})`;
    out.push(
      `- Kind: ${b.rules.kind}; eligible: ${b.rules.eligibleRoles.join(', ')}; quorum ${pct(b.rules.quorum)}; ${rule}; ${b.rules.secret ? 'secret' : 'public'} ballot; closes ${b.rules.closesAt}`,
    );
    if (format === 'choice') {
      for (const option of b.options.filter((o) => o.id !== 'abstain' && o.id !== 'recuse'))
        out.push(`- Option “${markdownInline(option.label)}”${option.text ? `: ${markdownInline(option.text)}` : ''}`);
    }
    if (b.result) {
      const t = b.result.turnout;
      out.push(`- Turnout: ${t.voted} of ${t.eligible} eligible (${t.abstained} abstained, ${t.recused} recused)`);
      out.push(
        `- Counts: ${Object.entries(b.result.counts)
          .map(([k, v]) => `${markdownInline(label(k))} ${v}`)
          .join(', ')}`,
      );
      out.push(
        `- Result: **${b.result.outcome.replace('_', ' ')}**${b.result.winner ? ` — “${markdownInline(label(b.result.winner))}” chosen` : ''} — ${markdownInline(b.result.decidedBy)}`,
      );
      if (b.subject.kind === 'matrix' && b.result.cells) out.push('', ...matrixTable(b.subject, b.result.cells));
    }
    if (b.subjectText !== null && b.finalText !== null && b.subjectText !== b.finalText) out.push('- The clause text changed while the ballot was open.');
    if (b.cancelledReason) out.push(`- Cancelled: ${markdownInline(b.cancelledReason)}`);
    out.push('');
  }
  // Who wrote each clause, from the stored edits (the provenance of each clause, in short).
  out.push('### Who wrote each clause', '');
  const written = data.text.clauses.filter((c) => c.kind === 'clause');
  if (written.length === 0) out.push('No clauses.', '');
  for (const clause of written) {
    const total = clause.authors.reduce((sum, a) => sum + a.characters, 0);
    const names = clause.authors.map((a) => `${markdownInline(a.name ?? 'unattributed')} (${total > 0 ? Math.round((a.characters / total) * 100) : 0}%)`);
    out.push(`- ${clause.label}: ${names.length > 0 ? names.join(', ') : 'no attributable text'}`);
  }
  out.push('');
  out.push('### Accepted amendments', '');
  if (data.decisions.acceptedAmendments.length === 0) out.push('None.', '');
  for (const a of data.decisions.acceptedAmendments) {
    out.push(
      `- ${listed(a.clauseId)}: proposed by ${markdownInline(a.author)}, accepted by ${markdownInline(a.acceptedBy ?? '?')} on ${a.acceptedAt ?? '?'}`,
      '',
      quote(a.proposedText),
      '',
    );
    if (a.rationale.trim()) out.push(`  Rationale: ${markdownInline(a.rationale)}`, '');
  }
  out.push('### Discussion', '');
  if (data.decisions.threads.length === 0) out.push('No threads.', '');
  for (const entry of data.decisions.threads) {
    out.push(`- ${listed(entry.clauseId)}: ${entry.open} open, ${entry.resolved} resolved`);
    for (const item of entry.items) {
      out.push(
        `  - ${item.status}${item.resolvedBy ? ` (resolved by ${markdownInline(item.resolvedBy)})` : ''}, started by ${markdownInline(item.author)}${item.quote ? ` on “${markdownInline(item.quote)}”` : ''}${item.firstComment ? `: ${markdownInline(item.firstComment.slice(0, 300))}` : ''}`,
      );
    }
  }
  out.push('', '### Disposition of comments', '');
  const register = data.decisions.dispositions;
  if (register.length === 0) out.push('No comments or objections to dispose of.', '');
  else {
    const open = register.filter((d) => d.disposition === null).length;
    out.push(`${register.length} ${register.length === 1 ? 'item' : 'items'}, ${open} without a disposition.`, '');
  }
  for (const d of register) {
    const where = d.clauseId ? listed(d.clauseId) : 'The whole definition';
    out.push(
      `- **D-${d.number}** ${DISPOSITION_SOURCE_LABELS[d.source].toLowerCase()} by ${markdownInline(d.author)} on ${d.raisedAt.slice(0, 10)} — ${where}`,
    );
    out.push('', d.body === null ? '  > (withdrawn or hidden by a moderator)' : quote(d.body.slice(0, 2000) || '(no reason given)').replace(/^/gm, '  '), '');
    if (d.disposition === null) out.push('  Disposition: **none yet**', '');
    else {
      const change = [d.versionLabel ? `in version ${markdownInline(d.versionLabel)}` : '', d.amendmentId ? 'by an accepted amendment' : '']
        .filter(Boolean)
        .join(', ');
      out.push(
        `  Disposition: **${DISPOSITION_LABELS[d.disposition]}**${change ? ` (${change})` : ''} by ${markdownInline(d.decidedBy ?? '?')} on ${d.decidedAt?.slice(0, 10) ?? '?'}${d.reason ? `: ${markdownInline(d.reason)}` : ''}`,
      );
      out.push(
        d.response === null
          ? '  Commenter: no answer yet'
          : `  Commenter: ${d.response.satisfied ? 'satisfied' : '**not satisfied**'}${d.response.note ? ` — ${markdownInline(d.response.note)}` : ''}`,
        '',
      );
    }
  }
  out.push('', '### Versions', '');
  if (data.decisions.versions.length === 0) out.push('No published versions.', '');
  for (const v of data.decisions.versions)
    out.push(
      `- Version ${markdownInline(v.label)}, published by ${markdownInline(v.publishedBy)} on ${v.publishedAt}${v.notes.trim() ? `: ${markdownInline(v.notes)}` : ''}`,
    );
  out.push('');
  return out;
}

export function exportMarkdown(data: DefinitionExport): string {
  // Every piece of user text below goes through markdownInline or quote: it must read as written, never as markup.
  const out: string[] = [
    `# ${markdownInline(data.definition.title)}`,
    '',
    `_${markdownInline(data.text.source)}, status ${data.definition.status}, exported ${data.exportedAt}_`,
    '',
  ];
  // Each clause under its label, so that the record's "Clause 4" can be found in the text.
  for (const clause of data.text.clauses)
    out.push(...(clause.kind === 'heading' ? [`## ${markdownInline(clause.text)}`] : [`**${clause.label}**`, '', clause.markdown]), '');
  out.push('---', '', ...decisionRecordMarkdown(data));
  out.push('---', '', `Audit log ${data.audit.chain} at event ${data.audit.seq ?? 0}, hash \`${data.audit.hash ?? 'none'}\`.`, '');
  return out.join('\n');
}

const html = new MarkdownIt({ html: false, linkify: false });

/** For reading on screen and for "Save as PDF": one column, clause labels in the margin, the record on its own pages. */
export const STYLESHEET = `
:root { color-scheme: light; }
body { margin: 0; background: #f6f5f1; color: #1d1d1b; font: 17px/1.6 Georgia, 'Times New Roman', serif; }
.document { box-sizing: border-box; max-width: 46rem; margin: 2rem auto; padding: 2.5rem 3rem; background: #fff; box-shadow: 0 1px 4px rgb(0 0 0 / 12%); overflow-wrap: anywhere; }
h1, h2, h3, h4 { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; line-height: 1.25; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 2rem; margin: 0 0 .25rem; }
h1 + p { color: #5b5b57; font-size: .9rem; margin-top: 0; }
h2 { font-size: 1.4rem; margin-top: 2.2rem; border-bottom: 1px solid #d8d6cf; padding-bottom: .2rem; }
h3 { font-size: 1.15rem; margin-top: 1.8rem; }
h4 { font-size: 1rem; margin: 1.5rem 0 .4rem; }
.clause { break-inside: avoid; page-break-inside: avoid; }
.clause-label { display: block; font-family: system-ui, sans-serif; font-size: .8rem; letter-spacing: .04em; text-transform: uppercase; color: #6b6a64; margin: 1.2rem 0 -.6rem; }
blockquote { margin: .5rem 0 .5rem 1rem; padding-left: 1rem; border-left: 3px solid #d8d6cf; color: #3d3d3a; }
ul { padding-left: 1.3rem; }
li { margin: .2rem 0; }
code { font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace; font-size: .85em; overflow-wrap: anywhere; }
hr { border: 0; border-top: 1px solid #d8d6cf; margin: 2.5rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .8rem 0; }
th, td { border: 1px solid #d8d6cf; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f1efe9; }
.audit-footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid #d8d6cf; font-family: system-ui, sans-serif; font-size: .8rem; color: #5b5b57; }
.audit-footer code { display: block; margin-top: .2rem; color: #1d1d1b; }
@media (max-width: 40rem) { .document { margin: 0; padding: 1.25rem 1rem; box-shadow: none; } body { background: #fff; } }
@media print {
  @page { size: A4; margin: 2cm 2cm 2.2cm; }
  body { background: #fff; font-size: 11pt; }
  .document { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  nav, button, .no-print { display: none !important; }
  a { color: inherit; text-decoration: none; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  p, li, blockquote, tr { break-inside: avoid; page-break-inside: avoid; orphans: 3; widows: 3; }
  table, h4 + ul { break-inside: avoid; page-break-inside: avoid; }
  .decision-record { break-before: page; page-break-before: always; }
  .audit-footer { break-inside: avoid; page-break-inside: avoid; }
}
`;

export function exportHtml(data: DefinitionExport): string {
  const title = escapeHtml(data.definition.title);
  const intro = `<h1>${title}</h1>\n<p>${escapeHtml(`${data.text.source}, status ${data.definition.status}, exported ${data.exportedAt}`)}</p>\n`;
  // Each clause under its label, rendered from its own Markdown (markdown-it with HTML off: user text stays text).
  const text = `${intro}${data.text.clauses
    .map((clause) =>
      clause.kind === 'heading'
        ? `<h2>${escapeHtml(clause.text)}</h2>\n`
        : `<section class="clause"><p class="clause-label">${escapeHtml(clause.label)}</p>\n${html.render(clause.markdown)}</section>\n`,
    )
    .join('')}`;
  // Its own section, so that print can start the record on a new page.
  const record = decisionRecordMarkdown(data).join('\n');
  const head = data.audit.hash ?? 'none';
  const footer = `<footer class="audit-footer"><p>Exported ${escapeHtml(data.exportedAt)} from the ${escapeHtml(data.text.source)}. Audit log ${escapeHtml(data.audit.chain)} at event ${data.audit.seq ?? 0}; head hash:<code class="audit-head">${escapeHtml(head)}</code></p></footer>`;
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${STYLESHEET}</style></head><body>\n<article class="document">\n<main>\n${text}</main>\n<section class="decision-record">\n${html.render(record)}</section>\n${footer}\n</article>\n</body></html>\n`;
}
