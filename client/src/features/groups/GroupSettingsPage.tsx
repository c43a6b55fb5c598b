import { useState } from 'react';
import type { UpdateGroupBody, Visibility } from '@draftroom/shared';
import { updateGroup } from '../../api/groups.ts';
import { FormAlert, RadioGroupField, StatusMessage, SubmitButton, TextAreaField, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { useGroup } from './GroupLayout.tsx';
import { VISIBILITY_OPTIONS } from './labels.ts';

export function GroupSettingsPage() {
  const { group, setGroup } = useGroup();
  const [done, setDone] = useState<string | null>(null);
  const form = useApiForm({ name: { label: 'Name' }, charter: { label: 'Charter' }, visibility: { label: 'Visibility' } });

  if (!group.allowedActions.includes('group.update')) {
    return (
      <section aria-labelledby="settings-heading" className="card">
        <h2 id="settings-heading">Settings</h2>
        <p>Only a chair of this group can change its settings.</p>
      </section>
    );
  }

  // Only what changed is sent, so the audit log records just that.
  const submit = form.onSubmit(async (values) => {
    setDone(null);
    const changes: UpdateGroupBody = {};
    if (values.name.trim() !== group.name) changes.name = values.name.trim();
    if (values.charter !== group.charter) changes.charter = values.charter;
    if (values.visibility !== group.visibility) changes.visibility = values.visibility as Visibility;
    if (Object.keys(changes).length === 0) {
      setDone('Nothing has changed.');
      return;
    }
    setGroup(await updateGroup(group.slug, changes));
    setDone('The settings have been saved.');
  });

  return (
    <section aria-labelledby="settings-heading" className="card">
      <h2 id="settings-heading">Settings</h2>
      <StatusMessage message={done} />
      <form className="form" onSubmit={submit} noValidate>
        <FormAlert message={form.formError} />
        <TextField {...form.field('name')} required maxLength={120} defaultValue={group.name} />
        <TextAreaField {...form.field('charter')} rows={8} maxLength={20000} defaultValue={group.charter} />
        <RadioGroupField {...form.field('visibility')} options={VISIBILITY_OPTIONS} defaultValue={group.visibility} />
        <p className="muted">
          The address <code>/groups/{group.slug}</code> stays the same.
        </p>
        <div className="form-actions">
          <SubmitButton pending={form.pending} pendingText="Saving…">
            Save settings
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
