import { useRef, useState } from 'react';
import { ROLE_LABELS, ROLES, type Invitation, type Member, type Role } from '@draftroom/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { addMember, revokeInvitation } from '../../api/groups.ts';
import { groupQueries, viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { FormAlert, SelectField, StatusMessage, SubmitButton, TextField } from '../../forms/fields.tsx';
import { useApiForm } from '../../forms/useApiForm.ts';
import { useGroupAction } from './useGroupAction.ts';

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/**
 * Adds a member. On a server that sends mail, every address is *invited* — with or without an
 * account, the answer is the same (so nobody learns who has an account) — and the pending invitations
 * are listed below the form until their people accept. `onAdded` (direct adds) returns the sentence to announce.
 */
export function AddMemberForm({ slug, onAdded }: { slug: string; onAdded(member: Member): string }) {
  const [done, setDone] = useState<string | null>(null);
  const form = useApiForm({ email: { label: 'Email' }, role: { label: 'Role' } });
  const client = useQueryClient();
  const pending = viewOf(useQuery(groupQueries.invitations(slug)));
  const reloadPending = () => void client.invalidateQueries({ queryKey: queryKeys.groupInvitations(slug) });
  const byEmail = pending.status === 'ready' && pending.data.invitesByEmail;

  const submit = form.onSubmit(async ({ email, role }, element) => {
    setDone(null);
    const answer = await addMember(slug, { email: email.trim(), role: role as Role });
    element.reset();
    if ('userId' in answer) {
      setDone(onAdded(answer));
      return;
    }
    const { invitation } = answer;
    setDone(`Invitation sent to ${invitation.email} as ${ROLE_LABELS[invitation.role]}. They join the member list once they accept it.`);
    reloadPending();
  });

  return (
    <>
      <form className="form form-inline" onSubmit={submit} noValidate>
        <StatusMessage message={done} />
        <FormAlert message={form.formError} />
        <div className="form-row">
          <TextField
            {...form.field('email')}
            hint={
              byEmail
                ? 'We email them an invitation: with an account they accept it, without one they register with this address.'
                : 'The person needs a Draftroom account.'
            }
            type="email"
            autoComplete="off"
            required
            maxLength={254}
          />
          <SelectField {...form.field('role')} options={ROLE_OPTIONS} defaultValue="member" />
        </div>
        <div className="form-actions">
          <SubmitButton pending={form.pending} pendingText={byEmail ? 'Inviting…' : 'Adding…'}>
            {byEmail ? 'Send invitation' : 'Add member'}
          </SubmitButton>
        </div>
      </form>
      {pending.status === 'ready' && pending.data.invitations.length > 0 && (
        <PendingInvitations slug={slug} invitations={pending.data.invitations} onRevoked={reloadPending} />
      )}
    </>
  );
}

function PendingInvitations({ slug, invitations, onRevoked }: { slug: string; invitations: Invitation[]; onRevoked(): void }) {
  const action = useGroupAction();
  const heading = useRef<HTMLHeadingElement>(null);

  async function revoke(invitation: Invitation) {
    const ok = await action.run(() => revokeInvitation(slug, invitation.id), `The invitation to ${invitation.email} was revoked.`);
    if (ok) {
      // The row and its focused button are gone: continue from the list's heading.
      heading.current?.focus();
      onRevoked();
    }
  }

  return (
    <section aria-labelledby="pending-invitations-heading" className="pending-invitations">
      <h4 id="pending-invitations-heading" ref={heading} tabIndex={-1}>
        Pending invitations
      </h4>
      <StatusMessage message={action.status} />
      <FormAlert message={action.error} />
      <ul className="member-list">
        {invitations.map((invitation) => (
          <li key={invitation.id} className="member">
            <div className="member-who">
              <span className="member-name">{invitation.email}</span>
              <span className="member-email">
                invited by {invitation.invitedBy} on {new Date(invitation.invitedAt).toLocaleDateString()}
              </span>
            </div>
            <span className="badge badge-role">{ROLE_LABELS[invitation.role]}</span>
            <div className="member-remove">
              <button
                type="button"
                className="button button-small button-quiet button-quiet-danger"
                aria-disabled={action.pending || undefined}
                onClick={() => revoke(invitation)}
              >
                Revoke<span className="visually-hidden"> the invitation to {invitation.email}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
