import { type ChangeEvent, type DragEvent, useId, useState } from 'react';
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
import { ApiError, request } from '../../api/client.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import './verify.css';

/** What the page can say about the export's audit head. */
type Audit = { status: 'checking' } | AuditVerdict;

type State =
  | { status: 'empty' }
  | { status: 'failed'; file: string; message: string }
  | { status: 'done'; file: string; title: string; recount: ExportRecount; audit: Audit };

const MAX_BYTES = 64 * 1024 * 1024;

/** Asks this server whether its log still has the export's head (members: the log is theirs). */
async function checkAudit(data: unknown): Promise<Audit> {
  const claim = auditClaimOf(data);
  if ('unchecked' in claim) return { status: 'unchecked', reason: claim.unchecked };
  if (claim.server !== null && claim.server !== window.location.origin)
    return { status: 'unchecked', reason: `it was made on ${claim.server}, not here: check it there, or run npm run verify -- FILE --server ${claim.server}` };
  try {
    return compareAuditHead(claim, await request<AuditCheck>('GET', `/api/definitions/${encodeURIComponent(claim.definitionId)}/audit/${claim.seq}`));
  } catch (error) {
    if (error instanceof ApiError && [401, 403, 404].includes(error.status))
      return { status: 'unchecked', reason: 'a group’s log is shown to its members only: sign in as a member to check it' };
    return { status: 'unchecked', reason: error instanceof Error ? error.message : 'the server did not answer' };
  }
}

/**
 * Anyone drops an export (the JSON of a definition's text and decisions) and sees every closed ballot
 * recounted in their own browser, with the same rule functions the server uses, and — when the export
 * comes from this server and they may read the group's log — whether the log still has its head.
 * Nothing is uploaded: the file is read here.
 */
export function VerifyPage() {
  const [state, setState] = useState<State>({ status: 'empty' });
  const [dragging, setDragging] = useState(false);
  const inputId = useId();

  async function read(file: File) {
    if (file.size > MAX_BYTES) return setState({ status: 'failed', file: file.name, message: 'The file is larger than 64 MB: not an export.' });
    let data: unknown;
    try {
      data = JSON.parse(await file.text());
    } catch {
      return setState({ status: 'failed', file: file.name, message: 'The file is not JSON. Download the export as JSON (Decisions tab) and drop that file.' });
    }
    let recount: ExportRecount;
    try {
      recount = recountExport(data);
    } catch (error) {
      if (error instanceof MalformedExport) return setState({ status: 'failed', file: file.name, message: `Not a Draftroom export: ${error.message}.` });
      throw error;
    }
    setState({ status: 'done', file: file.name, title: exportTitle(data), recount, audit: { status: 'checking' } });
    const audit = await checkAudit(data);
    setState((current) => (current.status === 'done' && current.recount === recount ? { ...current, audit } : current));
  }

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) void read(file);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void read(file);
  };

  return (
    <div className="page page-verify">
      <PageHeading title="Verify an export">Verify an export</PageHeading>
      <p className="verify-intro">
        An export (JSON, from a definition’s Decisions tab) carries every closed ballot’s frozen rules, its result and — unless the ballot was secret — each
        voter’s final vote. Drop one here: every result is counted again in this browser with the rules the server uses, and the audit-log head it names is
        looked up in the server’s log. The file is not uploaded. The same check runs offline with <code>npm run verify -- export.json</code>.
      </p>
      <div
        className={`verify-drop${dragging ? ' verify-drop-active' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={inputId}>Export file (JSON)</label>
        <input id={inputId} type="file" accept="application/json,.json" onChange={onChange} />
        <p className="muted">or drop it here</p>
      </div>
      {state.status === 'failed' && (
        <p className="alert alert-error" role="alert">
          {state.file}: {state.message}
        </p>
      )}
      {state.status === 'done' && <Report state={state} />}
    </div>
  );
}

function Report({ state }: { state: Extract<State, { status: 'done' }> }) {
  const { recount, audit } = state;
  const first = recount.firstDifference;
  const agreed = recount.ok && audit.status !== 'differs';
  return (
    <section className="verify-report" aria-labelledby="verify-report-heading">
      <h2 id="verify-report-heading">
        {state.title} <span className="muted">({state.file})</span>
      </h2>
      <p className={`verify-verdict ${agreed ? 'verify-verdict-ok' : 'verify-verdict-bad'}`} role="status">
        {audit.status === 'checking'
          ? 'Recounted; looking up the audit head…'
          : agreed
            ? 'Everything checked agrees.'
            : first
              ? `First difference: ballot “${first.title}”, ${first.difference!.path}.`
              : 'First difference: the audit head.'}
      </p>
      <h3>Ballots ({recount.ballots.length})</h3>
      {recount.ballots.length === 0 ? (
        <p className="empty">The export records no ballot.</p>
      ) : (
        <ul className="verify-ballots">
          {recount.ballots.map((ballot) => (
            <BallotLine key={ballot.ballotId} ballot={ballot} />
          ))}
        </ul>
      )}
      <h3>Audit head</h3>
      <p className="verify-audit">
        {audit.status === 'checking'
          ? 'Looking it up…'
          : audit.status === 'agrees'
            ? `The log’s event ${audit.seq} has the hash the export states${audit.headSeq > audit.seq ? ` (the log has grown to ${audit.headSeq} since)` : ''}.`
            : audit.status === 'differs'
              ? audit.found === null
                ? `Differs: the log has no event ${audit.seq}, which the export names.`
                : `Differs: the log’s event ${audit.seq} has another hash (${audit.found}).`
              : `Not checked: ${audit.reason}.`}
      </p>
    </section>
  );
}

const VERDICT_WORDS: Record<BallotRecount['verdict'], string> = { agrees: 'Agrees', differs: 'Differs', unchecked: 'Not checked' };

function BallotLine({ ballot }: { ballot: BallotRecount }) {
  const show = (value: unknown) => JSON.stringify(value);
  return (
    <li className={`verify-ballot verify-ballot-${ballot.verdict}`}>
      <span className={`badge verify-badge-${ballot.verdict}`}>{VERDICT_WORDS[ballot.verdict]}</span> <strong>{ballot.title}</strong>
      {ballot.verdict === 'agrees' && <span className="muted"> — recounted from {ballot.from === 'votes' ? 'every vote' : 'its published counts'}</span>}
      {ballot.difference && (
        <p className="verify-difference">
          <code>{ballot.difference.path}</code>: the export says <code>{show(ballot.difference.stated)}</code>, the recount gives{' '}
          <code>{show(ballot.difference.recounted)}</code>.
        </p>
      )}
      {ballot.note && <p className="muted verify-note">{ballot.note}</p>}
    </li>
  );
}
