import { CLOSE_CODES, type DefinitionStatus, type Role } from '@draftroom/shared';
import type { Connection } from '../../collab/liveDocument.ts';

export const STATUS_LABELS: Record<DefinitionStatus, string> = {
  drafting: 'Drafting',
  'public-comment': 'Public comment',
  final: 'Final',
};

export const STATUS_OPTIONS = (Object.keys(STATUS_LABELS) as DefinitionStatus[]).map((value) => ({ value, label: STATUS_LABELS[value] }));

export const DEFINITION_SLUG_HINT =
  'Part of the definition’s address: 3 to 40 lower-case letters, digits and hyphens, starting and ending with a letter or digit.';

/** Why the text is read-only for this person, in plain words; null when they may edit. */
export function readOnlyReason(role: Role | null): string {
  switch (role) {
    case 'member':
      return 'You are a member: propose amendments instead of editing.';
    case 'observer':
      return 'You are an observer: you can read the draft as it is written, but not edit it.';
    default:
      return 'You can read this draft, but not edit it.';
  }
}

export type ConnectionTone = 'busy' | 'ok' | 'warning' | 'error';

/** The sentence the connection indicator shows (and screen readers hear, politely). */
export function connectionMessage(connection: Connection, pending: boolean, canWrite: boolean, unsaved = 0): { text: string; tone: ConnectionTone } {
  const lost = pending ? ' Your latest changes could not be saved.' : '';
  const waiting = `${unsaved} ${unsaved === 1 ? 'change' : 'changes'} not saved yet — kept on this device`;
  switch (connection.kind) {
    case 'connecting':
      return unsaved > 0 ? { text: `Connecting… ${waiting} until then`, tone: 'busy' } : { text: 'Connecting…', tone: 'busy' };
    case 'online':
      if (!canWrite) return { text: 'Connected: you see changes as they are saved', tone: 'ok' };
      return pending ? { text: 'Saving…', tone: 'busy' } : { text: 'Saved', tone: 'ok' };
    case 'offline':
      if (unsaved > 0) return { text: `Offline — ${waiting}; they will sync when you are back`, tone: 'warning' };
      return connection.everSynced
        ? { text: 'Offline — your changes are kept and will sync', tone: 'warning' }
        : { text: 'Cannot reach Draftroom. Trying again…', tone: 'warning' };
    case 'load-failed':
      return { text: 'The server could not open this definition. Trying again…', tone: 'warning' };
    case 'storage-unavailable':
      return {
        text: pending
          ? 'Not saved — server storage is unavailable. Your changes are kept here and will be saved when it is back.'
          : 'Server storage is unavailable. Trying again…',
        tone: 'warning',
      };
    case 'closed':
      switch (connection.code) {
        case CLOSE_CODES.unauthenticated:
          return { text: `Your session has ended, so editing has stopped. Sign in again to continue.${lost}`, tone: 'error' };
        case CLOSE_CODES.forbidden:
          return { text: `You no longer have access to this definition, so editing has stopped.${lost}`, tone: 'error' };
        case CLOSE_CODES.notFound:
          return { text: 'This definition does not exist, or you can no longer see it.', tone: 'error' };
        case CLOSE_CODES.documentTooLarge:
          return {
            text: 'This definition has reached its size limit, so your latest change was refused. Reload the page to continue from the saved text.',
            tone: 'error',
          };
        case CLOSE_CODES.invalidContent:
          return {
            text: 'The server refused your latest change: it holds content a clause cannot have (pasted from another program?). Nothing of it was saved. Reload the page to continue from the saved text.',
            tone: 'error',
          };
        default:
          return { text: `The server closed the connection (code ${connection.code}). Reload the page to try again.${lost}`, tone: 'error' };
      }
  }
}
