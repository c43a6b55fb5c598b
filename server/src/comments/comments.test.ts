import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clausesOf } from '@draftroom/shared';
import { useTestApp, type TestUser } from '../../test/support/app.ts';
import { anchorIn, connectClient, synced, waitFor, type TestClient } from '../../test/support/collab.ts';

describe('comment threads', () => {
  const t = useTestApp();
  let base: string;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  async function setup(visibility: 'private' | 'public' = 'private') {
    const group = await t.groupWithRoles(visibility);
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
    const start = (as: TestUser, payload: object) =>
      t.request({ method: 'POST', url: `/api/definitions/${definitionId}/threads`, as, payload: { clauseId, ...payload } });
    const threads = (as: TestUser | null, query = '') => t.request({ method: 'GET', url: `/api/definitions/${definitionId}/threads${query}`, as });
    return { ...group, definitionId, clauseId, start, threads };
  }

  /** An anchor over `quote` in the clause, made the way the browser makes it (from a synced replica). */
  async function anchorOver(definitionId: string, clauseId: string, user: TestUser, quote: string) {
    const client = connectClient(base, definitionId, user.cookie);
    clients.push(client);
    await synced(client);
    await waitFor(() => clausesOf(client.doc).has(clauseId), 'the clause');
    return { client, ...anchorIn(client.doc, clauseId, quote) };
  }

  it('anchors a thread to a passage, keeps it when the words are deleted, and says the passage was removed', async () => {
    const s = await setup();
    const { client, ytext, anchor } = await anchorOver(s.definitionId, s.clauseId, s.users.editor, 'Training data');
    const created = await s.start(s.users.member, { anchor, body: 'Should this be **data information**?' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ anchor, anchorState: 'ok', status: 'open', author: { id: s.users.member.user.id } });
    expect(created.json().comments[0].bodyHtml).toBe('<p>Should this be <strong>data information</strong>?</p>\n');

    ytext.insert(0, 'All ');
    ytext.delete(4, 'Training data'.length);
    await waitFor(async () => (await s.threads(s.users.observer)).json().threads[0].anchorState === 'removed', 'the anchor to read as removed');
    const thread = (await s.threads(s.users.observer)).json().threads[0];
    expect(thread.anchor.quote).toBe('Training data');
    expect(client.provider.synced).toBe(true);
  });

  it('refuses anchors that are garbage or point into another clause', async () => {
    const s = await setup();
    const other = (
      await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses`, as: s.users.editor, payload: { text: 'Another clause.' } })
    ).json().id;
    const { anchor } = await anchorOver(s.definitionId, other, s.users.editor, 'Another');
    for (const bad of [anchor, { start: '%%%', end: '%%%', quote: 'x' }, { start: 'AAAA', end: 'AAAA', quote: 'x' }]) {
      const response = await s.start(s.users.member, { anchor: bad, body: 'x' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details[0].path).toBe('/anchor');
    }
    expect((await s.start(s.users.member, { clauseId: randomUUID(), body: 'x' })).statusCode).toBe(404);
    expect((await s.threads(s.users.chair)).json().threads).toEqual([]);
  });

  it('renders Markdown safely: no scripts, no event handlers, no javascript: links', async () => {
    const s = await setup();
    const payloads = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(2)">',
      '[click](javascript:alert(3))',
      '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)',
      '<a href="javascript:alert(5)" onclick="alert(6)">x</a>',
      '![img](https://example.org/x.png)',
      '[fine](https://opensource.org)',
    ];
    const created = await s.start(s.users.member, { body: payloads.join('\n\n') });
    const html: string = created.json().comments[0].bodyHtml;
    expect(html).not.toMatch(/<(script|img|iframe)\b/i); // no such elements
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i); // no event-handler attributes on any element
    expect(html).not.toMatch(/href="(javascript|data):/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://opensource.org" rel="nofollow noopener noreferrer ugc">fine</a>');
  });

  it('threads replies, notifies the right people, and keeps an inbox with unread counts', async () => {
    const s = await setup();
    const thread = (await s.start(s.users.member, { body: 'Question', mentions: [s.users.observer.user.id, s.users.outsider.user.id] })).json();
    const first = thread.comments[0].id;
    const replied = await t.request({
      method: 'POST',
      url: `/api/threads/${thread.id}/comments`,
      as: s.users.chair,
      payload: { body: 'Answer', replyTo: first },
    });
    expect(replied.statusCode).toBe(201);
    expect(replied.json().comments.map((c: { replyTo: string | null }) => c.replyTo)).toEqual([null, first]);
    const wrongTarget = await t.request({
      method: 'POST',
      url: `/api/threads/${thread.id}/comments`,
      as: s.users.chair,
      payload: { body: 'x', replyTo: randomUUID() },
    });
    expect(wrongTarget.statusCode).toBe(400);

    const inbox = async (user: TestUser) => (await t.request({ method: 'GET', url: '/api/notifications', as: user })).json();
    expect((await inbox(s.users.editor)).notifications.map((n: { kind: string }) => n.kind)).toEqual(['new_thread']); // wrote the clause
    expect((await inbox(s.users.observer)).notifications.map((n: { kind: string }) => n.kind)).toEqual(['mention']);
    expect((await inbox(s.users.outsider)).notifications).toEqual([]); // not a member: not mentionable
    const member = await inbox(s.users.member);
    expect(member).toMatchObject({ unread: 1, notifications: [{ kind: 'reply', actor: { id: s.users.chair.user.id }, read: false }] });
    await t.request({ method: 'POST', url: '/api/notifications/read', as: s.users.member, payload: { all: true } });
    expect((await inbox(s.users.member)).unread).toBe(0);
    expect((await t.request({ method: 'POST', url: '/api/notifications/read', as: s.users.member, payload: {} })).statusCode).toBe(400);
    expect((await t.request({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401);
  });

  it('keeps an edit history, leaves a placeholder for deleted comments, and only lets the right people do either', async () => {
    const s = await setup();
    const thread = (await s.start(s.users.member, { body: 'First wording' })).json();
    const commentId = thread.comments[0].id;
    expect((await t.request({ method: 'PATCH', url: `/api/comments/${commentId}`, as: s.users.chair, payload: { body: 'Not yours' } })).statusCode).toBe(403);
    const edited = await t.request({ method: 'PATCH', url: `/api/comments/${commentId}`, as: s.users.member, payload: { body: 'Second wording' } });
    expect(edited.json().comments[0]).toMatchObject({ body: 'Second wording', revisions: [{ body: 'First wording' }], editedAt: expect.any(String) });

    expect((await t.request({ method: 'DELETE', url: `/api/comments/${commentId}`, as: s.users.editor })).statusCode).toBe(403);
    expect((await t.request({ method: 'DELETE', url: `/api/comments/${commentId}`, as: s.users.member })).statusCode).toBe(204);
    const after = (await s.threads(s.users.observer)).json().threads[0].comments[0];
    expect(after).toMatchObject({ state: 'deleted', body: null, bodyHtml: null, revisions: [], author: { id: s.users.member.user.id } });
    expect((await t.request({ method: 'PATCH', url: `/api/comments/${commentId}`, as: s.users.member, payload: { body: 'Back?' } })).statusCode).toBe(409);
  });

  it('resolves and reopens, recording who and when, and keeps resolved threads findable', async () => {
    const s = await setup();
    const thread = (await s.start(s.users.member, { body: 'Done?' })).json();
    expect((await t.request({ method: 'POST', url: `/api/threads/${thread.id}/resolve`, as: s.users.observer })).statusCode).toBe(403);
    const resolved = await t.request({ method: 'POST', url: `/api/threads/${thread.id}/resolve`, as: s.users.editor });
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedBy: { id: s.users.editor.user.id }, resolvedAt: expect.any(String) });
    expect((await t.request({ method: 'POST', url: `/api/threads/${thread.id}/resolve`, as: s.users.editor })).statusCode).toBe(409);
    expect((await s.threads(s.users.chair, '?status=open')).json().threads).toEqual([]);
    expect((await s.threads(s.users.chair, '?status=resolved')).json().threads).toHaveLength(1);
    expect((await s.threads(s.users.member, '?mine=true')).json().threads).toHaveLength(1);
    expect((await s.threads(s.users.observer, '?mine=true')).json().threads).toHaveLength(0);
    const inbox = (await t.request({ method: 'GET', url: '/api/notifications', as: s.users.member })).json();
    expect(inbox.notifications[0].kind).toBe('resolved');
    const reopened = await t.request({ method: 'POST', url: `/api/threads/${thread.id}/reopen`, as: s.users.member });
    expect(reopened.json()).toMatchObject({ status: 'open', resolvedBy: null });
  });

  it('lets chairs hide comments with a reason, keeps the body for them, and logs it for members', async () => {
    const s = await setup();
    const thread = (await s.start(s.users.member, { body: 'Off-topic rant' })).json();
    const commentId = thread.comments[0].id;
    expect((await t.request({ method: 'POST', url: `/api/comments/${commentId}/hide`, as: s.users.editor, payload: { reason: 'x' } })).statusCode).toBe(403);
    expect((await t.request({ method: 'POST', url: `/api/comments/${commentId}/hide`, as: s.users.chair, payload: {} })).statusCode).toBe(400);
    const hidden = await t.request({ method: 'POST', url: `/api/comments/${commentId}/hide`, as: s.users.chair, payload: { reason: 'Code of conduct §2' } });
    expect(hidden.json().comments[0]).toMatchObject({
      state: 'hidden',
      body: 'Off-topic rant',
      hiddenReason: 'Code of conduct §2',
      allowedActions: ['delete', 'unhide'],
    });
    const asMember = (await s.threads(s.users.observer)).json().threads[0].comments[0];
    expect(asMember).toMatchObject({ state: 'hidden', body: null, bodyHtml: null, hiddenReason: 'Code of conduct §2' });
    const log = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/moderation`, as: s.users.observer })).json();
    expect(log.actions).toEqual([
      expect.objectContaining({ commentId, action: 'hide', reason: 'Code of conduct §2', moderator: { id: s.users.chair.user.id, displayName: 'Chair' } }),
    ]);
    await t.request({ method: 'POST', url: `/api/comments/${commentId}/unhide`, as: s.users.chair });
    expect((await s.threads(s.users.observer)).json().threads[0].comments[0].state).toBe('visible');
  });

  it('gives amendments their own threads, listed with the amendment', async () => {
    const s = await setup();
    const amendment = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${s.definitionId}/amendments`,
        as: s.users.member,
        payload: { clauseId: s.clauseId, text: 'Data information is required.', rationale: '' },
      })
    ).json();
    const created = await s.start(s.users.editor, { amendmentId: amendment.id, body: 'Is “information” precise enough?' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ amendmentId: amendment.id, clauseId: s.clauseId });
    await s.start(s.users.member, { body: 'A thread on the clause itself' });
    const onAmendment = (await s.threads(s.users.observer, `?amendment=${amendment.id}`)).json().threads;
    expect(onAmendment.map((th: { amendmentId: string }) => th.amendmentId)).toEqual([amendment.id]);
    const other = await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/clauses`, as: s.users.editor, payload: { text: 'Other' } });
    const mismatch = await s.start(s.users.editor, { clauseId: other.json().id, amendmentId: amendment.id, body: 'x' });
    expect(mismatch.statusCode).toBe(400);
    const events = (await t.request({ method: 'GET', url: `/api/groups/${s.slug}/events?limit=5`, as: s.users.chair })).json().events;
    expect(events.map((e: { type: string }) => e.type)).toContain('thread.created');
  });

  it('counts emoji reactions per person', async () => {
    const s = await setup();
    const thread = (await s.start(s.users.member, { body: 'Agree?' })).json();
    const commentId = thread.comments[0].id;
    for (const user of [s.users.chair, s.users.editor, s.users.chair]) {
      expect((await t.request({ method: 'PUT', url: `/api/comments/${commentId}/reactions/${encodeURIComponent('👍')}`, as: user })).statusCode).toBe(204);
    }
    expect((await t.request({ method: 'PUT', url: `/api/comments/${commentId}/reactions/${encodeURIComponent('🍕')}`, as: s.users.chair })).statusCode).toBe(
      400,
    );
    const asChair = (await s.threads(s.users.chair)).json().threads[0].comments[0];
    expect(asChair.reactions).toEqual([{ emoji: '👍', count: 2, mine: true }]);
    await t.request({ method: 'DELETE', url: `/api/comments/${commentId}/reactions/${encodeURIComponent('👍')}`, as: s.users.chair });
    expect((await s.threads(s.users.observer)).json().threads[0].comments[0].reactions).toEqual([{ emoji: '👍', count: 1, mine: false }]);
  });

  it('records each reaction added or taken back in the audit log, once per change', async () => {
    const s = await setup();
    const thread = (await s.start(s.users.member, { body: 'Agree?' })).json();
    const commentId = thread.comments[0].id;
    const url = `/api/comments/${commentId}/reactions/${encodeURIComponent('🎉')}`;
    for (const method of ['PUT', 'PUT', 'DELETE', 'DELETE'] as const) {
      expect((await t.request({ method, url, as: s.users.editor })).statusCode).toBe(204);
    }
    const events = (await t.request({ method: 'GET', url: `/api/groups/${s.slug}/events?limit=10`, as: s.users.chair })).json().events as {
      type: string;
      actor: { id: string };
      payload: Record<string, unknown>;
    }[];
    const reactions = events.filter((e) => e.type.startsWith('comment.') && e.type.endsWith('reacted')).reverse();
    expect(reactions.map((e) => [e.type, e.actor.id, e.payload])).toEqual(
      ['comment.reacted', 'comment.unreacted'].map((type) => [
        type,
        s.users.editor.user.id,
        { definitionId: s.definitionId, threadId: thread.id, commentId, emoji: '🎉' },
      ]),
    );
    expect((await t.request({ method: 'GET', url: `/api/groups/${s.slug}/events/verify`, as: s.users.chair })).json()).toMatchObject({ ok: true });
  });

  it('shows the public a clause’s formatting as safe HTML', async () => {
    const s = await setup('public');
    const text = (value: string, marks?: object[]) => ({ type: 'text', text: value, ...(marks && { marks }) });
    const replaced = await t.request({
      method: 'PUT',
      url: `/api/definitions/${s.definitionId}/clauses/${s.clauseId}`,
      as: s.users.editor,
      payload: {
        content: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                text('Training data is '),
                text('required', [{ type: 'bold' }]),
                text(': see '),
                text('the FAQ', [{ type: 'link', attrs: { href: 'https://example.org/faq' } }]),
                text('.'),
              ],
            },
            { type: 'paragraph', content: [text('<script>alert(1)</script> <img src=x onerror=alert(2)>')] },
          ],
        },
      },
    });
    expect(replaced.statusCode).toBe(200);
    await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/versions`, as: s.users.chair, payload: { label: '1.0', notes: '' } });
    await t.request({ method: 'PATCH', url: `/api/definitions/${s.definitionId}`, as: s.users.chair, payload: { status: 'public-comment' } });
    const [clause] = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/public` })).json().clauses;
    expect(clause.html).toContain('<strong>required</strong>');
    expect(clause.html).toContain('<a href="https://example.org/faq" rel="nofollow noopener noreferrer ugc">the FAQ</a>');
    expect(clause.html).not.toMatch(/<script|<img/);
    expect(clause.html).toContain('&lt;script&gt;');
  });

  it('opens comments to any signed-in user during a public comment period of a public group', async () => {
    const s = await setup('public');
    expect((await s.start(s.users.outsider, { body: 'Outside view' })).statusCode).toBe(403);
    await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/versions`, as: s.users.chair, payload: { label: '0.9', notes: '' } });
    await t.request({ method: 'PATCH', url: `/api/definitions/${s.definitionId}`, as: s.users.chair, payload: { status: 'public-comment' } });
    const outsider = await s.start(s.users.outsider, { body: 'Outside view' });
    expect(outsider.statusCode).toBe(201);
    const { anchor } = await anchorOver(s.definitionId, s.clauseId, s.users.editor, 'Training');
    expect((await s.start(s.users.outsider, { anchor, body: 'anchored' })).statusCode).toBe(403);
    expect(
      (await t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/threads`, payload: { clauseId: s.clauseId, body: 'anon' } })).statusCode,
    ).toBe(401);
    expect((await s.threads(null)).statusCode).toBe(200);

    // The public face: the latest version, comment counts per clause, and the deadline.
    const deadline = new Date(Date.now() + 86_400_000).toISOString();
    await t.request({ method: 'PATCH', url: `/api/definitions/${s.definitionId}`, as: s.users.chair, payload: { commentDeadline: deadline } });
    const publicView = (await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/public` })).json();
    expect(publicView).toMatchObject({
      status: 'public-comment',
      commentDeadline: deadline,
      commentsOpen: true,
      version: { label: '0.9' },
      clauses: [{ id: s.clauseId, comments: 1 }],
    });
    // After the deadline, outsiders can no longer comment; members still can.
    await t.request({
      method: 'PATCH',
      url: `/api/definitions/${s.definitionId}`,
      as: s.users.chair,
      payload: { commentDeadline: new Date(Date.now() - 1000).toISOString() },
    });
    expect((await s.start(s.users.outsider, { body: 'Too late' })).statusCode).toBe(403);
    expect((await s.start(s.users.member, { body: 'Members still discuss' })).statusCode).toBe(201);
    expect((await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/public` })).json().commentsOpen).toBe(false);
    // What the public said stays readable by the public.
    const afterwards = await t.request({ method: 'GET', url: `/api/definitions/${s.definitionId}/threads` });
    expect(afterwards.statusCode).toBe(200);
    expect(afterwards.json().threads.length).toBeGreaterThan(0);
    expect(
      (await t.request({ method: 'PATCH', url: `/api/definitions/${s.definitionId}`, as: s.users.editor, payload: { commentDeadline: null } })).statusCode,
    ).toBe(403);

    const hidden = await setup('private');
    await t.request({ method: 'PATCH', url: `/api/definitions/${hidden.definitionId}`, as: hidden.users.chair, payload: { status: 'public-comment' } });
    expect((await hidden.start(hidden.users.outsider, { body: 'x' })).statusCode).toBe(404);
    expect((await hidden.start(hidden.users.observer, { body: 'Observers comment too' })).statusCode).toBe(201);
  });

  describe('the public comments and the group’s internal discussion are separate', () => {
    type ThreadJson = {
      id: string;
      audience: string;
      anchor: unknown;
      amendmentId: string | null;
      comments: { body: string | null }[];
      allowedActions: string[];
    };
    const bodies = (threads: ThreadJson[]) => threads.flatMap((th) => th.comments.map((c) => c.body));
    const inbox = async (user: TestUser) =>
      (await t.request({ method: 'GET', url: '/api/notifications', as: user })).json().notifications as { kind: string; threadId: string }[];
    const publicView = async (definitionId: string) => (await t.request({ method: 'GET', url: `/api/definitions/${definitionId}/public` })).json();
    const setStatus = (s: Awaited<ReturnType<typeof setup>>, payload: object) =>
      t.request({ method: 'PATCH', url: `/api/definitions/${s.definitionId}`, as: s.users.chair, payload });
    const publishVersion = (s: Awaited<ReturnType<typeof setup>>, label: string) =>
      t.request({ method: 'POST', url: `/api/definitions/${s.definitionId}/versions`, as: s.users.chair, payload: { label, notes: '' } });
    const replyIn = (threadId: string, as: TestUser | null, payload: object) =>
      t.request({ method: 'POST', url: `/api/threads/${threadId}/comments`, as, payload });

    /** The group's internal talk, written before the comment period: a resolved thread, and one that mentions a member. */
    async function internalTalk(s: Awaited<ReturnType<typeof setup>>) {
      const resolved = (await s.start(s.users.member, { body: 'Internal: drop this clause?' })).json();
      expect(resolved.audience).toBe('internal');
      expect((await t.request({ method: 'POST', url: `/api/threads/${resolved.id}/resolve`, as: s.users.chair })).statusCode).toBe(200);
      const mentioning = (await s.start(s.users.editor, { body: 'Internal: @Observer what do you think?', mentions: [s.users.observer.user.id] })).json();
      expect(mentioning.audience).toBe('internal');
      expect((await inbox(s.users.observer)).map((n) => n.kind)).toEqual(['mention']);
      return { resolved, mentioning };
    }

    it('before the comment period opens, the public page shows the published text and no comment, and reading the comments is no error', async () => {
      const s = await setup('public');
      await internalTalk(s);
      expect((await publishVersion(s, '0.1')).statusCode).toBe(201);
      const view = await publicView(s.definitionId);
      expect(view).toMatchObject({ status: 'drafting', commentsOpen: false, clauses: [{ id: s.clauseId, comments: 0 }] });
      for (const who of [null, s.users.outsider]) {
        const read = await s.threads(who, `?clause=${s.clauseId}`);
        expect(read.statusCode).toBe(200);
        expect(read.json().threads).toEqual([]);
        expect(read.body).not.toContain('Internal');
        expect(read.body).not.toContain('Observer');
      }
      // Members see their discussion as before, labelled internal.
      expect((await s.threads(s.users.observer)).json().threads.map((th: ThreadJson) => th.audience)).toEqual(['internal', 'internal']);
    });

    it('during and after a comment period the public reads the public threads only; members read both, labelled', async () => {
      const s = await setup('public');
      const internal = await internalTalk(s);
      await publishVersion(s, '0.9');
      await setStatus(s, { status: 'public-comment' });

      // Anyone signed in writes where the public reads; members choose it, and start internal threads by default.
      const outsider = await s.start(s.users.outsider, { body: 'Public: please define "system".' });
      expect(outsider.statusCode).toBe(201);
      expect(outsider.json().audience).toBe('public');
      expect((await s.start(s.users.outsider, { body: 'x', audience: 'internal' })).statusCode).toBe(403);
      const answer = await s.start(s.users.chair, { body: 'Public: the chair explains.', audience: 'public' });
      expect(answer.json().audience).toBe('public');
      const memberTalk = await s.start(s.users.member, { body: 'Internal: the outsider has a point.' });
      expect(memberTalk.json().audience).toBe('internal');

      // Replies inherit their thread's audience.
      expect((await replyIn(outsider.json().id, s.users.editor, { body: 'Public: a member replies.' })).json().audience).toBe('public');
      expect((await replyIn(memberTalk.json().id, s.users.editor, { body: 'Internal: agreed.' })).json().audience).toBe('internal');

      const expectPublicOnly = async (when: string) => {
        for (const who of [null, s.users.outsider]) {
          const read = await s.threads(who);
          expect(read.statusCode, when).toBe(200);
          const threads: ThreadJson[] = read.json().threads;
          expect(
            threads.map((th) => th.audience),
            when,
          ).toEqual(['public', 'public']);
          expect(bodies(threads), when).toEqual(['Public: please define "system".', 'Public: a member replies.', 'Public: the chair explains.']);
          expect(read.body, when).not.toContain('Internal');
          expect(read.body, when).not.toContain('Observer');
          for (const id of [internal.resolved.id, internal.mentioning.id, memberTalk.json().id]) expect(read.body, when).not.toContain(id);
          // Nor by asking for them.
          expect((await s.threads(who, '?audience=internal')).json().threads, when).toEqual([]);
          expect((await s.threads(who, '?status=resolved')).json().threads, when).toEqual([]);
        }
        // The public page counts public comments only.
        expect((await publicView(s.definitionId)).clauses, when).toEqual([expect.objectContaining({ id: s.clauseId, comments: 3 })]);
        const asMember: ThreadJson[] = (await s.threads(s.users.observer)).json().threads;
        expect(
          asMember.map((th) => th.audience),
          when,
        ).toEqual(['internal', 'internal', 'public', 'public', 'internal']);
        expect(
          (await s.threads(s.users.observer, '?audience=public')).json().threads.map((th: ThreadJson) => th.id),
          when,
        ).toEqual([outsider.json().id, answer.json().id]);
      };
      await expectPublicOnly('during the period');

      // An internal thread does not exist for those outside the group: no reply, reaction, resolve, edit.
      const internalComment = memberTalk.json().comments[0].id;
      expect((await replyIn(memberTalk.json().id, s.users.outsider, { body: 'let me in' })).statusCode).toBe(404);
      expect((await replyIn(memberTalk.json().id, null, { body: 'let me in' })).statusCode).toBe(404);
      expect((await t.request({ method: 'POST', url: `/api/threads/${memberTalk.json().id}/resolve`, as: s.users.outsider })).statusCode).toBe(404);
      expect(
        (await t.request({ method: 'PUT', url: `/api/comments/${internalComment}/reactions/${encodeURIComponent('👍')}`, as: s.users.outsider })).statusCode,
      ).toBe(404);
      expect((await t.request({ method: 'PATCH', url: `/api/comments/${internalComment}`, as: s.users.outsider, payload: { body: 'x' } })).statusCode).toBe(
        404,
      );
      expect((await t.request({ method: 'DELETE', url: `/api/comments/${internalComment}`, as: null })).statusCode).toBe(404);
      // The public thread takes the outsider's reply and reaction.
      expect((await replyIn(answer.json().id, s.users.outsider, { body: 'Public: thanks.' })).statusCode).toBe(201);

      // After the deadline, and once the definition is final, what the public wrote stays public, and only that.
      await setStatus(s, { commentDeadline: new Date(Date.now() - 1000).toISOString() });
      expect((await replyIn(answer.json().id, s.users.outsider, { body: 'Too late' })).statusCode).toBe(403);
      const after = await s.threads(null);
      expect(bodies(after.json().threads)).toEqual([
        'Public: please define "system".',
        'Public: a member replies.',
        'Public: the chair explains.',
        'Public: thanks.',
      ]);
      // The outsider's comment is an undisposed item of the register: the chair acknowledges it to set the text final.
      expect((await setStatus(s, { status: 'final' })).statusCode).toBe(409);
      expect((await setStatus(s, { status: 'final', acknowledgeUndisposed: true })).statusCode).toBe(200);
      expect(bodies((await s.threads(null)).json().threads)).toHaveLength(4);
      expect((await s.threads(null)).body).not.toContain('Internal');
    });

    it('members choose the public only during a public comment period of a public group', async () => {
      const s = await setup('public');
      expect((await s.start(s.users.member, { body: 'too early', audience: 'public' })).statusCode).toBe(403);
      await publishVersion(s, '1.0');
      await setStatus(s, { status: 'public-comment', commentDeadline: new Date(Date.now() - 1000).toISOString() });
      expect((await s.start(s.users.member, { body: 'too late', audience: 'public' })).statusCode).toBe(403);
      await setStatus(s, { commentDeadline: null });
      expect((await s.start(s.users.member, { body: 'now', audience: 'public' })).statusCode).toBe(201);
      // The thread list tells each reader where they may start a thread now.
      expect((await s.threads(s.users.member)).json().audiences).toEqual(['internal', 'public']);
      expect((await s.threads(s.users.outsider)).json().audiences).toEqual(['public']);
      expect((await s.threads(null)).json().audiences).toEqual([]);

      const closed = await setup('private');
      await t.request({ method: 'PATCH', url: `/api/definitions/${closed.definitionId}`, as: closed.users.chair, payload: { status: 'public-comment' } });
      expect((await closed.start(closed.users.member, { body: 'nobody outside reads this', audience: 'public' })).statusCode).toBe(403);
      expect((await closed.threads(closed.users.member)).json().audiences).toEqual(['internal']);
    });

    it('mentions in public threads notify nobody, and the member list stays for members', async () => {
      const s = await setup('public');
      await publishVersion(s, '1.0');
      await setStatus(s, { status: 'public-comment' });
      const fromOutsider = (
        await s.start(s.users.outsider, { body: 'Public: @Chair please answer', mentions: [s.users.chair.user.id, s.users.member.user.id] })
      ).json();
      await s.start(s.users.editor, { body: 'Public: see @Observer', audience: 'public', mentions: [s.users.observer.user.id] });
      await replyIn(fromOutsider.id, s.users.outsider, { body: 'Public: @Member?', mentions: [s.users.member.user.id] });
      for (const user of [s.users.chair, s.users.member, s.users.observer]) expect((await inbox(user)).filter((n) => n.kind === 'mention')).toEqual([]);
      // The clause's author hears of the public thread (besides the version and the comment period); its author of the replies to it.
      expect((await inbox(s.users.editor)).map((n) => n.kind)).toEqual(['new_thread', 'comment_period_opened', 'version_published']);
      await replyIn(fromOutsider.id, s.users.chair, { body: 'Public: answered.' });
      expect((await inbox(s.users.outsider)).map((n) => n.kind)).toEqual(['reply']);
      // The mention picker's list of members is for members only, during the period too.
      expect((await t.request({ method: 'GET', url: `/api/groups/${s.slug}/members`, as: s.users.outsider })).statusCode).toBe(403);
      expect((await t.request({ method: 'GET', url: `/api/groups/${s.slug}/members` })).statusCode).toBe(401);
      // Mentions still work in the internal discussion.
      await s.start(s.users.member, { body: 'Internal: @Observer', mentions: [s.users.observer.user.id] });
      expect((await inbox(s.users.observer)).map((n) => n.kind)).toEqual(['mention', 'comment_period_opened', 'version_published']);
    });

    it('someone who leaves the group hears no more of its internal discussion', async () => {
      const s = await setup('public');
      const before = (await s.start(s.users.member, { body: 'Internal: early thoughts', mentions: [s.users.observer.user.id] })).json();
      expect((await inbox(s.users.observer)).map((n) => n.threadId)).toEqual([before.id]);
      expect((await inbox(s.users.editor)).map((n) => n.kind)).toEqual(['new_thread']);
      for (const who of [s.users.observer, s.users.editor])
        expect((await t.request({ method: 'DELETE', url: `/api/groups/${s.slug}/members/${who.user.id}`, as: s.users.chair })).statusCode).toBe(204);
      // Old notifications of internal threads are gone from their inboxes; new ones never come.
      expect(await inbox(s.users.observer)).toEqual([]);
      await s.start(s.users.member, { body: 'Internal: after they left', mentions: [s.users.observer.user.id] });
      expect(await inbox(s.users.observer)).toEqual([]);
      expect(await inbox(s.users.editor)).toEqual([]); // wrote the clause, but is no longer in the group
      const unread = (await t.request({ method: 'GET', url: '/api/notifications', as: s.users.observer })).json().unread;
      expect(unread).toBe(0);
    });

    it('a chair publishes an internal thread (a disposition): recorded, then the public reads it without the draft it was anchored to', async () => {
      const s = await setup('public');
      const { anchor } = await anchorOver(s.definitionId, s.clauseId, s.users.editor, 'Training data');
      const disposition = (await s.start(s.users.chair, { anchor, body: 'Disposition: the clause stays.' })).json();
      expect(disposition.audience).toBe('internal');
      expect(disposition.allowedActions).toContain('publish');
      const other = (await s.start(s.users.member, { body: 'Internal: not for the public' })).json();
      expect(other.allowedActions).toEqual(['reply', 'resolve']); // the author resolves; only chairs publish
      await publishVersion(s, '1.0');
      await setStatus(s, { status: 'public-comment' });
      expect((await publicView(s.definitionId)).clauses[0].comments).toBe(0);

      const publish = (as: TestUser | null, id = disposition.id) => t.request({ method: 'POST', url: `/api/threads/${id}/publish`, as });
      for (const who of [s.users.editor, s.users.member, s.users.observer]) expect((await publish(who)).statusCode).toBe(403);
      expect((await publish(s.users.outsider)).statusCode).toBe(404);
      expect((await publish(null)).statusCode).toBe(404);
      const published = await publish(s.users.chair);
      expect(published.statusCode).toBe(200);
      expect(published.json()).toMatchObject({ id: disposition.id, audience: 'public' });
      expect(published.json().allowedActions).not.toContain('publish');
      expect((await publish(s.users.chair)).statusCode).toBe(409);

      const events = (await t.request({ method: 'GET', url: `/api/groups/${s.slug}/events?limit=5`, as: s.users.chair })).json().events;
      expect(events.find((e: { type: string }) => e.type === 'thread.published')).toMatchObject({
        actor: expect.objectContaining({ id: s.users.chair.user.id }),
        payload: { definitionId: s.definitionId, threadId: disposition.id },
      });
      const read: ThreadJson[] = (await s.threads(null)).json().threads;
      expect(read.map((th) => th.id)).toEqual([disposition.id]);
      // The draft passage it was anchored to is not published with it.
      expect(read[0]!.anchor).toBeNull();
      expect(JSON.stringify(read)).not.toContain('Training data');
      expect((await s.threads(s.users.member)).json().threads[0].anchor).toEqual(anchor);
      expect((await publicView(s.definitionId)).clauses[0].comments).toBe(1);

      const closed = await setup('private');
      const internal = (await closed.start(closed.users.chair, { body: 'Disposition' })).json();
      expect(internal.allowedActions).not.toContain('publish');
      expect((await t.request({ method: 'POST', url: `/api/threads/${internal.id}/publish`, as: closed.users.chair })).statusCode).toBe(409);
    });
  });
});
