import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type TestUser, useTestApp } from '../../test/support/app.ts';
import { ballotRules } from '../../test/support/ballots.ts';

/**
 * The disposition of comments: every public comment, every named Object position of a closed ballot and
 * every formal objection is an item; a chair disposes of each with a reason (or the change that
 * addressed it); the commenter hears of it and says whether it satisfies them; setting the definition
 * final asks about what is undisposed. Public comments' items are public; the rest are the members'.
 */
describe('disposition of comments', () => {
  const t = useTestApp();

  async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, as: TestUser | null, payload?: object) {
    return t.request({ method, url, as, ...(payload && { payload }) });
  }
  async function ok(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, as: TestUser | null, payload?: object) {
    const response = await call(method, url, as, payload);
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.json();
  }

  /** A public group's definition in its public comment period, with two clauses and a published version. */
  async function inCommentPeriod(visibility: 'public' | 'private' = 'public') {
    const { slug, users } = await t.groupWithRoles(visibility);
    const definitionId = (await ok('POST', `/api/groups/${slug}/definitions`, users.chair, { slug: 'osaid', title: 'OSAID' })).id as string;
    const clauseId = (await ok('POST', `/api/definitions/${definitionId}/clauses`, users.editor, { text: 'Training data is required.' })).id as string;
    const otherId = (await ok('POST', `/api/definitions/${definitionId}/clauses`, users.editor, { text: 'Code is required.' })).id as string;
    await ok('POST', `/api/definitions/${definitionId}/versions`, users.chair, { label: '0.9', notes: '' });
    await ok('PATCH', `/api/definitions/${definitionId}`, users.chair, { status: 'public-comment' });
    const register = (as: TestUser | null, query = '') => call('GET', `/api/definitions/${definitionId}/dispositions${query}`, as);
    const comment = (as: TestUser, body: string, audience?: 'public' | 'internal', clause = clauseId) =>
      ok('POST', `/api/definitions/${definitionId}/threads`, as, { clauseId: clause, body, ...(audience && { audience }) });
    return { slug, users, definitionId, clauseId, otherId, register, comment };
  }

  async function objectInBallot(s: Awaited<ReturnType<typeof inCommentPeriod>>, secret: boolean) {
    const ballot = await ok('POST', `/api/definitions/${s.definitionId}/ballots`, s.users.chair, {
      title: secret ? 'Secret vote on clause 1' : 'Adopt clause 1',
      subject: { kind: 'clause', clauseId: s.clauseId },
      rules: ballotRules({ secret, resultsVisibility: 'after_close' }),
    });
    await ok('POST', `/api/ballots/${ballot.id}/open`, s.users.chair);
    await ok('PUT', `/api/ballots/${ballot.id}/vote`, s.users.chair, { position: 'yes' });
    // The editor objects, changes their mind, objects again: one item, with the final reason.
    await ok('PUT', `/api/ballots/${ballot.id}/vote`, s.users.editor, { position: 'object', rationale: 'First thought.' });
    await ok('PUT', `/api/ballots/${ballot.id}/vote`, s.users.editor, { position: 'object', rationale: 'Data information is enough.' });
    // The member objected and then withdrew the objection: no item.
    await ok('PUT', `/api/ballots/${ballot.id}/vote`, s.users.member, { position: 'object', rationale: 'Hmm.' });
    await ok('PUT', `/api/ballots/${ballot.id}/vote`, s.users.member, { position: 'no_objection' });
    await ok('POST', `/api/ballots/${ballot.id}/close`, s.users.chair);
    return ballot.id as string;
  }

  it('enters public comments, named ballot objections and formal objections in the register, numbered, and nothing else', async () => {
    const s = await inCommentPeriod();
    await s.comment(s.users.outsider, 'Training data must be shared, or nobody can study the model.');
    await s.comment(s.users.member, 'Internal note: check the FAQ.', 'internal');
    await s.comment(s.users.member, 'Speaking publicly: I agree with the clause.', 'public');
    const ballotId = await objectInBallot(s, false);
    await objectInBallot(s, true);
    const formal = await call('POST', `/api/definitions/${s.definitionId}/objections`, s.users.member, {
      clauseId: s.otherId,
      body: 'I formally object: code alone is not enough.',
    });
    expect(formal.statusCode).toBe(201);
    const whole = await ok('POST', `/api/definitions/${s.definitionId}/objections`, s.users.editor, { body: 'The definition as a whole overreaches.' });
    expect(whole).toMatchObject({ source: 'formal_objection', clause: null, public: false });

    const all = (await s.register(s.users.observer)).json();
    expect(
      all.items.map((i: { number: number; source: string; author: { displayName: string }; body: string }) => [
        i.number,
        i.source,
        i.author.displayName,
        i.body,
      ]),
    ).toEqual([
      [1, 'public_comment', 'Outsider', 'Training data must be shared, or nobody can study the model.'],
      [2, 'public_comment', 'Member', 'Speaking publicly: I agree with the clause.'],
      [3, 'ballot_objection', 'Editor', 'Data information is enough.'],
      [4, 'formal_objection', 'Member', 'I formally object: code alone is not enough.'],
      [5, 'formal_objection', 'Editor', 'The definition as a whole overreaches.'],
    ]);
    expect(all.items[2]).toMatchObject({ ballot: { id: ballotId, title: 'Adopt clause 1' }, clause: { id: s.clauseId, label: 'Clause 1' }, public: false });
    expect(all.items[3].clause).toEqual({ id: s.otherId, label: 'Clause 2' });
    expect(all.counts).toEqual({ total: 5, undisposed: 5, notSatisfied: 0 });
    expect(all.mayObject).toBe(false);
    expect(all.items[0].allowedActions).toEqual([]);
    expect((await s.register(s.users.chair)).json().items[0].allowedActions).toEqual(['decide']);

    // The public reads the public comments' items only — signed in or not.
    for (const reader of [s.users.outsider, null]) {
      const outside = (await s.register(reader)).json();
      expect(outside.items.map((i: { number: number }) => i.number)).toEqual([1, 2]);
      expect(outside.counts).toEqual({ total: 2, undisposed: 2, notSatisfied: 0 });
      expect(outside.mayObject).toBe(false);
    }
    // Filters.
    expect((await s.register(s.users.chair, '?source=ballot_objection')).json().items).toHaveLength(1);
    expect((await s.register(s.users.chair, `?clause=${s.otherId}`)).json().items.map((i: { number: number }) => i.number)).toEqual([4]);
    // One item for one objector of the ballot, whatever the repeats; each raise is in the log.
    const log = (await ok('GET', `/api/groups/${s.slug}/events?kind=dispositions`, s.users.chair)).events;
    expect(log.map((e: { type: string }) => e.type)).toEqual(Array(5).fill('disposition.raised'));
    expect(log.find((e: { payload: { source: string } }) => e.payload.source === 'ballot_objection').payload.numbers).toEqual([3]);
  });

  it('lets only a chair dispose, with a reason or the change, notifies the commenter, and takes their answer', async () => {
    const s = await inCommentPeriod();
    await s.comment(s.users.outsider, 'Training data must be shared.');
    await s.comment(s.users.member, 'Also public.', 'public');
    const [item, other] = (await s.register(s.users.chair)).json().items;
    const decide = (as: TestUser | null, payload: object, id = item.id) => call('PUT', `/api/dispositions/${id}/disposition`, as, payload);

    // Who may decide: a chair only.
    for (const [who, status] of [
      [s.users.editor, 403],
      [s.users.member, 403],
      [s.users.observer, 403],
      [s.users.outsider, 403],
      [null, 401],
    ] as const) {
      expect((await decide(who, { disposition: 'rejected', reason: 'No.' })).statusCode).toBe(status);
    }
    // What a disposition must say.
    const bad = [
      { disposition: 'rejected' },
      { disposition: 'deferred' },
      { disposition: 'accepted' },
      { disposition: 'rejected', reason: 'No.', versionLabel: '0.9' },
      { disposition: 'accepted', versionLabel: '7.7' },
      { disposition: 'accepted', amendmentId: randomUUID() },
      { disposition: 'maybe', reason: 'x' },
      { disposition: 'rejected', reason: '   ' },
      { disposition: 'rejected', reason: 'x'.repeat(10_001) },
      { disposition: 'rejected', reason: 'x', extra: true },
    ];
    for (const payload of bad) {
      const response = await decide(s.users.chair, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('invalid_input');
    }
    // A proposed (not accepted) amendment is not the change that addressed it.
    const proposed = await ok('POST', `/api/definitions/${s.definitionId}/amendments`, s.users.member, {
      clauseId: s.clauseId,
      text: 'Training data information is required.',
      rationale: 'Per the comment.',
    });
    expect((await decide(s.users.chair, { disposition: 'accepted', amendmentId: proposed.id })).statusCode).toBe(400);
    expect((await s.register(s.users.chair)).json().counts.undisposed).toBe(2);

    // Answering before there is a disposition is out of order.
    const early = await call('PUT', `/api/dispositions/${item.id}/response`, s.users.outsider, { satisfied: true });
    expect(early.statusCode).toBe(409);

    await ok('POST', `/api/amendments/${proposed.id}/accept`, s.users.editor);
    const decided = await decide(s.users.chair, { disposition: 'partly_accepted', reason: 'Data information, not the data itself.', amendmentId: proposed.id });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({
      disposition: 'partly_accepted',
      reason: 'Data information, not the data itself.',
      amendmentId: proposed.id,
      decidedBy: { id: s.users.chair.user.id },
      response: null,
    });

    // The commenter — not a member — hears of it, and the link opens the public register.
    const inbox = (await ok('GET', '/api/notifications', s.users.outsider)).notifications;
    const made = inbox.find((n: { kind: string }) => n.kind === 'disposition_made');
    expect(made).toMatchObject({
      details: { dispositionNumber: 1, disposition: 'partly_accepted' },
      excerpt: 'Data information, not the data itself.',
      link: `/groups/${s.slug}/definitions/${s.definitionId}/public/dispositions?item=${item.id}`,
    });
    // Outside the group, the amendment (the group's own) is not named; the disposition is.
    const seenOutside = (await ok('GET', `/api/dispositions/${item.id}`, s.users.outsider)) as { amendmentId: string | null; allowedActions: string[] };
    expect(seenOutside.amendmentId).toBeNull();
    expect(seenOutside.allowedActions).toEqual(['respond']);

    // Only the commenter answers.
    for (const [who, status] of [
      [s.users.chair, 403],
      [s.users.member, 403],
      [null, 401],
    ] as const) {
      expect((await call('PUT', `/api/dispositions/${item.id}/response`, who, { satisfied: true })).statusCode).toBe(status);
    }
    expect((await call('PUT', `/api/dispositions/${item.id}/response`, s.users.outsider, { satisfied: 'yes' })).statusCode).toBe(400);
    const answered = await ok('PUT', `/api/dispositions/${item.id}/response`, s.users.outsider, { satisfied: false, note: 'The data itself matters.' });
    expect(answered.response).toMatchObject({ satisfied: false, note: 'The data itself matters.' });
    const chairInbox = (await ok('GET', '/api/notifications', s.users.chair)).notifications;
    expect(chairInbox.find((n: { kind: string }) => n.kind === 'disposition_response')).toMatchObject({
      details: { dispositionNumber: 1, satisfied: false },
      excerpt: 'The data itself matters.',
      link: `/groups/${s.slug}/definitions/${s.definitionId}/dispositions?item=${item.id}`,
    });
    expect((await s.register(null)).json().counts).toEqual({ total: 2, undisposed: 1, notSatisfied: 1 });
    // Filtered by state: the items asked for, the counts of the whole register.
    const numbers = async (query: string) => (await s.register(s.users.chair, query)).json().items.map((i: { number: number }) => i.number);
    expect(await numbers('?state=disposed')).toEqual([1]);
    expect(await numbers('?state=undisposed')).toEqual([2]);
    expect((await s.register(s.users.chair, '?state=disposed')).json().counts).toEqual({ total: 2, undisposed: 1, notSatisfied: 1 });

    // A new disposition asks the commenter afresh; the log keeps both.
    const redecided = await ok('PUT', `/api/dispositions/${item.id}/disposition`, s.users.chair, { disposition: 'deferred', reason: 'To version 1.1.' });
    expect(redecided).toMatchObject({ disposition: 'deferred', amendmentId: null, response: null });
    const log = (await ok('GET', `/api/groups/${s.slug}/events?kind=dispositions`, s.users.chair)).events;
    expect(log.map((e: { type: string }) => e.type).slice(0, 3)).toEqual(['disposition.decided', 'disposition.responded', 'disposition.decided']);
    expect(log[0].payload).toMatchObject({ number: 1, disposition: 'deferred', previous: 'partly_accepted', threadId: item.threadId });
    expect(other.number).toBe(2);
  });

  it('keeps what was answered: edits before a disposition update the item, edits after do not; hidden comments are withheld from the public', async () => {
    const s = await inCommentPeriod();
    const thread = await s.comment(s.users.outsider, 'First wording.');
    const commentId = thread.comments[0].id as string;
    await ok('PATCH', `/api/comments/${commentId}`, s.users.outsider, { body: 'Second wording.' });
    const [item] = (await s.register(s.users.chair)).json().items;
    expect(item.body).toBe('Second wording.');
    await ok('PUT', `/api/dispositions/${item.id}/disposition`, s.users.chair, { disposition: 'rejected', reason: 'Out of line with the charter.' });
    await ok('PATCH', `/api/comments/${commentId}`, s.users.outsider, { body: 'Third wording, after the answer.' });
    expect((await ok('GET', `/api/dispositions/${item.id}`, s.users.chair)).body).toBe('Second wording.');

    await ok('POST', `/api/comments/${commentId}/hide`, s.users.chair, { reason: 'Spam' });
    // As in its thread: the chair, who moderates, still reads it; members and the public do not.
    expect((await ok('GET', `/api/dispositions/${item.id}`, s.users.chair)).body).toBe('Second wording.');
    expect((await ok('GET', `/api/dispositions/${item.id}`, s.users.member)).body).toBeNull();
    expect((await ok('GET', `/api/dispositions/${item.id}`, s.users.outsider)).body).toBeNull();
    expect((await s.register(null)).json().items[0].body).toBeNull();
  });

  it('refuses to set the definition final while items are undisposed, unless the chair acknowledges them', async () => {
    const s = await inCommentPeriod();
    await s.comment(s.users.outsider, 'One.');
    await s.comment(s.users.outsider, 'Two.');
    await ok('POST', `/api/definitions/${s.definitionId}/objections`, s.users.member, { body: 'Three.' });
    const [first] = (await s.register(s.users.chair)).json().items;
    await ok('PUT', `/api/dispositions/${first.id}/disposition`, s.users.chair, { disposition: 'accepted', versionLabel: '0.9' });

    const refused = await call('PATCH', `/api/definitions/${s.definitionId}`, s.users.chair, { status: 'final', title: 'OSAID 1.0' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('2 items'),
      details: [
        { path: '/dispositions/2', message: 'D-2 (public comment) is undisposed' },
        { path: '/dispositions/3', message: 'D-3 (formal objection) is undisposed' },
      ],
    });
    // Nothing of the refused change was written.
    expect(await ok('GET', `/api/definitions/${s.definitionId}`, s.users.chair)).toMatchObject({ status: 'public-comment', title: 'OSAID' });
    // Other changes do not ask.
    expect((await call('PATCH', `/api/definitions/${s.definitionId}`, s.users.chair, { title: 'OSAID 1.0' })).statusCode).toBe(200);

    const acknowledged = await call('PATCH', `/api/definitions/${s.definitionId}`, s.users.chair, { status: 'final', acknowledgeUndisposed: true });
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json().status).toBe('final');
    const [event] = (await ok('GET', `/api/groups/${s.slug}/events?kind=definitions`, s.users.chair)).events;
    expect(event).toMatchObject({ type: 'definition.status_changed', payload: { changes: { status: 'final' }, undisposedAcknowledged: [2, 3] } });

    // With everything disposed, no acknowledgement is needed.
    const t2 = await inCommentPeriod();
    const c = await t2.comment(t2.users.outsider, 'Only one.');
    expect(c.id).toBeTruthy();
    const [only] = (await t2.register(t2.users.chair)).json().items;
    await ok('PUT', `/api/dispositions/${only.id}/disposition`, t2.users.chair, { disposition: 'out_of_scope', reason: 'About licences, not AI.' });
    expect((await call('PATCH', `/api/definitions/${t2.definitionId}`, t2.users.chair, { status: 'final' })).statusCode).toBe(200);
  });

  it('exports the register with the decision record (JSON and Markdown)', async () => {
    const s = await inCommentPeriod();
    await s.comment(s.users.outsider, 'Say *data information*.');
    await objectInBallot(s, false);
    const [item] = (await s.register(s.users.chair)).json().items;
    await ok('PUT', `/api/dispositions/${item.id}/disposition`, s.users.chair, { disposition: 'accepted', versionLabel: '0.9', reason: 'Done in 0.9.' });
    await ok('PUT', `/api/dispositions/${item.id}/response`, s.users.outsider, { satisfied: true });

    const json = (await call('GET', `/api/definitions/${s.definitionId}/export?format=json`, s.users.member)).json();
    expect(json.decisions.dispositions).toEqual([
      expect.objectContaining({
        number: 1,
        source: 'public_comment',
        author: 'Outsider',
        body: 'Say *data information*.',
        disposition: 'accepted',
        versionLabel: '0.9',
        decidedBy: 'Chair',
        response: expect.objectContaining({ satisfied: true }),
      }),
      expect.objectContaining({
        number: 2,
        source: 'ballot_objection',
        author: 'Editor',
        body: 'Data information is enough.',
        disposition: null,
        response: null,
      }),
    ]);
    const md = (await call('GET', `/api/definitions/${s.definitionId}/export?format=md`, s.users.member)).body;
    expect(md).toContain('### Disposition of comments');
    expect(md).toContain('2 items, 1 without a disposition.');
    expect(md).toContain('- **D-1** public comment by Outsider');
    // User text reads as written, never as markup.
    expect(md).toContain('> Say \\*data information\\*.');
    expect(md).toContain('Disposition: **Accepted** (in version 0.9) by Chair');
    expect(md).toContain('Commenter: satisfied');
    expect(md).toContain('Disposition: **none yet**');
    const html = (await call('GET', `/api/definitions/${s.definitionId}/export?format=html`, s.users.member)).body;
    expect(html).toContain('<h3>Disposition of comments</h3>');
  });

  it('refuses what does not exist or may not be seen, and malformed input', async () => {
    const s = await inCommentPeriod('private');
    await ok('POST', `/api/definitions/${s.definitionId}/objections`, s.users.member, { clauseId: s.clauseId, body: 'Objection.' });
    const [item] = (await s.register(s.users.chair)).json().items;
    // A private group's register does not exist for outsiders.
    expect((await s.register(s.users.outsider)).statusCode).toBe(404);
    expect((await s.register(null)).statusCode).toBe(404);
    expect((await call('GET', `/api/dispositions/${item.id}`, s.users.outsider)).statusCode).toBe(404);
    expect((await call('PUT', `/api/dispositions/${item.id}/disposition`, s.users.outsider, { disposition: 'rejected', reason: 'x' })).statusCode).toBe(404);
    expect((await call('GET', `/api/dispositions/${randomUUID()}`, s.users.chair)).statusCode).toBe(404);
    expect((await call('GET', '/api/dispositions/not-a-uuid', s.users.chair)).statusCode).toBe(400);
    expect((await s.register(s.users.chair, '?state=maybe')).statusCode).toBe(400);
    // Objections: observers may not; a clause must exist; the body has limits.
    const objections = `/api/definitions/${s.definitionId}/objections`;
    expect((await call('POST', objections, s.users.observer, { body: 'x' })).statusCode).toBe(403);
    expect((await call('POST', objections, s.users.outsider, { body: 'x' })).statusCode).toBe(404);
    expect((await call('POST', objections, s.users.member, { clauseId: randomUUID(), body: 'x' })).statusCode).toBe(404);
    expect((await call('POST', objections, s.users.member, { body: '' })).statusCode).toBe(400);
    expect((await call('POST', objections, s.users.member, { body: 'x'.repeat(20_001) })).statusCode).toBe(400);
    expect((await call('POST', objections, s.users.member, { body: 'x', public: true })).statusCode).toBe(400);
    expect((await s.register(s.users.chair)).json().counts.total).toBe(1);
    // A formal objection's item is the members': the objector hears of its disposition in the draft.
    await ok('PUT', `/api/dispositions/${item.id}/disposition`, s.users.chair, { disposition: 'rejected', reason: 'Settled by ballot.' });
    const made = (await ok('GET', '/api/notifications', s.users.member)).notifications.find((n: { kind: string }) => n.kind === 'disposition_made');
    expect(made.link).toBe(`/groups/${s.slug}/definitions/${s.definitionId}/dispositions?item=${item.id}`);
  });

  it('numbers items raised at the same moment without gaps or repeats', async () => {
    const s = await inCommentPeriod();
    const commenters = await Promise.all(Array.from({ length: 8 }, (_, i) => t.register(`Commenter ${i}`)));
    await Promise.all(commenters.map((who, i) => s.comment(who, `Comment ${i}`)));
    const numbers = (await s.register(null)).json().items.map((i: { number: number }) => i.number);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
