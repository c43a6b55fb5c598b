import { isRole, ROLE_LABELS, type AuditEvent } from '@draftroom/shared';

const FIELD_NAMES: Record<string, string> = { name: 'name', charter: 'charter', visibility: 'visibility' };

function roleLabel(value: unknown): string {
  return isRole(value) ? ROLE_LABELS[value] : 'an unknown role';
}

function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const POSITION_WORDS: Record<string, string> = {
  yes: 'Yes',
  no_objection: 'No objection',
  object: 'Object',
  abstain: 'Abstain',
  recuse: 'Recuse',
  marks: 'on the component matrix',
};
const OUTCOME_WORDS: Record<string, string> = { passed: 'passed', failed: 'failed', no_quorum: 'no quorum', decided: 'decided' };

/**
 * One audit event as a sentence. Payloads name people by id; `nameOf` turns an id into a name (the
 * current member list knows most of them).
 */
export function describeEvent(event: AuditEvent, nameOf: (userId: string) => string | undefined): string {
  const payload = (typeof event.payload === 'object' && event.payload !== null ? event.payload : {}) as Record<string, unknown>;
  const actor = event.actor?.displayName ?? 'Draftroom';
  const subjectId = typeof payload.userId === 'string' ? payload.userId : null;
  const subject = subjectId ? (nameOf(subjectId) ?? (subjectId === event.actor?.id ? event.actor.displayName : 'a former member')) : 'someone';

  switch (event.type) {
    case 'group.created':
      return `${actor} created the group`;
    case 'group.updated': {
      const changes = typeof payload.changes === 'object' && payload.changes !== null ? (payload.changes as Record<string, unknown>) : {};
      const parts = Object.keys(changes).map((key) =>
        key === 'visibility' && typeof changes.visibility === 'string' ? `made the group ${changes.visibility}` : `changed the ${FIELD_NAMES[key] ?? key}`,
      );
      return parts.length > 0 ? `${actor} ${listText(parts)}` : `${actor} updated the group`;
    }
    case 'member.added':
      // Joined by accepting an invitation (or confirming a registration the invitation was mailed to).
      return typeof payload.invitationId === 'string'
        ? `${subject} joined as ${roleLabel(payload.role)}, invited by ${actor}`
        : `${actor} added ${subject} as ${roleLabel(payload.role)}`;
    case 'member.invited':
      // Invitations name no address or account in the log: the same for people with and without one.
      return `${actor} invited someone as ${roleLabel(payload.role)}`;
    case 'invitation.revoked':
      return `${actor} revoked an invitation`;
    case 'invitation.declined':
      return `${actor} declined an invitation`;
    case 'member.role_changed':
      return `${actor} changed the role of ${subject} from ${roleLabel(payload.from)} to ${roleLabel(payload.to)}`;
    case 'member.removed':
      return `${actor} removed ${subject} (${roleLabel(payload.role)})`;
    case 'member.left':
      return `${actor} left the group`;
    case 'ballot.created':
      return `${actor} drafted a ballot`;
    case 'ballot.updated':
      return `${actor} changed a draft ballot`;
    case 'ballot.opened':
      return typeof payload.eligible === 'number'
        ? `${actor} opened a ballot for voting (${payload.eligible} eligible)`
        : `${actor} opened a ballot for voting`;
    case 'ballot.voted':
      // How someone voted is in the log only on public ballots.
      return typeof payload.position === 'string' ? `${actor} voted ${POSITION_WORDS[payload.position] ?? payload.position}` : `${actor} voted`;
    case 'ballot.closed': {
      const outcome = typeof payload.outcome === 'string' ? OUTCOME_WORDS[payload.outcome] : undefined;
      const who = event.actor ? `${actor} closed a ballot` : 'A ballot closed at its closing time';
      return outcome ? `${who}: ${outcome}` : who;
    }
    case 'ballot.cancelled':
      return typeof payload.reason === 'string' && payload.reason ? `${actor} cancelled a ballot: ${payload.reason}` : `${actor} cancelled a ballot`;
    default:
      return `${actor}: ${event.type}`;
  }
}
