import { useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import type { Endorsement } from '@draftroom/shared';
import { ApiError } from '../../api/client.ts';
import { getRegister } from '../../api/conformance.ts';
import { confirmEndorsement } from '../../api/endorsements.ts';
import { formErrorMessage } from '../../forms/messages.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';

type State =
  | { status: 'ready' }
  | { status: 'confirming' }
  | { status: 'confirmed'; endorsement: Endorsement; title: string | null; registerPath: string | null }
  | { status: 'failed'; message: string };

/**
 * Where the link mailed to an organisation's address leads (`/endorsements/confirm#token=…`: the
 * fragment never reaches a server or its logs). Nothing happens until the reader presses Confirm, as
 * on the account confirmation page: a mail scanner that opens links must not verify an organisation.
 * The token is sent once, and the endorsement is verified from the address's domain.
 */
export function ConfirmEndorsementPage() {
  const token = new URLSearchParams(useLocation().hash.slice(1)).get('token') ?? '';
  const [state, setState] = useState<State>({ status: 'ready' });
  const sent = useRef(false);

  const confirm = () => {
    if (!token || sent.current) return;
    sent.current = true;
    setState({ status: 'confirming' });
    confirmEndorsement(token).then(
      async (endorsement) => {
        // The register names the group (for its address) and the definition; a private group's is not readable signed out.
        const register = await getRegister(endorsement.definitionId, endorsement.version.label).catch(() => null);
        setState({
          status: 'confirmed',
          endorsement,
          title: register?.definition.title ?? null,
          registerPath: register
            ? `/groups/${encodeURIComponent(register.group.slug)}/definitions/${encodeURIComponent(endorsement.definitionId)}/versions/${encodeURIComponent(endorsement.version.label)}/register#endorsements`
            : null,
        });
      },
      (error: unknown) => {
        const message =
          error instanceof ApiError && error.status === 404
            ? 'This confirmation link is invalid, already used or expired (links work once, for 7 days). If the endorsement still needs verifying, endorse again with the address to get a new link, or ask a chair of the group.'
            : error instanceof ApiError
              ? `The endorsement could not be confirmed: ${formErrorMessage(error)}`
              : 'The endorsement could not be confirmed. Reload the page to try again.';
        setState({ status: 'failed', message });
      },
    );
  };

  return (
    <div className="page page-narrow">
      <PageHeading title="Confirm an endorsement">Confirm an endorsement</PageHeading>
      {!token ? (
        <p className="card" role="alert">
          This link is incomplete. Open the whole link from the email, or copy it into the address bar in one piece.
        </p>
      ) : state.status === 'ready' ? (
        <div className="card">
          <p>An organisation’s endorsement named this address’s domain to confirm it. If the organisation stands behind it, confirm it here.</p>
          <button type="button" className="button button-primary" onClick={confirm}>
            Confirm the endorsement
          </button>
        </div>
      ) : state.status === 'confirming' ? (
        <p role="status">Confirming the endorsement…</p>
      ) : state.status === 'failed' ? (
        <p className="alert alert-error" role="alert">
          {state.message}
        </p>
      ) : (
        <div className="card">
          <p role="status" className="endorsement-confirmed">
            Confirmed: {state.endorsement.organisation}’s endorsement of {state.title ? `${state.title} ` : ''}version {state.endorsement.version.label} is
            verified from {state.endorsement.verification?.method === 'email_domain' ? state.endorsement.verification.domain : 'its domain'}.
          </p>
          {state.registerPath && (
            <p>
              <Link to={state.registerPath}>See the endorsements of version {state.endorsement.version.label}</Link>
            </p>
          )}
        </div>
      )}
    </div>
  );
}
