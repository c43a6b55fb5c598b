import { describe, expect, it } from 'vitest';
import { describeNotification, type Notification, type NotificationKind } from '@draftroom/shared';
import { useTestApp, type TestUser } from '../../test/support/app.ts';
import { remindClosingBallots } from '../ballots/reminders.ts';
import { remindClosingCommentPeriods } from '../definitions/reminders.ts';

describe('notifications people can act on', () => {
  // No timer: the worker (reminders, digests, mail) runs only when a test says so.
  const t = useTestApp({}, { notificationIntervalMs: null });

  const inbox = async (user: TestUser): Promise<Notification[]> => {
    const response = await t.request({ method: 'GET', url: '/api/notifications', as: user });
    expect(response.statusCode).toBe(200);
    return response.json().notifications;
  };
  const kindsOf = async (user: TestUser, kind: NotificationKind) => (await inbox(user)).filter((n) => n.kind === kind);

  /** A group with one person per role and an outsider; a definition with a heading and two clauses. */
  async function workspace(visibility: 'private' | 'public' = 'private') {
    const group = await t.groupWithRoles(visibility);
    const created = await t.request({
      method: 'POST',
      url: `/api/groups/${group.slug}/definitions`,
      as: group.users.chair,
      payload: { slug: 'osaid', title: 'Open Source AI Definition' },
    });
    const definitionId = created.json().id as string;
    const clause = async (text: string, kind: 'heading' | 'clause' = 'clause') =>
      (await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/clauses`, as: group.users.editor, payload: { kind, text } })).json()
        .id as string;
    const heading = await clause('Scope', 'heading');
    const first = await clause('Code is required.');
    const second = await clause('Training data is required.');
    const base = `/groups/${group.slug}/definitions/${definitionId}`;
    return { ...group, definitionId, clauses: { heading, first, second }, base };
  }

  const thread = async (definitionId: string, as: TestUser, payload: object) => {
    const response = await t.request({ method: 'POST', url: `/api/definitions/${definitionId}/threads`, as, payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string };
  };

  it('a mention names the group, the definition and the clause as the editor numbers it, quotes the comment as plain text, and links to the thread', async () => {
    const w = await workspace();
    const long = `${'word '.repeat(60)}end`;
    const started = await thread(w.definitionId, w.users.member, {
      clauseId: w.clauses.second,
      body: `**Bold** claim and [a link](https://example.org) @Observer\n\n${long}`,
      mentions: [w.users.observer.user.id],
    });
    const [mention] = await inbox(w.users.observer);
    expect(mention).toMatchObject({
      kind: 'mention',
      group: { slug: w.slug, name: `Group ${w.slug}` },
      definition: { id: w.definitionId, title: 'Open Source AI Definition' },
      definitionId: w.definitionId,
      clause: { id: w.clauses.second, label: 'Clause 2' },
      threadId: started.id,
      actor: { id: w.users.member.user.id, displayName: 'Member' },
      link: `${w.base}?thread=${started.id}`,
      read: false,
    });
    // Plain text: the Markdown's rendering without its tags, cut at a word.
    expect(mention!.excerpt).toMatch(/^Bold claim and a link @Observer word word/);
    expect(mention!.excerpt).not.toMatch(/[<>*[\]]/);
    expect(mention!.excerpt!.length).toBeLessThanOrEqual(201);
    expect(mention!.excerpt!.endsWith('…')).toBe(true);
    // The editor wrote the clause: told of the new thread, on the same clause.
    expect(await kindsOf(w.users.editor, 'new_thread')).toMatchObject([{ clause: { label: 'Clause 2' }, link: `${w.base}?thread=${started.id}` }]);
  });

  it('ballots: opened for those who may vote, a closing reminder for those who have not, closed with the outcome — never how anyone voted', async () => {
    for (const visibility of ['private', 'public'] as const) {
      const w = await workspace(visibility);
      const rules = {
        kind: 'binding',
        eligibleRoles: ['chair', 'editor', 'member'],
        quorum: 0.5,
        threshold: 0.5,
        blockingObjectionFails: false,
        secret: true,
        resultsVisibility: 'after_close',
        closesAt: new Date(Date.now() + 2 * 3_600_000).toISOString(),
      };
      const ballotId = (
        await t.request({
          method: 'POST',
          url: `/api/definitions/${w.definitionId}/ballots`,
          as: w.users.chair,
          payload: { title: 'Is training data required?', subject: { kind: 'clause', clauseId: w.clauses.second }, rules },
        })
      ).json().id as string;
      expect((await t.request({ method: 'POST', url: `/api/ballots/${ballotId}/open`, as: w.users.chair })).statusCode).toBe(200);

      const link = `${w.base}/decisions?ballot=${ballotId}`;
      for (const role of ['editor', 'member'] as const) {
        expect(await kindsOf(w.users[role], 'ballot_opened')).toMatchObject([
          {
            ballotId,
            clause: { id: w.clauses.second, label: 'Clause 2' },
            details: { ballotTitle: 'Is training data required?', closesAt: rules.closesAt },
            link,
          },
        ]);
      }
      // The chair opened it (and knows); observers may not vote; outsiders may not even read the draft.
      for (const who of ['chair', 'observer', 'outsider'] as const) expect(await kindsOf(w.users[who], 'ballot_opened')).toEqual([]);

      const vote = await t.request({
        method: 'PUT',
        url: `/api/ballots/${ballotId}/vote`,
        as: w.users.member,
        payload: { position: 'object', rationale: 'Private reason 7f3a' },
      });
      expect(vote.statusCode).toBe(200);
      // The sweep runs again and again (and on several instances): one reminder per person.
      const deps = { db: t.db, secret: t.app.config.ballotSecret! };
      await remindClosingBallots(deps, new Date());
      await remindClosingBallots(deps, new Date());
      expect(await kindsOf(w.users.editor, 'ballot_closing')).toMatchObject([{ ballotId, link }]);
      expect(await kindsOf(w.users.chair, 'ballot_closing')).toHaveLength(1);
      for (const who of ['member', 'observer', 'outsider'] as const) expect(await kindsOf(w.users[who], 'ballot_closing')).toEqual([]);

      expect((await t.request({ method: 'POST', url: `/api/ballots/${ballotId}/close`, as: w.users.chair })).statusCode).toBe(200);
      for (const role of ['editor', 'member'] as const) {
        const closed = await kindsOf(w.users[role], 'ballot_closed');
        // One vote of three: below the quorum of one half.
        expect(closed).toMatchObject([{ ballotId, details: { ballotTitle: 'Is training data required?', outcome: 'no_quorum' }, link }]);
        // Neither a position nor a reason nor a voter's name: only the outcome.
        const text = JSON.stringify(await inbox(w.users[role]));
        expect(text).not.toContain('Private reason 7f3a');
        expect(text).not.toContain('"object"');
      }
      for (const who of ['chair', 'observer', 'outsider'] as const) expect(await kindsOf(w.users[who], 'ballot_closed')).toEqual([]);
    }
  });

  it('a cancelled ballot: its voters are told, with the reason; a draft cancelled tells nobody', async () => {
    const w = await workspace('private');
    const rules = {
      kind: 'binding',
      eligibleRoles: ['editor', 'member'],
      quorum: 0.5,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret: false,
      resultsVisibility: 'live',
      closesAt: new Date(Date.now() + 2 * 3_600_000).toISOString(),
    };
    const create = async (title: string) =>
      (
        await t.request({
          method: 'POST',
          url: `/api/definitions/${w.definitionId}/ballots`,
          as: w.users.chair,
          payload: { title, subject: { kind: 'clause', clauseId: w.clauses.second }, rules },
        })
      ).json().id as string;
    const draft = await create('Never opened');
    const opened = await create('Opened, then cancelled');
    expect((await t.request({ method: 'POST', url: `/api/ballots/${opened}/open`, as: w.users.chair })).statusCode).toBe(200);
    for (const id of [draft, opened]) {
      const cancelled = await t.request({ method: 'POST', url: `/api/ballots/${id}/cancel`, as: w.users.chair, payload: { reason: 'Wrong clause text' } });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
    }
    for (const role of ['editor', 'member'] as const) {
      const told = await kindsOf(w.users[role], 'ballot_closed');
      expect(told).toMatchObject([
        {
          ballotId: opened,
          details: { ballotTitle: 'Opened, then cancelled', outcome: 'cancelled', reason: 'Wrong clause text' },
          link: `${w.base}/decisions?ballot=${opened}`,
        },
      ]);
      expect(describeNotification(told[0]!)).toBe(
        'Chair cancelled ballot “Opened, then cancelled” on Clause 2 of “Open Source AI Definition”: “Wrong clause text”',
      );
    }
    for (const who of ['chair', 'observer', 'outsider'] as const) expect(await kindsOf(w.users[who], 'ballot_closed')).toEqual([]);
  });

  it('a ballot closing in more than a day reminds nobody yet, and someone who left hears nothing', async () => {
    const w = await workspace();
    const ballotId = (
      await t.request({
        method: 'POST',
        url: `/api/definitions/${w.definitionId}/ballots`,
        as: w.users.chair,
        payload: {
          title: 'Later',
          subject: { kind: 'clause', clauseId: w.clauses.first },
          rules: {
            kind: 'advisory',
            eligibleRoles: ['chair', 'editor', 'member', 'observer'],
            quorum: 0,
            threshold: 0.5,
            blockingObjectionFails: false,
            secret: false,
            resultsVisibility: 'live',
            closesAt: new Date(Date.now() + 30 * 3_600_000).toISOString(),
          },
        },
      })
    ).json().id as string;
    await t.request({ method: 'POST', url: `/api/ballots/${ballotId}/open`, as: w.users.chair });
    const deps = { db: t.db, secret: t.app.config.ballotSecret! };
    await remindClosingBallots(deps, new Date());
    expect(await kindsOf(w.users.observer, 'ballot_closing')).toEqual([]);
    expect((await t.request({ method: 'DELETE', url: `/api/groups/${w.slug}/members/${w.users.observer.user.id}`, as: w.users.chair })).statusCode).toBe(204);
    // Seven hours later it closes within the day.
    await remindClosingBallots(deps, new Date(Date.now() + 7 * 3_600_000));
    expect(await kindsOf(w.users.member, 'ballot_closing')).toHaveLength(1);
    expect(await inbox(w.users.observer)).toEqual([]); // left: not even the "opened" one any more
  });

  it('my amendment accepted or rejected tells me, quoting the proposal or the reason, and links to the amendment', async () => {
    const w = await workspace();
    const propose = async (as: TestUser, text: string) =>
      (
        await t.request({
          method: 'POST',
          url: `/api/definitions/${w.definitionId}/amendments`,
          as,
          payload: { clauseId: w.clauses.first, text, rationale: 'Clearer.' },
        })
      ).json().id as string;
    const accepted = await propose(w.users.member, 'Source code is required.');
    const rejected = await propose(w.users.member, 'Nothing is required.');
    const own = await propose(w.users.editor, 'Code, all of it, is required.');
    expect((await t.request({ method: 'POST', url: `/api/amendments/${accepted}/accept`, as: w.users.editor })).statusCode).toBe(200);
    expect(
      (await t.request({ method: 'POST', url: `/api/amendments/${rejected}/reject`, as: w.users.chair, payload: { reason: 'Too broad.' } })).statusCode,
    ).toBe(200);
    expect((await t.request({ method: 'POST', url: `/api/amendments/${own}/reject`, as: w.users.editor, payload: { reason: 'Mine.' } })).statusCode).toBe(200);
    expect(await kindsOf(w.users.member, 'amendment_accepted')).toMatchObject([
      {
        amendmentId: accepted,
        actor: { displayName: 'Editor' },
        clause: { label: 'Clause 1' },
        excerpt: 'Source code is required.',
        link: `${w.base}/amendments?amendment=${accepted}`,
      },
    ]);
    expect(await kindsOf(w.users.member, 'amendment_rejected')).toMatchObject([{ amendmentId: rejected, excerpt: 'Too broad.' }]);
    // Rejecting one's own amendment tells nobody; nobody else hears of others' amendments.
    for (const who of ['editor', 'chair', 'observer', 'outsider'] as const) {
      expect((await inbox(w.users[who])).filter((n) => n.kind.startsWith('amendment_'))).toEqual([]);
    }
  });

  it('a version published and a comment period opened tell the members; its closing reminds members and public commenters once', async () => {
    const w = await workspace('public');
    expect(
      (
        await t.request({
          method: 'POST',
          url: `/api/definitions/${w.definitionId}/versions`,
          as: w.users.chair,
          payload: { label: '1.0', notes: 'First *public* draft.' },
        })
      ).statusCode,
    ).toBe(201);
    for (const role of ['editor', 'member', 'observer'] as const) {
      expect(await kindsOf(w.users[role], 'version_published')).toMatchObject([
        { details: { versionLabel: '1.0' }, excerpt: 'First *public* draft.', link: `${w.base}/versions?version=1.0` },
      ]);
    }
    expect(await kindsOf(w.users.chair, 'version_published')).toEqual([]);
    expect(await kindsOf(w.users.outsider, 'version_published')).toEqual([]);

    const deadline = new Date(Date.now() + 10 * 3_600_000).toISOString();
    const patched = await t.request({
      method: 'PATCH',
      url: `/api/definitions/${w.definitionId}`,
      as: w.users.chair,
      payload: { status: 'public-comment', commentDeadline: deadline },
    });
    expect(patched.statusCode).toBe(200);
    for (const role of ['editor', 'member', 'observer'] as const) {
      expect(await kindsOf(w.users[role], 'comment_period_opened')).toMatchObject([{ details: { deadline }, link: `${w.base}/public` }]);
    }
    expect(await kindsOf(w.users.outsider, 'comment_period_opened')).toEqual([]);

    // Someone outside the group comments publicly, so the closing concerns them too.
    await thread(w.definitionId, w.users.outsider, { clauseId: w.clauses.first, body: 'Public: what about weights?' });
    await remindClosingCommentPeriods(t.db, new Date());
    await remindClosingCommentPeriods(t.db, new Date());
    for (const who of ['chair', 'editor', 'member', 'observer', 'outsider'] as const) {
      expect(await kindsOf(w.users[who], 'comment_period_closing')).toMatchObject([{ details: { deadline }, link: `${w.base}/public` }]);
    }
  });

  it('a comment period closing in a private group reminds its members only', async () => {
    const w = await workspace('private');
    await thread(w.definitionId, w.users.member, { clauseId: w.clauses.first, body: 'Internal.' });
    await t.request({
      method: 'PATCH',
      url: `/api/definitions/${w.definitionId}`,
      as: w.users.chair,
      payload: { status: 'public-comment', commentDeadline: new Date(Date.now() + 3_600_000).toISOString() },
    });
    await remindClosingCommentPeriods(t.db, new Date());
    expect(await kindsOf(w.users.observer, 'comment_period_closing')).toMatchObject([{ link: w.base }]);
    expect(await inbox(w.users.outsider)).toEqual([]);
  });

  it('my role changed tells me, linking to the group; an old notification goes when the group becomes private to someone outside it', async () => {
    const w = await workspace('public');
    const patch = await t.request({
      method: 'PATCH',
      url: `/api/groups/${w.slug}/members/${w.users.member.user.id}`,
      as: w.users.chair,
      payload: { role: 'editor' },
    });
    expect(patch.statusCode).toBe(200);
    expect(await kindsOf(w.users.member, 'role_changed')).toMatchObject([
      { definition: null, definitionId: null, clause: null, details: { role: 'editor', previousRole: 'member' }, link: `/groups/${w.slug}` },
    ]);
    expect(await kindsOf(w.users.chair, 'role_changed')).toEqual([]);
    await t.request({ method: 'POST', url: `/api/definitions/${w.definitionId}/versions`, as: w.users.chair, payload: { label: '0.1', notes: '' } });
    await t.request({ method: 'DELETE', url: `/api/groups/${w.slug}/members/${w.users.member.user.id}`, as: w.users.chair });
    // Out of the group: what a public group shows anyone stays; nothing of its drafts.
    expect((await inbox(w.users.member)).map((n) => n.kind).sort()).toEqual(['role_changed', 'version_published']);
    expect((await inbox(w.users.member)).find((n) => n.kind === 'version_published')!.link).toBe(`${w.base}/public?version=0.1`);
    await t.request({ method: 'PATCH', url: `/api/groups/${w.slug}`, as: w.users.chair, payload: { visibility: 'private' } });
    expect(await inbox(w.users.member)).toEqual([]);
    expect((await t.request({ method: 'GET', url: '/api/notifications', as: w.users.member })).json().unread).toBe(0);
  });

  it('an outsider replied to in a public thread gets the public page and the comment — no longer quoted once deleted', async () => {
    const w = await workspace('public');
    await t.request({ method: 'POST', url: `/api/definitions/${w.definitionId}/versions`, as: w.users.chair, payload: { label: '1.0', notes: '' } });
    await t.request({ method: 'PATCH', url: `/api/definitions/${w.definitionId}`, as: w.users.chair, payload: { status: 'public-comment' } });
    const started = await thread(w.definitionId, w.users.outsider, { clauseId: w.clauses.second, body: 'Why data?' });
    const reply = await t.request({ method: 'POST', url: `/api/threads/${started.id}/comments`, as: w.users.chair, payload: { body: 'Because *study*.' } });
    expect(reply.statusCode).toBe(201);
    expect(await kindsOf(w.users.outsider, 'reply')).toMatchObject([
      { clause: { label: 'Clause 2' }, excerpt: 'Because study.', link: `${w.base}/public?clause=${w.clauses.second}&thread=${started.id}` },
    ]);
    expect((await t.request({ method: 'DELETE', url: `/api/comments/${reply.json().comments.at(-1).id}`, as: w.users.chair })).statusCode).toBe(204);
    expect(await kindsOf(w.users.outsider, 'reply')).toMatchObject([
      { excerpt: null, link: `${w.base}/public?clause=${w.clauses.second}&thread=${started.id}` },
    ]);
  });

  it('who is told of what, by role, in a private and a public group', async () => {
    const expected: Record<'private' | 'public', Record<'chair' | 'editor' | 'member' | 'observer' | 'outsider', NotificationKind[]>> = {
      private: {
        chair: [],
        editor: ['ballot_closed', 'ballot_opened', 'comment_period_opened', 'version_published'],
        member: ['amendment_accepted', 'ballot_closed', 'ballot_opened', 'comment_period_opened', 'role_changed', 'version_published'],
        observer: ['comment_period_opened', 'version_published'],
        outsider: [],
      },
      public: {
        chair: [],
        editor: ['ballot_closed', 'ballot_opened', 'comment_period_opened', 'version_published'],
        member: ['amendment_accepted', 'ballot_closed', 'ballot_opened', 'comment_period_opened', 'role_changed', 'version_published'],
        observer: ['comment_period_opened', 'version_published'],
        outsider: [],
      },
    };
    for (const visibility of ['private', 'public'] as const) {
      const w = await workspace(visibility);
      const chair = (method: 'POST' | 'PATCH', url: string, payload?: object) => t.request({ method, url, as: w.users.chair, ...(payload && { payload }) });
      const amendment = await t.request({
        method: 'POST',
        url: `/api/definitions/${w.definitionId}/amendments`,
        as: w.users.member,
        payload: { clauseId: w.clauses.first, text: 'All code is required.', rationale: '' },
      });
      expect((await chair('POST', `/api/amendments/${amendment.json().id}/accept`)).statusCode).toBe(200);
      expect((await chair('POST', `/api/definitions/${w.definitionId}/versions`, { label: '1.0', notes: '' })).statusCode).toBe(201);
      expect((await chair('PATCH', `/api/definitions/${w.definitionId}`, { status: 'public-comment' })).statusCode).toBe(200);
      const ballot = await chair('POST', `/api/definitions/${w.definitionId}/ballots`, {
        title: 'Keep it?',
        subject: { kind: 'version', label: '1.0' },
        rules: {
          kind: 'advisory',
          eligibleRoles: ['editor', 'member'],
          quorum: 0,
          threshold: 0.5,
          blockingObjectionFails: false,
          secret: false,
          resultsVisibility: 'after_close',
          closesAt: new Date(Date.now() + 3 * 24 * 3_600_000).toISOString(),
        },
      });
      expect((await chair('POST', `/api/ballots/${ballot.json().id}/open`)).statusCode).toBe(200);
      expect((await chair('POST', `/api/ballots/${ballot.json().id}/close`)).statusCode).toBe(200);
      expect((await chair('PATCH', `/api/groups/${w.slug}/members/${w.users.member.user.id}`, { role: 'editor' })).statusCode).toBe(200);
      for (const who of ['chair', 'editor', 'member', 'observer', 'outsider'] as const) {
        const kinds = (await inbox(w.users[who])).map((n) => n.kind).filter((kind) => kind !== 'new_thread');
        expect(kinds.sort(), `${visibility} ${who}`).toEqual(expected[visibility][who]);
      }
    }
  });

  it('without SMTP_URL, in development, notification mail is written to the log — without its tokens or the address', async () => {
    const w = await workspace();
    await thread(w.definitionId, w.users.member, { clauseId: w.clauses.first, body: 'Logged, not sent @Observer', mentions: [w.users.observer.user.id] });
    const round = await t.app.notificationWorker.runOnce();
    expect(round.sent).toBeGreaterThanOrEqual(1);
    const line = t.logs.find((l) => l.includes('written to the log instead') && l.includes('Logged, not sent'));
    expect(line).toBeDefined();
    const logged = JSON.parse(line!);
    expect(logged.subject).toBe(`[Group ${w.slug}] Member mentioned you in Clause 1 of “Open Source AI Definition”`);
    expect(logged.text).toContain('/api/mail/unsubscribe/[redacted]');
    expect(line).not.toContain(w.users.observer.email);
    const tokens = await t.db.selectFrom('mail_unsubscribe_tokens').select('token_hash').where('user_id', '=', w.users.observer.user.id).execute();
    expect(tokens).toHaveLength(1);
  });

  describe('settings', () => {
    const settings = (as: TestUser | null) => t.request({ method: 'GET', url: '/api/me/notification-settings', as });
    const put = (as: TestUser | null, payload: unknown, headers: Record<string, string> = {}) =>
      t.request({ method: 'PUT', url: '/api/me/notification-settings', as, payload: payload as object, headers });

    it('start from the defaults, change per kind, and decide what is created and what is mailed', async () => {
      const w = await workspace();
      const initial = (await settings(w.users.observer)).json();
      expect(initial).toMatchObject({
        emailAvailable: false,
        digestHourUtc: 7,
        kinds: { mention: { enabled: true, email: 'immediate' }, reply: { enabled: true, email: 'digest' } },
      });
      expect(Object.keys(initial.kinds)).toHaveLength(21);
      const changed = await put(w.users.observer, { kinds: { mention: { enabled: false, email: 'off' }, new_thread: { enabled: true, email: 'immediate' } } });
      expect(changed.statusCode).toBe(200);
      expect(changed.json().kinds).toMatchObject({
        mention: { enabled: false, email: 'off' },
        new_thread: { enabled: true, email: 'immediate' },
        reply: { enabled: true, email: 'digest' },
      });
      expect((await settings(w.users.observer)).json().kinds.mention).toEqual({ enabled: false, email: 'off' });
      // Someone else's settings are their own.
      expect((await settings(w.users.member)).json().kinds.mention).toEqual({ enabled: true, email: 'immediate' });

      await thread(w.definitionId, w.users.member, { clauseId: w.clauses.first, body: '@Observer look', mentions: [w.users.observer.user.id] });
      expect(await inbox(w.users.observer)).toEqual([]); // mentions turned off: nothing at all
      const mention = await thread(w.definitionId, w.users.observer, { clauseId: w.clauses.first, body: '@Member look', mentions: [w.users.member.user.id] });
      const mail = await t.db
        .selectFrom('mail_outbox')
        .innerJoin('notifications', 'notifications.id', 'mail_outbox.notification_id')
        .select(['mail_outbox.kind', 'notifications.kind as notification', 'mail_outbox.user_id'])
        .where('notifications.thread_id', '=', mention.id)
        .execute();
      // The member wants mentions by mail at once; the editor (who wrote the clause) gets new threads in the digest.
      expect(mail.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
        { kind: 'digest_item', notification: 'new_thread', user_id: w.users.editor.user.id },
        { kind: 'notification', notification: 'mention', user_id: w.users.member.user.id },
      ]);
    });

    it('refuse malformed, unknown, oversized and unauthenticated input, writing nothing', async () => {
      const user = await t.register('Settings Person');
      const before = (await settings(user)).json();
      const bad: unknown[] = [
        {},
        { kinds: {} },
        { kinds: { mention: { enabled: true } } },
        { kinds: { mention: { enabled: true, email: 'sometimes' } } },
        { kinds: { mention: { enabled: 'yes', email: 'off' } } },
        { kinds: { mention: { enabled: true, email: 'off', extra: 1 } } },
        { kinds: { reply: { enabled: false, email: 'off' }, unknown_kind: { enabled: true, email: 'off' } } },
        { kinds: { mention: { enabled: true, email: 'off' } }, extra: true },
        [],
      ];
      for (const payload of bad) {
        const response = await put(user, payload);
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json()).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
      }
      // Not JSON at all.
      const text = await t.request({
        method: 'PUT',
        url: '/api/me/notification-settings',
        as: user,
        payload: 'mention',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.statusCode).toBe(415);
      const huge = await put(user, { kinds: { mention: { enabled: true, email: 'off' } }, padding: 'x'.repeat(1_100_000) });
      expect(huge.statusCode).toBe(413);
      expect((await put(null, { kinds: { mention: { enabled: true, email: 'off' } } })).statusCode).toBe(401);
      expect((await settings(null)).statusCode).toBe(401);
      const foreign = await put(user, { kinds: { mention: { enabled: true, email: 'off' } } }, { origin: 'https://evil.example' });
      expect(foreign.statusCode).toBe(403);
      expect((await settings(user)).json()).toEqual(before);
    });
  });
});
