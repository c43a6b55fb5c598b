import { describe, expect, it } from 'vitest';
import type { Disposition } from '@draftroom/shared';
import { countsOf, excerpt, memberLinks, publicLinks } from './labels.ts';

const item = (over: Partial<Disposition> = {}): Disposition => ({
  id: 'x-1',
  number: 1,
  definitionId: 'd-1',
  source: 'public_comment',
  clause: { id: 'c-1', label: 'Clause 1' },
  threadId: 't-1',
  ballot: null,
  author: { id: 'u-1', displayName: 'Outsider' },
  body: 'Say more.',
  public: true,
  raisedAt: '2026-01-01T00:00:00.000Z',
  disposition: null,
  reason: null,
  amendmentId: null,
  versionLabel: null,
  decidedBy: null,
  decidedAt: null,
  response: null,
  allowedActions: [],
  ...over,
});

describe('the disposition register’s labels and links', () => {
  it('members go to the draft: the clause, the thread, the ballot, the amendment, the version', () => {
    const links = memberLinks('osi', 'd 1');
    expect(links.clause('c-1')).toBe('/groups/osi/definitions/d%201?clause=c-1');
    expect(links.thread(item())).toBe('/groups/osi/definitions/d%201?thread=t-1');
    expect(links.thread(item({ threadId: null }))).toBeNull();
    expect(links.ballot('b-1')).toBe('/groups/osi/definitions/d%201/decisions?ballot=b-1');
    expect(links.amendment('a-1')).toBe('/groups/osi/definitions/d%201/amendments?amendment=a-1');
    expect(links.version('1.0 rc')).toBe('/groups/osi/definitions/d%201/versions?version=1.0%20rc');
  });

  it('the public goes to the published page; the group’s ballots and amendments are not linked', () => {
    const links = publicLinks('osi', 'd-1');
    expect(links.clause('c-1')).toBe('/groups/osi/definitions/d-1/public#public-clause-c-1');
    expect(links.thread(item())).toBe('/groups/osi/definitions/d-1/public?clause=c-1&thread=t-1');
    // A thread's comments open under their clause: without one there is nowhere to open them.
    expect(links.thread(item({ clause: null }))).toBeNull();
    expect(links.ballot('b-1')).toBeNull();
    expect(links.amendment('a-1')).toBeNull();
    expect(links.version('0.9')).toBe('/groups/osi/definitions/d-1/public?version=0.9');
  });

  it('counts what is undisposed and who is not satisfied', () => {
    const at = '2026-01-02T00:00:00.000Z';
    expect(
      countsOf([
        item(),
        item({ disposition: 'rejected', response: { satisfied: false, note: null, at } }),
        item({ disposition: 'accepted', response: { satisfied: true, note: null, at } }),
        item({ disposition: 'deferred' }),
      ]),
    ).toEqual({ total: 4, undisposed: 1, notSatisfied: 1 });
    expect(countsOf([])).toEqual({ total: 0, undisposed: 0, notSatisfied: 0 });
  });

  it('shortens a clause to its first words, on one line', () => {
    expect(excerpt('Code\n  is required.')).toBe('Code is required.');
    expect(excerpt('word '.repeat(30), 20)).toBe('word word word word…');
  });
});
