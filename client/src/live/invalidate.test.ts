import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { applyLiveEffect, invalidate } from './invalidate.ts';

/** A read whose answers the test hands out one by one, in the order the reads were made. */
function controlledReads() {
  const waiting: ((value: string[]) => void)[] = [];
  let made = 0;
  return {
    read: () => {
      made += 1;
      return new Promise<string[]>((resolve) => waiting.push(resolve));
    },
    answer: (value: string[]) => waiting.shift()!(value),
    get made() {
      return made;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('pushed changes make cached reads stale', () => {
  let stop = () => {};
  afterEach(() => stop());

  it('a change pushed while a page’s first read is on its way is read again when that read lands (it may predate the change)', async () => {
    const client = new QueryClient();
    const reads = controlledReads();
    const observer = new QueryObserver(client, { queryKey: ['definition', 'd1', 'amendments'], queryFn: reads.read });
    stop = observer.subscribe(() => {});
    await settle();
    expect(reads.made).toBe(1);

    // The server answered the first read before the amendment was proposed; the push overtakes the answer.
    applyLiveEffect(client, { stale: [{ key: ['definition', 'd1', 'amendments'] }] });
    reads.answer([]);
    await settle();
    expect(reads.made).toBe(2);
    reads.answer(['the proposal']);
    await settle();
    expect(observer.getCurrentResult().data).toEqual(['the proposal']);
  });

  it('the same when the topic is confirmed while the first read is on its way', async () => {
    const client = new QueryClient();
    const reads = controlledReads();
    const observer = new QueryObserver(client, { queryKey: ['definition', 'd1', 'threads'], queryFn: reads.read });
    stop = observer.subscribe(() => {});
    await settle();
    invalidate(client, [{ key: ['definition', 'd1', 'threads'] }], Date.now());
    reads.answer(['first']);
    await settle();
    expect(reads.made).toBe(2);
    reads.answer(['first', 'second']);
    await settle();
    expect(observer.getCurrentResult().data).toEqual(['first', 'second']);
  });

  it('a change to what is already shown refetches once; untouched queries are not read', async () => {
    const client = new QueryClient();
    const reads = controlledReads();
    const other = controlledReads();
    const observer = new QueryObserver(client, { queryKey: ['definition', 'd1', 'ballots'], queryFn: reads.read });
    const untouched = new QueryObserver(client, { queryKey: ['definition', 'd1', 'versions'], queryFn: other.read });
    const stops = [observer.subscribe(() => {}), untouched.subscribe(() => {})];
    stop = () => {
      for (const unsubscribe of stops) unsubscribe();
    };
    await settle();
    reads.answer(['b1']);
    other.answer(['v1']);
    await settle();

    applyLiveEffect(client, { stale: [{ key: ['definition', 'd1', 'ballots'] }] });
    await settle();
    expect(reads.made).toBe(2);
    reads.answer(['b1', 'b2']);
    await settle();
    expect(reads.made).toBe(2);
    expect(other.made).toBe(1);
    expect(observer.getCurrentResult().data).toEqual(['b1', 'b2']);
  });
});
