import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Group } from '@draftroom/shared';
import { removeMember } from '../../api/groups.ts';
import { FormAlert } from '../../forms/fields.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import type { GroupsPageNotice } from './GroupsPage.tsx';
import { useGroupAction } from './useGroupAction.ts';

export function LeaveGroup({ group }: { group: Group }) {
  const { user } = useSession();
  const navigate = useNavigate();
  const action = useGroupAction();
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const leaveButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (returnFocus.current) leaveButton.current?.focus();
    returnFocus.current = false;
  }, [confirming]);

  async function leave() {
    if (!user) return;
    const ok = await action.run(() => removeMember(group.slug, user.id), '');
    if (ok) navigate('/', { state: { notice: `You have left ${group.name}.` } satisfies GroupsPageNotice });
  }

  return (
    <section aria-labelledby="leave-heading" className="card card-quiet">
      <h2 id="leave-heading">Your membership</h2>
      <FormAlert message={action.error} />
      {confirming ? (
        <div className="confirm" role="group" aria-label="Leave the group?">
          <p>Leave {group.name}? You will need a chair to add you again.</p>
          <button ref={confirmButton} type="button" className="button button-danger" onClick={() => void leave()} aria-disabled={action.pending || undefined}>
            {action.pending ? 'Leaving…' : 'Yes, leave the group'}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              returnFocus.current = true;
              setConfirming(false);
            }}
          >
            Cancel
          </button>
        </div>
      ) : (
        <button ref={leaveButton} type="button" className="button" onClick={() => setConfirming(true)}>
          Leave group
        </button>
      )}
    </section>
  );
}
