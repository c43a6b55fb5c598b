import { useMutation, useMutationState, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateThreadBody, ReplyBody, Thread, ThreadList } from '@draftroom/shared';
import { startThreadFor } from '../../api/audience.ts';
import { replyInThread } from '../../api/discussion.ts';
import { queryKeys } from '../../api/queryKeys.ts';

// Posting is optimistic: a comment being sent shows in its thread (a thread being started, in its
// clause's list) at once, marked as sending, and is drawn from the pending mutation itself rather than
// written into the cache — so a pushed refresh of the thread list meanwhile cannot lose it, and a
// refusal takes it away again (the rollback) while the form says why and gives the text back.

const replyKey = (threadId: string) => ['reply', threadId] as const;
const startKey = (definitionId: string) => ['start-thread', definitionId] as const;

type CachedThreads = ThreadList | Thread[] | undefined;

/** Puts a thread as the server now has it into every cached list of its definition that holds it. */
export function storeThread(client: QueryClient, thread: Thread): void {
  const swap = (threads: Thread[]) => threads.map((existing) => (existing.id === thread.id ? thread : existing));
  client.setQueriesData<CachedThreads>({ queryKey: queryKeys.threads(thread.definitionId) }, (cached) => {
    if (!cached) return cached;
    return Array.isArray(cached) ? swap(cached) : { ...cached, threads: swap(cached.threads) };
  });
}

/** Reads the definition's thread lists again (only the lists on screen are fetched now). */
export function refreshThreads(client: QueryClient, definitionId: string): Promise<void> {
  return client.invalidateQueries({ queryKey: queryKeys.threads(definitionId) });
}

/** Replying in a thread; the answer (the whole thread) replaces it in the cache. */
export function useReply(thread: Thread) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: replyKey(thread.id),
    mutationFn: (input: ReplyBody) => replyInThread(thread.id, input),
    onSuccess: async (updated) => {
      // A refresh that started before the reply was stored must not put the thread back without it.
      await client.cancelQueries({ queryKey: queryKeys.threads(updated.definitionId) });
      storeThread(client, updated);
    },
    onSettled: () => void refreshThreads(client, thread.definitionId),
  });
}

/** Replies in this thread that are on their way to the server, oldest first. */
export function usePendingReplies(threadId: string): ReplyBody[] {
  return useMutationState({
    filters: { mutationKey: replyKey(threadId), status: 'pending' },
    select: (mutation) => mutation.state.variables as ReplyBody,
  });
}

/** Starting a thread on a clause (its first comment). */
export function useStartThread(definitionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: startKey(definitionId),
    mutationFn: (input: CreateThreadBody) => startThreadFor(definitionId, input),
    // Waited for: the thread leaves the "sending" state only once the lists it belongs to hold it.
    onSettled: () => Promise.all([refreshThreads(client, definitionId), client.invalidateQueries({ queryKey: queryKeys.publicDefinition(definitionId) })]),
  });
}

/** Threads being started on this definition, oldest first. */
export function usePendingThreads(definitionId: string): CreateThreadBody[] {
  return useMutationState({
    filters: { mutationKey: startKey(definitionId), status: 'pending' },
    select: (mutation) => mutation.state.variables as CreateThreadBody,
  });
}
