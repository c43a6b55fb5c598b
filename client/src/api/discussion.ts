import type { Anchor, ModerationLog, NotificationPage, Thread, ThreadList } from '@draftroom/shared';
import { request } from './client.ts';

const definitionPath = (id: string) => `/api/definitions/${encodeURIComponent(id)}`;
const threadPath = (id: string) => `/api/threads/${encodeURIComponent(id)}`;
const commentPath = (id: string) => `/api/comments/${encodeURIComponent(id)}`;

export interface ThreadFilter {
  status?: 'open' | 'resolved';
  mine?: boolean;
  clauseId?: string;
}

/** A definition's threads, oldest first. */
export async function listThreads(definitionId: string, filter: ThreadFilter, signal?: AbortSignal): Promise<Thread[]> {
  const query = { status: filter.status, clause: filter.clauseId, mine: filter.mine ? 'true' : undefined };
  return (await request<ThreadList>('GET', `${definitionPath(definitionId)}/threads`, { query, signal })).threads;
}

export function startThread(definitionId: string, body: { clauseId: string; anchor?: Anchor; body: string; mentions?: string[] }): Promise<Thread> {
  return request<Thread>('POST', `${definitionPath(definitionId)}/threads`, { body });
}

export function replyInThread(threadId: string, body: { body: string; replyTo?: string; mentions?: string[] }): Promise<Thread> {
  return request<Thread>('POST', `${threadPath(threadId)}/comments`, { body });
}

export function setThreadStatus(threadId: string, status: 'resolved' | 'open'): Promise<Thread> {
  return request<Thread>('POST', `${threadPath(threadId)}/${status === 'resolved' ? 'resolve' : 'reopen'}`);
}

export function editComment(commentId: string, body: string): Promise<Thread> {
  return request<Thread>('PATCH', commentPath(commentId), { body: { body } });
}

export function deleteComment(commentId: string): Promise<void> {
  return request<void>('DELETE', commentPath(commentId));
}

export function hideComment(commentId: string, reason: string): Promise<Thread> {
  return request<Thread>('POST', `${commentPath(commentId)}/hide`, { body: { reason } });
}

export function unhideComment(commentId: string): Promise<Thread> {
  return request<Thread>('POST', `${commentPath(commentId)}/unhide`);
}

export function setReaction(commentId: string, emoji: string, on: boolean): Promise<void> {
  return request<void>(on ? 'PUT' : 'DELETE', `${commentPath(commentId)}/reactions/${encodeURIComponent(emoji)}`);
}

export function listNotifications(signal?: AbortSignal): Promise<NotificationPage> {
  return request<NotificationPage>('GET', '/api/notifications', { signal });
}

export function markNotificationsRead(body: { all: true } | { ids: number[] }): Promise<void> {
  return request<void>('POST', '/api/notifications/read', { body });
}

/** Hide and unhide actions of moderators on the definition's comments (members may read it). */
export async function getModerationLog(definitionId: string, signal?: AbortSignal): Promise<ModerationLog['actions']> {
  return (await request<ModerationLog>('GET', `${definitionPath(definitionId)}/moderation`, { signal })).actions;
}
