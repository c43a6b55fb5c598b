import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import type { EndorseBody, Endorsement, EndorsementKind, EndorsementList } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { endorse, endorsementQueries, verifyEndorsement, withdrawEndorsement } from '../../api/endorsements.ts';
import { viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { FormAlert, StatusMessage, SubmitButton, TextAreaField, TextField } from '../../forms/fields.tsx';
import { type FieldSpecs, formErrorMessage, mapApiError } from '../../forms/messages.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { loginPath } from '../../session/next.ts';
import { Day } from './parts.tsx';

interface EndorsementsProps {
  definitionId: string;
  label: string;
}

/**
 * Who endorses a published version: counts, the current endorsements (organisations first, verified
 * first), the withdrawn ones on the record, and for a signed-in reader a way to endorse or withdraw.
 */
export function Endorsements({ definitionId, label }: EndorsementsProps) {
  const list = viewOf(useQuery(endorsementQueries.list(definitionId, label)));
  const { hash } = useLocation();
  const loaded = list.status === 'ready';
  // Back from signing in (`#endorsements`): to the section.
  useEffect(() => {
    if (loaded && hash === '#endorsements') document.getElementById('endorsements')?.scrollIntoView();
  }, [loaded, hash]);

  return (
    <section id="endorsements" className="endorsements" aria-labelledby="endorsements-heading" tabIndex={-1}>
      <h2 id="endorsements-heading">Endorsements</h2>
      {list.status === 'loading' ? (
        <p role="status">Loading the endorsements…</p>
      ) : list.status === 'error' ? (
        <div className="alert alert-error" role="alert">
          The endorsements could not be loaded: {list.error.message}{' '}
          <button type="button" className="button button-small" onClick={list.retry}>
            Try again
          </button>
        </div>
      ) : (
        <EndorsementsView definitionId={definitionId} list={list.data} />
      )}
    </section>
  );
}

function EndorsementsView({ definitionId, list }: { definitionId: string; list: EndorsementList }) {
  const { user } = useSession();
  const { pathname, search } = useLocation();
  // The chair verifies organisations: the list says whether the caller may.
  const mayVerify = list.allowed.includes('verify');
  const { counts, version } = list;
  const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

  return (
    <>
      <ul className="register-counts endorsement-counts" aria-label="Number of endorsements">
        <li>
          <strong>{counts.individuals}</strong> {plural(counts.individuals, 'individual', 'individuals')}
        </li>
        <li>
          <strong>{counts.organisations}</strong> {plural(counts.organisations, 'organisation', 'organisations')}
        </li>
        <li className="endorsement-count-verified">
          <strong>{counts.verifiedOrganisations}</strong> verified {plural(counts.verifiedOrganisations, 'organisation', 'organisations')}
        </li>
        <li>
          <strong>{counts.withdrawn}</strong> withdrawn
        </li>
      </ul>
      {list.notYetRenewed > 0 && (
        <p className="muted endorsement-renewal">
          {list.notYetRenewed === 1
            ? '1 person who endorsed the previous version has not endorsed this one yet.'
            : `${list.notYetRenewed} people who endorsed the previous version have not endorsed this one yet.`}
        </p>
      )}

      {user === null ? (
        <p className="endorsement-sign-in">
          <Link to={loginPath(`${pathname}${search}#endorsements`)}>Sign in to endorse</Link>
          <span className="muted"> version {version.label}.</span>
        </p>
      ) : list.mine ? (
        <MyEndorsement definitionId={definitionId} mine={list.mine} />
      ) : (
        <EndorseForm definitionId={definitionId} label={version.label} />
      )}

      <h3 className="endorsement-list-heading">Who endorses version {version.label}</h3>
      {list.endorsements.length === 0 ? (
        <p className="empty">Nobody endorses version {version.label} yet.</p>
      ) : (
        <ul className="endorsement-list" aria-label={`Endorsements of version ${version.label}`}>
          {list.endorsements.map((endorsement) => (
            <li key={endorsement.id} className="endorsement card">
              <EndorsementItem endorsement={endorsement} />
              {mayVerify && endorsement.kind === 'organisation' && endorsement.verification === null && (
                <VerifyAction definitionId={definitionId} endorsement={endorsement} />
              )}
            </li>
          ))}
        </ul>
      )}

      {list.withdrawn.length > 0 && (
        <details className="endorsements-withdrawn">
          <summary>Withdrawn endorsements ({list.withdrawn.length})</summary>
          <ul className="endorsement-list" aria-label={`Withdrawn endorsements of version ${version.label}`}>
            {list.withdrawn.map((endorsement) => (
              <li key={endorsement.id} className="endorsement endorsement-withdrawn card">
                <EndorsementItem endorsement={endorsement} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

function EndorsementItem({ endorsement }: { endorsement: Endorsement }) {
  const isOrganisation = endorsement.kind === 'organisation';
  const title = isOrganisation ? endorsement.organisation : endorsement.name;
  const detail = isOrganisation
    ? [endorsement.name, endorsement.role].filter(Boolean).join(', ')
    : [endorsement.role, endorsement.organisation].filter(Boolean).join(', ');
  return (
    <>
      <p className="endorsement-head">
        <strong className="endorsement-name">{title}</strong>
        <span className="badge">{isOrganisation ? 'Organisation' : 'Individual'}</span>
        {detail && <span className="endorsement-detail">{isOrganisation ? `by ${detail}` : detail}</span>}
      </p>
      {endorsement.statement && <blockquote className="endorsement-statement">{endorsement.statement}</blockquote>}
      {endorsement.link && (
        <p className="endorsement-link">
          <a href={endorsement.link} rel="noopener noreferrer nofollow">
            {endorsement.link}
          </a>
        </p>
      )}
      <p className="endorsement-meta muted">
        {isOrganisation && (
          <span className={endorsement.verification ? 'endorsement-verified' : 'endorsement-unverified'}>
            <VerificationText endorsement={endorsement} />
          </span>
        )}
        <span>
          Endorsed <Day at={endorsement.createdAt} />
        </span>
      </p>
      {endorsement.withdrawn && (
        <p className="endorsement-withdrawal">
          Withdrawn <Day at={endorsement.withdrawn.at} />
          {endorsement.withdrawn.reason ? `: ${endorsement.withdrawn.reason}` : ' (no reason given)'}
        </p>
      )}
    </>
  );
}

function VerificationText({ endorsement }: { endorsement: Endorsement }) {
  const { verification } = endorsement;
  if (verification?.method === 'email_domain') return <>Verified: confirmed from {verification.domain}</>;
  if (verification?.method === 'chair')
    return (
      <>
        Verified by {verification.by.displayName}: {verification.note}
      </>
    );
  if (endorsement.pendingDomain) return <>Confirmation mail sent to an address at {endorsement.pendingDomain}</>;
  return <>Not verified</>;
}

type EndorseField = 'kind' | 'name' | 'organisation' | 'role' | 'statement' | 'link' | 'email';

const ENDORSE_FIELDS: FieldSpecs<EndorseField> = {
  kind: { label: 'Endorsing as' },
  name: { label: 'Name' },
  organisation: { label: 'Organisation' },
  role: { label: 'Role' },
  statement: { label: 'Statement' },
  link: { label: 'Website', patternMessage: 'Give the whole address, starting with https://' },
  email: { label: 'Address to confirm from', patternMessage: 'Enter an email address like name@example.org' },
};

function EndorseForm({ definitionId, label }: { definitionId: string; label: string }) {
  const client = useQueryClient();
  const [kind, setKind] = useState<EndorsementKind>('individual');
  const [errors, setErrors] = useState<{ fieldErrors: Partial<Record<EndorseField, string>>; formError: string | null }>({
    fieldErrors: {},
    formError: null,
  });
  const [pending, setPending] = useState(false);
  const busy = useRef(false);
  const isOrganisation = kind === 'organisation';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy.current) return;
    const data = new FormData(event.currentTarget);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const fieldErrors: Partial<Record<EndorseField, string>> = {};
    if (!value('name')) fieldErrors.name = 'Name is required';
    if (isOrganisation && !value('organisation')) fieldErrors.organisation = 'Organisation is required';
    if (Object.keys(fieldErrors).length > 0) {
      setErrors({ fieldErrors, formError: null });
      return;
    }
    const body: EndorseBody = { kind, name: value('name'), organisation: value('organisation'), role: value('role'), statement: value('statement') };
    if (isOrganisation && value('link')) body.link = value('link');
    if (isOrganisation && value('email')) body.email = value('email');
    busy.current = true;
    setPending(true);
    setErrors({ fieldErrors: {}, formError: null });
    try {
      await endorse(definitionId, label, body);
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.endorsements(definitionId, label) }),
        client.invalidateQueries({ queryKey: queryKeys.register(definitionId, label) }),
      ]);
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      setErrors(mapApiError(caught, ENDORSE_FIELDS));
    } finally {
      busy.current = false;
      setPending(false);
    }
  }

  return (
    <form className="card form endorse-form" onSubmit={submit} noValidate aria-labelledby="endorse-heading">
      <h3 id="endorse-heading">Endorse version {label}</h3>
      <FormAlert message={errors.formError} />
      <fieldset className="field radio-group endorse-kind">
        <legend>Endorsing as</legend>
        {(
          [
            ['individual', 'An individual'],
            ['organisation', 'An organisation'],
          ] as const
        ).map(([value, text]) => (
          <div className="radio" key={value}>
            <input type="radio" id={`endorse-kind-${value}`} name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
            <label htmlFor={`endorse-kind-${value}`}>{text}</label>
          </div>
        ))}
      </fieldset>
      <TextField
        label={isOrganisation ? 'Your name' : 'Name'}
        hint={isOrganisation ? 'Who gives the endorsement on the organisation’s behalf.' : 'As it should appear in the list.'}
        name="name"
        maxLength={120}
        autoComplete="name"
        error={errors.fieldErrors.name}
      />
      <TextField
        key={kind}
        label={isOrganisation ? 'Organisation' : 'Affiliation (optional)'}
        name="organisation"
        maxLength={200}
        autoComplete="organization"
        error={errors.fieldErrors.organisation}
      />
      <TextField label="Role (optional)" name="role" maxLength={120} autoComplete="organization-title" error={errors.fieldErrors.role} />
      <TextAreaField label="Statement (optional)" name="statement" rows={3} maxLength={4000} error={errors.fieldErrors.statement} />
      {isOrganisation && (
        <>
          <TextField
            label="Website (optional)"
            hint="Required to confirm by mail: the address below must be at its domain."
            name="link"
            type="url"
            inputMode="url"
            maxLength={2000}
            placeholder="https://"
            error={errors.fieldErrors.link}
          />
          <TextField
            label="Address to confirm from (optional)"
            hint="An address at the website’s domain, e.g. someone@lab.example.org. A confirmation mail goes there; once its link is opened, the endorsement shows as verified. The address is not kept."
            name="email"
            type="email"
            maxLength={254}
            autoComplete="email"
            error={errors.fieldErrors.email}
          />
        </>
      )}
      {errors.fieldErrors.kind && <p className="field-error">{errors.fieldErrors.kind}</p>}
      <div className="form-actions">
        <SubmitButton pending={pending} pendingText="Endorsing…">
          Endorse version {label}
        </SubmitButton>
      </div>
    </form>
  );
}

function MyEndorsement({ definitionId, mine }: { definitionId: string; mine: Endorsement }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const busy = useRef(false);
  const withdrawButton = useRef<HTMLButtonElement>(null);

  async function withdraw(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy.current) return;
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    busy.current = true;
    setPending(true);
    setError(null);
    try {
      await withdrawEndorsement(mine.id, reason);
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.endorsements(definitionId, mine.version.label) }),
        client.invalidateQueries({ queryKey: queryKeys.register(definitionId, mine.version.label) }),
      ]);
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      setError(formErrorMessage(caught));
    } finally {
      busy.current = false;
      setPending(false);
    }
  }

  return (
    <div className="card my-endorsement">
      <p className="my-endorsement-state">
        <strong>You endorse this version</strong>
        <span className="muted">
          {' '}
          as {mine.kind === 'organisation' ? mine.organisation : mine.name}, since <Day at={mine.createdAt} />.
        </span>
      </p>
      {open ? (
        <form className="form" onSubmit={withdraw} noValidate aria-label="Withdraw your endorsement">
          <FormAlert message={error} />
          <TextAreaField
            label="Why you withdraw it (optional)"
            hint="Shown with the withdrawal, which stays on the record with its date."
            name="reason"
            rows={2}
            maxLength={2000}
          />
          <div className="form-actions">
            <SubmitButton pending={pending} pendingText="Withdrawing…">
              Confirm withdrawal
            </SubmitButton>
            <button
              type="button"
              className="button"
              onClick={() => {
                setOpen(false);
                setError(null);
                requestAnimationFrame(() => withdrawButton.current?.focus());
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="form-actions">
          <button ref={withdrawButton} type="button" className="button" onClick={() => setOpen(true)}>
            Withdraw
          </button>
        </div>
      )}
    </div>
  );
}

function VerifyAction({ definitionId, endorsement }: { definitionId: string; endorsement: Endorsement }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [noteError, setNoteError] = useState<string | undefined>(undefined);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const busy = useRef(false);

  async function verify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy.current) return;
    const note = String(new FormData(event.currentTarget).get('note') ?? '').trim();
    if (!note) {
      setNoteError('Say how you verified it');
      return;
    }
    busy.current = true;
    setPending(true);
    setError(null);
    setNoteError(undefined);
    try {
      await verifyEndorsement(endorsement.id, note);
      setDone(`${endorsement.organisation} is verified.`);
      await client.invalidateQueries({ queryKey: queryKeys.endorsements(definitionId, endorsement.version.label) });
      await client.invalidateQueries({ queryKey: queryKeys.register(definitionId, endorsement.version.label) });
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      const mapped = mapApiError(caught, { note: { label: 'How you verified it' } });
      setNoteError(mapped.fieldErrors.note);
      setError(mapped.formError);
    } finally {
      busy.current = false;
      setPending(false);
    }
  }

  if (done) return <StatusMessage message={done} />;
  return open ? (
    <form className="form endorsement-verify" onSubmit={verify} noValidate aria-label={`Verify ${endorsement.organisation}`}>
      <FormAlert message={error} />
      <TextAreaField
        label="How you verified it"
        hint="Shown with the endorsement, e.g. “Confirmed by phone with their director”."
        name="note"
        rows={2}
        maxLength={2000}
        error={noteError}
      />
      <div className="form-actions">
        <SubmitButton pending={pending} pendingText="Verifying…">
          Verify {endorsement.organisation}
        </SubmitButton>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  ) : (
    <div className="form-actions">
      <button type="button" className="button button-small" onClick={() => setOpen(true)}>
        Verify<span className="visually-hidden"> {endorsement.organisation}</span>
      </button>
    </div>
  );
}
