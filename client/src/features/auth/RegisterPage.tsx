import { Link, useSearchParams } from 'react-router';
import { PASSWORD_MIN_LENGTH } from '@draftroom/shared';
import { register } from '../../api/auth.ts';
import { FormAlert, SubmitButton, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { useSession } from '../../session/SessionProvider.tsx';

export function RegisterPage() {
  const { signedIn } = useSession();
  const [params] = useSearchParams();
  const next = params.get('next');
  const form = useApiForm({
    displayName: { label: 'Name', patternMessage: 'Name is required' },
    email: { label: 'Email' },
    password: { label: 'Password' },
  });

  const submit = form.onSubmit(async ({ displayName, email, password }) => {
    signedIn(await register({ displayName: displayName.trim(), email: email.trim(), password }));
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
