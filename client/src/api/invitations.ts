import type { Group, MyInvitation, MyInvitationList } from '@draftroom/shared';
import { request } from './client.ts';

const invitationPath = (id: string) => `/api/invitations/${encodeURIComponent(id)}`;

/** Invitations addressed to the signed-in user's email address. */
export async function listMyInvitations(signal?: AbortSignal): Promise<MyInvitation[]> {
  return (await request<MyInvitationList>('GET', '/api/invitations', { signal })).invitations;
}

/** Joins the group with the offered role; answers with the group. */
export function acceptInvitation(id: string): Promise<Group> {
  return request<Group>('POST', `${invitationPath(id)}/accept`);
}

export function declineInvitation(id: string): Promise<void> {
  return request<void>('POST', `${invitationPath(id)}/decline`);
}
