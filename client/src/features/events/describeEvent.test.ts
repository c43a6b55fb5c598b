import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@draftroom/shared';
import { describeEvent } from './describeEvent.ts';

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
    expect(describeEvent(event('example.unknown', null, null), nameOf)).toBe('Draftroom: example.unknown');
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
});
