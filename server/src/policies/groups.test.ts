import { describe, expect, it } from 'vitest';
import type { Role, Visibility } from '@draftroom/shared';
import type { Actor } from './actor.ts';
import { allowedGroupActions, authorizeInGroup, canCreateGroup, canInGroup, type GroupAction } from './groups.ts';

type Who = Role | 'outsider' | 'anonymous';
const WHO: Who[] = ['chair', 'editor', 'member', 'observer', 'outsider', 'anonymous'];
const ACTIONS: GroupAction[] = ['group.read', 'group.update', 'members.read', 'members.manage', 'events.read', 'group.leave'];

/** The expected answer for every action, for each kind of actor; Y = allowed. */
const TABLE: Record<Visibility, Record<GroupAction, Record<Who, boolean>>> = {
  private: {
    'group.read': { chair: true, editor: true, member: true, observer: true, outsider: false, anonymous: false },
    'group.update': { chair: true, editor: false, member: false, observer: false, outsider: false, anonymous: false },
    'members.read': { chair: true, editor: true, member: true, observer: true, outsider: false, anonymous: false },
    'members.manage': { chair: true, editor: false, member: false, observer: false, outsider: false, anonymous: false },
    'events.read': { chair: true, editor: true, member: true, observer: true, outsider: false, anonymous: false },
    'group.leave': { chair: true, editor: true, member: true, observer: true, outsider: false, anonymous: false },
  },
  public: {
    'group.read': { chair: true, editor: true, member: true, observer: true, outsider: true, anonymous: true },
    'group.update': { chair: true, editor: false, member: false, observer: false, outsider: false, anonymous: false },
    'members.read': { chair: true, editor: true, member: true, observer: true, outsider: false, anonymous: false },
    'members.manage': { chair: true, editor: false, member: false, observer: false, outsider: false, anonymous: false },
    'events.read': { chair: true, editor: true, member: true, observer: true, outsider: false, anonymous: false },
    'group.leave': { chair: true, editor: true, member: true, observer: true, outsider: false, anonymous: false },
  },
};

function actorFor(who: Who): { actor: Actor; role: Role | null } {
  if (who === 'anonymous') return { actor: null, role: null };
  return { actor: { userId: 'u1' }, role: who === 'outsider' ? null : who };
}

describe('group policy', () => {
  for (const visibility of ['private', 'public'] as const) {
    for (const action of ACTIONS) {
      for (const who of WHO) {
        const expected = TABLE[visibility][action][who];
        it(`${visibility} group: ${who} ${expected ? 'may' : 'may not'} ${action}`, () => {
          const { actor, role } = actorFor(who);
          expect(canInGroup(actor, action, { visibility, role })).toBe(expected);
        });
      }
    }
  }

  it('advertises exactly the allowed actions', () => {
    expect(allowedGroupActions({ userId: 'u' }, { visibility: 'private', role: 'chair' }).sort()).toEqual(
      ['definition.create', 'events.read', 'group.leave', 'group.update', 'members.manage', 'members.read'].sort(),
    );
    expect(allowedGroupActions({ userId: 'u' }, { visibility: 'public', role: 'observer' }).sort()).toEqual(
      ['events.read', 'group.leave', 'members.read'].sort(),
    );
    expect(allowedGroupActions({ userId: 'u' }, { visibility: 'public', role: 'editor' })).toContain('definition.create');
    expect(allowedGroupActions(null, { visibility: 'public', role: null })).toEqual([]);
  });

  it('only signed-in users create groups', () => {
    expect(canCreateGroup({ userId: 'u' })).toBe(true);
    expect(canCreateGroup(null)).toBe(false);
  });

  it.each([
    ['an outsider of a private group', { userId: 'u' }, 'private', null, 'members.read', 404],
    ['anonymous on a private group', null, 'private', null, 'group.read', 404],
    ['anonymous on a public group', null, 'public', null, 'members.read', 401],
    ['an outsider of a public group', { userId: 'u' }, 'public', null, 'events.read', 403],
    ['an editor managing members', { userId: 'u' }, 'private', 'editor', 'members.manage', 403],
  ] as const)('refuses %s with status %i, hiding private groups', (_label, actor, visibility, role, action, status) => {
    expect(() => authorizeInGroup(actor, action, { visibility, role })).toThrowError(expect.objectContaining({ statusCode: status }));
  });
});
