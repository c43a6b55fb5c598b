import { useRef } from 'react';
import { ROLE_LABELS, type Group, type Member } from '@draftroom/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { changeRole, removeMember } from '../../api/groups.ts';
import { groupQueries, viewOf } from '../../api/queries.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { FormAlert, StatusMessage } from '../../forms/fields.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { AddMemberForm } from './AddMemberForm.tsx';
import { MemberRow } from './MemberRow.tsx';
import { useGroupAction } from './useGroupAction.ts';

export function MembersSection({ group }: { group: Group }) {
  const { user } = useSession();
  const client = useQueryClient();
  const members = viewOf(useQuery(groupQueries.members(group.slug)));
  const action = useGroupAction();
  const heading = useRef<HTMLHeadingElement>(null);
  const canManage = group.allowedActions.includes('members.manage');

  // The member list, the group's member count and my role may all have moved.
  const afterChange = () => void client.invalidateQueries({ queryKey: queryKeys.group(group.slug) });

  async function saveRole(member: Member, role: Member['role']) {
    if (role === member.role) return;
    const ok = await action.run(
      () => changeRole(group.slug, member.userId, role),
      (updated) => `${updated.displayName} is now ${ROLE_LABELS[updated.role]}.`,
    );
    if (ok) afterChange();
  }

  async function remove(member: Member) {
    const ok = await action.run(() => removeMember(group.slug, member.userId), `${member.displayName} was removed from the group.`);
    if (ok) {
      // The row and its focused button are gone: continue from the list's heading.
      heading.current?.focus();
      afterChange();
    }
  }

  return (
    <section aria-labelledby="members-heading" className="card">
      <h2 id="members-heading" ref={heading} tabIndex={-1}>
        Members
      </h2>
      <StatusMessage message={action.status} />
      <FormAlert message={action.error} />
      {members.status === 'loading' && <p role="status">Loading members…</p>}
      {members.status === 'error' && (
        <div role="alert" className="alert alert-error">
          <p>{members.error.message}</p>
          <button type="button" className="button" onClick={members.retry}>
            Try again
          </button>
        </div>
      )}
      {members.status === 'ready' && (
        <ul className="member-list">
          {members.data.map((member) => (
            <MemberRow
              key={member.userId}
              member={member}
              isMe={member.userId === user?.id}
              canManage={canManage}
              pending={action.pending}
              onSaveRole={(role) => saveRole(member, role)}
              onRemove={() => remove(member)}
            />
          ))}
        </ul>
      )}
      {canManage && (
        <div className="add-member">
          <h3>Add a member</h3>
          <AddMemberForm
            slug={group.slug}
            onAdded={(member) => {
              afterChange();
              return `${member.displayName} was added as ${ROLE_LABELS[member.role]}.`;
            }}
          />
        </div>
      )}
    </section>
  );
}
