import WebSocket from 'ws';
import { LIVE_PATH, type LiveEvent, type LiveServerMessage, type LiveTopic } from '@draftroom/shared';
import { waitFor } from './collab.ts';

/** A live-channel client in Node (the `ws` package), sending the session cookie like a browser would. */
export interface LiveTestClient {
  readonly socket: WebSocket;
  /** Every message received, in order. */
  readonly messages: LiveServerMessage[];
  /** Resolves once the socket is open and `hello` arrived. */
  readonly ready: Promise<void>;
  /** The close code and reason, once closed. */
  closed(): { code: number; reason: string } | null;
  send(message: unknown): void;
  /** Subscribes (50 topics a message, the protocol's most) and waits until every topic is answered (subscribed or refused). */
  subscribe(topics: LiveTopic[]): Promise<Record<string, string>>;
  /** Events received on a topic so far. */
  events(topic?: LiveTopic): LiveEvent[];
  /** Waits for an event matching `match`, among the messages from index `from` on (all of them by default). */
  waitForEvent(match: (event: LiveEvent, topic: LiveTopic) => boolean, what: string, from?: number): Promise<LiveEvent>;
  /**
   * A round trip: everything the server sent this socket before answering this ping has arrived once
   * it resolves. After one client saw an event, a barrier on another proves it was not sent there too.
   */
  barrier(): Promise<void>;
  close(): void;
}

export function connectLive(base: string, cookie: string | null, headers: Record<string, string> = {}): LiveTestClient {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}${LIVE_PATH}`, { headers: { ...(cookie && { cookie }), ...headers } });
  const messages: LiveServerMessage[] = [];
  let closed: { code: number; reason: string } | null = null;
  let pongs = 0;
  const ready = new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as LiveServerMessage;
      messages.push(message);
      if (message.type === 'hello') resolve();
      if (message.type === 'pong') pongs += 1;
    });
    socket.on('close', (code, reason) => {
      closed = { code, reason: reason.toString() };
      reject(new Error(`closed before hello: ${code} ${reason.toString()}`));
    });
    socket.on('error', () => {});
  });
  ready.catch(() => {});
  const client: LiveTestClient = {
    socket,
    messages,
    ready,
    closed: () => closed,
    send(message) {
      socket.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
    },
    async subscribe(topics) {
      const before = messages.length;
      const answered = (topic: string) => messages.slice(before).find((m) => (m.type === 'subscribed' || m.type === 'refused') && m.topic === topic);
      for (let i = 0; i < topics.length; i += 50) client.send({ type: 'subscribe', topics: topics.slice(i, i + 50) });
      await waitFor(() => topics.every((topic) => answered(topic)) || closed, `answers to ${topics.join(', ')}`);
      return Object.fromEntries(
        topics.map((topic) => {
          const answer = answered(topic);
          return [topic, answer?.type === 'refused' ? `refused:${answer.code}` : answer ? 'subscribed' : 'closed'];
        }),
      );
    },
    events(topic) {
      return messages.flatMap((m) => (m.type === 'event' && (topic === undefined || m.topic === topic) ? [m.event] : []));
    },
    async waitForEvent(match, what, from = 0) {
      const found = await waitFor(() => {
        for (const m of messages.slice(from)) if (m.type === 'event' && match(m.event, m.topic)) return m;
        return null;
      }, what);
      return (found as Extract<LiveServerMessage, { type: 'event' }>).event;
    },
    async barrier() {
      const target = pongs + 1;
      client.send({ type: 'ping' });
      await waitFor(() => pongs >= target || closed, 'pong');
    },
    close() {
      socket.close();
    },
  };
  return client;
}
