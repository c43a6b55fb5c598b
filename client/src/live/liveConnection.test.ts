import { describe, expect, it } from 'vitest';
import { LIVE_CLOSE_CODES, type LiveEvent } from '@draftroom/shared';
import { backoffDelay, LiveConnection, type LiveHandlers, type LiveSocket } from './liveConnection.ts';

/** A socket driven by the test: what the client sent, and the server's side of the conversation. */
class FakeSocket implements LiveSocket {
  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | null = null;
  onopen: LiveSocket['onopen'] = null;
  onmessage: LiveSocket['onmessage'] = null;
  onclose: LiveSocket['onclose'] = null;
  onerror: LiveSocket['onerror'] = null;

  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
    this.say({ type: 'hello', userId: null });
  }
  say(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

/** Timers the test fires by hand, in order of when they were due. */
class Clock {
  now = 1_000;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private next = 0;
  set = (callback: () => void, ms: number) => {
    const id = this.next++;
    this.timers.push({ at: this.now + ms, callback, id });
    return id;
  };
  clear = (id: unknown) => {
    this.timers = this.timers.filter((timer) => timer.id !== id);
  };
  /** Moves time forward, firing what falls due. */
  advance(ms: number) {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.now = due.at;
      due.callback();
    }
    this.now = until;
  }
  get pending() {
    return this.timers.map((timer) => timer.at - this.now);
  }
}

const flush = () => new Promise<void>((resolve) => queueMicrotask(resolve));

function setup() {
  const sockets: FakeSocket[] = [];
  const clock = new Clock();
  const calls: string[] = [];
  const events: [string, LiveEvent][] = [];
  const subscribed: [string, number][] = [];
  const handlers: LiveHandlers = {
    onEvent: (topic, event) => events.push([topic, event]),
    onSubscribed: (topic, sentAt) => subscribed.push([topic, sentAt]),
    onRevoked: (topic) => calls.push(`revoked ${topic}`),
    onRefused: (topic, code) => calls.push(`refused ${topic} ${code}`),
    onResync: () => calls.push('resync'),
    onSessionEnded: () => calls.push('session ended'),
  };
  const connection = new LiveConnection('ws://test/api/live', handlers, {
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
    now: () => clock.now,
    random: () => 1,
    setTimer: clock.set,
    clearTimer: clock.clear,
    initialDelayMs: 500,
    maxDelayMs: 8_000,
    pingMs: 30_000,
  });
  return { connection, sockets, clock, calls, events, subscribed, last: () => sockets.at(-1)! };
}

const DEFINITION = 'definition:5f0c8a52-4a4e-4d5b-9a52-0c2c7f1d2e3a';
const GROUP = 'group:0b7e3f1a-8c2d-4e5f-9a6b-7c8d9e0f1a2b';

describe('the live connection', () => {
  it('subscribes once per topic however many pages follow it, and unsubscribes when the last one goes', async () => {
    const { connection, last } = setup();
    last().open();
    const first = connection.subscribe(DEFINITION);
    const second = connection.subscribe(DEFINITION);
    await flush();
    expect(last().sent).toEqual([{ type: 'subscribe', topics: [DEFINITION] }]);
    first();
    first(); // calling it twice counts once
    await flush();
    expect(last().sent).toHaveLength(1);
    second();
    await flush();
    expect(last().sent.at(-1)).toEqual({ type: 'unsubscribe', topics: [DEFINITION] });
  });

  it('sends nothing when a page unmounts and mounts again within the same task (StrictMode, quick navigation)', async () => {
    const { connection, last } = setup();
    last().open();
    connection.subscribe(GROUP)();
    connection.subscribe(GROUP);
    await flush();
    expect(last().sent).toEqual([{ type: 'subscribe', topics: [GROUP] }]);
  });

  it('asks for topics chosen before the socket opened once it opens, in batches the protocol allows', async () => {
    const { connection, last } = setup();
    const topics = Array.from({ length: 51 }, (_, i) => `definition:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const topic of topics) connection.subscribe(topic);
    await flush();
    expect(last().sent).toEqual([]);
    last().open();
    expect(last().sent).toEqual([
      { type: 'subscribe', topics: topics.slice(0, 50) },
      { type: 'subscribe', topics: topics.slice(50) },
    ]);
  });

  it('passes events on, and reports each confirmed topic with the time it was asked for', async () => {
    const { connection, last, clock, events, subscribed, calls } = setup();
    last().open();
    connection.subscribe(DEFINITION);
    await flush();
    const askedAt = clock.now;
    clock.advance(40);
    last().say({ type: 'subscribed', topic: DEFINITION });
    expect(subscribed).toEqual([[DEFINITION, askedAt]]);
    expect(connection.topics.has(DEFINITION)).toBe(true);
    last().say({ type: 'event', topic: DEFINITION, event: { kind: 'thread.changed', threadId: 't1' } });
    expect(events).toEqual([[DEFINITION, { kind: 'thread.changed', threadId: 't1' }]]);
    last().say({ type: 'revoked', topic: DEFINITION });
    expect(calls).toEqual([`revoked ${DEFINITION}`]);
    expect(connection.topics.has(DEFINITION)).toBe(false);
    // Garbage and unknown messages are ignored.
    last().onmessage?.({ data: 'not json' });
    last().say({ type: 'event', topic: DEFINITION, event: { nokind: true } });
    last().say({ type: 'something-new' });
    expect(events).toHaveLength(1);
  });

  it('reconnects with growing delays, subscribes again, and then asks for everything to be read again', async () => {
    const { connection, sockets, last, clock, calls } = setup();
    last().open();
    connection.subscribe(DEFINITION);
    await flush();
    expect(calls).toEqual([]); // the first hello is no resync

    last().drop();
    expect(connection.currentStatus).toBe('offline');
    expect(clock.pending).toEqual([500]);
    clock.advance(500);
    expect(sockets).toHaveLength(2);
    last().drop(); // the server is still away
    expect(clock.pending).toEqual([1_000]);
    clock.advance(1_000);
    last().drop();
    clock.advance(2_000);
    last().drop();
    clock.advance(4_000);
    last().drop();
    expect(clock.pending).toEqual([8_000]); // capped
    clock.advance(8_000);
    expect(sockets).toHaveLength(6);

    last().open();
    expect(last().sent).toEqual([{ type: 'subscribe', topics: [DEFINITION] }]);
    expect(calls).toEqual(['resync']);
    // Back: the next drop starts from the shortest delay again.
    last().drop();
    expect(clock.pending).toEqual([500]);
  });

  it('after "session ended" tells the page and comes back (anonymously); after "too many" waits the longest', () => {
    const { last, clock, calls } = setup();
    last().open();
    last().drop(LIVE_CLOSE_CODES.sessionEnded);
    expect(calls).toEqual(['session ended']);
    clock.advance(500);
    last().open();
    last().drop(LIVE_CLOSE_CODES.tooMany);
    expect(clock.pending).toEqual([8_000]);
  });

  it('does not come back after a refusal for good (a page of another origin)', () => {
    const { last, clock, sockets } = setup();
    last().drop(LIVE_CLOSE_CODES.forbidden);
    clock.advance(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('reads everything again when the server says it may have missed changes', () => {
    const { last, calls } = setup();
    last().open();
    last().say({ type: 'resync' });
    expect(calls).toEqual(['resync']);
  });

  it('pings an idle socket and, when nothing comes back, gives it up and reconnects', () => {
    const { last, sockets, clock } = setup();
    last().open();
    const first = last();
    clock.advance(30_000);
    expect(first.sent).toEqual([{ type: 'ping' }]);
    first.say({ type: 'pong' });
    clock.advance(30_000);
    expect(first.sent).toEqual([{ type: 'ping' }, { type: 'ping' }]);
    // No answer to the second ping: the socket is dead without having said so.
    clock.advance(30_000);
    expect(first.closedWith).toBe(4000);
    clock.advance(500);
    expect(sockets).toHaveLength(2);
  });

  it('gives the socket up when the browser goes offline, and hurries back when it is online again', () => {
    const { connection, last, sockets, clock, calls } = setup();
    last().open();
    const first = last();
    connection.interrupt();
    expect(first.closedWith).toBe(1000);
    expect(connection.currentStatus).toBe('offline');
    expect(clock.pending).toEqual([500]);
    connection.wake();
    expect(sockets).toHaveLength(2);
    expect(clock.pending).toEqual([]);
    last().open();
    expect(calls).toEqual(['resync']);
  });

  it('closing stops everything: no reconnect, no more handlers', () => {
    const { connection, last, clock, sockets } = setup();
    last().open();
    connection.close();
    expect(last().closedWith).toBe(1000);
    clock.advance(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('the backoff doubles, is capped, and keeps between half and all of the delay as jitter', () => {
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, 500, 30_000, () => 1))).toEqual([500, 1_000, 2_000, 4_000, 30_000]);
    expect(backoffDelay(2, 500, 30_000, () => 0)).toBe(1_000);
  });
});
