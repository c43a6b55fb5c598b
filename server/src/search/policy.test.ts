import { describe, expect, it } from 'vitest';
import { searchAccess } from './policy.ts';
import { snippetParts } from './snippet.ts';

const MEMBERS = ['chair', 'editor', 'member', 'observer'];
const forVisibility = (visibility: string, roles: string[], audience?: string) => roles.map((role) => `${visibility}:${role}${audience ? `:${audience}` : ''}`);

describe('search access, from the policies', () => {
  it('anonymous: published versions and public threads of public groups, nothing else', () => {
    expect(searchAccess(null)).toEqual({
      clause: [],
      version: ['public:'],
      comment: ['public::public'],
      amendment: [],
      ballot: [],
    });
  });

  it('signed in: members read the drafts, amendments, ballots and internal threads of their groups; anyone the public part of public groups', () => {
    const access = searchAccess({ userId: 'u' });
    const membersEverywhere = [...forVisibility('public', MEMBERS), ...forVisibility('private', MEMBERS)];
    expect(access.clause).toEqual(membersEverywhere);
    expect(access.amendment).toEqual(membersEverywhere);
    expect(access.ballot).toEqual(membersEverywhere);
    expect(access.version).toEqual([...forVisibility('public', [...MEMBERS, '']), ...forVisibility('private', MEMBERS)]);
    expect(access.comment.sort()).toEqual(
      [
        ...forVisibility('public', MEMBERS, 'internal'),
        ...forVisibility('public', [...MEMBERS, ''], 'public'),
        ...forVisibility('private', MEMBERS, 'internal'),
        ...forVisibility('private', MEMBERS, 'public'),
      ].sort(),
    );
  });
});

describe('snippet parts', () => {
  it('turns ts_headline markers into marked parts of plain text', () => {
    expect(snippetParts('the \u0001training\u0002 \u0001data\u0002 is <b>required</b>')).toEqual([
      { text: 'the ', mark: false },
      { text: 'training', mark: true },
      { text: ' ', mark: false },
      { text: 'data', mark: true },
      { text: ' is <b>required</b>', mark: false },
    ]);
    expect(snippetParts('')).toEqual([]);
    expect(snippetParts('\u0001\u0002plain\u0002')).toEqual([{ text: 'plain', mark: false }]);
    expect(snippetParts('\u0001a\u0001b\u0002')).toEqual([{ text: 'ab', mark: true }]);
  });
});
