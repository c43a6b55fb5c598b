import { useEffect, useId, useRef, useState } from 'react';
import { ROLE_LABELS, ROLES, type Member, type Role } from '@draftroom/shared';

interface MemberRowProps {
  member: Member;
  isMe: boolean;
  canManage: boolean;
  pending: boolean;
  onSaveRole(role: Role): void;
  onRemove(): void;
}

export function MemberRow({ member, isMe, canManage, pending, onSaveRole, onRemove }: MemberRowProps) {
  const selectId = useId();
  const [role, setRole] = useState<Role>(member.role);
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  // Follow the saved role (after a reload), without remounting the form and losing the focus.
  useEffect(() => setRole(member.role), [member.role]);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (returnFocus.current) removeButton.current?.focus();
    returnFocus.current = false;
  }, [confirming]);

  const name = member.displayName;
  return (
    <li className="member">
      <div className="member-who">
        <span className="member-name">
          {name}
          {isMe && <span className="muted"> (you)</span>}
        </span>
        <span className="member-email">{member.email}</span>
      </div>
      {canManage ? (
        <form
          className="member-role"
          onSubmit={(event) => {
            event.preventDefault();
            if (!pending) onSaveRole(role);
          }}
        >
          <label htmlFor={selectId} className="visually-hidden">
            Role of {name}
          </label>
          <select id={selectId} value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLES.map((option) => (
              <option key={option} value={option}>
                {ROLE_LABELS[option]}
              </option>
            ))}
          </select>
          <button type="submit" className="button button-small" aria-disabled={pending || role === member.role || undefined}>
            Change role<span className="visually-hidden"> of {name}</span>
          </button>
        </form>
      ) : (
        <span className="badge badge-role">{ROLE_LABELS[member.role]}</span>
      )}
      {canManage && !isMe && (
        <div className="member-remove">
          {confirming ? (
            <div className="confirm" role="group" aria-label={`Remove ${name}?`}>
              <span>Remove {name} from the group?</span>
              <button
                ref={confirmButton}
                type="button"
                className="button button-small button-danger"
                onClick={() => {
                  if (!pending) onRemove();
                }}
              >
                Yes, remove<span className="visually-hidden"> {name}</span>
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  returnFocus.current = true;
                  setConfirming(false);
                }}
              >
                Cancel
              </button>
            </div>
          ) : (
            <button ref={removeButton} type="button" className="button button-small button-quiet button-quiet-danger" onClick={() => setConfirming(true)}>
              Remove<span className="visually-hidden"> {name}</span>
            </button>
          )}
        </div>
      )}
    </li>
  );
}
