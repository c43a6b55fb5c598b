import { useState } from 'react';
import { ROLE_LABELS, ROLES, type Member, type Role } from '@draftroom/shared';
import { addMember } from '../../api/groups.ts';
import { FormAlert, SelectField, StatusMessage, SubmitButton, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/** `onAdded` returns the sentence to announce. */
export function AddMemberForm({ slug, onAdded }: { slug: string; onAdded(member: Member): string }) {
  const [done, setDone] = useState<string | null>(null);
  const form = useApiForm({ email: { label: 'Email' }, role: { label: 'Role' } });

  const submit = form.onSubmit(async ({ email, role }, element) => {
    setDone(null);
    const member = await addMember(slug, { email: email.trim(), role: role as Role });
    element.reset();
    setDone(onAdded(member));
  });

  return (
    <form className="form form-inline" onSubmit={submit} noValidate>
      <StatusMessage message={done} />
      <FormAlert message={form.formError} />
      <div className="form-row">
        <TextField {...form.field('email')} hint="The person needs a Draftroom account." type="email" autoComplete="off" required maxLength={254} />
        <SelectField {...form.field('role')} options={ROLE_OPTIONS} defaultValue="member" />
      </div>
      <div className="form-actions">
        <SubmitButton pending={form.pending} pendingText="Adding…">
          Add member
        </SubmitButton>
      </div>
    </form>
  );
}
