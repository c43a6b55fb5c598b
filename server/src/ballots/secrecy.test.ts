import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestApp, type TestUser } from '../../test/support/app.ts';

/**
 * A secret ballot names who voted, never how: this walks every read endpoint and every export as
 * every role while a secret ballot is open and after it closes.
 */
describe('secret ballots leak nothing', () => {
  const t = useTestApp();

  it('no API response or export ties a voter to a position, a rationale or matrix marks', async () => {
    const { slug, users } = await t.groupWithRoles('public');
    const as = (user: TestUser | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      t.request({ method, url, as: user, ...(payload && { payload }) });
    const definitionId = (await as(users.chair, 'POST', `/api/groups/${slug}/definitions`, { slug: 'osaid', title: 'OSAID' })).json().id as string;
    const clauseId = (await as(users.editor, 'POST', `/api/definitions/${definitionId}/clauses`, { text: 'Training data is required.' })).json().id as string;
    await as(users.chair, 'POST', `/api/definitions/${definitionId}/versions`, { label: 'v1', summary: 'First' });
    const rules = {
      kind: 'binding',
      eligibleRoles: ['chair', 'editor', 'member'],
      quorum: 0,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret: true,
      resultsVisibility: 'after_close',
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const clauseBallot = (
      await as(users.chair, 'POST', `/api/definitions/${definitionId}/ballots`, { title: 'Clause', subject: { kind: 'clause', clauseId }, rules })
    ).json().id as string;
    const matrixBallot = (
      await as(users.chair, 'POST', `/api/definitions/${definitionId}/ballots`, {
        title: 'Matrix',
        subject: { kind: 'matrix', rows: ['Training data'], columns: ['Use', 'Study'] },
        rules: { ...rules, countUnsure: true },
      })
    ).json().id as string;
    for (const id of [clauseBallot, matrixBallot]) expect((await as(users.chair, 'POST', `/api/ballots/${id}/open`)).statusCode).toBe(200);

    // Each voter's rationale is a marker only they may ever see again.
    const marker = (who: string) => `secret-reason-of-${who}`;
    const cast = [
      [users.chair, 'yes'],
      [users.editor, 'object'],
      [users.member, 'abstain'],
    ] as const;
    for (const [user, position] of cast) {
      expect((await as(user, 'PUT', `/api/ballots/${clauseBallot}/vote`, { position, rationale: marker(user.user.displayName) })).statusCode).toBe(200);
    }
    const marks = { chair: [['required', 'not_required']], editor: [['unsure', 'required']], member: [['not_required', 'unsure']] } as const;
    for (const role of ['chair', 'editor', 'member'] as const) {
      expect(
        (await as(users[role], 'PUT', `/api/ballots/${matrixBallot}/vote`, { position: 'marks', marks: marks[role], rationale: marker(`${role}-matrix`) }))
          .statusCode,
      ).toBe(200);
    }

    const reads = [
      `/api/ballots/${clauseBallot}`,
      `/api/ballots/${matrixBallot}`,
      `/api/definitions/${definitionId}/ballots`,
      `/api/definitions/${definitionId}`,
      `/api/definitions/${definitionId}/public`,
      `/api/definitions/${definitionId}/history`,
      `/api/definitions/${definitionId}/versions`,
      `/api/definitions/${definitionId}/threads`,
      `/api/definitions/${definitionId}/amendments`,
      `/api/definitions/${definitionId}/export?format=json`,
      `/api/definitions/${definitionId}/export?format=md`,
      `/api/definitions/${definitionId}/export?format=html`,
      `/api/definitions/${definitionId}/export?format=json&version=v1`,
      `/api/groups/${slug}`,
      `/api/groups/${slug}/events?limit=200`,
      `/api/groups/${slug}/members`,
      '/api/notifications',
      '/api/me',
    ];

    // Ballot pages (one or the list) show the viewer their own vote, and nothing else does.
    const showsMyVote = (url: string) => url.startsWith('/api/ballots/') || url.endsWith('/ballots');

    async function crawl(stage: string) {
      const viewers = { ...users, anonymous: null } as Record<string, TestUser | null>;
      for (const [viewerRole, viewer] of Object.entries(viewers)) {
        for (const url of reads) {
          const response = await as(viewer, 'GET', url);
          expect(response.statusCode, `${stage}: ${viewerRole} GET ${url}`).toBeLessThan(500);
          const body = response.body;
          for (const [voter] of cast) {
            // Your own ballot page shows your own vote back to you; nothing else shows anyone's.
            const own = viewer === voter && showsMyVote(url);
            if (!own) expect(body, `${stage}: ${viewerRole} GET ${url}`).not.toContain(marker(voter.user.displayName));
          }
          for (const role of ['chair', 'editor', 'member'] as const) {
            const own = viewer === users[role] && url !== `/api/ballots/${clauseBallot}` && showsMyVote(url);
            if (!own) {
              expect(body).not.toContain(marker(`${role}-matrix`));
              expect(body).not.toContain(JSON.stringify(marks[role]));
            }
          }
          expect(body).not.toMatch(/"votes":\[\{/); // no one's vote is listed on a secret ballot
          expect(body).not.toMatch(/"position":"(yes|object|abstain|marks)","voter/);
        }
      }
    }

    await crawl('open');
    for (const id of [clauseBallot, matrixBallot]) expect((await as(users.chair, 'POST', `/api/ballots/${id}/close`)).statusCode).toBe(200);
    await crawl('closed');
    // The results themselves are there: counts without names.
    const closed = (await as(users.observer, 'GET', `/api/ballots/${clauseBallot}`)).json();
    expect(closed.result.counts).toMatchObject({ yes: 1, object: 1, abstain: 1 });
    expect(closed.voters).toHaveLength(3);
  });
});

/**
 * Who voted is public while a secret ballot is open (members watch the list of voters grow), so the
 * stored rows must not say in which order, or when, the votes were cast: otherwise a dump of the
 * table lines the rows up with the names.
 */
describe('secret ballots at rest', () => {
  const t = useTestApp();

  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  /** A value PostgreSQL returned, as something that can be compared (null when it cannot). */
  function comparable(value: unknown): number | bigint | string | null {
    if (value instanceof Date) return value.getTime();
    if (typeof value === 'number') return value;
    if (typeof value === 'string') return /^\d+$/.test(value) ? BigInt(value) : value;
    return null;
  }

  /** Whether the values, read in the order the votes were cast, only ever grow (as a serial id or a time would). */
  function onlyGrows(values: unknown[]): boolean {
    const keys = values.map(comparable);
    if (keys.length < 3 || keys.some((k) => k === null)) return false;
    return keys.every((k, i) => i === 0 || (keys[i - 1] as number) < (k as number));
  }

  async function ballotOn(secret: boolean) {
    const { slug, users } = await t.groupWithRoles('private');
    const definitionId = (
      await t.request({ method: 'POST', url: `/api/groups/${slug}/definitions`, as: users.chair, payload: { slug: 'at-rest', title: 'At rest' } })
    ).json().id as string;
    const clauseId = (
      await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: users.editor, payload: { text: 'Training data is required.' } })
    ).json().id as string;
    const rules = {
      kind: 'binding',
      eligibleRoles: ['chair', 'editor', 'member'],
      quorum: 0,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret,
      resultsVisibility: 'after_close',
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const ballotId = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${definitionId}/ballots`,
        as: users.chair,
        payload: { title: secret ? 'Secret' : 'Public', subject: { kind: 'clause', clauseId }, rules },
      })
    ).json().id as string;
    expect((await t.request({ method: 'POST', url: `/api/ballots/${ballotId}/open`, as: users.chair })).statusCode).toBe(200);
    return { slug, users, ballotId };
  }

  // Three people vote, then two of them change their minds (one twice): in this order.
  const casting = (users: Awaited<ReturnType<typeof ballotOn>>['users']) =>
    [
      [users.member, 'yes', 'first of the member'],
      [users.chair, 'object', 'first of the chair'],
      [users.editor, 'abstain', 'first of the editor'],
      [users.member, 'no_objection', 'second of the member'],
      [users.chair, 'yes', 'second of the chair'],
      [users.member, 'abstain', 'third of the member'],
    ] as const;

  async function castAll(ballotId: string, users: Awaited<ReturnType<typeof ballotOn>>['users']) {
    const receipts = [];
    for (const [user, position, rationale] of casting(users)) {
      const response = await t.request({ method: 'PUT', url: `/api/ballots/${ballotId}/vote`, as: user, payload: { position, rationale } });
      expect(response.statusCode, response.body).toBe(200);
      receipts.push(response.json());
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct times, were any stored
    }
    return receipts;
  }

  /** `select *` of a ballot's rows, lined up in the order the votes were cast (by their rationales, which are unique here). */
  async function dump(ballotId: string, users: Awaited<ReturnType<typeof ballotOn>>['users']) {
    const rows = (await sql<Record<string, unknown>>`select * from ballot_votes where ballot_id = ${ballotId}`.execute(t.db)).rows;
    expect(rows).toHaveLength(casting(users).length);
    return casting(users).map(([, , rationale]) => rows.find((r) => r.rationale === rationale)!);
  }

  it('stores nothing that orders or times the votes across voters, and keeps each voter their own history', async () => {
    const { users, ballotId } = await ballotOn(true);
    const receipts = await castAll(ballotId, users);
    // What the voter is told is what is stored: no time.
    for (const receipt of receipts) expect(receipt.myVote.castAt).toBeNull();

    const rows = await dump(ballotId, users);
    for (const column of Object.keys(rows[0]!)) {
      const values = rows.map((r) => r[column]);
      expect(onlyGrows(values), `column ${column} grows in the order the votes were cast: ${values.join(', ')}`).toBe(false);
      // A time, if one is kept at all, is the same for every vote of the ballot.
      if (values.some((v) => v instanceof Date)) expect(new Set(values.map((v) => (v as Date | null)?.getTime())).size, `column ${column}`).toBe(1);
    }
    for (const row of rows) {
      expect(row.id, 'a random id, not a serial or time-ordered one').toMatch(UUID_V4);
      expect(row.cast_at).toBeNull();
      expect(row.voter_id).toBeNull();
    }
    // Each voter's own votes are numbered 1, 2, 3…: that orders a person's votes, not votes across people.
    expect(rows.map((r) => r.seq)).toEqual([1, 1, 1, 2, 2, 3]);
    // Reads do not rely on the order rows were inserted in: the current vote is the highest number per token.
    const byToken = new Map<string, number[]>();
    for (const row of rows) byToken.set(row.voter_token as string, [...(byToken.get(row.voter_token as string) ?? []), row.seq as number]);
    expect([...byToken.values()].map((seqs) => seqs.length).sort()).toEqual([1, 2, 3]);

    // The voter's own history comes back in order; everyone's list of voters by name, without times.
    const asMember = (await t.request({ method: 'GET', url: `/api/ballots/${ballotId}`, as: users.member })).json();
    expect(asMember.myVote).toMatchObject({
      position: 'abstain',
      rationale: 'third of the member',
      castAt: null,
      history: [
        { position: 'yes', rationale: 'first of the member', castAt: null },
        { position: 'no_objection', rationale: 'second of the member', castAt: null },
      ],
    });
    expect((await t.request({ method: 'GET', url: `/api/ballots/${ballotId}`, as: users.chair })).json().myVote).toMatchObject({
      position: 'yes',
      history: [{ position: 'object', rationale: 'first of the chair' }],
    });
    const asObserver = (await t.request({ method: 'GET', url: `/api/ballots/${ballotId}`, as: users.observer })).json();
    expect(asObserver.voters).toEqual(['Chair', 'Editor', 'Member'].map((name) => ({ voter: { id: expect.any(String), displayName: name }, votedAt: null })));
    expect(asObserver.votedCount).toBe(3);

    // Closing counts the current votes, then rewrites the ballot's rows in a random order in one
    // transaction: after it, not even the rows' physical order or inserting transaction follows the voting.
    const closed = (await t.request({ method: 'POST', url: `/api/ballots/${ballotId}/close`, as: users.chair })).json();
    expect(closed.result.counts).toMatchObject({ yes: 1, abstain: 2, object: 0, no_objection: 0 });
    const after = await sql<{ xmin: string }>`select xmin::text as xmin from ballot_votes where ballot_id = ${ballotId}`.execute(t.db);
    expect(new Set(after.rows.map((r) => r.xmin)).size).toBe(1);
    expect(await dump(ballotId, users)).toEqual(rows); // the same rows, every column kept
    expect((await t.request({ method: 'GET', url: `/api/ballots/${ballotId}`, as: users.member })).json().myVote).toMatchObject({
      position: 'abstain',
      history: [{ position: 'yes' }, { position: 'no_objection' }],
    });
    // Still append-only for everything else.
    await expect(sql`delete from ballot_votes where ballot_id = ${ballotId}`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('leaves public ballots as they were: times, history in order, everyone listed with their votes', async () => {
    const { users, ballotId } = await ballotOn(false);
    const receipts = await castAll(ballotId, users);
    const times = receipts.map((r) => Date.parse(r.myVote.castAt));
    expect(times.every((time, i) => i === 0 || times[i - 1]! < time)).toBe(true);
    const rows = await dump(ballotId, users);
    expect(rows.map((r) => (r.cast_at as Date).getTime())).toEqual(times);
    expect(rows.map((r) => r.voter_id)).toEqual(casting(users).map(([user]) => user.user.id));
    expect(rows.map((r) => r.seq)).toEqual([1, 1, 1, 2, 2, 3]);

    const asMember = (await t.request({ method: 'GET', url: `/api/ballots/${ballotId}`, as: users.member })).json();
    expect(asMember.myVote).toMatchObject({
      position: 'abstain',
      castAt: receipts[5].myVote.castAt,
      history: [
        { position: 'yes', castAt: receipts[0].myVote.castAt },
        { position: 'no_objection', castAt: receipts[3].myVote.castAt },
      ],
    });
    // Who took part, in the order they first voted, with the time.
    expect(asMember.voters).toEqual([
      { voter: { id: users.member.user.id, displayName: 'Member' }, votedAt: receipts[0].myVote.castAt },
      { voter: { id: users.chair.user.id, displayName: 'Chair' }, votedAt: receipts[1].myVote.castAt },
      { voter: { id: users.editor.user.id, displayName: 'Editor' }, votedAt: receipts[2].myVote.castAt },
    ]);
    const closed = (await t.request({ method: 'POST', url: `/api/ballots/${ballotId}/close`, as: users.chair })).json();
    // Everyone's current vote with their history, in the order they first voted.
    expect(
      closed.votes.map((v: { voter: { displayName: string }; position: string; history: { position: string }[] }) => [
        v.voter.displayName,
        v.position,
        v.history.map((h) => h.position),
      ]),
    ).toEqual([
      ['Member', 'abstain', ['yes', 'no_objection']],
      ['Chair', 'yes', ['object']],
      ['Editor', 'abstain', []],
    ]);
    expect(closed.votes[0].castAt).toBe(receipts[5].myVote.castAt);
  });
});
