import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { CONFIRMATION_VALID_HOURS, PASSWORD_MIN_LENGTH } from '@draftroom/shared';
import { register } from '../../api/auth.ts';
import { FormAlert, SubmitButton, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { useSession } from '../../session/SessionProvider.tsx';

export function RegisterPage() {
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next');
  const form = useApiForm({
    displayName: { label: 'Name', patternMessage: 'Name is required' },
    email: { label: 'Email' },
    password: { label: 'Password' },
  });

  const submit = form.onSubmit(async ({ displayName, email, password }) => {
    const answer = await register({ displayName: displayName.trim(), email: email.trim(), password });
    if ('user' in answer) signedIn(answer.user);
    // A server that sends mail answers this for every address: the mail says what happened.
    else navigate('/register/check-email', { state: { email: answer.email } satisfies CheckEmailState });
  });

  return (
    <div className="page page-narrow">
      <PageHeading title="Create an account">Create an account</PageHeading>
      <form className="card form" onSubmit={submit} noValidate>
        <FormAlert message={form.formError} />
        <TextField {...form.field('displayName')} hint="Shown to the other members of your groups." autoComplete="name" required maxLength={80} />
        <TextField {...form.field('email')} type="email" autoComplete="email" required maxLength={254} />
        <TextField
          {...form.field('password')}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong one.`}
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
        />
        <div className="form-actions">
          <SubmitButton pending={form.pending} pendingText="Creating account…">
            Create account
          </SubmitButton>
        </div>
      </form>
      <p>
        Already registered? <Link to={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}>Sign in</Link>
      </p>
    </div>
  );
}

export interface CheckEmailState {
  email?: string;
}

/** After registering on a server that confirms addresses by mail. */
export function CheckEmailPage() {
  const email = (useLocation().state as CheckEmailState | null)?.email ?? null;
  return (
    <div className="page page-narrow">
      <PageHeading title="Check your email">Check your email</PageHeading>
      <div className="card">
        <p>
          We have sent a message to {email ? <strong>{email}</strong> : 'the address you gave'}. Open the link in it within {CONFIRMATION_VALID_HOURS} hours to
          confirm the address: your account is created then, and you are signed in.
        </p>
        <p>If this address already has an account, the message says so instead: then sign in with your password.</p>
        <p className="muted">
          Nothing after a few minutes? Look in your spam folder. Signing in with the email and password you just chose sends the link again.
        </p>
      </div>
      <p>
        <Link to="/login">Sign in</Link> · <Link to="/register">Register with another address</Link>
      </p>
    </div>
  );
}
