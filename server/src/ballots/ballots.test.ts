import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ORIGIN, useTestApp, type TestUser } from '../../test/support/app.ts';
import { buildApp } from '../app.ts';
import { poolOf } from '../db/database.ts';
import { runStatements } from '../db/statements.ts';
import { GENESIS_HASH } from '../events/chain.ts';
import { appendEventsPrepared, lockChainHeads, lockChainHeadsAt } from '../events/repository.ts';
import { chainEvents, groupChain, recordEvent, verifyChain } from '../events/service.ts';
import { checkVotes, insertVotes, lockBallotsForVoting } from './repository.ts';
import { closeDueBallots } from './service.ts';
import { createDb } from '../db/database.ts';
import { VoteBatcher } from './votes.ts';

describe('ballots', () => {
  const t = useTestApp();

  const rules = (overrides: Record<string, unknown> = {}) => ({
    kind: 'binding',
    eligibleRoles: ['chair', 'editor', 'member'],
    quorum: 0.5,
    threshold: 2 / 3,
    blockingObjectionFails: false,
    secret: false,
    resultsVisibility: 'after_close',
    closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  });

  async function setup(ruleOverrides: Record<string, unknown> = {}) {
    const group = await t.groupWithRoles();
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${group.slug}/definitions`, as: group.users.chair, payload: { slug: 'osaid', title: 'OSAID' } })
    ).json().id as string;
    const clauseId = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/clauses`,
        as: group.users.editor,
        payload: { text: 'Training data is required.' },
      })
    ).json().id as string;
    const created = await t.request({
      method: 'POST',
      url: `/api/definitions/${definitionId}/ballots`,
      as: group.users.chair,
      payload: { title: 'Is training data required?', subject: { kind: 'clause', clauseId }, rules: rules(ruleOverrides) },
    });
    expect(created.statusCode).toBe(201);
    const ballotId = created.json().id as string;
    const act = (path: string, as: TestUser | null, payload?: object, method: 'POST' | 'PUT' | 'PATCH' = 'POST') =>
      t.request({ method, url: `/api/ballots/${ballotId}${path}`, as, ...(payload && { payload }) });
    const voteAs = (as: TestUser, position: string, rationale?: string) => act('/vote', as, { position, ...(rationale && { rationale }) }, 'PUT');
    return { ...group, definitionId, clauseId, ballotId, act, voteAs };
  }

  it('freezes its rules when it opens, and counts the result once when it closes', async () => {
    const b = await setup();
    expect((await b.act('', b.users.chair, { title: 'Renamed draft' }, 'PATCH')).statusCode).toBe(200);
    expect((await b.voteAs(b.users.member, 'yes')).statusCode).toBe(409); // still a draft
    const opened = await b.act('/open', b.users.chair);
    expect(opened.json()).toMatchObject({
      status: 'open',
      eligibleCount: 3,
      subjectText: 'Training data is required.',
      allowedActions: ['close', 'cancel', 'vote'],
    });
    expect((await b.act('', b.users.chair, { rules: rules({ threshold: 0.1 }) }, 'PATCH')).statusCode).toBe(409);

    expect((await b.voteAs(b.users.member, 'yes')).json().myVote).toMatchObject({ position: 'yes' });
    await b.voteAs(b.users.editor, 'object', 'Data cannot always be shared.');
    const changed = await b.voteAs(b.users.editor, 'yes');
    expect(changed.json()).toMatchObject({ ballotId: b.ballotId, myVote: { position: 'yes', outdated: false }, votedCount: 2, eligibleCount: 3 });
    const asEditor = (await t.request({ method: 'GET', url: `/api/ballots/${b.ballotId}`, as: b.users.editor })).json();
    expect(asEditor.myVote).toMatchObject({ position: 'yes', history: [{ position: 'object', rationale: 'Data cannot always be shared.' }] });
    expect((await t.request({ method: 'GET', url: `/api/ballots/${b.ballotId}`, as: b.users.chair })).json()).toMatchObject({
      result: null,
      votedCount: 2,
      votes: [],
    });

    const closed = await b.act('/close', b.users.chair);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      closedBy: { id: b.users.chair.user.id },
      result: { outcome: 'passed', turnout: { eligible: 3, voted: 2, abstained: 0, recused: 0 }, counts: { yes: 2 } },
    });
    expect(closed.json().result.decidedBy).toMatch(/^threshold/);
    expect(
      closed
        .json()
        .votes.map((v: { voter: { id: string }; position: string }) => [v.voter.id, v.position])
        .sort(),
    ).toEqual(
      [
        [b.users.member.user.id, 'yes'],
        [b.users.editor.user.id, 'yes'],
      ].sort(),
    );
    expect((await b.voteAs(b.users.chair, 'object', 'late')).statusCode).toBe(409);
    expect((await b.act('/close', b.users.chair)).statusCode).toBe(409);
    const events = (await t.request({ method: 'GET', url: `/api/groups/${b.slug}/events?limit=1`, as: b.users.chair })).json().events;
    expect(events[0]).toMatchObject({ type: 'ballot.closed', payload: { outcome: 'passed' } });
  });

  it('lets only eligible people vote, requires a reason to object, and refuses cancelled ballots', async () => {
    const b = await setup();
    await b.act('/open', b.users.chair);
    expect((await b.voteAs(b.users.observer, 'yes')).statusCode).toBe(403);
    expect((await b.voteAs(b.users.outsider, 'yes')).statusCode).toBe(404);
    expect((await b.voteAs(b.users.member, 'object')).statusCode).toBe(400);
    expect((await b.voteAs(b.users.member, 'maybe')).statusCode).toBe(400);
    const late = await t.register('Late Member');
    await t.request({ method: 'POST', url: `/api/groups/${b.slug}/members`, as: b.users.chair, payload: { email: late.email, role: 'member' } });
    expect((await b.voteAs(late, 'yes')).statusCode).toBe(403); // eligibility was frozen at opening
    expect((await b.act('/close', b.users.editor)).statusCode).toBe(403);
    expect((await b.act('/cancel', b.users.chair, {})).statusCode).toBe(400);
    const cancelled = await b.act('/cancel', b.users.chair, { reason: 'Wrong clause' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelledReason: 'Wrong clause' });
    expect((await b.voteAs(b.users.member, 'yes')).statusCode).toBe(409);
    expect(await t.db.selectFrom('ballot_votes').select('id').where('ballot_id', '=', b.ballotId).execute()).toEqual([]);
  });

  it('keeps secret ballots secret: who voted is visible, how they voted is not — anywhere', async () => {
    const b = await setup({ secret: true });
    // Live counts beside a live list of voters would reveal each vote: a secret ballot counts at the end.
    const live = await b.act('', b.users.chair, { rules: rules({ secret: true, resultsVisibility: 'live' }) }, 'PATCH');
    expect(live.json().error.details).toEqual([{ path: '/rules/resultsVisibility', message: 'a secret ballot shows its results only after closing' }]);
    await b.act('/open', b.users.chair);
    // Turnout counts people (distinct tokens), not votes: a changed vote does not count twice.
    expect((await b.voteAs(b.users.member, 'yes')).json()).toMatchObject({ votedCount: 1, eligibleCount: 3 });
    expect((await b.voteAs(b.users.member, 'object', 'Secret reason')).json()).toMatchObject({ votedCount: 1, myVote: { position: 'object' } });
    expect((await b.voteAs(b.users.editor, 'yes')).json()).toMatchObject({ votedCount: 2 });
    const mine = (await t.request({ method: 'GET', url: `/api/ballots/${b.ballotId}`, as: b.users.member })).json();
    expect(mine.myVote.position).toBe('object');
    await b.act('/close', b.users.chair);
    const asChair = (await t.request({ method: 'GET', url: `/api/ballots/${b.ballotId}`, as: b.users.chair })).json();
    // Who voted, by name and without times: neither the order nor the time may match a vote row.
    expect(asChair.voters).toEqual([
      { voter: { id: b.users.editor.user.id, displayName: 'Editor' }, votedAt: null },
      { voter: { id: b.users.member.user.id, displayName: 'Member' }, votedAt: null },
    ]);
    // Nothing per person is stored for a secret ballot beside the token rows: no participation row
    // whose order or time could point at a vote.
    expect(await t.db.selectFrom('ballot_voters').select('user_id').where('ballot_id', '=', b.ballotId).execute()).toEqual([]);
    expect(asChair.votes).toEqual([]);
    expect(asChair.myVote).toBeNull();
    expect(asChair.result.counts).toMatchObject({ yes: 1, object: 1 });
    // Nothing links a person to a position: not the API, not the audit log, not the tables.
    const everything = JSON.stringify([
      asChair,
      (await t.request({ method: 'GET', url: `/api/definitions/${b.definitionId}/ballots`, as: b.users.observer })).json(),
      (await t.request({ method: 'GET', url: `/api/groups/${b.slug}/events?limit=50`, as: b.users.chair })).json(),
    ]);
    expect(everything).not.toMatch(new RegExp(`${b.users.member.user.id}[^}]*object`));
    expect(everything).not.toContain('"position":"object","voter"');
    const rows = await t.db.selectFrom('ballot_votes').select(['voter_id', 'voter_token']).where('ballot_id', '=', b.ballotId).execute();
    expect(rows.every((r) => r.voter_id === null && r.voter_token !== null && !r.voter_token.includes(b.users.member.user.id))).toBe(true);
    // No per-vote audit event (its actor and time would sit beside the token row); the close names who took part.
    const voted = await sql<{ n: number }>`select count(*)::int as n from events where type = 'ballot.voted' and payload->>'ballotId' = ${b.ballotId}`.execute(
      t.db,
    );
    expect(voted.rows[0]!.n).toBe(0);
    const closedEvent = await sql<{
      payload: { participants: string[] };
    }>`select payload from events where type = 'ballot.closed' and payload->>'ballotId' = ${b.ballotId}`.execute(t.db);
    expect(closedEvent.rows[0]!.payload.participants).toEqual([b.users.member.user.id, b.users.editor.user.id].sort());
    await expect(sql`update ballot_votes set position = 'yes' where ballot_id = ${b.ballotId}`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('closes by itself at its closing time, and flags votes cast on an older text', async () => {
    const b = await setup({ closesAt: new Date(Date.now() + 1500).toISOString(), resultsVisibility: 'live' });
    await b.act('/open', b.users.chair);
    await b.voteAs(b.users.member, 'yes');
    await t.request({
      method: 'PUT',
      url: `/api/definitions/${b.definitionId}/clauses/${b.clauseId}`,
      as: b.users.editor,
      payload: { text: 'Training data is not required.' },
    });
    await t.db.selectFrom('clauses').select('text').execute(); // the mirror is refreshed by the clause API
    await b.voteAs(b.users.editor, 'yes');
    await new Promise((resolve) => setTimeout(resolve, 1600));
    // The definition's list is the first to look: it closes the ballot and shows it closed.
    const [listed] = (await t.request({ method: 'GET', url: `/api/definitions/${b.definitionId}/ballots`, as: b.users.member })).json().ballots;
    expect(listed).toMatchObject({ id: b.ballotId, status: 'closed', result: { counts: { yes: 2 } }, allowedActions: [] });
    const ballot = (await t.request({ method: 'GET', url: `/api/ballots/${b.ballotId}`, as: b.users.chair })).json();
    expect(ballot).toMatchObject({ status: 'closed', closedBy: null, textChanged: true, finalText: 'Training data is not required.' });
    const byVoter = new Map(ballot.votes.map((v: { voter: { id: string }; outdated: boolean }) => [v.voter.id, v.outdated]));
    expect(byVoter.get(b.users.member.user.id)).toBe(true);
    expect(byVoter.get(b.users.editor.user.id)).toBe(false);
  });

  it('is closed by the periodic sweep at its closing time, recording the event, without anyone looking', async () => {
    const closesAt = Date.now() + 2500;
    const b = await setup({ closesAt: new Date(closesAt).toISOString() });
    expect((await b.act('/open', b.users.chair)).statusCode).toBe(200);
    await b.voteAs(b.users.member, 'yes');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt + 150 - Date.now())));
    expect(await closeDueBallots({ db: t.db, secret: t.app.config.ballotSecret! })).toBeGreaterThanOrEqual(1);
    const row = await t.db.selectFrom('ballots').select(['status', 'closed_by']).where('id', '=', b.ballotId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'closed', closed_by: null });
    const event = await sql<{ n: number }>`select count(*)::int as n from events where type = 'ballot.closed' and payload->>'ballotId' = ${b.ballotId}`.execute(
      t.db,
    );
    expect(event.rows[0]!.n).toBe(1);
  });

  it('closes exactly once when several instances sweep at the same moment', async () => {
    const ballots = [];
    // Far enough ahead that each still opens on a loaded machine (a ballot cannot open past its closing time).
    const closesAt = Date.now() + 3000;
    for (let i = 0; i < 3; i++) {
      const b = await setup({ closesAt: new Date(closesAt).toISOString() });
      expect((await b.act('/open', b.users.chair)).statusCode).toBe(200);
      await b.voteAs(b.users.member, 'yes');
      ballots.push(b);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt + 150 - Date.now())));
    // Three instances' sweeps, each with its own connections to the one database, all at once.
    const pools = [createDb(t.database.url, { max: 2 }), createDb(t.database.url, { max: 2 }), createDb(t.database.url, { max: 2 })];
    try {
      await Promise.all(pools.map((db) => closeDueBallots({ db, secret: t.app.config.ballotSecret! })));
    } finally {
      await Promise.all(pools.map((db) => db.destroy()));
    }
    for (const b of ballots) {
      const closed = await sql<{
        n: number;
      }>`select count(*)::int as n from events where type = 'ballot.closed' and payload->>'ballotId' = ${b.ballotId}`.execute(t.db);
      expect(closed.rows[0]!.n).toBe(1);
      const told = await sql<{
        n: number;
      }>`select count(*)::int as n from notifications where kind = 'ballot_closed' and user_id = ${b.users.member.user.id} and ballot_id = ${b.ballotId}`.execute(
        t.db,
      );
      expect(told.rows[0]!.n).toBe(1);
    }
  });

  it('keeps one valid audit chain and exact counts when two instances take votes in one group at once, between other events', async () => {
    const b = await setup({ quorum: 0 });
    await b.act('/open', b.users.chair);
    // A second instance of the server on the same database, with its own vote writer (and its own
    // remembered chain heads), while the first one also appends other events to the group's chain.
    const otherDb = createDb(t.database.url, { max: 3 });
    const other = await buildApp({ ...t.config, logLevel: 'silent' }, { db: otherDb, databaseKind: t.database.kind });
    try {
      const voters = [b.users.chair, b.users.editor, b.users.member];
      const positions = ['yes', 'no_objection', 'abstain'];
      const rounds = 6;
      const voting = voters.map(async (voter, index) => {
        for (let round = 0; round < rounds; round++) {
          const instance = (round + index) % 2 === 0 ? t.app : other;
          const response = await instance.inject({
            method: 'PUT',
            url: `/api/ballots/${b.ballotId}/vote`,
            headers: { cookie: voter.cookie, origin: ORIGIN },
            payload: { position: positions[(round + index) % positions.length] },
          });
          expect(response.statusCode, response.body).toBe(200);
        }
      });
      const talking = Array.from({ length: 6 }, (_, index) =>
        (index % 2 === 0 ? t.app : other).inject({
          method: 'POST',
          url: `/api/definitions/${b.definitionId}/threads`,
          headers: { cookie: b.users.member.cookie, origin: ORIGIN },
          payload: { clauseId: b.clauseId, body: `Thread ${index}` },
        }),
      );
      const [, threads] = await Promise.all([Promise.all(voting), Promise.all(talking)]);
      for (const response of threads) expect(response.statusCode, response.body).toBe(201);

      const verified = await t.request({ method: 'GET', url: `/api/groups/${b.slug}/events/verify`, as: b.users.chair });
      expect(verified.statusCode).toBe(200);
      expect(verified.json()).toMatchObject({ ok: true, firstBadSeq: null, problem: null });
      // Each voter's last position counts, once.
      await b.act('/close', b.users.chair);
      const closed = (await t.request({ method: 'GET', url: `/api/ballots/${b.ballotId}`, as: b.users.chair })).json();
      const expected: Record<string, number> = {};
      for (const index of voters.keys()) {
        const last = positions[(rounds - 1 + index) % positions.length]!;
        expected[last] = (expected[last] ?? 0) + 1;
      }
      expect(closed.result.counts).toMatchObject(expected);
      const votesEvents = await sql<{
        n: number;
      }>`select count(*)::int as n from events where type = 'ballot.voted' and payload->>'ballotId' = ${b.ballotId}`.execute(t.db);
      expect(votesEvents.rows[0]!.n).toBe(voters.length * rounds);
    } finally {
      await other.close();
      await otherDb.destroy();
    }
  });

  it('counts exactly when 200 people vote while the ballot closes', async () => {
    const b = await setup({ quorum: 0 });
    const groupId = (await t.db.selectFrom('groups').select('id').where('slug', '=', b.slug).executeTakeFirstOrThrow()).id;
    const hash = (await t.db.selectFrom('users').select('password_hash').where('id', '=', b.users.member.user.id).executeTakeFirstOrThrow()).password_hash;
    const cookies: string[] = [];
    for (let i = 0; i < 200; i++) {
      const user = await t.db
        .insertInto('users')
        .values({ email: `voter-${i}-${randomBytes(3).toString('hex')}@example.org`, display_name: `Voter ${i}`, password_hash: hash })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db.insertInto('memberships').values({ group_id: groupId, user_id: user.id, role: 'member' }).execute();
      const id = randomBytes(12)
        .toString('hex')
        .replace(/[^a-z2-9]/g, 'a')
        .slice(0, 24)
        .padEnd(24, 'a');
      const secret = 'abcdefghijkmnpqrstuvwxyz';
      await t.db
        .insertInto('sessions')
        .values({ id, user_id: user.id, secret_hash: createHash('sha256').update(secret).digest(), last_verified_at: new Date() })
        .execute();
      cookies.push(`draftroom_session=${id}.${secret}`);
    }
    await b.act('/open', b.users.chair);
    const votes = cookies.map((cookie, i) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/ballots/${b.ballotId}/vote`,
        headers: { cookie, origin: 'http://localhost' },
        payload: { position: i % 3 === 0 ? 'object' : 'yes', rationale: 'r' },
      }),
    );
    const close = new Promise((resolve) => setTimeout(resolve, 30)).then(() => b.act('/close', b.users.chair));
    const responses = await Promise.all(votes);
    const closed = (await close).json();
    const accepted = responses.filter((r) => r.statusCode === 200).length;
    expect(responses.every((r) => r.statusCode === 200 || r.statusCode === 409)).toBe(true);
    const counted = Object.values(closed.result.counts as Record<string, number>).reduce((a, n) => a + n, 0);
    expect(counted).toBe(accepted);
    const stored = await t.db
      .selectFrom('ballot_votes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ballot_id', '=', b.ballotId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(accepted);
    const afterClose = await sql<{
      n: number;
    }>`select count(*)::int as n from ballot_votes where ballot_id = ${b.ballotId} and cast_at > (select closed_at from ballots where id = ${b.ballotId})`.execute(
      t.db,
    );
    expect(afterClose.rows[0]!.n).toBe(0); // Votes are written in group commits; the audit chain still holds one event per vote, intact.
    const voted = await sql<{ n: number }>`select count(*)::int as n from events where type = 'ballot.voted' and payload->>'ballotId' = ${b.ballotId}`.execute(
      t.db,
    );
    expect(voted.rows[0]!.n).toBe(accepted);
    expect((await t.request({ method: 'GET', url: `/api/groups/${b.slug}/events/verify`, as: b.users.chair })).json()).toMatchObject({
      ok: true,
      problem: null,
    });
  });

  it('refuses a vote from someone eligible at opening who has since left the group, and writes nothing', async () => {
    const b = await setup();
    await b.act('/open', b.users.chair);
    expect((await b.voteAs(b.users.member, 'yes')).statusCode).toBe(200); // served from the frozen-ballot cache from now on
    const removed = await t.request({ method: 'DELETE', url: `/api/groups/${b.slug}/members/${b.users.member.user.id}`, as: b.users.chair });
    expect(removed.statusCode).toBe(204);
    const refused = await b.voteAs(b.users.member, 'object', 'After leaving');
    expect(refused.statusCode).toBe(404); // a private group's ballot is not even visible to outsiders
    expect(refused.json()).toMatchObject({ error: { code: 'not_found' } });
    const rows = await t.db.selectFrom('ballot_votes').select('position').where('ballot_id', '=', b.ballotId).execute();
    expect(rows).toEqual([{ position: 'yes' }]);
  });

  it('answers each of several votes in one group commit with its own receipt', async () => {
    const b = await setup({ resultsVisibility: 'live', quorum: 0 });
    await b.act('/open', b.users.chair);
    const [member, editor, chair, observer] = await Promise.all([
      b.voteAs(b.users.member, 'yes'),
      b.voteAs(b.users.editor, 'object', 'Not yet'),
      b.voteAs(b.users.chair, 'abstain'),
      b.voteAs(b.users.observer, 'yes'),
    ]);
    expect(member.json()).toMatchObject({ myVote: { position: 'yes', rationale: '', textSeen: 'Training data is required.' }, eligibleCount: 3 });
    expect(editor.json()).toMatchObject({ myVote: { position: 'object', rationale: 'Not yet' } });
    expect(chair.json()).toMatchObject({ myVote: { position: 'abstain' } });
    expect(observer.statusCode).toBe(403);
    const ballot = (await t.request({ method: 'GET', url: `/api/ballots/${b.ballotId}`, as: b.users.observer })).json();
    expect(ballot.result.counts).toEqual({ yes: 1, no_objection: 0, object: 1, abstain: 1, recuse: 0 });
  });
});

describe('the group commit of votes', () => {
  const t = useTestApp();

  /** An open clause ballot of a fresh group (chair, editor and member may vote). */
  async function openBallot(secret: boolean, visibility: 'public' | 'private' = 'private') {
    const group = await t.groupWithRoles(visibility);
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${group.slug}/definitions`, as: group.users.chair, payload: { slug: 'commit', title: 'Commit' } })
    ).json().id as string;
    const clauseId = (
      await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: group.users.editor, payload: { text: 'Text.' } })
    ).json().id as string;
    const closesAt = new Date(Date.now() + 3_600_000).toISOString();
    const rules = {
      kind: 'binding',
      eligibleRoles: ['chair', 'editor', 'member'],
      quorum: 0,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret,
      resultsVisibility: secret ? 'after_close' : 'live',
      closesAt,
    };
    const ballotId = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/ballots`,
        as: group.users.chair,
        payload: { title: 'B', subject: { kind: 'clause', clauseId }, rules },
      })
    ).json().id as string;
    expect((await t.request({ method: 'POST', url: `/api/ballots/${ballotId}/open`, as: group.users.chair })).statusCode).toBe(200);
    return { group, ballotId };
  }

  it('refuses a NUL in a rationale before the vote joins a batch', async () => {
    const { group, ballotId } = await openBallot(false);
    const response = await t.request({
      method: 'PUT',
      url: `/api/ballots/${ballotId}/vote`,
      as: group.users.member,
      payload: { position: 'yes', rationale: 'before\u0000after' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([expect.objectContaining({ path: '/rationale' })]);
    expect(await t.db.selectFrom('ballot_votes').select('id').where('ballot_id', '=', ballotId).execute()).toEqual([]);
  });

  it('writes no request log lines for votes (their times could be matched to secret-ballot rows)', async () => {
    const { group, ballotId } = await openBallot(true);
    expect(t.logs.some((line) => line.includes(`/api/ballots/${ballotId}/open`))).toBe(true); // other requests are logged
    expect((await t.request({ method: 'PUT', url: `/api/ballots/${ballotId}/vote`, as: group.users.member, payload: { position: 'yes' } })).statusCode).toBe(
      200,
    );
    expect(
      (await t.request({ method: 'PUT', url: `/api/ballots/${ballotId}/vote`, as: group.users.member, payload: { position: 'nonsense' } })).statusCode,
    ).toBe(400);
    expect(t.logs.filter((line) => line.includes(`/api/ballots/${ballotId}/vote`))).toEqual([]);
  });

  it('writes the other votes of a batch when one of them cannot be written', async () => {
    const { group, ballotId } = await openBallot(false);
    const groupId = (await t.db.selectFrom('groups').select('id').where('slug', '=', group.slug).executeTakeFirstOrThrow()).id;

    const batcher = new VoteBatcher(t.db);
    const queued = (user: TestUser, rationale: string) => ({
      ballotId,
      groupId,
      actorId: user.user.id,
      voterId: user.user.id,
      voterToken: null,
      position: 'yes',
      rationale,
      marks: null,
      aboutClause: true,
    });
    // The first vote is written at once; the next two queue meanwhile and are written together —
    // until the bad one (a value that validation would have refused) fails that batch.
    const first = batcher.submit(queued(group.users.chair, 'first'));
    const bad = batcher.submit(queued(group.users.editor, 'nul\u0000byte'));
    const good = batcher.submit(queued(group.users.member, 'fine'));
    await expect(first).resolves.toMatchObject({ votedCount: 1 });
    await expect(bad).rejects.toMatchObject({ code: '22P05' }); // PostgreSQL: \u0000 cannot be text
    await expect(good).resolves.toMatchObject({ myVote: { rationale: 'fine' }, votedCount: 2 });
    await batcher.close();
    const rows = await t.db
      .selectFrom('ballot_votes')
      .select(['voter_id', 'rationale'])
      .where('ballot_id', '=', ballotId)
      .orderBy('cast_at')
      .orderBy('seq')
      .execute();
    expect(rows).toEqual([
      { voter_id: group.users.chair.user.id, rationale: 'first' },
      { voter_id: group.users.member.user.id, rationale: 'fine' },
    ]);
    expect(await verifyChain(t.db, groupChain(groupId))).toMatchObject({ ok: true });
  });

  async function groupIdOf(slug: string) {
    return (await t.db.selectFrom('groups').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  }

  const vote = (ballotId: string, groupId: string, user: TestUser, position = 'yes') => ({
    ballotId,
    groupId,
    actorId: user.user.id,
    voterId: user.user.id,
    voterToken: null,
    position,
    rationale: '',
    marks: null,
    aboutClause: true,
  });

  it('writes a batch in one round trip once it knows the chain head, and in two when the chain moved on', async () => {
    const { group, ballotId } = await openBallot(false);
    const groupId = await groupIdOf(group.slug);
    const batcher = new VoteBatcher(t.db);
    try {
      // The first batch reads the chain's head; the next one hashes its event from the head it left.
      await expect(batcher.submit(vote(ballotId, groupId, group.users.chair))).resolves.toMatchObject({ votedCount: 1, myVote: { textSeen: 'Text.' } });
      expect(batcher.written).toEqual({ atOnce: 0, inTwoSteps: 1, refused: 0 });
      await expect(batcher.submit(vote(ballotId, groupId, group.users.editor, 'no_objection'))).resolves.toMatchObject({
        votedCount: 2,
        eligibleCount: 3,
        myVote: { textSeen: 'Text.' },
      });
      expect(batcher.written).toEqual({ atOnce: 1, inTwoSteps: 1, refused: 0 });

      // Something else appends to the group's chain: the remembered head is stale, the one-round-trip
      // write is refused (nothing written), and the two-step write continues from the real head.
      await t.db.transaction().execute((tx) => recordEvent(tx, { groupId, actorId: group.users.chair.user.id, type: 'test.elsewhere', payload: {} }));
      await expect(batcher.submit(vote(ballotId, groupId, group.users.member))).resolves.toMatchObject({ votedCount: 3 });
      expect(batcher.written).toEqual({ atOnce: 1, inTwoSteps: 2, refused: 1 });
      await expect(batcher.submit(vote(ballotId, groupId, group.users.member, 'abstain'))).resolves.toMatchObject({ votedCount: 3 });
      expect(batcher.written).toEqual({ atOnce: 2, inTwoSteps: 2, refused: 1 });
    } finally {
      await batcher.close();
    }
    const rows = await t.db
      .selectFrom('ballot_votes')
      .select(['voter_id', 'position', 'text_seen'])
      .where('ballot_id', '=', ballotId)
      .orderBy('cast_at')
      .orderBy('seq')
      .execute();
    expect(rows).toEqual([
      { voter_id: group.users.chair.user.id, position: 'yes', text_seen: 'Text.' },
      { voter_id: group.users.editor.user.id, position: 'no_objection', text_seen: 'Text.' },
      { voter_id: group.users.member.user.id, position: 'yes', text_seen: 'Text.' },
      { voter_id: group.users.member.user.id, position: 'abstain', text_seen: 'Text.' },
    ]);
    const events = await t.db
      .selectFrom('events')
      .select('type')
      .where('chain', '=', groupChain(groupId))
      .where('type', 'in', ['ballot.voted', 'test.elsewhere'])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['ballot.voted', 'ballot.voted', 'test.elsewhere', 'ballot.voted', 'ballot.voted']);
    expect(await verifyChain(t.db, groupChain(groupId))).toMatchObject({ ok: true });
  });

  for (const visibility of ['private', 'public'] as const) {
    it(`refuses in one round trip what the two-step write refuses (${visibility} group)`, async () => {
      const { group, ballotId } = await openBallot(false, visibility);
      const groupId = await groupIdOf(group.slug);
      const other = await openBallot(false, visibility);
      const batcher = new VoteBatcher(t.db);
      try {
        await batcher.submit(vote(ballotId, groupId, group.users.chair)); // the head is known from here on

        // A ballot id with another group's id: not found, and nothing of the batch is written.
        await expect(batcher.submit(vote(other.ballotId, groupId, group.users.chair))).rejects.toMatchObject({ statusCode: 404 });
        expect(batcher.written.refused).toBe(1);
        // A refusal forgets the head; a good vote written in two steps learns it again.
        const learn = () => batcher.submit(vote(ballotId, groupId, group.users.chair));
        await learn();

        // A voter who left the group since the ballot opened: a private group's ballot is not found
        // to them any more; a public group's they may read but not vote on.
        expect(
          (await t.request({ method: 'DELETE', url: `/api/groups/${group.slug}/members/${group.users.member.user.id}`, as: group.users.chair })).statusCode,
        ).toBe(204);
        await expect(batcher.submit(vote(ballotId, groupId, group.users.member))).rejects.toMatchObject({ statusCode: visibility === 'private' ? 404 : 403 });
        expect(batcher.written.refused).toBe(2);
        await learn();

        // Past its closing time but not closed yet (the sweep has not come by): a conflict.
        const setClosesAt = (at: Date) =>
          sql`update ballots set rules = jsonb_set(rules, '{closesAt}', to_jsonb(${at.toISOString()}::text)) where id = ${ballotId}`.execute(t.db);
        await setClosesAt(new Date(Date.now() - 1000));
        await expect(batcher.submit(vote(ballotId, groupId, group.users.editor))).rejects.toMatchObject({
          statusCode: 409,
          message: expect.stringContaining('has closed'),
        });
        expect(batcher.written.refused).toBe(3);
        await setClosesAt(new Date(Date.now() + 3_600_000));
        await learn();

        // Closed by the chair: a conflict.
        expect((await t.request({ method: 'POST', url: `/api/ballots/${ballotId}/close`, as: group.users.chair })).statusCode).toBe(200);
        await expect(batcher.submit(vote(ballotId, groupId, group.users.editor))).rejects.toMatchObject({
          statusCode: 409,
          message: expect.stringContaining('is closed'),
        });
        expect(batcher.written).toEqual({ atOnce: 0, inTwoSteps: 4, refused: 4 });
      } finally {
        await batcher.close();
      }
      const voters = await t.db.selectFrom('ballot_votes').select('voter_id').where('ballot_id', 'in', [ballotId, other.ballotId]).execute();
      expect(voters).toEqual(Array(4).fill({ voter_id: group.users.chair.user.id }));
      expect(await verifyChain(t.db, groupChain(groupId))).toMatchObject({ ok: true });
    });
  }

  it('numbers a vote after the one another server wrote for the same voter at the same moment', async () => {
    const { group, ballotId } = await openBallot(true);
    const groupId = await groupIdOf(group.slug);
    const token = 'token-of-one-voter';
    const other = await poolOf(t.db).connect();
    const batcher = new VoteBatcher(t.db);
    try {
      // Another server's transaction has taken this voter's first number and not committed yet.
      await other.query('begin');
      await other.query(
        "insert into ballot_votes (ballot_id, voter_token, seq, position, rationale, cast_at) values ($1, $2, 1, 'object', 'elsewhere', null)",
        [ballotId, token],
      );
      const written = batcher.submit({ ...vote(ballotId, groupId, group.users.member), voterId: null, voterToken: token });
      // The batch waits on the number's unique index until the other transaction ends…
      for (let waited = 0; ; waited += 20) {
        const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`.execute(t.db);
        if (waiting.rows[0]!.n > 0) break;
        if (waited > 5000) throw new Error('the batch never waited for the other transaction');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await other.query('commit');
      // …then finds the number taken, and is written again after it.
      await expect(written).resolves.toMatchObject({ myVote: { position: 'yes', castAt: null }, votedCount: 1 });
    } finally {
      other.release();
      await batcher.close();
    }
    const rows = await t.db.selectFrom('ballot_votes').select(['position', 'seq']).where('ballot_id', '=', ballotId).orderBy('seq').execute();
    expect(rows).toEqual([
      { position: 'object', seq: 1 },
      { position: 'yes', seq: 2 },
    ]);
  });

  it('looks ballots, clauses, members and chain heads up by key in the vote write, however many there are', async () => {
    const { group, ballotId } = await openBallot(false);
    const groupId = await groupIdOf(group.slug);
    const creator = group.users.chair.user.id;
    // A populated instance (thousands of ballots, clauses, groups' members and audit chains), with statistics:
    // the write's plans are generic (planned once per connection), so they must not depend on luck.
    await sql`insert into users (email, display_name, password_hash) select 'bulk-' || i || '@example.test', 'Bulk', 'x' from generate_series(1, 1000) as i`.execute(
      t.db,
    );
    await sql`insert into groups (slug, name, visibility, created_by) select 'bulk-' || i, 'Bulk', 'public', ${creator} from generate_series(1, 500) as i`.execute(
      t.db,
    );
    await sql`insert into memberships (group_id, user_id, role)
      select g.id, u.id, 'member' from groups g join users u on u.email like 'bulk-%' and g.slug like 'bulk-%'
      where abs(hashtext(g.id::text || u.id::text)) % 50 = 0`.execute(t.db);
    await sql`insert into definitions (group_id, slug, title, created_by)
      select g.id, 'bulk-' || i, 'Bulk', ${creator} from groups g, generate_series(1, 4) as i where g.slug like 'bulk-%'`.execute(t.db);
    await sql`insert into clauses (definition_id, clause_id, position, kind, text, markdown)
      select d.id, gen_random_uuid(), i, 'clause', 'Bulk.', 'Bulk.' from definitions d, generate_series(1, 5) as i where d.slug like 'bulk-%'`.execute(t.db);
    await sql`insert into ballots (definition_id, title, subject, rules, status, created_by)
      select d.id, 'Bulk', '{"kind": "clause"}', '{}', 'closed', ${creator} from definitions d, generate_series(1, 2) as i where d.slug like 'bulk-%'`.execute(
      t.db,
    );
    await sql`insert into chain_heads (chain, seq, hash) select 'bulk:' || i, 0, ${GENESIS_HASH} from generate_series(1, 5000) as i`.execute(t.db);
    // Votes on those ballots: public ones (one person's history) and secret ones (a token each), numbered per voter.
    await sql`insert into ballot_votes (ballot_id, voter_id, voter_token, seq, position, rationale, cast_at)
      select b.id, case when i <= 10 then ${creator}::uuid end, case when i > 10 then 'bulk-' || i end, case when i <= 10 then i else 1 end, 'yes', '',
        case when i <= 10 then now() end
      from ballots b, generate_series(1, 20) as i where b.title = 'Bulk'`.execute(t.db);
    await sql`analyze ballots, clauses, definitions, groups, memberships, users, chain_heads, ballot_votes`.execute(t.db);

    const votes = [vote(ballotId, groupId, group.users.chair), vote(ballotId, groupId, group.users.member)];
    const audit = chainEvents(
      votes.map((v) => ({ groupId, actorId: v.actorId, type: 'ballot.voted', payload: { ballotId, position: v.position } })),
      new Map([[groupChain(groupId), { seq: 0, hash: GENESIS_HASH }]]),
    );
    const client = await poolOf(t.db).connect();
    try {
      await runStatements(client, [
        'set plan_cache_mode = force_generic_plan',
        ...[checkVotes, insertVotes, lockChainHeadsAt, appendEventsPrepared, lockBallotsForVoting, lockChainHeads].map((s) => s.definition),
      ]);
      const plans = await runStatements(
        client,
        [
          checkVotes.execute(votes, new Date(), ['private:member']),
          insertVotes.execute(votes, [{ ballotId, userId: creator }], [{ ballotId, secret: false }]),
          lockChainHeadsAt.execute([{ chain: groupChain(groupId), seq: 0, hash: GENESIS_HASH }]),
          appendEventsPrepared.execute(
            audit.rows,
            [...audit.heads].map(([chain, head]) => ({ chain, ...head })),
          ),
          // The two-step write's first round trip.
          lockBallotsForVoting.execute(
            [ballotId],
            votes.map((v) => v.actorId),
          ),
          lockChainHeads.execute([groupChain(groupId)], GENESIS_HASH),
        ].map((statement) => `explain (format json) ${statement}`),
      );
      type Node = { 'Node Type': string; 'Relation Name'?: string; Plans?: Node[] };
      const scans = (node: Node): string[] => [...(node['Node Type'] === 'Seq Scan' ? [node['Relation Name']!] : []), ...(node.Plans ?? []).flatMap(scans)];
      const scanned = plans.flatMap((rows) => scans((rows[0]!['QUERY PLAN'] as { Plan: Node }[])[0]!.Plan));
      for (const table of ['ballots', 'clauses', 'definitions', 'groups', 'memberships', 'users', 'chain_heads', 'ballot_votes'])
        expect(scanned).not.toContain(table);
    } finally {
      client.release(true); // its prepared statements and settings stay out of the pool
    }
  });
});
