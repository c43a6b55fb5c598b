import type { CreateThreadBody, Thread, ThreadList } from '@draftroom/shared';
import { request } from './client.ts';
import type { ThreadFilter } from './discussion.ts';

// The discussion's two audiences: the group's internal threads and the public ones (see
// `Audience` in @draftroom/shared). These calls carry the audience; api/discussion.ts has the rest.

const definitionPath = (id: string) => `/api/definitions/${encodeURIComponent(id)}`;

/** A definition's threads as the server lets this reader see them, and where the reader may start one now. */
export function listDiscussion(definitionId: string, filter: ThreadFilter & { audience?: Thread['audience'] }, signal?: AbortSignal): Promise<ThreadList> {
  const query = { status: filter.status, clause: filter.clauseId, mine: filter.mine ? 'true' : undefined, audience: filter.audience };
  return request<ThreadList>('GET', `${definitionPath(definitionId)}/threads`, { query, signal });
}

/** The public threads of a clause: what the public page shows, to members too. */
export async function listPublicThreads(definitionId: string, clauseId: string, signal?: AbortSignal): Promise<Thread[]> {
  return (await listDiscussion(definitionId, { clauseId, audience: 'public' }, signal)).threads;
}

/** Starts a thread; without an audience, members start an internal one and everyone else a public one. */
export function startThreadFor(definitionId: string, body: CreateThreadBody): Promise<Thread> {
  return request<Thread>('POST', `${definitionPath(definitionId)}/threads`, { body });
}

/** A chair makes a thread of the internal discussion public, for good. */
export function publishThread(threadId: string): Promise<Thread> {
  return request<Thread>('POST', `/api/threads/${encodeURIComponent(threadId)}/publish`);
}
