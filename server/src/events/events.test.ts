import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { eventHash, GENESIS_HASH } from './chain.ts';
import { groupChain, recordEvent, verifyChain } from './service.ts';

describe('audit log', () => {
  const t = useTestApp();

  /** Tampering needs the append-only trigger out of the way, as an attacker with table access would do. */
  async function asAttacker(statement: ReturnType<typeof sql>) {
    await t.db.connection().execute(async (conn) => {
      await sql`alter table events disable trigger events_no_update_or_delete`.execute(conn);
      try {
        await statement.execute(conn);
      } finally {
        await sql`alter table events enable trigger events_no_update_or_delete`.execute(conn);
      }
    });
  }

  async function groupWithHistory() {
    const { slug, users } = await t.groupWithRoles();
    await t.request({ method: 'PATCH', url: `/api/groups/${slug}`, as: users.chair, payload: { charter: 'v2' } });
    const group = await t.db.selectFrom('groups').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    return { slug, users, groupId: group.id };
  }

  it('chains each group event to the previous one and verifies clean', async () => {
    const { slug, users, groupId } = await groupWithHistory();
    const response = await t.request({ method: 'GET', url: `/api/groups/${slug}/events`, as: users.observer });
    expect(response.statusCode).toBe(200);
    const events = response.json().events as { seq: number; type: string; hash: string; prevHash: string; actor: { displayName: string } }[];
    expect(events.map((e) => e.type)).toEqual(['group.updated', 'member.added', 'member.added', 'member.added', 'group.created']);
    expect(events.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(events.at(-1)!.prevHash).toBe(GENESIS_HASH);
    for (let i = 0; i < events.length - 1; i++) expect(events[i]!.prevHash).toBe(events[i + 1]!.hash);
    expect(events[0]!.actor.displayName).toBe('Chair');

    const verified = await t.request({ method: 'GET', url: `/api/groups/${slug}/events/verify`, as: users.member });
    expect(verified.json()).toEqual({ ok: true, checked: 5, firstBadSeq: null, problem: null, headHash: events[0]!.hash });
    expect(await verifyChain(t.db, groupChain(groupId))).toMatchObject({ ok: true });
  });

  it('pages backwards with nextBefore', async () => {
    const { slug, users } = await groupWithHistory();
    const first = (await t.request({ method: 'GET', url: `/api/groups/${slug}/events?limit=2`, as: users.chair })).json();
    expect(first.events.map((e: { seq: number }) => e.seq)).toEqual([5, 4]);
    const second = (await t.request({ method: 'GET', url: `/api/groups/${slug}/events?limit=2&before=${first.nextBefore}`, as: users.chair })).json();
    expect(second.events.map((e: { seq: number }) => e.seq)).toEqual([3, 2]);
    const last = (await t.request({ method: 'GET', url: `/api/groups/${slug}/events?limit=2&before=${second.nextBefore}`, as: users.chair })).json();
    expect(last).toMatchObject({ events: [{ seq: 1 }], nextBefore: null });
    for (const bad of ['limit=0', 'limit=500', 'before=abc', 'limit=2&extra=1']) {
      const response = await t.request({ method: 'GET', url: `/api/groups/${slug}/events?${bad}`, as: users.chair });
      expect(response.statusCode, bad).toBe(400);
    }
  });

  /** A definition with one clause, a ballot on it opened by the chair, and the member's vote. */
  async function votedBallot(slug: string, users: Awaited<ReturnType<typeof groupWithHistory>>['users'], options: { secret: boolean; vote: object }) {
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'osaid', title: 'Open Source AI' } })
    ).json().id as string;
    const clauseId = (
      await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.editor, payload: { text: 'Data information.' } })
    ).json().id as string;
    const rules = {
      kind: options.secret ? 'binding' : 'advisory',
      eligibleRoles: ['chair', 'editor', 'member'],
      quorum: 0,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret: options.secret,
      resultsVisibility: options.secret ? 'after_close' : 'live',
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const ballot = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/ballots`,
        as: users.chair,
        payload: { title: options.secret ? 'Secret' : 'Keep the text?', subject: { kind: 'clause', clauseId }, rules },
      })
    ).json() as { id: string };
    expect((await t.request({ method: 'POST', url: `/api/ballots/${ballot.id}/open`, as: users.chair })).statusCode).toBe(200);
    expect((await t.request({ method: 'PUT', url: `/api/ballots/${ballot.id}/vote`, as: users.member, payload: options.vote })).statusCode).toBe(200);
    return { definitionId, ballot };
  }

  it('filters by kind and by person, keeps paging, names the ballots and definitions it links, and refuses bad filters', async () => {
    const { slug, users } = await groupWithHistory();
    const { definitionId, ballot } = await votedBallot(slug, users, { secret: false, vote: { position: 'yes' } });
    const get = (query: string, as = users.chair) => t.request({ method: 'GET', url: `/api/groups/${slug}/events?${query}`, as });
    const ballots = (await get('kind=ballots', users.observer)).json();
    expect(ballots.events.map((e: { type: string }) => e.type)).toEqual(['ballot.voted', 'ballot.opened', 'ballot.created']);
    expect(ballots.subjects.ballots[ballot.id]).toEqual({ title: 'Keep the text?', definitionId });
    expect(ballots.subjects.definitions[definitionId]).toEqual({ title: 'Open Source AI' });

    const membership = (await get('kind=membership')).json();
    expect(membership.events.map((e: { type: string }) => e.type)).toEqual(['member.added', 'member.added', 'member.added']);

    const byMember = (await get(`person=${users.member.user.id}`)).json();
    expect(byMember.events.map((e: { type: string }) => e.type)).toEqual(['ballot.voted']);
    const both = (await get(`kind=group&person=${users.chair.user.id}`)).json();
    expect(both.events.map((e: { type: string }) => e.type)).toEqual(['group.updated', 'group.created']);

    // Paging within a filter.
    const page1 = (await get('kind=membership&limit=2')).json();
    expect(page1.events).toHaveLength(2);
    const page2 = (await get(`kind=membership&limit=2&before=${page1.nextBefore}`)).json();
    expect(page2.events.map((e: { type: string }) => e.type)).toEqual(['member.added']);
    expect(page2.nextBefore).toBeNull();

    for (const bad of ['kind=unknown', 'kind=', 'kind=ballot.%25', 'person=not-a-uuid', `person=${'a'.repeat(5000)}`, 'kind=ballots&kind=threads']) {
      const response = await get(bad);
      expect(response.statusCode, bad).toBe(400);
      expect(response.json(), bad).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    // Filters change nothing about who may read the log.
    expect((await get('kind=ballots', users.outsider)).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: `/api/groups/${slug}/events?kind=ballots` })).statusCode).toBe(404);
  });

  it('reveals nothing of a secret ballot through the person filter', async () => {
    const { slug, users } = await groupWithHistory();
    await votedBallot(slug, users, { secret: true, vote: { position: 'object', rationale: 'No' } });
    const mine = (await t.request({ method: 'GET', url: `/api/groups/${slug}/events?person=${users.member.user.id}`, as: users.chair })).json();
    expect(mine.events).toEqual([]);
    const all = await t.request({ method: 'GET', url: `/api/groups/${slug}/events?kind=ballots`, as: users.chair });
    expect(all.json().events.map((e: { type: string }) => e.type)).toEqual(['ballot.opened', 'ballot.created']);
    expect(all.body).not.toContain('object');
  });

  it('refuses updates and deletes of events in the database itself', async () => {
    const { groupId } = await groupWithHistory();
    await expect(sql`update events set type = 'x' where group_id = ${groupId}`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from events where group_id = ${groupId}`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('reports the first altered event as tampered', async () => {
    const { slug, users, groupId } = await groupWithHistory();
    await asAttacker(sql`update events set payload = '{"userId":"someone-else","role":"chair"}' where group_id = ${groupId} and seq = 3`);
    const response = await t.request({ method: 'GET', url: `/api/groups/${slug}/events/verify`, as: users.chair });
    expect(response.json()).toEqual({ ok: false, checked: 2, firstBadSeq: 3, problem: 'tampered', headHash: null });
  });

  it('reports a re-hashed event by the broken link after it', async () => {
    const { groupId } = await groupWithHistory();
    await asAttacker(sql`update events set hash = repeat('a', 64) where group_id = ${groupId} and seq = 2`);
    expect(await verifyChain(t.db, groupChain(groupId))).toMatchObject({ ok: false, firstBadSeq: 2, problem: 'tampered' });
  });

  it('reports a deleted event as missing', async () => {
    const { groupId } = await groupWithHistory();
    await asAttacker(sql`delete from events where group_id = ${groupId} and seq = 2`);
    expect(await verifyChain(t.db, groupChain(groupId))).toMatchObject({ ok: false, firstBadSeq: 2, problem: 'missing', checked: 1 });
  });

  it('reports events deleted from the end of a chain as missing (the head row still names them)', async () => {
    const { slug, users, groupId } = await groupWithHistory();
    await asAttacker(sql`delete from events where group_id = ${groupId} and seq >= 4`);
    const response = await t.request({ method: 'GET', url: `/api/groups/${slug}/events/verify`, as: users.chair });
    expect(response.json()).toEqual({ ok: false, checked: 3, firstBadSeq: 4, problem: 'missing', headHash: null });
  });

  it('reports events written around the appenders (the head row does not name them) as tampered', async () => {
    const { groupId } = await groupWithHistory();
    const chain = groupChain(groupId);
    const last = await t.db.selectFrom('events').selectAll().where('chain', '=', chain).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    // A correctly hashed sixth event inserted straight into the table: the chain links, the head does not.
    const occurredAt = new Date(Date.now());
    const forged = { chain, seq: 6, type: 'member.added', actorId: null, groupId, payload: { role: 'chair' }, occurredAt, prevHash: last.hash };
    await t.db
      .insertInto('events')
      .values({
        chain,
        seq: 6,
        group_id: groupId,
        actor_id: null,
        type: forged.type,
        payload: JSON.stringify(forged.payload),
        occurred_at: occurredAt,
        prev_hash: last.hash,
        hash: eventHash(forged),
      })
      .execute();
    expect(await verifyChain(t.db, chain)).toEqual({ ok: false, checked: 5, firstBadSeq: 6, problem: 'tampered', headHash: null });
    // ...and the next real append follows the head it was given, not the forged row: refused by the (chain, seq) key.
    await expect(t.db.transaction().execute((tx) => recordEvent(tx, { groupId, actorId: null, type: 'test.after', payload: {} }))).rejects.toThrow(
      /events_chain_seq/,
    );
  });

  it('keeps the head row on the last event of every chain it appends to', async () => {
    const { groupId } = await groupWithHistory();
    const chain = groupChain(groupId);
    const last = await t.db.selectFrom('events').select(['seq', 'hash']).where('chain', '=', chain).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(await t.db.selectFrom('chain_heads').select(['seq', 'hash']).where('chain', '=', chain).executeTakeFirst()).toEqual(last);
  });

  it('keeps one gapless chain when many changes happen at once', async () => {
    const { groupId } = await groupWithHistory();
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        t.db.transaction().execute((tx) => recordEvent(tx, { groupId, actorId: null, type: 'test.concurrent', payload: { i } })),
      ),
    );
    const result = await verifyChain(t.db, groupChain(groupId));
    expect(result).toMatchObject({ ok: true, checked: 30 });
    expect(await t.db.selectFrom('chain_heads').select('seq').where('chain', '=', groupChain(groupId)).executeTakeFirst()).toEqual({ seq: 30 });
  });

  it('writes no event when the change it belongs to rolls back', async () => {
    const { groupId } = await groupWithHistory();
    await expect(
      t.db.transaction().execute(async (tx) => {
        await recordEvent(tx, { groupId, actorId: null, type: 'test.rolled_back', payload: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await t.db.selectFrom('events').select('id').where('type', '=', 'test.rolled_back').execute();
    expect(rows).toEqual([]);
  });

  it('records account events in their own chain', async () => {
    const someone = await t.register('Account');
    const rows = await t.db.selectFrom('events').select(['type', 'chain']).where('actor_id', '=', someone.user.id).execute();
    expect(rows).toEqual([{ type: 'account.registered', chain: 'accounts' }]);
    expect(await verifyChain(t.db, 'accounts')).toMatchObject({ ok: true });
  });
});
