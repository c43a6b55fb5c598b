import { useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { confirmRegistration } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { FormAlert, SubmitButton } from '../../forms/fields.tsx';
import { formErrorMessage } from '../../forms/messages.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import type { GroupsPageNotice } from '../groups/GroupsPage.tsx';

/**
 * Where the emailed confirmation link leads (`/confirm#token=…`: the fragment never reaches a server
 * or its logs). Confirming takes a click, so a mail scanner that opens links spends nothing.
 */
export function ConfirmPage() {
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const token = new URLSearchParams(useLocation().hash.slice(1)).get('token') ?? '';
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const busy = useRef(false);

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy.current) return;
    busy.current = true;
    setPending(true);
    setError(null);
    try {
      const user = await confirmRegistration({ token });
      signedIn(user);
      const notice = `Your address is confirmed. Welcome to Draftroom, ${user.displayName}!`;
      navigate('/', { replace: true, state: { notice } satisfies GroupsPageNotice });
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      setError(formErrorMessage(caught));
    } finally {
      busy.current = false;
      setPending(false);
    }
  }

  return (
    <div className="page page-narrow">
      <PageHeading title="Confirm your address">Confirm your address</PageHeading>
      {token ? (
        <form className="card form" onSubmit={confirm}>
          <FormAlert message={error} />
          <p>Confirm this email address to finish creating your Draftroom account. You are signed in right after.</p>
          <div className="form-actions">
            <SubmitButton pending={pending} pendingText="Confirming…">
              Confirm and sign in
            </SubmitButton>
          </div>
        </form>
      ) : (
        <p className="card">This link is incomplete. Open the whole link from the email, or copy it into the address bar in one piece.</p>
      )}
      <p>
        Confirmed already? <Link to="/login">Sign in</Link>. Link expired? <Link to="/register">Register again</Link>.
      </p>
    </div>
  );
}
