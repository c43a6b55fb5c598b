import { stat } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CommitQueue, type CommitItem, type CommitQueueOptions } from './commits.ts';

const item = (n: number): CommitItem<null> => ({ update: new Uint8Array([n]), userId: 'u', claims: [], origin: null, at: new Date() });

function queue(overrides: Partial<CommitQueueOptions<null>>) {
  const log: string[] = [];
  const q = new CommitQueue<null>({
    store: async () => {},
    committed: (batch) => void log.push(`committed ${batch.map((i) => i.update[0]).join(',')}`),
    failed: (error) => void log.push(`failed ${(error as Error).message}`),
    retryable: (error) => (error as Error).message !== 'fatal',
    log: (_error, attempt) => void log.push(`attempt ${attempt}`),
    delayMs: 0,
    retryDelayMs: 5,
    maxAttempts: 3,
    ...overrides,
  });
  return { q, log };
}

describe('the group commit of live updates', () => {
  it('takes everything queued during a commit into the next one', async () => {
    let release!: () => void;
    const stored: number[][] = [];
    const { q, log } = queue({
      store: async (batch) => {
        stored.push(batch.map((i) => i.update[0]!));
        if (stored.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    q.enqueue(item(1));
    await new Promise((resolve) => setTimeout(resolve, 5));
    q.enqueue(item(2));
    q.enqueue(item(3));
    expect(q.idle).toBe(false);
    release();
    await q.whenCommitted();
    expect(stored).toEqual([[1], [2, 3]]);
    expect(log).toEqual(['committed 1', 'committed 2,3']);
    expect(q.idle).toBe(true);
  });

  it('with no delay, commits in the same turn of the event loop (before a timer set earlier), not a millisecond later', async () => {
    const order: string[] = [];
    const { q } = queue({ store: async () => void order.push('store') });
    // Inside an I/O callback the order of immediates and timers is fixed: immediates first.
    await new Promise<void>((resolve) =>
      stat('.', () => {
        setTimeout(() => {
          order.push('timer');
          resolve();
        }, 0);
        q.enqueue(item(1));
      }),
    );
    await q.whenCommitted();
    expect(order).toEqual(['store', 'timer']);
  });

  it('retries a failing batch whole, with what arrived meanwhile, and succeeds once the database is back', async () => {
    let failures = 2;
    const stored: number[][] = [];
    const { q, log } = queue({
      store: async (batch) => {
        if (failures-- > 0) throw new Error('connection lost');
        stored.push(batch.map((i) => i.update[0]!));
      },
    });
    q.enqueue(item(1));
    q.enqueue(item(2));
    await q.whenCommitted();
    expect(stored).toEqual([[1, 2]]);
    expect(log).toEqual(['attempt 1', 'attempt 2', 'committed 1,2']);
  });

  it('gives up after its attempts and says so once, instead of retrying forever', async () => {
    const { q, log } = queue({ store: async () => Promise.reject(new Error('disk full')) });
    q.enqueue(item(1));
    await expect(q.whenCommitted()).rejects.toThrow('could not be stored');
    expect(log).toEqual(['attempt 1', 'attempt 2', 'attempt 3', 'failed disk full']);
    expect(q.idle).toBe(true);
  });

  it('gives up at once on an error retrying cannot cure', async () => {
    const { q, log } = queue({ store: async () => Promise.reject(new Error('fatal')) });
    q.enqueue(item(1));
    await expect(q.whenCommitted()).rejects.toThrow();
    expect(log).toEqual(['attempt 1', 'failed fatal']);
  });

  it('survives a failing after-commit step (broadcast, compaction) without losing the commit', async () => {
    const { q, log } = queue({
      committed: () => {
        throw new Error('broadcast failed');
      },
    });
    q.enqueue(item(1));
    await q.whenCommitted();
    expect(log).toEqual(['attempt 0']);
    expect(q.idle).toBe(true);
  });
});
