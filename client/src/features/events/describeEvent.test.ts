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
