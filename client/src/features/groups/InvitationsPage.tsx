import { useRef } from 'react';
import { useNavigate } from 'react-router';
import { ROLE_LABELS, type MyInvitation } from '@draftroom/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { acceptInvitation, declineInvitation } from '../../api/invitations.ts';
import { inboxQueries, viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { FormAlert, StatusMessage } from '../../forms/fields.tsx';
import { PageHeading } from '../../layout/PageHeading.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { useGroupAction } from './useGroupAction.ts';

/** Invitations addressed to my email address (the invitation mail links here). */
export function InvitationsPage() {
  const { user } = useSession();
  const client = useQueryClient();
  const invitations = viewOf(useQuery(inboxQueries.invitations()));
  const action = useGroupAction();
  const navigate = useNavigate();
  const heading = useRef<HTMLHeadingElement>(null);

  async function accept(invitation: MyInvitation) {
    const ok = await action.run(() => acceptInvitation(invitation.id), `You joined ${invitation.group.name}.`);
    if (ok) {
      // I am a member now: my groups, and this group's pages, read differently.
      void client.invalidateQueries({ queryKey: queryKeys.myInvitations() });
      void client.invalidateQueries({ queryKey: queryKeys.groups() });
      void client.invalidateQueries({ queryKey: queryKeys.group(invitation.group.slug) });
      navigate(`/groups/${invitation.group.slug}`);
    }
  }

  async function decline(invitation: MyInvitation) {
    const ok = await action.run(() => declineInvitation(invitation.id), `You declined the invitation to ${invitation.group.name}.`);
    if (ok) {
      heading.current?.focus();
      void client.invalidateQueries({ queryKey: queryKeys.myInvitations() });
    }
  }

  return (
    <div className="page page-narrow">
      <PageHeading title="Invitations">Invitations</PageHeading>
      <StatusMessage message={action.status} />
      <FormAlert message={action.error} />
      <section aria-labelledby="invitations-heading" className="card">
        <h2 id="invitations-heading" ref={heading} tabIndex={-1}>
          Invitations to {user?.email}
        </h2>
        {invitations.status === 'loading' && <p role="status">Loading invitations…</p>}
        {invitations.status === 'error' && (
          <div role="alert" className="alert alert-error">
            <p>{invitations.error.message}</p>
            <button type="button" className="button" onClick={invitations.retry}>
              Try again
            </button>
          </div>
        )}
        {invitations.status === 'ready' &&
          (invitations.data.length === 0 ? (
            <p className="empty">No invitations waiting. When a chair invites your address to a working group, it appears here.</p>
          ) : (
            <ul className="member-list">
              {invitations.data.map((invitation) => (
                <li key={invitation.id} className="member">
                  <div className="member-who">
                    <span className="member-name">{invitation.group.name}</span>
                    <span className="member-email">
                      as {ROLE_LABELS[invitation.role]}, invited by {invitation.invitedBy} on {new Date(invitation.invitedAt).toLocaleDateString()}
                    </span>
                  </div>
                  <div className="member-remove">
                    <button
                      type="button"
                      className="button button-small button-primary"
                      aria-disabled={action.pending || undefined}
                      onClick={() => accept(invitation)}
                    >
                      Join<span className="visually-hidden"> {invitation.group.name}</span>
                    </button>
                    <button
                      type="button"
                      className="button button-small button-quiet"
                      aria-disabled={action.pending || undefined}
                      onClick={() => decline(invitation)}
                    >
                      Decline<span className="visually-hidden"> the invitation to {invitation.group.name}</span>
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          ))}
      </section>
    </div>
  );
}
