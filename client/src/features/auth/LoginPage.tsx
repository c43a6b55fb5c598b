import { Link, useLocation, useSearchParams } from 'react-router';
import { login } from '../../api/auth.ts';
import { FormAlert, StatusMessage, SubmitButton, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import type { LoginNotice } from '../../session/guards.tsx';
import { useSession } from '../../session/SessionProvider.tsx';

export function LoginPage() {
  const { signedIn } = useSession();
  const [params] = useSearchParams();
  const notice = (useLocation().state as LoginNotice | null)?.notice ?? null;
  const form = useApiForm({ email: { label: 'Email' }, password: { label: 'Password' } });
  const next = params.get('next');

  // Success needs no navigation here: with a user in the session, GuestOnly sends them on to `next`.
  const submit = form.onSubmit(async ({ email, password }) => {
    signedIn(await login({ email: email.trim(), password }));
  });

  return (
    <div className="page page-narrow">
      <PageHeading title="Sign in">Sign in</PageHeading>
      <StatusMessage message={notice} />
      <form className="card form" onSubmit={submit} noValidate>
        <FormAlert message={form.formError} />
        <TextField {...form.field('email')} type="email" autoComplete="username" required maxLength={254} />
        <TextField {...form.field('password')} type="password" autoComplete="current-password" required />
        <div className="form-actions">
          <SubmitButton pending={form.pending} pendingText="Signing in…">
            Sign in
          </SubmitButton>
        </div>
      </form>
      <p>
        New to Draftroom? <Link to={next ? `/register?next=${encodeURIComponent(next)}` : '/register'}>Create an account</Link>
      </p>
    </div>
  );
}
