import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Role, Visibility } from '@draftroom/shared';
import type { Actor } from '../policies/actor.ts';
import { parseNotice, type EventNotice, type LiveNotice } from './notice.ts';
import { accessChangeOf, deliveriesFor, mayFollow, mayReceive, parseTopic, type Facts } from './policy.ts';

const GROUP = '11111111-1111-4111-8111-111111111111';
const DEFINITION = '22222222-2222-4222-8222-222222222222';
const THREAD = '33333333-3333-4333-8333-333333333333';
const COMMENT = '44444444-4444-4444-8444-444444444444';
const BALLOT = '55555555-5555-4555-8555-555555555555';
const USER = '66666666-6666-4666-8666-666666666666';
const OTHER = '77777777-7777-4777-8777-777777777777';
const ID = '88888888-8888-4888-8888-888888888888';
const REVIEW = '99999999-9999-4999-8999-999999999999';
/** The reviewed system's developer: no member of the group (no reader below). */
const DEVELOPER = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

type Who = Role | 'outsider' | 'anonymous';
const WHO: Who[] = ['chair', 'editor', 'member', 'observer', 'outsider', 'anonymous'];
const MEMBERS: Who[] = ['chair', 'editor', 'member', 'observer'];

const reader = (who: Who, visibility: Visibility): { actor: Actor; context: { visibility: Visibility; role: Role | null } } => ({
  actor: who === 'anonymous' ? null : { userId: who === 'chair' ? USER : OTHER },
  context: { visibility, role: who === 'outsider' || who === 'anonymous' ? null : who },
});

const facts = (audience: 'internal' | 'public', visibility: Visibility = 'private'): Facts => ({
  reviews: new Map([[REVIEW, { definitionId: DEFINITION, developerId: DEVELOPER }]]),
  threads: new Map([[THREAD, { definitionId: DEFINITION, clauseId: ID, audience }]]),
  commentThreads: new Map([[COMMENT, THREAD]]),
  ballots: new Map([[BALLOT, { definitionId: DEFINITION, groupId: GROUP, turnout: 3 }]]),
  unread: new Map([[USER, 2]]),
  publicGroups: new Set(visibility === 'public' ? [GROUP] : []),
});

const event = (type: string, ids: EventNotice['ids'] = {}): EventNotice => ({
  source: 'event',
  chain: `group:${GROUP}`,
  seq: 7,
  type,
  groupId: GROUP,
  actorId: USER,
  ids,
});

/** Who hears each recorded kind of change, by the HTTP read that shows it (not by recomputing the policy). */
const MEMBERS_ONLY = () => MEMBERS;
const READERS = (visibility: Visibility) => (visibility === 'public' ? WHO : MEMBERS);
const AUDIT_TYPES: Record<string, { ids: EventNotice['ids']; hears: (visibility: Visibility) => Who[] }> = {
  'thread.created': { ids: { definitionId: DEFINITION, threadId: THREAD }, hears: MEMBERS_ONLY },
  'thread.resolved': { ids: { definitionId: DEFINITION, threadId: THREAD }, hears: MEMBERS_ONLY },
  'thread.reopened': { ids: { definitionId: DEFINITION, threadId: THREAD }, hears: MEMBERS_ONLY },
  'thread.published': { ids: { definitionId: DEFINITION, threadId: THREAD }, hears: MEMBERS_ONLY },
  'comment.added': { ids: { definitionId: DEFINITION, threadId: THREAD, commentId: COMMENT }, hears: MEMBERS_ONLY },
  // Written before comment events named their thread: found through the comment.
  'comment.edited': { ids: { definitionId: DEFINITION, commentId: COMMENT }, hears: MEMBERS_ONLY },
  'comment.deleted': { ids: { definitionId: DEFINITION, threadId: THREAD, commentId: COMMENT }, hears: MEMBERS_ONLY },
  'comment.hidden': { ids: { definitionId: DEFINITION, threadId: THREAD, commentId: COMMENT }, hears: MEMBERS_ONLY },
  'comment.unhidden': { ids: { definitionId: DEFINITION, threadId: THREAD, commentId: COMMENT }, hears: MEMBERS_ONLY },
  'comment.reacted': { ids: { definitionId: DEFINITION, threadId: THREAD, commentId: COMMENT }, hears: MEMBERS_ONLY },
  'comment.unreacted': { ids: { definitionId: DEFINITION, threadId: THREAD, commentId: COMMENT }, hears: MEMBERS_ONLY },
  'amendment.proposed': { ids: { definitionId: DEFINITION, amendmentId: ID, clauseId: ID }, hears: MEMBERS_ONLY },
  'amendment.accepted': { ids: { definitionId: DEFINITION, amendmentId: ID, clauseId: ID }, hears: MEMBERS_ONLY },
  'amendment.rejected': { ids: { definitionId: DEFINITION, amendmentId: ID }, hears: MEMBERS_ONLY },
  'amendment.withdrawn': { ids: { definitionId: DEFINITION, amendmentId: ID }, hears: MEMBERS_ONLY },
  'ballot.created': { ids: { definitionId: DEFINITION, ballotId: BALLOT }, hears: MEMBERS_ONLY },
  'ballot.updated': { ids: { definitionId: DEFINITION, ballotId: BALLOT }, hears: MEMBERS_ONLY },
  'ballot.opened': { ids: { definitionId: DEFINITION, ballotId: BALLOT }, hears: MEMBERS_ONLY },
  'ballot.voted': { ids: { ballotId: BALLOT }, hears: MEMBERS_ONLY },
  'ballot.closed': { ids: { ballotId: BALLOT }, hears: MEMBERS_ONLY },
  'ballot.cancelled': { ids: { ballotId: BALLOT }, hears: MEMBERS_ONLY },
  'version.published': { ids: { definitionId: DEFINITION, versionId: ID }, hears: READERS },
  'definition.created': { ids: { definitionId: DEFINITION }, hears: READERS },
  'definition.renamed': { ids: { definitionId: DEFINITION }, hears: READERS },
  'definition.status_changed': { ids: { definitionId: DEFINITION }, hears: READERS },
  'definition.deadline_changed': { ids: { definitionId: DEFINITION }, hears: READERS },
  'definition.restored': { ids: { definitionId: DEFINITION, versionId: ID }, hears: MEMBERS_ONLY },
  // The draft replaced from a file: its readers (the definition's creation is told by definition.created).
  'definition.imported': { ids: { definitionId: DEFINITION }, hears: MEMBERS_ONLY },
  'clause.restored': { ids: { definitionId: DEFINITION, clauseId: ID, versionId: ID }, hears: MEMBERS_ONLY },
  'group.updated': { ids: {}, hears: READERS },
  // Members hear who; outsiders of a public group that the member count may have moved; the person, on `me`.
  'member.added': { ids: { userId: USER }, hears: READERS },
  'member.role_changed': { ids: { userId: USER }, hears: READERS },
  'member.removed': { ids: { userId: USER }, hears: READERS },
  'member.left': { ids: { userId: USER }, hears: READERS },
  'member.invited': { ids: { invitationId: ID }, hears: () => ['chair'] },
  'invitation.revoked': { ids: { invitationId: ID }, hears: () => ['chair'] },
  'invitation.declined': { ids: { invitationId: ID }, hears: () => ['chair'] },
  // The creator's own topic only (nobody follows a group that did not exist).
  'group.created': { ids: {}, hears: () => ['chair'] },
  // Conformance work in progress is the members' (and the developer's, on their own topic: see below).
  'system.created': { ids: { systemId: ID }, hears: MEMBERS_ONLY },
  'system.updated': { ids: { systemId: ID }, hears: MEMBERS_ONLY },
  'system.deleted': { ids: { systemId: ID }, hears: MEMBERS_ONLY },
  'checklist.created': { ids: { definitionId: DEFINITION, checklistId: ID }, hears: MEMBERS_ONLY },
  'review.opened': { ids: { reviewId: REVIEW, checklistId: ID }, hears: MEMBERS_ONLY },
  'review.submitted': { ids: { reviewId: REVIEW, userId: USER }, hears: MEMBERS_ONLY },
  'review.revealed': { ids: { reviewId: REVIEW }, hears: MEMBERS_ONLY },
  'review.cell_resolved': { ids: { reviewId: REVIEW }, hears: MEMBERS_ONLY },
  'review.commented': { ids: { reviewId: REVIEW }, hears: MEMBERS_ONLY },
  // A closed review enters the version's register: its readers hear that the register changed.
  'review.closed': { ids: { reviewId: REVIEW }, hears: READERS },
  'review.imported': { ids: { reviewId: REVIEW, checklistId: ID }, hears: READERS },
  'endorsement.created': { ids: { definitionId: DEFINITION, endorsementId: ID }, hears: READERS },
  'endorsement.verified': { ids: { definitionId: DEFINITION, endorsementId: ID }, hears: READERS },
  'endorsement.withdrawn': { ids: { definitionId: DEFINITION, endorsementId: ID }, hears: READERS },
  // The requirement-language settings and glossary go with the draft.
  'language.checks_changed': { ids: { definitionId: DEFINITION }, hears: MEMBERS_ONLY },
  'glossary.term_added': { ids: { definitionId: DEFINITION }, hears: MEMBERS_ONLY },
  'glossary.term_removed': { ids: { definitionId: DEFINITION }, hears: MEMBERS_ONLY },
  // Objections are the members'; a public comment's item names its thread (its own test, below).
  'disposition.raised': { ids: { definitionId: DEFINITION, dispositionId: ID }, hears: MEMBERS_ONLY },
  'disposition.decided': { ids: { definitionId: DEFINITION, dispositionId: ID }, hears: MEMBERS_ONLY },
  'disposition.responded': { ids: { definitionId: DEFINITION, dispositionId: ID }, hears: MEMBERS_ONLY },
};
/** Account-level events: sessions are closed by them (see accessChangeOf), nothing is told. */
const NOT_TOLD = new Set(['account.registered', 'account.registration_attempted', 'account.signed_in', 'account.signed_out', 'account.password_changed']);

/** Everyone who would receive anything of these deliveries, following the topics a page of theirs may follow. */
function hearers(notice: LiveNotice, visibility: Visibility, threadAudience: 'internal' | 'public'): Who[] {
  // The front door's nameless hints are checked on their own (below).
  const deliveries = deliveriesFor(notice, facts(threadAudience, visibility)).filter((delivery) => delivery.topic !== 'public');
  return WHO.filter((who) => {
    const { actor, context } = reader(who, visibility);
    return deliveries.some((delivery) => {
      const topic = parseTopic(delivery.topic)!;
      const groupContext = topic.kind === 'me' ? null : context;
      return mayFollow(topic, actor, groupContext) === 'ok' && mayReceive(delivery.audience, actor, groupContext);
    });
  });
}

describe('live channel policy', () => {
  it('tells the front door (anyone) that something it lists changed, naming nothing, and only for public groups', () => {
    const frontDoor = (type: string, ids: EventNotice['ids'], visibility: Visibility) =>
      deliveriesFor(event(type, ids), facts('internal', visibility)).filter((delivery) => delivery.topic === 'public');
    const listed = [
      'group.created',
      'definition.created',
      'definition.renamed',
      'definition.status_changed',
      'definition.deadline_changed',
      'version.published',
    ];
    for (const type of listed) {
      const ids = AUDIT_TYPES[type]!.ids;
      expect(frontDoor(type, ids, 'public'), type).toEqual([{ topic: 'public', event: { kind: 'public.changed' }, audience: { kind: 'everyone' } }]);
      expect(frontDoor(type, ids, 'private'), type).toEqual([]);
    }
    // A group's settings: a group just made private must leave the front door, so the hint goes out either way — without its id.
    for (const visibility of ['private', 'public'] as const) expect(frontDoor('group.updated', {}, visibility)).toHaveLength(1);
    // Nothing about threads, ballots, amendments or members reaches it.
    for (const type of Object.keys(AUDIT_TYPES).filter((type) => !listed.includes(type) && type !== 'group.updated')) {
      expect(frontDoor(type, AUDIT_TYPES[type]!.ids, 'public'), type).toEqual([]);
    }
    for (const who of WHO) expect(mayFollow({ kind: 'public' }, reader(who, 'private').actor, null)).toBe('ok');
    expect(mayReceive({ kind: 'everyone' }, null, null)).toBe(true);
  });

  it('parses topics strictly', () => {
    expect(parseTopic('me')).toEqual({ kind: 'me' });
    expect(parseTopic('public')).toEqual({ kind: 'public' });
    expect(parseTopic(`group:${GROUP}`)).toEqual({ kind: 'group', groupId: GROUP });
    expect(parseTopic(`definition:${DEFINITION}`)).toEqual({ kind: 'definition', definitionId: DEFINITION });
    for (const bad of [`definition:${'-'.repeat(36)}`, `user:${GROUP}`, 'group:', `group:${GROUP}:x`, `group:ABCDEF01-2345-4678-8abc-def012345678`])
      expect(parseTopic(bad)).toBeNull();
  });

  it('lets a topic be followed as the matching HTTP read answers', () => {
    for (const visibility of ['private', 'public'] as const) {
      for (const who of WHO) {
        const { actor, context } = reader(who, visibility);
        const reads = visibility === 'public' || MEMBERS.includes(who) ? 'ok' : 'not_found';
        expect(mayFollow({ kind: 'group', groupId: GROUP }, actor, context), `${who} ${visibility}`).toBe(reads);
        expect(mayFollow({ kind: 'definition', definitionId: DEFINITION }, actor, context), `${who} ${visibility}`).toBe(reads);
        expect(mayFollow({ kind: 'me' }, actor, null)).toBe(who === 'anonymous' ? 'unauthenticated' : 'ok');
      }
      // A group or definition that does not exist.
      expect(mayFollow({ kind: 'group', groupId: GROUP }, { userId: USER }, null)).toBe('not_found');
    }
  });

  for (const [type, { ids, hears }] of Object.entries(AUDIT_TYPES)) {
    it(`tells of ${type} whom the HTTP reads would show it`, () => {
      for (const visibility of ['private', 'public'] as const) {
        expect(hearers(event(type, ids), visibility, 'internal'), visibility).toEqual(hears(visibility));
      }
    });
  }

  it('tells of a public thread everyone who reads the group, and of an internal one its members only', () => {
    for (const type of ['thread.created', 'comment.added', 'comment.edited', 'comment.reacted', 'thread.published']) {
      const notice = event(type, AUDIT_TYPES[type]!.ids);
      expect(hearers(notice, 'public', 'public')).toEqual(WHO);
      expect(hearers(notice, 'private', 'public')).toEqual(MEMBERS);
      expect(hearers(notice, 'public', 'internal')).toEqual(MEMBERS);
    }
    // A thread no longer found is told to nobody.
    expect(deliveriesFor(event('comment.added', { threadId: ID }), facts('public'))).toEqual([]);
  });

  it('says of a ballot, secret or not, which one and how many voted: nothing else', () => {
    for (const notice of [event('ballot.voted', { ballotId: BALLOT }), { source: 'vote', ballotId: BALLOT } as const]) {
      expect(deliveriesFor(notice, facts('internal'))).toEqual([
        {
          topic: `definition:${DEFINITION}`,
          event: { kind: 'ballot.changed', groupId: GROUP, definitionId: DEFINITION, ballotId: BALLOT, turnout: 3 },
          audience: { kind: 'ballots' },
        },
      ]);
    }
  });

  it('tells the reviewed system’s developer of their review on their own topic; the public hears of a register, never of a review in progress', () => {
    const developer = { userId: DEVELOPER };
    for (const type of ['review.opened', 'review.submitted', 'review.commented', 'review.closed']) {
      const toDeveloper = deliveriesFor(event(type, AUDIT_TYPES[type]!.ids), facts('internal')).filter((delivery) => delivery.topic === 'me');
      // Which review, nothing else: not its group, definition or what changed.
      expect(toDeveloper, type).toEqual([
        { topic: 'me', event: { kind: 'conformance.changed', reviewId: REVIEW }, audience: { kind: 'user', userId: DEVELOPER } },
      ]);
      expect(mayReceive(toDeveloper[0]!.audience, developer, null)).toBe(true);
      expect(mayReceive(toDeveloper[0]!.audience, { userId: OTHER }, null)).toBe(false);
    }
    // Without a developer account, or for a review no longer found, nobody is told on `me` / at all.
    const noDeveloper: Facts = { ...facts('internal'), reviews: new Map([[REVIEW, { definitionId: DEFINITION, developerId: null }]]) };
    expect(deliveriesFor(event('review.commented', { reviewId: REVIEW }), noDeveloper).map((delivery) => delivery.topic)).toEqual([`definition:${DEFINITION}`]);
    expect(deliveriesFor(event('review.commented', { reviewId: ID }), facts('internal'))).toEqual([]);
    // What an outsider of a public group may receive: register hints only, and only once a review is closed.
    const outsider = reader('outsider', 'public');
    const outsiderHears = (type: string) =>
      deliveriesFor(event(type, AUDIT_TYPES[type]!.ids), facts('internal', 'public'))
        .filter((delivery) => delivery.topic !== 'me' && mayReceive(delivery.audience, outsider.actor, outsider.context))
        .map((delivery) => delivery.event);
    expect(outsiderHears('review.submitted')).toEqual([]);
    expect(outsiderHears('review.closed')).toEqual([{ kind: 'register.changed', groupId: GROUP, definitionId: DEFINITION }]);
    expect(outsiderHears('endorsement.withdrawn')).toEqual([{ kind: 'register.changed', groupId: GROUP, definitionId: DEFINITION }]);
  });

  it('tells the readers of a public comment that its disposition changed, and only the members of an objection’s', () => {
    for (const type of ['disposition.raised', 'disposition.decided', 'disposition.responded']) {
      const aboutComment = event(type, { definitionId: DEFINITION, dispositionId: ID, threadId: THREAD });
      expect(hearers(aboutComment, 'public', 'public'), type).toEqual(WHO);
      expect(hearers(aboutComment, 'private', 'public'), type).toEqual(MEMBERS);
      expect(hearers(event(type, { definitionId: DEFINITION, dispositionId: ID }), 'public', 'public'), type).toEqual(MEMBERS);
      expect(deliveriesFor(aboutComment, facts('public', 'public'))).toEqual([
        {
          topic: `definition:${DEFINITION}`,
          event: { kind: 'dispositions.changed', groupId: GROUP, definitionId: DEFINITION },
          audience: { kind: 'thread', audience: 'public' },
        },
      ]);
      // A thread no longer found: nobody is told rather than everybody.
      expect(deliveriesFor(event(type, { definitionId: DEFINITION, dispositionId: ID, threadId: ID }), facts('public', 'public'))).toEqual([]);
    }
  });

  it('tells a person of their inbox and invitations on their own topic only', () => {
    expect(deliveriesFor({ source: 'inbox', userId: USER }, facts('internal'))).toEqual([
      { topic: 'me', event: { kind: 'inbox.changed', unread: 2 }, audience: { kind: 'user', userId: USER } },
    ]);
    for (const source of ['inbox', 'invitations'] as const) {
      for (const visibility of ['private', 'public'] as const) expect(hearers({ source, userId: USER }, visibility, 'internal')).toEqual(['chair']);
    }
    expect(mayReceive({ kind: 'user', userId: USER }, null, null)).toBe(false);
  });

  it('knows which notices change who may read what', () => {
    expect(accessChangeOf(event('member.removed', { userId: USER }))).toEqual({ kind: 'membership', groupId: GROUP, userId: USER });
    expect(accessChangeOf(event('member.role_changed', { userId: USER }))).toEqual({ kind: 'membership', groupId: GROUP, userId: USER });
    expect(accessChangeOf(event('group.updated'))).toEqual({ kind: 'group', groupId: GROUP });
    expect(accessChangeOf({ ...event('account.signed_out', { userId: USER }), groupId: null, chain: 'accounts' })).toEqual({ kind: 'sessions', userId: USER });
    expect(accessChangeOf(event('member.invited', { invitationId: ID }))).toBeNull();
    expect(accessChangeOf({ source: 'inbox', userId: USER })).toBeNull();
  });

  it('reads notifications defensively: ids must be uuids, the rest must fit', () => {
    const payload = {
      source: 'event',
      chain: `group:${GROUP}`,
      seq: 3,
      type: 'comment.added',
      groupId: GROUP,
      actorId: null,
      ids: { threadId: THREAD, commentId: 'x' },
    };
    expect(parseNotice(JSON.stringify(payload))).toEqual({ ...payload, ids: { threadId: THREAD } });
    for (const bad of [
      '',
      'nope',
      '{}',
      JSON.stringify({ ...payload, groupId: 'x' }),
      JSON.stringify({ source: 'vote', ballotId: 'x' }),
      JSON.stringify({ source: 'other' }),
    ]) {
      expect(parseNotice(bad), bad).toBeNull();
    }
    expect(parseNotice(JSON.stringify({ source: 'inbox', userId: USER }))).toEqual({ source: 'inbox', userId: USER });
  });

  it('has a rule for every kind of audit event the server records', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const recorded = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'live') walk(path);
        } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          for (const line of readFileSync(path, 'utf8').split('\n')) {
            if (!/\btype:/.test(line)) continue;
            for (const [, type] of line.matchAll(/'([a-z]+\.[a-z_]+)'/g)) recorded.add(type!);
          }
        }
      }
    };
    walk(root);
    // In-process bus events, not audit events.
    recorded.delete('membership.changed');
    recorded.delete('session.ended');
    const unknown = [...recorded].filter((type) => !(type in AUDIT_TYPES) && !NOT_TOLD.has(type));
    expect(unknown, 'a new audit event type: map it in live/policy.ts (deliveriesFor) and list it here').toEqual([]);
    for (const type of Object.keys(AUDIT_TYPES)) expect(deliveriesFor(event(type, AUDIT_TYPES[type]!.ids), facts('internal')).length, type).toBeGreaterThan(0);
  });
});
