import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { waitFor } from '../../test/support/collab.ts';
import { connectLive, type LiveTestClient } from '../../test/support/live.ts';

/**
 * A secret ballot on the live channel: each vote is heard of as the ballot's turnout and nothing else —
 * not who voted, not how, not in which order — on the sockets and in the database notifications alike.
 */
describe('a secret ballot on the live channel', { timeout: 60_000 }, () => {
  const t = useTestApp();
  let base: string;
  let listener: pg.Client;
  const notifications: string[] = [];
  const sockets: LiveTestClient[] = [];

  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    listener = new pg.Client({ connectionString: t.database.url });
    await listener.connect();
    await listener.query('listen draftroom_live');
    listener.on('notification', (message) => notifications.push(message.payload ?? ''));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await listener?.end();
  });

  it('carries the turnout only', async () => {
    const { slug, users } = await t.groupWithRoles('public');
    const call = async (method: 'POST' | 'PUT', url: string, as = users.chair, payload?: object) => {
      const response = await t.request({ method, url, as, ...(payload && { payload }) });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json();
    };
    const definitionId = (await call('POST', `/api/groups/${slug}/definitions`, users.chair, { slug: 'osaid', title: 'OSAID' })).id as string;
    const clauseId = (await call('POST', `/api/definitions/${definitionId}/clauses`, users.editor, { text: 'Training data is required.' })).id as string;
    const ballotId = (
      await call('POST', `/api/definitions/${definitionId}/ballots`, users.chair, {
        title: 'Required?',
        subject: { kind: 'clause', clauseId },
        rules: {
          kind: 'binding',
          eligibleRoles: ['chair', 'editor', 'member'],
          quorum: 0.5,
          threshold: 0.5,
          blockingObjectionFails: false,
          secret: true,
          resultsVisibility: 'after_close',
          closesAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      })
    ).id as string;
    await call('POST', `/api/ballots/${ballotId}/open`);

    const watcher = connectLive(base, users.observer.cookie);
    sockets.push(watcher);
    await watcher.ready;
    await watcher.subscribe([`definition:${definitionId}`]);
    const from = notifications.length;
    const voters = [users.member, users.editor, users.chair];
    const positions = ['yes', 'no_objection', 'yes'];
    for (const [i, voter] of voters.entries()) {
      await call('PUT', `/api/ballots/${ballotId}/vote`, voter, { position: positions[i] });
      await watcher.waitForEvent((e) => e.kind === 'ballot.changed' && e.ballotId === ballotId && e.turnout === i + 1, `turnout ${i + 1}`);
    }
    // Changing one's vote changes nothing anyone can see but that the ballot changed.
    await call('PUT', `/api/ballots/${ballotId}/vote`, users.member, { position: 'no_objection' });
    await waitFor(() => notifications.length > from + voters.length, 'the notifications of the votes');
    const duringVoting = notifications.slice(from);
    await call('POST', `/api/ballots/${ballotId}/close`);
    await watcher.waitForEvent((e, topic) => topic === `definition:${definitionId}` && e.kind === 'ballot.changed' && e.turnout === 3, 'the close');

    const events = watcher.events().filter((e) => e.kind === 'ballot.changed');
    for (const event of events) expect(Object.keys(event).sort()).toEqual(['ballotId', 'definitionId', 'groupId', 'kind', 'turnout']);
    const turnouts = events.map((e) => e.turnout!);
    expect(turnouts).toEqual([...turnouts].sort((a, b) => a - b));

    // The database said no more: while people voted, each notification named the ballot, nothing else
    // (no audit event, so no name, time or order of anyone's vote).
    expect(duringVoting.length).toBeGreaterThanOrEqual(voters.length);
    for (const payload of duringVoting) expect(JSON.parse(payload)).toEqual({ source: 'vote', ballotId });
  });
});
