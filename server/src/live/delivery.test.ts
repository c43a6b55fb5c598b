import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent, LiveTopic, Role } from '@draftroom/shared';
import { useTestApp, type TestUser } from '../../test/support/app.ts';
import { appendText, connectClient, synced } from '../../test/support/collab.ts';
import { connectLive, type LiveTestClient } from '../../test/support/live.ts';

type Who = Role | 'outsider' | 'anonymous';
const WHO: Who[] = ['chair', 'editor', 'member', 'observer', 'outsider', 'anonymous'];
const MEMBERS: Who[] = ['chair', 'editor', 'member', 'observer'];

/**
 * Every kind of change × every role × a private and a public group, over real sockets: each change is
 * heard by exactly the readers the HTTP reads would show it to, and by nobody else.
 */
describe('who hears of what on the live channel', { timeout: 180_000 }, () => {
  const t = useTestApp();
  let base: string;
  const sockets: LiveTestClient[] = [];

  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => {
    for (const socket of sockets) socket.close();
  });

  interface World {
    slug: string;
    groupId: string;
    definitionId: string;
    clauseId: string;
    users: Record<Role | 'outsider', TestUser>;
    clients: Record<Who, LiveTestClient>;
    /** Where each client's messages stood when the current step began. */
    marks: Map<LiveTestClient, number>;
  }

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, as: TestUser, payload?: object) => {
    const response = await t.request({ method, url, as, ...(payload && { payload }) });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.statusCode === 204 ? null : response.json();
  };

  async function world(visibility: 'private' | 'public'): Promise<World> {
    const { slug, users } = await t.groupWithRoles(visibility);
    const groupId = (await call('GET', `/api/groups/${slug}`, users.chair)).id as string;
    const definitionId = (await call('POST', `/api/groups/${slug}/definitions`, users.chair, { slug: 'osaid', title: 'OSAID' })).id as string;
    const clauseId = (await call('POST', `/api/definitions/${definitionId}/clauses`, users.editor, { text: 'Training data is required.' })).id as string;
    if (visibility === 'public') await call('PATCH', `/api/definitions/${definitionId}`, users.chair, { status: 'public-comment' });
    const clients = {} as Record<Who, LiveTestClient>;
    for (const who of WHO) {
      const client = connectLive(base, who === 'anonymous' ? null : users[who].cookie);
      sockets.push(client);
      await client.ready;
      const topics: LiveTopic[] = [`group:${groupId}`, `definition:${definitionId}`];
      const answers = await client.subscribe(who === 'anonymous' ? topics : ['me', ...topics]);
      const readsGroup = visibility === 'public' || MEMBERS.includes(who);
      expect(answers[`group:${groupId}`], who).toBe(readsGroup ? 'subscribed' : 'refused:not_found');
      expect(answers[`definition:${definitionId}`], who).toBe(readsGroup ? 'subscribed' : 'refused:not_found');
      if (who !== 'anonymous') expect(answers.me).toBe('subscribed');
      clients[who] = client;
    }
    return { slug, groupId, definitionId, clauseId, users, clients, marks: new Map() };
  }

  /** Runs a change, then checks that exactly `receivers` heard of it (an event matching `match`, on `topic`) and nobody else heard anything matching. */
  async function step(
    w: World,
    what: string,
    act: () => Promise<unknown>,
    expectation: { topic: LiveTopic; match: (event: LiveEvent) => boolean; receivers: Who[] },
  ): Promise<void> {
    for (const who of WHO) w.marks.set(w.clients[who], w.clients[who].messages.length);
    await act();
    const since = (who: Who) =>
      w.clients[who].messages.slice(w.marks.get(w.clients[who])).flatMap((m) => (m.type === 'event' ? [{ topic: m.topic, event: m.event }] : []));
    for (const who of expectation.receivers) {
      await w.clients[who].waitForEvent(
        (event, topic) => topic === expectation.topic && expectation.match(event),
        `${who} to hear of ${what}`,
        w.marks.get(w.clients[who]),
      );
    }
    for (const who of WHO.filter((who) => !expectation.receivers.includes(who))) {
      // Sent in the same pass as to the receivers, so before the answer to this ping if at all.
      await w.clients[who].barrier();
      expect(
        since(who).filter(({ event }) => expectation.match(event)),
        `${who} must not hear of ${what}`,
      ).toEqual([]);
    }
  }

  const kind =
    (k: LiveEvent['kind'], ids: Partial<LiveEvent> = {}) =>
    (event: LiveEvent) =>
      event.kind === k && Object.entries(ids).every(([key, value]) => event[key as keyof LiveEvent] === value);

  for (const visibility of ['private', 'public'] as const) {
    it(`in a ${visibility} group`, async () => {
      const w = await world(visibility);
      const { users, definitionId, clauseId } = w;
      const def: LiveTopic = `definition:${definitionId}`;
      const grp: LiveTopic = `group:${w.groupId}`;
      // What a public group shows to anyone (published versions, the definitions list, public threads).
      const readers: Who[] = visibility === 'public' ? WHO : MEMBERS;
      const outsiders: Who[] = visibility === 'public' ? ['outsider', 'anonymous'] : [];

      // The internal discussion: members only, whatever the group's visibility.
      let thread: { id: string; comments: { id: string }[] } = { id: '', comments: [] };
      await step(
        w,
        'an internal thread',
        async () => {
          thread = await call('POST', `/api/definitions/${definitionId}/threads`, users.member, { clauseId, body: 'Is this clear?', audience: 'internal' });
        },
        { topic: def, match: (e) => e.kind === 'thread.changed' && e.threadId === thread.id, receivers: MEMBERS },
      );
      const threadId = thread.id;
      const inThread = kind('thread.changed', { threadId });
      let replyId = '';
      await step(
        w,
        'a reply',
        async () => {
          replyId = (await call('POST', `/api/threads/${threadId}/comments`, users.chair, { body: 'It is.' })).comments.at(-1).id;
        },
        { topic: def, match: inThread, receivers: MEMBERS },
      );
      const comment = `/api/comments/${replyId}`;
      const thumbs = `${comment}/reactions/${encodeURIComponent('👍')}`;
      for (const [what, act] of [
        ['an edit', () => call('PATCH', comment, users.chair, { body: 'It is, mostly.' })],
        ['a reaction', () => call('PUT', thumbs, users.observer)],
        ['a reaction taken back', () => call('DELETE', thumbs, users.observer)],
        ['a comment hidden', () => call('POST', `${comment}/hide`, users.chair, { reason: 'Off topic' })],
        ['a comment shown again', () => call('POST', `${comment}/unhide`, users.chair)],
        ['a comment deleted', () => call('DELETE', comment, users.chair)],
        ['a thread resolved', () => call('POST', `/api/threads/${threadId}/resolve`, users.editor)],
        ['a thread reopened', () => call('POST', `/api/threads/${threadId}/reopen`, users.editor)],
      ] as const) {
        await step(w, `${what} in the internal discussion`, act, { topic: def, match: inThread, receivers: MEMBERS });
      }

      if (visibility === 'public') {
        // The public record: everyone who reads the group, signed in or not.
        let publicThread = '';
        await step(
          w,
          'a public thread',
          async () => {
            publicThread = (await call('POST', `/api/definitions/${definitionId}/threads`, users.outsider, { clauseId, body: 'A comment from outside.' })).id;
          },
          { topic: def, match: (e) => e.kind === 'thread.changed' && e.threadId === publicThread, receivers: WHO },
        );
        await step(w, 'a reply in public', () => call('POST', `/api/threads/${publicThread}/comments`, users.member, { body: 'Thanks.' }), {
          topic: def,
          match: kind('thread.changed', { threadId: publicThread }),
          receivers: WHO,
        });
        // The outsider's comment is an item of the disposition register, which its readers follow.
        const dispositions = kind('dispositions.changed', { definitionId });
        const [item] = (await call('GET', `/api/definitions/${definitionId}/dispositions`, users.chair)).items;
        await step(
          w,
          'a public comment disposed of',
          () => call('PUT', `/api/dispositions/${item.id}/disposition`, users.chair, { disposition: 'deferred', reason: 'Next version.' }),
          { topic: def, match: dispositions, receivers: WHO },
        );
        await step(w, 'a formal objection raised', () => call('POST', `/api/definitions/${definitionId}/objections`, users.member, { body: 'I object.' }), {
          topic: def,
          match: dispositions,
          receivers: MEMBERS,
        });
        await step(w, 'an internal thread published', () => call('POST', `/api/threads/${threadId}/publish`, users.chair), {
          topic: def,
          match: inThread,
          receivers: WHO,
        });
      }

      // Amendments and ballots are part of the draft: members only, even in a public group.
      const propose = async () =>
        (
          await call('POST', `/api/definitions/${definitionId}/amendments`, users.member, {
            clauseId,
            text: 'Training data is encouraged.',
            rationale: 'Why not.',
          })
        ).id as string;
      let amendmentId = '';
      const amendment = () => kind('amendment.changed', { amendmentId });
      await step(
        w,
        'an amendment proposed',
        async () => {
          amendmentId = await propose();
        },
        { topic: def, match: (e) => amendment()(e), receivers: MEMBERS },
      );
      await step(w, 'an amendment rejected', () => call('POST', `/api/amendments/${amendmentId}/reject`, users.editor, { reason: 'Not now.' }), {
        topic: def,
        match: amendment(),
        receivers: MEMBERS,
      });
      const proposeAnother = () =>
        step(
          w,
          'another amendment proposed',
          async () => {
            amendmentId = await propose();
          },
          { topic: def, match: (e) => amendment()(e), receivers: MEMBERS },
        );
      await proposeAnother();
      await step(w, 'an amendment withdrawn', () => call('POST', `/api/amendments/${amendmentId}/withdraw`, users.member), {
        topic: def,
        match: amendment(),
        receivers: MEMBERS,
      });
      await proposeAnother();
      await step(w, 'an amendment accepted', () => call('POST', `/api/amendments/${amendmentId}/accept`, users.chair), {
        topic: def,
        match: amendment(),
        receivers: MEMBERS,
      });

      const rules = {
        kind: 'binding',
        eligibleRoles: ['chair', 'editor', 'member'],
        quorum: 0.5,
        threshold: 0.5,
        blockingObjectionFails: false,
        secret: false,
        resultsVisibility: 'after_close',
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      };
      let ballotId = '';
      const ballot = () => kind('ballot.changed', { ballotId });
      await step(
        w,
        'a ballot created',
        async () => {
          ballotId = (
            await call('POST', `/api/definitions/${definitionId}/ballots`, users.chair, { title: 'Keep it?', subject: { kind: 'clause', clauseId }, rules })
          ).id;
        },
        { topic: def, match: (e) => ballot()(e), receivers: MEMBERS },
      );
      await step(w, 'a ballot opened', () => call('POST', `/api/ballots/${ballotId}/open`, users.chair), { topic: def, match: ballot(), receivers: MEMBERS });
      await step(w, 'a vote', () => call('PUT', `/api/ballots/${ballotId}/vote`, users.member, { position: 'yes' }), {
        topic: def,
        match: (e) => ballot()(e) && e.turnout === 1,
        receivers: MEMBERS,
      });
      await step(w, 'a ballot closed', () => call('POST', `/api/ballots/${ballotId}/close`, users.chair), { topic: def, match: ballot(), receivers: MEMBERS });
      await step(
        w,
        'another ballot created',
        async () => {
          ballotId = (
            await call('POST', `/api/definitions/${definitionId}/ballots`, users.chair, { title: 'Again?', subject: { kind: 'clause', clauseId }, rules })
          ).id;
        },
        { topic: def, match: (e) => ballot()(e), receivers: MEMBERS },
      );
      await step(w, 'a ballot cancelled', () => call('POST', `/api/ballots/${ballotId}/cancel`, users.chair, { reason: 'Asked twice.' }), {
        topic: def,
        match: ballot(),
        receivers: MEMBERS,
      });

      // Published versions, titles, statuses and the definitions list are what a public group shows anyone.
      await step(w, 'a version published', () => call('POST', `/api/definitions/${definitionId}/versions`, users.chair, { label: '0.1', notes: 'First.' }), {
        topic: def,
        match: kind('version.published', { definitionId }),
        receivers: readers,
      });
      // The definition's own page and the group's list of definitions, told in that order (so the second arrives last).
      for (const [what, as, change] of [
        ['a definition renamed', users.editor, { title: 'OSAID, renamed' }],
        // Public comments still undisposed are acknowledged (the register's own tests cover the refusal).
        ['a status changed', users.chair, { status: 'final', acknowledgeUndisposed: true }],
      ] as const) {
        await step(w, what, () => call('PATCH', `/api/definitions/${definitionId}`, as, change), {
          topic: grp,
          match: kind('group.changed', { definitionId }),
          receivers: readers,
        });
        for (const who of readers) {
          expect(
            w.clients[who].messages
              .slice(w.marks.get(w.clients[who]))
              .some((m) => m.type === 'event' && m.topic === def && m.event.kind === 'definition.changed'),
            `${who}: ${JSON.stringify(w.clients[who].messages.slice(w.marks.get(w.clients[who])))}`,
          ).toBe(true);
        }
        for (const who of WHO.filter((who) => !readers.includes(who))) expect(w.clients[who].events().filter(kind('definition.changed'))).toEqual([]);
      }
      // Resetting the draft changes the draft: its readers only.
      await step(w, 'a definition reset to a version', () => call('POST', `/api/definitions/${definitionId}/restore`, users.chair, { version: '0.1' }), {
        topic: def,
        match: kind('definition.changed', { definitionId }),
        receivers: MEMBERS,
      });
      // Typing in the draft: a text hint for its readers (ballots flag a changed text), never for the public.
      const typist = connectClient(base, definitionId, users.editor.cookie);
      try {
        await synced(typist);
        await step(w, 'a live edit of the text', async () => appendText(typist.doc, clauseId, ' Typed live.'), {
          topic: def,
          match: kind('text.changed', { definitionId }),
          receivers: MEMBERS,
        });
      } finally {
        typist.destroy();
      }
      let otherDefinition = '';
      await step(
        w,
        'a definition created',
        async () => {
          otherDefinition = (await call('POST', `/api/groups/${w.slug}/definitions`, users.editor, { slug: 'other', title: 'Other' })).id;
        },
        { topic: grp, match: (e) => e.kind === 'group.changed' && e.definitionId === otherDefinition, receivers: readers },
      );
      await step(w, 'the group changed', () => call('PATCH', `/api/groups/${w.slug}`, users.chair, { charter: 'A new charter.' }), {
        topic: grp,
        match: (e) => e.kind === 'group.changed' && e.definitionId === undefined,
        receivers: readers,
      });

      // Membership: members hear who; the person hears it on their own topic; outside a public group, only that the count may have moved.
      const observerId = users.observer.user.id;
      for (const role of ['member', 'observer'] as const) {
        await step(w, `a role changed to ${role}`, () => call('PATCH', `/api/groups/${w.slug}/members/${observerId}`, users.chair, { role }), {
          topic: grp,
          match: kind('membership.changed', { userId: observerId }),
          receivers: MEMBERS,
        });
        await w.clients.observer.waitForEvent(
          (e, topic) => topic === 'me' && e.kind === 'membership.changed' && e.groupId === w.groupId,
          'the observer’s own topic',
          w.marks.get(w.clients.observer),
        );
      }
      const newcomer = await t.register('Newcomer');
      await step(w, 'a member added', () => call('POST', `/api/groups/${w.slug}/members`, users.chair, { email: newcomer.email, role: 'member' }), {
        topic: grp,
        match: (e) => e.kind === 'group.changed' && e.definitionId === undefined,
        receivers: outsiders,
      });

      // Conformance work in progress is the members' — and the reviewed system's developer hears of their review on `me`;
      // a closed review and endorsements change the version's register, which its readers hear of.
      const developer = await t.register('Developer');
      const developerClient = connectLive(base, developer.cookie);
      sockets.push(developerClient);
      await developerClient.ready;
      expect(await developerClient.subscribe(['me', def])).toEqual({ me: 'subscribed', [def]: visibility === 'public' ? 'subscribed' : 'refused:not_found' });
      let systemId = '';
      await step(
        w,
        'a system registered',
        async () => {
          systemId = (await call('POST', `/api/groups/${w.slug}/systems`, users.editor, { name: 'OLMo', version: '7B', developerEmail: developer.email })).id;
        },
        { topic: grp, match: kind('conformance.changed', { groupId: w.groupId }), receivers: MEMBERS },
      );
      let checklistId = '';
      await step(
        w,
        'a checklist made',
        async () => {
          checklistId = (
            await call('POST', `/api/definitions/${definitionId}/checklists`, users.chair, { versionLabel: '0.1', rows: [{ component: 'Model parameters' }] })
          ).id;
        },
        { topic: def, match: kind('conformance.changed', { definitionId }), receivers: MEMBERS },
      );
      let reviewId = '';
      const developerMark = () => developerClient.messages.length;
      let mark = developerMark();
      await step(
        w,
        'a review opened',
        async () => {
          reviewId = (
            await call('POST', `/api/checklists/${checklistId}/reviews`, users.chair, { systemId, reviewerIds: [users.editor.user.id, users.member.user.id] })
          ).id;
        },
        { topic: def, match: (e) => kind('conformance.changed', { definitionId, reviewId })(e), receivers: MEMBERS },
      );
      const developerHears = async (what: string) => {
        const event = await developerClient.waitForEvent(
          (e, topic) => topic === 'me' && e.kind === 'conformance.changed',
          `the developer to hear of ${what}`,
          mark,
        );
        // Which review, nothing more.
        expect(event).toEqual({ kind: 'conformance.changed', reviewId });
        mark = developerMark();
      };
      await developerHears('the review opened');
      const sheet = { rows: [{ rowId: 'r1', evidence: [], verdicts: ['allows', 'allows', 'allows', 'allows'], note: '' }] };
      for (const reviewer of [users.editor, users.member]) await call('PUT', `/api/reviews/${reviewId}/sheet`, reviewer, sheet);
      await step(w, 'a reviewer submitted', () => call('POST', `/api/reviews/${reviewId}/submit`, users.editor), {
        topic: def,
        match: kind('conformance.changed', { reviewId }),
        receivers: MEMBERS,
      });
      await developerHears('a submission');
      await call('POST', `/api/reviews/${reviewId}/submit`, users.member);
      await step(w, 'a review closed', () => call('POST', `/api/reviews/${reviewId}/close`, users.chair), {
        topic: def,
        match: kind('register.changed', { definitionId }),
        receivers: readers,
      });
      await developerHears('the review closed');
      await step(
        w,
        'an endorsement given',
        () => call('POST', `/api/definitions/${definitionId}/versions/0.1/endorsements`, users.member, { kind: 'individual', name: 'Member' }),
        { topic: def, match: kind('register.changed', { definitionId }), receivers: readers },
      );
      // The developer follows nothing of a private group but their own review.
      if (visibility === 'private') expect(developerClient.events().filter((e) => e.kind !== 'conformance.changed' && e.kind !== 'inbox.changed')).toEqual([]);

      // Whatever anyone heard of a ballot: which one, how many voted — nothing about who or how.
      for (const who of WHO) {
        for (const event of w.clients[who].events().filter((e) => e.kind === 'ballot.changed')) {
          expect(Object.keys(event).sort()).toEqual(['ballotId', 'definitionId', 'groupId', 'kind', 'turnout']);
        }
      }
      // Outside the group, nothing of a private group at all; outside a public one, nothing of the draft or the internal discussion.
      for (const who of ['outsider', 'anonymous'] as const) {
        const heard = w.clients[who].events().filter((e) => e.groupId === w.groupId);
        if (visibility === 'private') expect(heard).toEqual([]);
        else
          expect(
            heard.filter((e) => ['amendment.changed', 'ballot.changed', 'membership.changed', 'invitations.changed', 'conformance.changed'].includes(e.kind)),
          ).toEqual([]);
      }
    });
  }

  it('tells the developer of their review when nobody of the group is listening on this instance', async () => {
    const { slug, users } = await t.groupWithRoles('private');
    const definitionId = (await call('POST', `/api/groups/${slug}/definitions`, users.chair, { slug: 'osaid', title: 'OSAID' })).id as string;
    await call('POST', `/api/definitions/${definitionId}/clauses`, users.editor, { text: 'Parameters are required.' });
    await call('POST', `/api/definitions/${definitionId}/versions`, users.chair, { label: '1.0', notes: '' });
    const developer = await t.register('Lone developer');
    const systemId = (await call('POST', `/api/groups/${slug}/systems`, users.editor, { name: 'Pythia', developerEmail: developer.email })).id;
    const checklistId = (await call('POST', `/api/definitions/${definitionId}/checklists`, users.chair, { versionLabel: '1.0', rows: [{ component: 'Code' }] }))
      .id;
    const client = connectLive(base, developer.cookie);
    sockets.push(client);
    await client.ready;
    await client.subscribe(['me']);
    const from = client.messages.length;
    const reviewId = (
      await call('POST', `/api/checklists/${checklistId}/reviews`, users.chair, { systemId, reviewerIds: [users.editor.user.id, users.member.user.id] })
    ).id;
    expect(await client.waitForEvent((e, topic) => topic === 'me' && e.kind === 'conformance.changed', 'the developer to hear of the review', from)).toEqual({
      kind: 'conformance.changed',
      reviewId,
    });
  });
});
