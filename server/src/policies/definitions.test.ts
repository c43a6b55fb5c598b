import { describe, expect, it } from 'vitest';
import type { Role } from '@draftroom/shared';
import { canOnDefinition, type DefinitionPolicyAction } from './definitions.ts';

type Who = Role | 'outsider' | 'anonymous';
const WHO: Who[] = ['chair', 'editor', 'member', 'observer', 'outsider', 'anonymous'];

/** Allowed actors per action; `definition.list` differs by visibility, everything else needs membership. */
const EXPECTED: Record<DefinitionPolicyAction, { private: Who[]; public: Who[] }> = {
  'definition.list': { private: ['chair', 'editor', 'member', 'observer'], public: WHO },
  'draft.read': { private: ['chair', 'editor', 'member', 'observer'], public: ['chair', 'editor', 'member', 'observer'] },
  'definition.create': { private: ['chair', 'editor'], public: ['chair', 'editor'] },
  'definition.rename': { private: ['chair', 'editor'], public: ['chair', 'editor'] },
  'definition.setStatus': { private: ['chair'], public: ['chair'] },
  'text.edit': { private: ['chair', 'editor'], public: ['chair', 'editor'] },
  'version.publish': { private: ['chair'], public: ['chair'] },
  'definition.reset': { private: ['chair'], public: ['chair'] },
  'amendment.propose': { private: ['chair', 'editor', 'member'], public: ['chair', 'editor', 'member'] },
  'amendment.decide': { private: ['chair', 'editor'], public: ['chair', 'editor'] },
  'ballot.manage': { private: ['chair'], public: ['chair'] },
  'version.read': { private: ['chair', 'editor', 'member', 'observer'], public: WHO },
};

describe('definition policy', () => {
  for (const [action, byVisibility] of Object.entries(EXPECTED) as [DefinitionPolicyAction, { private: Who[]; public: Who[] }][]) {
    for (const visibility of ['private', 'public'] as const) {
      it(`${action} in a ${visibility} group`, () => {
        const allowed = WHO.filter((who) => {
          const actor = who === 'anonymous' ? null : { userId: 'u' };
          const role = who === 'anonymous' || who === 'outsider' ? null : who;
          return canOnDefinition(actor, action, { visibility, role });
        });
        expect(allowed).toEqual(byVisibility[visibility]);
      });
    }
  }
});
