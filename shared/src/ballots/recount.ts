import type { BallotOption, BallotResult, BallotRules, MatrixMark, StandardPosition } from '../schemas/ballots.ts';
import { computeChoiceResult, computeMatrixResult, computeResult, type MatrixVote } from './rules.ts';

/*
 * Recounting an export: every closed ballot's result computed again, with the same pure rule
 * functions the server used, from what the export carries — each voter's final position for an open
 * (non-secret) ballot, the published counts for a secret one — and compared with the result the
 * export states. Used by `npm run verify` and the /verify page alike; it trusts nothing in the file.
 */

/** One ballot as an export carries it (what the recount reads of it). */
export interface RecountableBallot {
  id: string;
  title: string;
  status: string;
  format: 'positions' | 'choice' | 'matrix';
  rules: Pick<BallotRules, 'kind' | 'quorum' | 'threshold' | 'blockingObjectionFails' | 'countUnsure' | 'secret'>;
  options: BallotOption[];
  /** Eligible voters, frozen when the ballot opened. */
  eligible: number | null;
  /** Each voter's final vote (non-secret ballots); null for a secret ballot, whose export links no one to a position. */
  votes: { voter: string; position: string; marks: MatrixMark[][] | null }[] | null;
  result: BallotResult | null;
}

export interface BallotRecount {
  ballotId: string;
  title: string;
  /** agrees: the recount gives the stated result; differs: see `difference`; unchecked: nothing to recount (see `note`). */
  verdict: 'agrees' | 'differs' | 'unchecked';
  /** What the recount started from: every vote, or (secret ballots) the published counts. */
  from: 'votes' | 'counts' | null;
  /** The first place where the stated result and the recount part, as a path into the result. */
  difference: { path: string; stated: unknown; recounted: unknown } | null;
  /** What could not be checked, or why nothing was. */
  note: string | null;
}

export interface ExportRecount {
  /** Every checked ballot agrees (and the file could be read). */
  ok: boolean;
  ballots: BallotRecount[];
  /** The first ballot that differs, if any. */
  firstDifference: BallotRecount | null;
}

/** The file is not an export this can read: what is wrong and where. */
export class MalformedExport extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The ballots of an export, each checked for the fields a recount needs (anything else in the file is ignored). */
export function ballotsOfExport(data: unknown): RecountableBallot[] {
  if (!isObject(data) || !isObject(data.decisions) || !Array.isArray(data.decisions.ballots)) throw new MalformedExport('no decisions.ballots list');
  return data.decisions.ballots.map((ballot, i) => {
    const where = `decisions.ballots[${i}]`;
    if (!isObject(ballot)) throw new MalformedExport(`${where} is not an object`);
    const need = (ok: boolean, field: string) => {
      if (!ok) throw new MalformedExport(`${where}.${field} is missing or malformed`);
    };
    need(typeof ballot.id === 'string', 'id');
    need(typeof ballot.title === 'string', 'title');
    need(typeof ballot.status === 'string', 'status');
    need(ballot.format === 'positions' || ballot.format === 'choice' || ballot.format === 'matrix', 'format');
    need(isObject(ballot.rules) && typeof ballot.rules.quorum === 'number' && typeof ballot.rules.threshold === 'number', 'rules');
    need(Array.isArray(ballot.options) && ballot.options.every((o) => isObject(o) && typeof o.id === 'string'), 'options');
    need(ballot.eligible === null || (Number.isInteger(ballot.eligible) && (ballot.eligible as number) >= 0), 'eligible');
    need(
      ballot.votes === null ||
        (Array.isArray(ballot.votes) &&
          ballot.votes.every((v) => isObject(v) && typeof v.position === 'string' && (v.marks === null || Array.isArray(v.marks)))),
      'votes',
    );
    need(ballot.result === null || (isObject(ballot.result) && isObject(ballot.result.counts) && typeof ballot.result.outcome === 'string'), 'result');
    return ballot as unknown as RecountableBallot;
  });
}

/** The first difference between two JSON-like values, as a dotted path (the values compared as JSON). */
function firstDifference(stated: unknown, recounted: unknown, path: string): { path: string; stated: unknown; recounted: unknown } | null {
  if (isObject(stated) && isObject(recounted)) {
    for (const key of [...new Set([...Object.keys(recounted), ...Object.keys(stated)])]) {
      const found = firstDifference(stated[key], recounted[key], path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return null;
  }
  if (Array.isArray(stated) && Array.isArray(recounted)) {
    for (let i = 0; i < Math.max(stated.length, recounted.length); i++) {
      const found = firstDifference(stated[i], recounted[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  // Shares are compared to the ninth decimal: JSON keeps them exactly, but another producer may round.
  if (typeof stated === 'number' && typeof recounted === 'number') return Math.abs(stated - recounted) < 1e-9 ? null : { path, stated, recounted };
  return stated === recounted ? null : { path, stated: stated ?? null, recounted: recounted ?? null };
}

/** Positions in the order of the counts: a secret ballot's recount starts from its published counts. */
function positionsFromCounts(counts: Record<string, number>): string[] {
  return Object.entries(counts).flatMap(([position, n]) => (Number.isInteger(n) && n > 0 ? Array.from({ length: n }, () => position) : []));
}

/** Votes that give the published per-cell counts (and turnout): all a secret matrix ballot's recount can start from. */
function matrixVotesFromResult(result: BallotResult, rows: number, columns: number): MatrixVote[] {
  const marked = (result.counts as Record<string, number>).marks ?? 0;
  const votes: MatrixVote[] = Array.from({ length: marked }, () => ({ position: 'marks', marks: Array.from({ length: rows }, () => new Array(columns)) }));
  for (const [r, row] of (result.cells ?? []).entries()) {
    for (const [c, cell] of row.entries()) {
      const marks = [
        ...Array.from({ length: cell.counts.required }, () => 'required' as const),
        ...Array.from({ length: cell.counts.not_required }, () => 'not_required' as const),
        ...Array.from({ length: cell.counts.unsure }, () => 'unsure' as const),
      ];
      for (const [i, mark] of marks.entries()) {
        const vote = votes[i];
        if (vote?.position === 'marks') vote.marks[r]![c] = mark;
      }
    }
  }
  const counts = result.counts as Record<string, number>;
  return [
    ...votes,
    ...Array.from({ length: counts.abstain ?? 0 }, () => ({ position: 'abstain' as const })),
    ...Array.from({ length: counts.recuse ?? 0 }, () => ({ position: 'recuse' as const })),
  ];
}

/** One ballot's result computed again from what the export carries, and compared with the stated one. */
export function recountBallot(ballot: RecountableBallot): BallotRecount {
  const base = { ballotId: ballot.id, title: ballot.title };
  if (ballot.status !== 'closed' || ballot.result === null)
    return { ...base, verdict: 'unchecked', from: null, difference: null, note: `${ballot.status}: no final result to recount` };
  const stated = ballot.result;
  const eligible = ballot.eligible ?? stated.turnout.eligible;
  const secret = ballot.rules.secret === true;
  // An open ballot's export carries every final vote: without them nothing backs its result.
  if (!secret && ballot.votes === null)
    return { ...base, verdict: 'differs', from: 'votes', difference: { path: 'votes', stated: null, recounted: 'every final vote' }, note: null };
  const rows = stated.cells?.length ?? 0;
  const columns = stated.cells?.[0]?.length ?? 0;
  let recounted: BallotResult;
  try {
    switch (ballot.format) {
      case 'positions':
        recounted = computeResult(
          ballot.rules,
          eligible,
          (secret ? positionsFromCounts(stated.counts) : ballot.votes!.map((v) => v.position)) as StandardPosition[],
        );
        break;
      case 'choice': {
        const choices = ballot.options.filter((o) => o.id !== 'abstain' && o.id !== 'recuse');
        recounted = computeChoiceResult(ballot.rules, eligible, choices, secret ? positionsFromCounts(stated.counts) : ballot.votes!.map((v) => v.position));
        break;
      }
      case 'matrix': {
        const votes = secret
          ? matrixVotesFromResult(stated, rows, columns)
          : ballot.votes!.map((v): MatrixVote => (v.marks ? { position: 'marks', marks: v.marks } : { position: v.position as 'abstain' | 'recuse' }));
        recounted = computeMatrixResult(ballot.rules, eligible, { rows, columns }, votes);
        break;
      }
    }
  } catch {
    return {
      ...base,
      verdict: 'differs',
      from: secret ? 'counts' : 'votes',
      difference: { path: 'votes', stated: 'readable votes', recounted: 'unreadable' },
      note: null,
    };
  }
  // A voter listed twice would be counted twice: each person has one final vote.
  if (!secret) {
    const voters = ballot.votes!.map((v) => v.voter);
    const twice = voters.find((voter, i) => voters.indexOf(voter) !== i);
    if (twice !== undefined)
      return { ...base, verdict: 'differs', from: 'votes', difference: { path: 'votes', stated: `${twice} once`, recounted: `${twice} twice` }, note: null };
  }
  const difference = firstDifference(stated, recounted, '');
  return {
    ...base,
    verdict: difference ? 'differs' : 'agrees',
    from: secret ? 'counts' : 'votes',
    difference,
    note: secret ? 'Secret ballot: recounted from the published counts; who voted how, and the counts themselves, cannot be checked from an export.' : null,
  };
}

/** Every ballot of an export recounted. Throws MalformedExport when the file is not one. */
export function recountExport(data: unknown): ExportRecount {
  const ballots = ballotsOfExport(data).map(recountBallot);
  const firstDifference = ballots.find((ballot) => ballot.verdict === 'differs') ?? null;
  return { ok: firstDifference === null, ballots, firstDifference };
}

/** The audit-log event an export names, and the server it came from; or why there is nothing to check. */
export type AuditClaim = { definitionId: string; seq: number; hash: string; server: string | null } | { unchecked: string };

export function auditClaimOf(data: unknown): AuditClaim {
  const record = isObject(data) ? data : {};
  const audit = isObject(record.audit) ? record.audit : null;
  const definitionId = isObject(record.definition) && typeof record.definition.id === 'string' ? record.definition.id : null;
  if (!audit || typeof audit.seq !== 'number' || typeof audit.hash !== 'string' || !definitionId) return { unchecked: 'the export names no audit-log event' };
  return { definitionId, seq: audit.seq, hash: audit.hash, server: typeof audit.server === 'string' ? audit.server : null };
}

/** What the log says of an export's head: the event it names has that hash (agrees), another or none (differs). */
export type AuditVerdict =
  | { status: 'agrees'; seq: number; headSeq: number }
  | { status: 'differs'; seq: number; stated: string; found: string | null }
  | { status: 'unchecked'; reason: string };

/** Compares the server's answer (GET /api/definitions/:id/audit/:seq) with what the export states. */
export function compareAuditHead(claim: { seq: number; hash: string }, check: { hash: string | null; head: { seq: number } }): AuditVerdict {
  if (check.hash === claim.hash) return { status: 'agrees', seq: claim.seq, headSeq: check.head.seq };
  return { status: 'differs', seq: claim.seq, stated: claim.hash, found: check.hash };
}

/** The export's definition title, as reports name it. */
export function exportTitle(data: unknown): string {
  return isObject(data) && isObject(data.definition) && typeof data.definition.title === 'string' ? data.definition.title : 'the definition';
}
