import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Role, SearchHit, SearchResults } from '@draftroom/shared';
import { useTestApp, type TestUser } from '../../test/support/app.ts';

type Who = Role | 'outsider' | 'anonymous';
const WHO: Who[] = ['chair', 'editor', 'member', 'observer', 'outsider', 'anonymous'];
const MEMBERS: Who[] = ['chair', 'editor', 'member', 'observer'];

/** A word nothing else in the database holds, so each test finds only its own items. */
const word = () =>
  `zq${randomBytes(4)
    .toString('hex')
    .replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;

describe('search', () => {
  const t = useTestApp();

  const search = (as: TestUser | null, query: Record<string, string | number>) =>
    t.request({ method: 'GET', url: '/api/search', query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])), as });

  async function found(as: TestUser | null, query: Record<string, string | number>): Promise<SearchResults> {
    const response = await search(as, query);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  const kindsOf = (results: SearchResults) => results.results.map((hit) => `${hit.kind}${hit.audience ? `:${hit.audience}` : ''}`).sort();

  async function ok<T = Record<string, unknown>>(as: TestUser, method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<T> {
    const response = await t.request({ method, url, as, ...(payload && { payload }) });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.statusCode === 204 ? ({} as T) : response.json();
  }

  /**
   * A group with one item of every kind holding `tag`: the live clause text, the clause as published
   * (an older wording), an internal thread, a public one (public groups only: written during a public
   * comment period), an amendment and a secret ballot someone voted on with a rationale.
   */
  async function world(visibility: 'public' | 'private', tag: string) {
    const group = await t.groupWithRoles(visibility);
    const { users } = group;
    const definitionId = (await ok<{ id: string }>(users.chair, 'POST', `/api/groups/${group.slug}/definitions`, { slug: 'osaid', title: 'OSAID' })).id;
    const clauseId = (await ok<{ id: string }>(users.editor, 'POST', `/api/definitions/${definitionId}/clauses`, { text: `Published ${tag} wording.` })).id;
    await ok(users.chair, 'POST', `/api/definitions/${definitionId}/versions`, { label: '0.1', notes: '' });
    await ok(users.editor, 'PUT', `/api/definitions/${definitionId}/clauses/${clauseId}`, { text: `Draft ${tag} wording.` });
    const internal = await ok<{ id: string }>(users.member, 'POST', `/api/definitions/${definitionId}/threads`, { clauseId, body: `Internal ${tag} talk.` });
    if (visibility === 'public') {
      await ok(users.chair, 'PATCH', `/api/definitions/${definitionId}`, { status: 'public-comment' });
      await ok(users.outsider, 'POST', `/api/definitions/${definitionId}/threads`, { clauseId, body: `Public ${tag} remark.` });
    }
    await ok(users.member, 'POST', `/api/definitions/${definitionId}/amendments`, { clauseId, text: `Amended ${tag} wording.`, rationale: 'Clearer.' });
    const ballot = await ok<{ id: string }>(users.chair, 'POST', `/api/definitions/${definitionId}/ballots`, {
      title: `Ballot on ${tag}`,
      subject: { kind: 'clause', clauseId },
      rules: {
        kind: 'binding',
        eligibleRoles: ['chair', 'editor', 'member'],
        quorum: 0,
        threshold: 0.5,
        blockingObjectionFails: false,
        secret: true,
        resultsVisibility: 'after_close',
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    await ok(users.chair, 'POST', `/api/ballots/${ballot.id}/open`);
    await ok(users.editor, 'PUT', `/api/ballots/${ballot.id}/vote`, { position: 'object', rationale: `Secret ${tag}votereason` });
    return { ...group, definitionId, clauseId, internalThreadId: internal.id, ballotId: ballot.id };
  }

  const asWho = (users: Record<Role | 'outsider', TestUser>, who: Who) => (who === 'anonymous' ? null : users[who]);

  it('finds for every role only what that role reads, in a private and a public group', async () => {
    for (const visibility of ['private', 'public'] as const) {
      const tag = word();
      const w = await world(visibility, tag);
      const expected: Record<Who, string[]> = {} as Record<Who, string[]>;
      for (const who of WHO) {
        const member = MEMBERS.includes(who);
        expected[who] = [
          ...(member ? ['amendment', 'ballot', 'clause', 'comment:internal'] : []),
          ...(visibility === 'public' ? ['comment:public'] : []),
          ...(member || visibility === 'public' ? ['version'] : []),
        ].sort();
      }
      for (const who of WHO) {
        const results = await found(asWho(w.users, who), { q: tag });
        expect(kindsOf(results), `${visibility} group, ${who}`).toEqual(expected[who]);
        for (const hit of results.results) {
          expect(hit).toMatchObject({ groupSlug: w.slug, definitionId: w.definitionId, definitionTitle: 'OSAID', member: MEMBERS.includes(who) });
          expect(hit.snippet.some((part) => part.mark && part.text.toLowerCase().startsWith(tag))).toBe(true);
        }
        // The draft's wording only to members; the published one to whoever reads versions.
        const text = JSON.stringify(results);
        expect(text.includes('Draft')).toBe(MEMBERS.includes(who));
        expect(text.includes('Internal')).toBe(MEMBERS.includes(who));
        // How anyone voted on the secret ballot: never, to anyone.
        expect((await found(asWho(w.users, who), { q: `${tag}votereason` })).results).toEqual([]);
        expect(text).not.toContain('votereason');
      }
      const version = (await found(null, { q: tag, kind: 'version' })).results;
      if (visibility === 'public') expect(version).toMatchObject([{ versionLabel: '0.1', clauseId: w.clauseId, clauseLabel: 'Clause 1' }]);
      const clause = (await found(w.users.observer, { q: tag, kind: 'clause' })).results;
      expect(clause).toMatchObject([{ id: w.clauseId, clauseLabel: 'Clause 1', versionLabel: null }]);
      const comment = (await found(w.users.observer, { q: `internal ${tag}` })).results;
      expect(comment).toMatchObject([{ kind: 'comment', threadId: w.internalThreadId, audience: 'internal', clauseLabel: 'Clause 1' }]);
      const ballot = (await found(w.users.observer, { q: tag, kind: 'ballot' })).results;
      expect(ballot).toMatchObject([{ id: w.ballotId, title: `Ballot on ${tag}`, clauseId: w.clauseId }]);
    }
  });

  it('a removed member stops finding the group’s content at once; a thread published by a chair is found by the public', async () => {
    const tag = word();
    const w = await world('public', tag);
    expect(kindsOf(await found(w.users.observer, { q: tag }))).toContain('comment:internal');
    await ok(w.users.chair, 'DELETE', `/api/groups/${w.slug}/members/${w.users.observer.user.id}`);
    expect(kindsOf(await found(w.users.observer, { q: tag }))).toEqual(['comment:public', 'version']);

    expect(kindsOf(await found(null, { q: `internal ${tag}` }))).toEqual([]);
    await ok(w.users.chair, 'POST', `/api/threads/${w.internalThreadId}/publish`);
    expect(kindsOf(await found(null, { q: `internal ${tag}` }))).toEqual(['comment:public']);

    // A group made private: the public finds nothing of it any more.
    await ok(w.users.chair, 'PATCH', `/api/groups/${w.slug}`, { visibility: 'private' });
    expect((await found(null, { q: tag })).results).toEqual([]);
    expect((await found(w.users.outsider, { q: tag })).results).toEqual([]);
  });

  it('deleted and hidden comments are found by nobody', async () => {
    const tag = word();
    const w = await world('private', tag);
    const thread = await ok<{ comments: { id: string }[] }>(w.users.member, 'POST', `/api/definitions/${w.definitionId}/threads`, {
      clauseId: w.clauseId,
      body: `Hidden ${tag} remark.`,
    });
    const deleted = await ok<{ comments: { id: string }[] }>(w.users.member, 'POST', `/api/definitions/${w.definitionId}/threads`, {
      clauseId: w.clauseId,
      body: `Deleted ${tag} remark.`,
    });
    expect((await found(w.users.chair, { q: `remark ${tag}` })).results).toHaveLength(2);
    await ok(w.users.chair, 'POST', `/api/comments/${thread.comments[0]!.id}/hide`, { reason: 'Off topic' });
    await ok(w.users.member, 'DELETE', `/api/comments/${deleted.comments[0]!.id}`);
    for (const who of MEMBERS) expect((await found(asWho(w.users, who), { q: `remark ${tag}` })).results).toEqual([]);
  });

  it('ranks the better match first, understands phrases and exclusions, and stems', async () => {
    const { slug, users } = await t.groupWithRoles('private');
    const tag = word();
    const definitionId = (await ok<{ id: string }>(users.chair, 'POST', `/api/groups/${slug}/definitions`, { slug: 'rank', title: 'Ranking' })).id;
    const insert = async (text: string) => (await ok<{ id: string }>(users.chair, 'POST', `/api/definitions/${definitionId}/clauses`, { text })).id;
    const weak = await insert(`${tag} A long clause that mentions the source once, then talks about licences, users, rights and obligations at length.`);
    const strong = await insert(`${tag} Open source: the source code and the source of the training data, all source.`);
    const phrase = await insert(`${tag} Training data information is described here.`);

    const ranked = (await found(users.chair, { q: `${tag} source`, kind: 'clause' })).results;
    expect(ranked.map((hit) => hit.id)).toEqual([strong, weak]);
    expect(ranked[0]!.rank).toBeGreaterThan(ranked[1]!.rank);

    // "trained" finds "training" (English stemming); a quoted phrase needs its words together.
    expect((await found(users.chair, { q: `${tag} trained`, kind: 'clause' })).results.map((hit) => hit.id).sort()).toEqual([strong, phrase].sort());
    expect((await found(users.chair, { q: `${tag} "training data information"` })).results.map((hit) => hit.id)).toEqual([phrase]);
    expect((await found(users.chair, { q: `${tag} "data training"` })).results).toEqual([]);
    expect((await found(users.chair, { q: `${tag} training -information`, kind: 'clause' })).results.map((hit) => hit.id)).toEqual([strong]);
    expect((await found(users.chair, { q: `${tag} licences or information`, kind: 'clause' })).results.map((hit) => hit.id).sort()).toEqual(
      [weak, phrase].sort(),
    );
  });

  it('filters by group, definition and kind, and pages through many results', async () => {
    const tag = word();
    const a = await world('private', tag);
    const b = await world('public', tag);
    // The chair of `a` joins `b` as an observer, so one searcher reads both groups.
    await ok(b.users.chair, 'POST', `/api/groups/${b.slug}/members`, { email: a.users.chair.email, role: 'observer' });
    const all = await found(a.users.chair, { q: tag });
    expect(new Set(all.results.map((hit) => hit.groupSlug))).toEqual(new Set([a.slug, b.slug]));
    expect((await found(a.users.chair, { q: tag, group: b.slug })).results.every((hit) => hit.groupSlug === b.slug)).toBe(true);
    expect((await found(a.users.chair, { q: tag, definition: a.definitionId })).results.every((hit) => hit.definitionId === a.definitionId)).toBe(true);
    expect(kindsOf(await found(a.users.chair, { q: tag, kind: 'comment' }))).toEqual(['comment:internal', 'comment:internal', 'comment:public']);
    // A group the searcher may not read finds nothing, the same as one that does not exist.
    expect((await found(b.users.outsider, { q: tag, group: a.slug })).results).toEqual([]);
    expect((await found(b.users.outsider, { q: tag, group: 'no-such-group' })).results).toEqual([]);

    for (let i = 0; i < 24; i++) {
      await ok(a.users.member, 'POST', `/api/definitions/${a.definitionId}/threads`, { clauseId: a.clauseId, body: `Paged ${tag} comment number ${i}.` });
    }
    const first = await found(a.users.member, { q: `paged ${tag}` });
    expect(first).toMatchObject({ page: 1, hasMore: true });
    expect(first.results).toHaveLength(20);
    const second = await found(a.users.member, { q: `paged ${tag}`, page: 2 });
    expect(second).toMatchObject({ page: 2, hasMore: false });
    expect(second.results).toHaveLength(4);
    expect(new Set([...first.results, ...second.results].map((hit: SearchHit) => hit.id)).size).toBe(24);
  });

  it('snippets are plain text with the matched words marked, whatever the comment holds', async () => {
    const tag = word();
    const w = await world('private', tag);
    await ok(w.users.member, 'POST', `/api/definitions/${w.definitionId}/threads`, {
      clauseId: w.clauseId,
      body: `<script>alert(1)</script> \u0001fake\u0002 **${tag}** markup <b>bold</b>`,
    });
    const [hit] = (await found(w.users.member, { q: `markup ${tag}`, kind: 'comment' })).results;
    expect(hit!.kind).toBe('comment');
    const text = hit!.snippet.map((part) => part.text).join('');
    // The comment's own marker-like characters are gone; only the matched words are marked.
    expect(text).toContain('fake');
    expect(text.includes('\u0001') || text.includes('\u0002')).toBe(false);
    expect(hit!.snippet.filter((part) => part.mark).map((part) => part.text)).toEqual([tag, 'markup']);
    expect(hit!.snippet.every((part) => typeof part.text === 'string' && Object.keys(part).sort().join() === 'mark,text')).toBe(true);
  });

  it('answers hostile queries with 400 or an empty result, never 500', async () => {
    const tag = word();
    const w = await world('public', tag);
    const refused: [string, Record<string, string>][] = [
      ['no q', {}],
      ['empty', { q: '' }],
      ['blank', { q: '   ' }],
      ['10 kB', { q: 'a'.repeat(10_240) }],
      ['201 characters', { q: 'a'.repeat(201) }],
      ['NUL', { q: `${tag}\u0000` }],
      ['a control character', { q: `a\u0007b` }],
      ['an unknown parameter', { q: tag, sort: 'asc' }],
      ['an unknown kind', { q: tag, kind: 'vote' }],
      ['page 0', { q: tag, page: '0' }],
      ['page 26', { q: tag, page: '26' }],
      ['page not a number', { q: tag, page: 'two' }],
      ['a definition that is not a uuid', { q: tag, definition: 'osaid' }],
      ['a long group slug', { q: tag, group: 'g'.repeat(65) }],
    ];
    for (const as of [null, w.users.chair]) {
      for (const [name, query] of refused) {
        const response = await search(as, query);
        expect(response.statusCode, name).toBe(400);
        expect(response.json().error, name).toMatchObject({ code: 'invalid_input', message: expect.any(String) });
      }
      const empty = [
        '&|!:*()<->',
        '""',
        '"',
        "'''",
        '\\',
        '\\\\\\" OR -',
        'OR OR OR',
        '-',
        'the and of',
        '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
        '(((((((((((((((((((((((((((((((((',
        `'${'\\'.repeat(150)}`,
      ];
      for (const q of empty) {
        const response = await search(as, { q });
        expect(response.statusCode, q).toBe(200);
        expect(response.json(), q).toEqual({ results: [], page: 1, hasMore: false });
      }
      for (const q of [`données ${tag}`, `🙂 ${tag}`, `"${tag}`, `${tag}:*`, `${tag} <-> wording`, `日本語 ${tag}`, `${tag}'s`, `\\${tag}`, `-${tag} ${tag}`]) {
        const response = await search(as, { q });
        expect(response.statusCode, q).toBe(200);
        expect(Array.isArray(response.json().results), q).toBe(true);
      }
      expect((await found(as, { q: `"${tag}` })).results.length).toBeGreaterThan(0);
    }
    // Repeated parameters are not a string.
    const repeated = await t.request({ method: 'GET', url: `/api/search?q=${tag}&q=${tag}` });
    expect(repeated.statusCode).toBeLessThan(500);
  });
});
