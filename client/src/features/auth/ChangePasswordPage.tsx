import { useState } from 'react';
import { PASSWORD_MIN_LENGTH } from '@draftroom/shared';
import { changePassword } from '../../api/auth.ts';
import { FormAlert, StatusMessage, SubmitButton, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { useSession } from '../../session/SessionProvider.tsx';

export function ChangePasswordPage() {
  const { signedIn } = useSession();
  const [done, setDone] = useState<string | null>(null);
  const form = useApiForm({
    currentPassword: { label: 'Current password' },
    newPassword: { label: 'New password' },
    confirmPassword: { label: 'Confirm new password' },
  });

  const submit = form.onSubmit(
    async ({ currentPassword, newPassword }, element) => {
      setDone(null);
      signedIn(await changePassword({ currentPassword, newPassword }));
      element.reset();
      setDone('Your password has been changed. Every other session of your account has been signed out.');
    },
    ({ newPassword, confirmPassword }) => (newPassword === confirmPassword ? {} : { confirmPassword: 'Confirm new password must match the new password' }),
  );

  return (
    <div className="page page-narrow">
      <PageHeading title="Change password">Change password</PageHeading>
      <StatusMessage message={done} />
      <form className="card form" onSubmit={submit} noValidate>
        <FormAlert message={form.formError} />
        <TextField {...form.field('currentPassword')} type="password" autoComplete="current-password" required />
        <TextField
          {...form.field('newPassword')}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. Changing it signs you out everywhere else.`}
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
        />
        <TextField {...form.field('confirmPassword')} type="password" autoComplete="new-password" required />
        <div className="form-actions">
          <SubmitButton pending={form.pending} pendingText="Changing password…">
            Change password
          </SubmitButton>
        </div>
      </form>
    </div>
  );
}
