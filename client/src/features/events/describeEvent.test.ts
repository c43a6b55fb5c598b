import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventKindOf, type AuditEvent } from '@draftroom/shared';
import { DESCRIBED_EVENT_TYPES, describeEvent, describeEventParts, type EventContext } from './describeEvent.ts';

const ada = { id: 'u-ada', displayName: 'Ada Lovelace' };
const names = new Map([['u-grace', 'Grace Hopper']]);
const nameOf = (id: string) => names.get(id);

function event(type: string, payload: unknown, actor: AuditEvent['actor'] = ada): AuditEvent {
  return { seq: 1, type, actor, payload, occurredAt: '2025-01-01T00:00:00.000Z', hash: 'h', prevHash: 'p' };
}

describe('describeEvent', () => {
  it('says who did what to whom', () => {
    expect(describeEvent(event('group.created', { slug: 'x' }), nameOf)).toBe('Ada Lovelace created the group');
    expect(describeEvent(event('member.added', { userId: 'u-grace', role: 'member' }), nameOf)).toBe('Ada Lovelace added Grace Hopper as Member');
    expect(describeEvent(event('member.role_changed', { userId: 'u-grace', from: 'member', to: 'editor' }), nameOf)).toBe(
      'Ada Lovelace changed the role of Grace Hopper from Member to Editor',
    );
    expect(describeEvent(event('member.removed', { userId: 'u-gone', role: 'observer' }), nameOf)).toBe('Ada Lovelace removed a former member (Observer)');
    expect(describeEvent(event('member.left', { userId: 'u-ada', role: 'chair' }), nameOf)).toBe('Ada Lovelace left the group');
  });

  it('tells invitations apart from direct adds, naming no address', () => {
    expect(describeEvent(event('member.invited', { invitationId: 'i', role: 'editor' }), nameOf)).toBe('Ada Lovelace invited someone as Editor');
    expect(describeEvent(event('member.added', { userId: 'u-grace', role: 'member', invitationId: 'i' }), nameOf)).toBe(
      'Grace Hopper joined as Member, invited by Ada Lovelace',
    );
    expect(describeEvent(event('invitation.revoked', { invitationId: 'i' }), nameOf)).toBe('Ada Lovelace revoked an invitation');
    expect(describeEvent(event('invitation.declined', { invitationId: 'i' }), nameOf)).toBe('Ada Lovelace declined an invitation');
  });

  it('lists the settings a chair changed', () => {
    expect(describeEvent(event('group.updated', { changes: { name: 'N', charter: 'C', visibility: 'public' } }), nameOf)).toBe(
      'Ada Lovelace changed the name, changed the charter and made the group public',
    );
  });

  it('copes with unknown types, odd payloads and no actor', () => {
    expect(describeEvent(event('example.unknown', null, null), nameOf)).toBe('Draftroom made a change');
    expect(describeEvent(event('member.added', { userId: 7, role: 'boss' }), nameOf)).toBe('Ada Lovelace added someone as an unknown role');
  });

  it('tells the life of a ballot, with a vote’s position only when the log has it', () => {
    expect(describeEvent(event('ballot.created', { ballotId: 'b' }), nameOf)).toBe('Ada Lovelace drafted a ballot');
    expect(describeEvent(event('ballot.opened', { ballotId: 'b', eligible: 3 }), nameOf)).toBe('Ada Lovelace opened a ballot for voting (3 eligible)');
    expect(describeEvent(event('ballot.voted', { ballotId: 'b', position: 'no_objection' }), nameOf)).toBe('Ada Lovelace voted No objection');
    expect(describeEvent(event('ballot.voted', { ballotId: 'b' }), nameOf)).toBe('Ada Lovelace voted');
    expect(describeEvent(event('ballot.closed', { ballotId: 'b', outcome: 'failed' }), nameOf)).toBe('Ada Lovelace closed a ballot: failed');
    expect(describeEvent(event('ballot.closed', { ballotId: 'b', outcome: 'passed' }, null), nameOf)).toBe('A ballot closed at its closing time: passed');
    expect(describeEvent(event('ballot.cancelled', { ballotId: 'b', reason: 'Opened by mistake.' }), nameOf)).toBe(
      'Ada Lovelace cancelled a ballot: Opened by mistake.',
    );
  });

  it('names ballots and definitions by their titles, linked, and never by an id', () => {
    const context: EventContext = {
      slug: 'osaid',
      subjects: {
        definitions: { 'd-1': { title: 'Open Source AI' } },
        ballots: { 'b-1': { title: 'Data information: keep the text or add the sufficiency test?', definitionId: 'd-1' } },
      },
    };
    const mina = { id: 'u-mina', displayName: 'Mina Member' };
    expect(describeEventParts(event('ballot.voted', { ballotId: 'b-1' }, mina), nameOf, context)).toEqual([
      'Mina Member voted on ',
      { text: 'Data information: keep the text or add the sufficiency test?', to: '/groups/osaid/definitions/d-1/decisions?ballot=b-1', emphasis: true },
    ]);
    expect(describeEvent(event('version.published', { definitionId: 'd-1', label: '0.9' }), nameOf, context)).toBe(
      'Ada Lovelace published version 0.9 of Open Source AI',
    );
    expect(describeEventParts(event('amendment.proposed', { definitionId: 'd-1', amendmentId: 'a-1' }), nameOf, context)).toContainEqual({
      text: 'Open Source AI',
      to: '/groups/osaid/definitions/d-1/amendments?amendment=a-1',
      emphasis: true,
    });
    // A ballot the page has no title for is "a ballot".
    expect(describeEvent(event('ballot.opened', { ballotId: 'b-gone' }), nameOf, context)).toBe('Ada Lovelace opened a ballot for voting');
  });

  it('tells the disposition of comments: items raised, disposed of and answered, linked to the item on the Dispositions tab', () => {
    const context: EventContext = {
      slug: 'osaid',
      subjects: { definitions: { 'd-1': { title: 'Open Source AI' } }, ballots: { 'b-1': { title: 'Adopt clause 1', definitionId: 'd-1' } } },
    };
    const item = { definitionId: 'd-1', dispositionId: 'x-1' };
    const tab = { text: 'Open Source AI', to: '/groups/osaid/definitions/d-1/dispositions?item=x-1', emphasis: true };

    const comment = event('disposition.raised', { ...item, number: 1, source: 'public_comment', clauseId: 'c-1', public: true, threadId: 't' });
    expect(describeEvent(comment, nameOf, context)).toBe('A public comment by Ada Lovelace entered the disposition register as D-1 in Open Source AI');
    expect(describeEventParts(comment, nameOf, context)).toContainEqual(tab);
    expect(describeEvent(event('disposition.raised', { ...item, number: 4, source: 'formal_objection', clauseId: null, public: false }), nameOf, context)).toBe(
      'Ada Lovelace raised a formal objection to the whole definition (D-4) in Open Source AI',
    );
    expect(describeEvent(event('disposition.raised', { ...item, number: 5, source: 'formal_objection', clauseId: 'c-1', public: false }), nameOf)).toBe(
      'Ada Lovelace raised a formal objection to a clause (D-5)',
    );
    // A closed ballot's objections enter together, with no one acting.
    const objections = event('disposition.raised', { definitionId: 'd-1', ballotId: 'b-1', source: 'ballot_objection', numbers: [2, 3], public: false }, null);
    expect(describeEvent(objections, nameOf, context)).toBe('Objections in Adopt clause 1 entered the disposition register as D-2 and D-3 in Open Source AI');
    expect(describeEventParts(objections, nameOf, context)).toContainEqual({
      text: 'Adopt clause 1',
      to: '/groups/osaid/definitions/d-1/decisions?ballot=b-1',
      emphasis: true,
    });

    const decided = event('disposition.decided', {
      ...item,
      number: 1,
      disposition: 'partly_accepted',
      reason: 'Data information,\nnot the data itself.',
      amendmentId: 'a-1',
      versionLabel: null,
    });
    expect(describeEvent(decided, nameOf, context)).toBe(
      'Ada Lovelace disposed of D-1 in Open Source AI: partly accepted, by an accepted amendment — Data information, not the data itself.',
    );
    expect(describeEventParts(decided, nameOf, context)).toContainEqual(tab);
    expect(
      describeEvent(
        event('disposition.decided', {
          ...item,
          number: 1,
          disposition: 'accepted',
          previous: 'deferred',
          reason: null,
          amendmentId: null,
          versionLabel: '1.0',
        }),
        nameOf,
      ),
    ).toBe('Ada Lovelace changed the disposition of D-1: accepted (was deferred), in version 1.0');
    // A long reason is quoted, not copied whole.
    const long = describeEvent(event('disposition.decided', { ...item, number: 2, disposition: 'rejected', reason: 'x'.repeat(500) }), nameOf);
    expect(long.length).toBeLessThan(220);
    expect(long.endsWith('…')).toBe(true);

    expect(describeEvent(event('disposition.responded', { ...item, number: 1, satisfied: false }), nameOf, context)).toBe(
      'Ada Lovelace is not satisfied with the disposition of D-1 in Open Source AI',
    );
    expect(describeEvent(event('disposition.responded', { ...item, number: 1, satisfied: true }), nameOf)).toBe(
      'Ada Lovelace is satisfied with the disposition of D-1',
    );

    // Set final over undisposed items: the acknowledgement is part of the sentence.
    expect(
      describeEvent(
        event('definition.status_changed', { definitionId: 'd-1', changes: { status: 'final' }, from: 'public-comment', undisposedAcknowledged: [2, 3] }),
        nameOf,
        context,
      ),
    ).toBe('Ada Lovelace moved Open Source AI to final, acknowledging 2 undisposed items (D-2 and D-3)');
    expect(describeEvent(event('definition.status_changed', { definitionId: 'd-1', changes: { status: 'final' } }), nameOf, context)).toBe(
      'Ada Lovelace moved Open Source AI to final',
    );
  });

  it('describes every event type the server records (a new type without a sentence fails here)', () => {
    const root = join(import.meta.dirname, '../../../../server/src');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const recorded = new Set<string>();
    for (const file of files) {
      const source = readFileSync(join(root, file), 'utf8');
      if (!/recordEvents?\(/.test(source)) continue;
      for (const line of source.split('\n')) {
        if (!/\btype: /.test(line) || line.includes('bus.publish')) continue;
        for (const match of line.matchAll(/'([a-z]+\.[a-z_]+)'/g)) recorded.add(match[1]!);
        // `amendment.${status}`: the statuses it is given.
        if (/`amendment\.\$\{status\}`/.test(line)) for (const status of ['accepted', 'rejected', 'withdrawn']) recorded.add(`amendment.${status}`);
      }
    }
    expect(recorded.size).toBeGreaterThan(30);
    const known = new Set<string>(DESCRIBED_EVENT_TYPES);
    expect([...recorded].filter((type) => !known.has(type))).toEqual([]);
    // And every type of a group's log is reachable through one of the log's filters (account events live in another chain).
    expect([...recorded].filter((type) => !type.startsWith('account.') && eventKindOf(type) === null)).toEqual([]);
    const uuid = '0b9d2f4e-8c1a-4d6b-9e3f-2a7c5b1d8e90';
    for (const type of recorded) {
      const payload = { userId: uuid, definitionId: uuid, ballotId: uuid, threadId: uuid, amendmentId: uuid, role: 'member', position: 'yes' };
      const text = describeEvent(event(type, payload), nameOf, { slug: 'g', subjects: { definitions: {}, ballots: {} } });
      expect(text, type).not.toContain(type);
      expect(text, type).not.toContain(uuid);
      expect(text, type).not.toContain('made a change');
    }
  });
});
