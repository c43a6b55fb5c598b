import type {
  AddMemberBody,
  CreateGroupBody,
  Group,
  GroupList,
  InvitationList,
  InviteResponse,
  Member,
  MemberList,
  Role,
  UpdateGroupBody,
} from '@draftroom/shared';
import { request } from './client.ts';

const groupPath = (slug: string) => `/api/groups/${encodeURIComponent(slug)}`;
const memberPath = (slug: string, userId: string) => `${groupPath(slug)}/members/${encodeURIComponent(userId)}`;

export async function listGroups(signal?: AbortSignal): Promise<Group[]> {
  return (await request<GroupList>('GET', '/api/groups', { signal })).groups;
}

export function getGroup(slug: string, signal?: AbortSignal): Promise<Group> {
  return request<Group>('GET', groupPath(slug), { signal });
}

export function createGroup(body: CreateGroupBody): Promise<Group> {
  return request<Group>('POST', '/api/groups', { body });
}

export function updateGroup(slug: string, body: UpdateGroupBody): Promise<Group> {
  return request<Group>('PATCH', groupPath(slug), { body });
}

export async function listMembers(slug: string, signal?: AbortSignal): Promise<Member[]> {
  return (await request<MemberList>('GET', `${groupPath(slug)}/members`, { signal })).members;
}

/** Adds an account directly (a server without mail), or invites the address (with mail: the same answer for any address). */
export function addMember(slug: string, body: AddMemberBody): Promise<Member | InviteResponse> {
  return request<Member | InviteResponse>('POST', `${groupPath(slug)}/members`, { body });
}

/** The group's pending invitations (chairs), and whether adding a member invites them by email. */
export function listInvitations(slug: string, signal?: AbortSignal): Promise<InvitationList> {
  return request<InvitationList>('GET', `${groupPath(slug)}/invitations`, { signal });
}

export function revokeInvitation(slug: string, invitationId: string): Promise<void> {
  return request<void>('DELETE', `${groupPath(slug)}/invitations/${encodeURIComponent(invitationId)}`);
}

export function changeRole(slug: string, userId: string, role: Role): Promise<Member> {
  return request<Member>('PATCH', memberPath(slug, userId), { body: { role } });
}

/** Removes a member (chairs), or leaves the group when userId is the caller's own. */
export function removeMember(slug: string, userId: string): Promise<void> {
  return request<void>('DELETE', memberPath(slug, userId));
}
