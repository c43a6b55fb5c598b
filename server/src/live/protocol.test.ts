import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIVE_CLOSE_CODES, LIVE_MAX_FRAME_BYTES, LIVE_MAX_MESSAGES, LIVE_MAX_TOPICS } from '@draftroom/shared';
import { useTestApp, type TestUser } from '../../test/support/app.ts';
import { waitFor } from '../../test/support/collab.ts';
import { connectLive, type LiveTestClient } from '../../test/support/live.ts';

/** The wire protocol of GET /api/live: hello, subscribe answers, ping, and every way a frame is refused. */
describe('the live socket protocol', () => {
  const t = useTestApp();
  let base: string;
  let chair: TestUser;
  let groupId: string;
  let definitionId: string;

  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    chair = await t.register('Chair');
    const slug = await t.createGroup(chair, { visibility: 'public' });
    groupId = (await t.request({ method: 'GET', url: `/api/groups/${slug}`, as: chair })).json().id;
    definitionId = (await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: chair, payload: { slug: 'osaid', title: 'OSAID' } })).json()
      .id;
  });

  const open = async (cookie: string | null) => {
    const client = connectLive(base, cookie);
    await client.ready;
    return client;
  };
  const closedWith = async (client: LiveTestClient) => (await waitFor(() => client.closed(), 'the socket to close')).code;

  /** The server still serves: a new socket is greeted and subscribes. */
  const stillServing = async () => {
    const client = await open(chair.cookie);
    expect(await client.subscribe([`definition:${definitionId}`])).toEqual({ [`definition:${definitionId}`]: 'subscribed' });
    client.close();
  };

  it('greets with the user, answers ping with pong and each topic with subscribed or refused', async () => {
    const signedIn = await open(chair.cookie);
    expect(signedIn.messages[0]).toEqual({ type: 'hello', userId: chair.user.id });
    await signedIn.barrier();
    expect(signedIn.messages.at(-1)).toEqual({ type: 'pong' });
    const missing = randomUUID();
    expect(await signedIn.subscribe(['me', `group:${groupId}`, `definition:${definitionId}`, `definition:${missing}`, `group:${missing}`])).toEqual({
      me: 'subscribed',
      [`group:${groupId}`]: 'subscribed',
      [`definition:${definitionId}`]: 'subscribed',
      [`definition:${missing}`]: 'refused:not_found',
      [`group:${missing}`]: 'refused:not_found',
    });
    // Subscribing again to what is followed is answered again; unsubscribing is silent.
    const before = signedIn.messages.length;
    signedIn.send({ type: 'subscribe', topics: ['me'] });
    signedIn.send({ type: 'unsubscribe', topics: ['me', `group:${groupId}`] });
    await signedIn.barrier();
    expect(signedIn.messages.slice(before)).toEqual([{ type: 'subscribed', topic: 'me' }, { type: 'pong' }]);
    signedIn.close();

    const anonymous = await open(null);
    expect(anonymous.messages[0]).toEqual({ type: 'hello', userId: null });
    expect(await anonymous.subscribe(['me', `group:${groupId}`])).toEqual({ me: 'refused:unauthenticated', [`group:${groupId}`]: 'subscribed' });
    // Hex digits and dashes in the shape of a topic, but not a uuid: refused as invalid, the socket stays.
    expect(await anonymous.subscribe([`definition:${'-'.repeat(36)}`])).toEqual({ [`definition:${'-'.repeat(36)}`]: 'refused:invalid' });
    expect(anonymous.closed()).toBeNull();
    anonymous.close();
  });

  it('closes with 1007 on a frame that is not a valid message, or too large, and keeps serving', async () => {
    const frames: (string | Buffer)[] = [
      'not json',
      Buffer.from([1, 2, 3]),
      JSON.stringify({ type: 'subscribe', topics: ['me'], extra: true }),
      JSON.stringify({ type: 'publish', topics: ['me'] }),
      JSON.stringify({ type: 'subscribe', topics: ['user:someone'] }),
      JSON.stringify({ type: 'subscribe', topics: [`definition:${definitionId.toUpperCase()}`] }),
      JSON.stringify({ type: 'subscribe', topics: Array.from({ length: 51 }, () => 'me') }),
      JSON.stringify({ type: 'ping', padding: 'x'.repeat(LIVE_MAX_FRAME_BYTES) }),
      JSON.stringify([{ type: 'ping' }]),
      'null',
    ];
    for (const frame of frames) {
      const client = await open(chair.cookie);
      if (Buffer.isBuffer(frame)) client.socket.send(frame, { binary: true });
      else client.send(frame);
      expect(await closedWith(client), String(frame).slice(0, 60)).toBe(LIVE_CLOSE_CODES.invalidMessage);
    }
    await stillServing();
    expect(t.logs.join('')).not.toContain('"level":50');
  });

  it('closes with 4429 past the topic limit or the message rate, and keeps serving', async () => {
    // Topics the reader may follow, one more than a socket may hold (refused topics are not held).
    const slug = await t.createGroup(chair);
    const topics: string[] = ['me', `group:${groupId}`, `definition:${definitionId}`];
    while (topics.length <= LIVE_MAX_TOPICS) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, LIVE_MAX_TOPICS + 1 - topics.length) }, async () => {
          const created = await t.request({
            method: 'POST',
            url: `/api/groups/${slug}/definitions`,
            as: chair,
            payload: { slug: `d-${randomUUID().slice(0, 8)}`, title: 'D' },
          });
          return `definition:${created.json().id as string}`;
        }),
      );
      topics.push(...batch);
    }
    const many = await open(chair.cookie);
    const answers = await many.subscribe(topics.slice(0, LIVE_MAX_TOPICS));
    expect(Object.values(answers).every((answer) => answer === 'subscribed')).toBe(true);
    many.send({ type: 'subscribe', topics: topics.slice(LIVE_MAX_TOPICS) });
    expect(await closedWith(many)).toBe(LIVE_CLOSE_CODES.tooMany);

    const chatty = await open(null);
    for (let i = 0; i <= LIVE_MAX_MESSAGES; i++) chatty.send({ type: 'ping' });
    expect(await closedWith(chatty)).toBe(LIVE_CLOSE_CODES.tooMany);
    await stillServing();
  });

  it('refuses a page of another origin with 4403, as the document socket does', async () => {
    const foreign = connectLive(base, chair.cookie, { origin: 'https://evil.example' });
    expect(await closedWith(foreign)).toBe(LIVE_CLOSE_CODES.forbidden);
    const ours = connectLive(base, chair.cookie, { origin: new URL(base).origin });
    await ours.ready;
    ours.close();
  });
});
