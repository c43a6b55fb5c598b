import {
  type AuditCheck,
  type AuditVerdict,
  auditClaimOf,
  type BallotRecount,
  compareAuditHead,
  type ExportRecount,
  exportTitle,
  MalformedExport,
  recountExport,
} from '@draftroom/shared';

/*
 * `npm run verify -- export.json`: an export checked by someone who trusts neither the file nor the
 * server. Every closed ballot is recounted from its raw votes with the rule functions the server uses
 * (shared/src/ballots/recount.ts), and the audit-log head the export names is looked up on the server
 * it came from, when that server answers.
 */

export interface VerifyReport {
  definition: string;
  recount: ExportRecount;
  audit: AuditVerdict;
  /** Everything checked agrees (what could not be checked is said, not counted against it). */
  ok: boolean;
}

export interface VerifyOptions {
  /** The server to ask about the audit head; the export's own `audit.server` when absent; null: do not ask. */
  server?: string | null;
  /** A member's session cookie (`draftroom_session=…`): the log of a group is its members'. */
  cookie?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

async function checkAudit(data: unknown, options: VerifyOptions): Promise<AuditVerdict> {
  const claim = auditClaimOf(data);
  if ('unchecked' in claim) return { status: 'unchecked', reason: claim.unchecked };
  const server = options.server === undefined ? claim.server : options.server;
  if (!server) return { status: 'unchecked', reason: 'no server to ask (give --server URL)' };
  let url: URL;
  try {
    url = new URL(`/api/definitions/${encodeURIComponent(claim.definitionId)}/audit/${claim.seq}`, server);
  } catch {
    return { status: 'unchecked', reason: `not a server address: ${server}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { status: 'unchecked', reason: `not a server address: ${server}` };
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { accept: 'application/json', ...(options.cookie && { cookie: options.cookie }) },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'error',
    });
  } catch (error) {
    return { status: 'unchecked', reason: `${url.origin} did not answer (${error instanceof Error ? error.message : String(error)})` };
  }
  if (response.status === 401 || response.status === 403 || response.status === 404)
    return { status: 'unchecked', reason: `${url.origin} shows a group's log to its members only: sign in there and pass --cookie` };
  if (!response.ok) return { status: 'unchecked', reason: `${url.origin} answered ${response.status}` };
  let check: AuditCheck;
  try {
    check = (await response.json()) as AuditCheck;
  } catch {
    return { status: 'unchecked', reason: `${url.origin} did not answer with JSON` };
  }
  if (typeof check !== 'object' || check === null || typeof check.head !== 'object' || check.head === null)
    return { status: 'unchecked', reason: `${url.origin} answered something else` };
  return compareAuditHead(claim, check);
}

/** Recounts an export and checks its audit head. Throws MalformedExport when the file is not an export. */
export async function verifyExport(data: unknown, options: VerifyOptions = {}): Promise<VerifyReport> {
  const recount = recountExport(data);
  const audit = await checkAudit(data, options);
  return { definition: exportTitle(data), recount, audit, ok: recount.ok && audit.status !== 'differs' };
}

const show = (value: unknown) => JSON.stringify(value);

function ballotLine(ballot: BallotRecount): string {
  const name = `“${ballot.title}” (${ballot.ballotId})`;
  switch (ballot.verdict) {
    case 'agrees':
      return `  agrees     ${name}, recounted from ${ballot.from === 'votes' ? 'every vote' : 'its published counts'}${ballot.note ? `\n             ${ballot.note}` : ''}`;
    case 'differs':
      return `  DIFFERS    ${name}: ${ballot.difference!.path} — the export says ${show(ballot.difference!.stated)}, the recount gives ${show(ballot.difference!.recounted)}`;
    case 'unchecked':
      return `  unchecked  ${name}: ${ballot.note}`;
  }
}

/** The report as the command prints it: one line per ballot, the audit head, and the verdict. */
export function formatReport(report: VerifyReport): string {
  const lines = [`Recount of ${report.definition}: ${report.recount.ballots.length} ballot(s)`, ...report.recount.ballots.map(ballotLine)];
  const audit = report.audit;
  if (audit.status === 'agrees')
    lines.push(
      `Audit head: the log's event ${audit.seq} has the hash the export states${audit.headSeq > audit.seq ? ` (the log has grown to ${audit.headSeq} since)` : ''}.`,
    );
  else if (audit.status === 'differs')
    lines.push(
      audit.found === null
        ? `Audit head DIFFERS: the log has no event ${audit.seq}, which the export names.`
        : `Audit head DIFFERS: the log's event ${audit.seq} has hash ${audit.found}, the export states ${audit.stated}.`,
    );
  else lines.push(`Audit head not checked: ${audit.reason}.`);
  const first = report.recount.firstDifference;
  lines.push(
    report.ok
      ? 'Everything checked agrees.'
      : first
        ? `First difference: ballot “${first.title}”, ${first.difference!.path}.`
        : 'First difference: the audit head.',
  );
  return `${lines.join('\n')}\n`;
}

export { MalformedExport };
