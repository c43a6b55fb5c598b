import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '@draftroom/shared';
import { queryKeys } from '../api/queryKeys.ts';
import { liveEffect, topicTargets } from './staleQueries.ts';

const D = '5f0c8a52-4a4e-4d5b-9a52-0c2c7f1d2e3a';
const G = '0b7e3f1a-8c2d-4e5f-9a6b-7c8d9e0f1a2b';
const ME = '11111111-2222-4333-8444-555555555555';
const OTHER = '66666666-7777-4888-9999-000000000000';

const keysOf = (topic: string, event: LiveEvent) =>
  liveEffect(topic, event, ME).stale.flatMap((target) => ('key' in target ? [JSON.stringify(target.key)] : []));

describe('which cached reads a pushed event makes stale', () => {
  it('a thread change: the definition’s thread lists, moderation log and public counts — not its ballots or text', () => {
    const keys = keysOf(`definition:${D}`, { kind: 'thread.changed', definitionId: D, threadId: 't' });
    expect(keys).toEqual(
      [queryKeys.threads(D), queryKeys.moderation(D), queryKeys.publicDefinition(D), queryKeys.provenances(D), queryKeys.dispositions(D)].map((key) =>
        JSON.stringify(key),
      ),
    );
  });

  it('takes the definition from the topic when the event does not name it', () => {
    expect(keysOf(`definition:${D}`, { kind: 'ballot.changed', ballotId: 'b' })).toEqual(
      [queryKeys.ballots(D), queryKeys.provenances(D)].map((key) => JSON.stringify(key)),
    );
  });

  it('an amendment decision: amendments, ballots offering it, the text and what is derived from it', () => {
    const keys = keysOf(`definition:${D}`, { kind: 'amendment.changed', definitionId: D });
    for (const key of [
      queryKeys.amendments(D),
      queryKeys.ballots(D),
      queryKeys.definitionDetail(D),
      queryKeys.histories(D),
      queryKeys.diffs(D),
      queryKeys.provenances(D),
    ]) {
      expect(keys).toContain(JSON.stringify(key));
    }
  });

  it('a text change: ballots (their text-changed flag), amendments and what derives from the text (the language marks too) — not threads', () => {
    const keys = keysOf(`definition:${D}`, { kind: 'text.changed', definitionId: D });
    expect(keys).toEqual(
      [
        queryKeys.ballots(D),
        queryKeys.amendments(D),
        queryKeys.histories(D),
        queryKeys.blames(D),
        queryKeys.diffs(D),
        queryKeys.provenances(D),
        queryKeys.language(D),
      ].map((key) => JSON.stringify(key)),
    );
  });

  it('a change to the definition (the language checks turned on or off, a glossary term added or removed): its detail, threads and language report', () => {
    const effect = liveEffect(`definition:${D}`, { kind: 'definition.changed', groupId: G, definitionId: D }, ME);
    expect(effect.stale).toContainEqual({ key: queryKeys.language(D) });
    expect(effect.stale).toContainEqual({ key: queryKeys.definitionDetail(D) });
    // Told without the definition's id, the topic names it.
    expect(keysOf(`definition:${D}`, { kind: 'definition.changed' })).toContain(JSON.stringify(queryKeys.language(D)));
    // Nothing else reads it again.
    expect(keysOf(`definition:${D}`, { kind: 'thread.changed', definitionId: D, threadId: 't' })).not.toContain(JSON.stringify(queryKeys.language(D)));
  });

  it('the front door: its overview, on a change and once subscribed', () => {
    expect(keysOf('public', { kind: 'public.changed' })).toEqual([JSON.stringify(queryKeys.publicOverview())]);
    expect(topicTargets('public')).toEqual([{ key: queryKeys.publicOverview() }]);
  });

  it('a published version: versions, history, comparisons and the public page', () => {
    const keys = keysOf(`definition:${D}`, { kind: 'version.published', definitionId: D, versionId: 'v' });
    expect(keys).toEqual(
      [queryKeys.versions(D), queryKeys.histories(D), queryKeys.publicDefinition(D), queryKeys.diffs(D), queryKeys.provenances(D)].map((key) =>
        JSON.stringify(key),
      ),
    );
  });

  it('group changes name the group by id, for the group’s parts (its queries are keyed by slug)', () => {
    const effect = liveEffect(`group:${G}`, { kind: 'membership.changed', groupId: G, userId: OTHER }, ME);
    expect(effect.stale).toEqual([{ groupId: G, sections: ['detail', 'members', 'invitations', 'events', 'verification'] }]);
    const definitionCreated = liveEffect(`group:${G}`, { kind: 'group.changed' }, ME);
    expect(definitionCreated.stale).toContainEqual({ key: queryKeys.groups() });
    expect(definitionCreated.stale).toContainEqual({ groupId: G, sections: ['detail', 'definitions', 'events', 'verification'] });
  });

  it('my own role changed: everything, since what I may do changed on every page', () => {
    expect(liveEffect(`group:${G}`, { kind: 'membership.changed', groupId: G, userId: ME }, ME).stale).toEqual([{ everything: true }]);
    expect(liveEffect('me', { kind: 'membership.changed', groupId: G }, ME).stale).toEqual([{ everything: true }]);
  });

  it('an inbox change patches the count it carries and reads the list again', () => {
    expect(liveEffect('me', { kind: 'inbox.changed', unread: 3 }, ME)).toEqual({ stale: [{ key: queryKeys.inboxList() }], patch: { inboxCount: 3 } });
    expect(liveEffect('me', { kind: 'inbox.changed' }, ME)).toEqual({ stale: [{ key: queryKeys.inboxList() }, { key: queryKeys.inboxCount() }] });
  });

  it('conformance work: the definition’s checklists and reviews, a review on its own page, the register of systems — and the developer’s review on `me`', () => {
    expect(keysOf(`definition:${D}`, { kind: 'conformance.changed', groupId: G, definitionId: D, reviewId: 'r' })).toEqual(
      [queryKeys.conformance(D), queryKeys.reviewById('r')].map((key) => JSON.stringify(key)),
    );
    expect(liveEffect(`group:${G}`, { kind: 'conformance.changed', groupId: G }, ME).stale).toEqual([
      { groupId: G, sections: ['systems', 'events', 'verification'] },
    ]);
    // The developer hears which review, nothing more: their review's page reads it again.
    expect(liveEffect('me', { kind: 'conformance.changed', reviewId: 'r' }, ME).stale).toEqual([{ key: queryKeys.reviewById('r') }]);
  });

  it('a register change: every register and endorsement list of the definition', () => {
    expect(keysOf(`definition:${D}`, { kind: 'register.changed', groupId: G, definitionId: D })).toEqual(
      [queryKeys.registers(D), queryKeys.endorsementLists(D)].map((key) => JSON.stringify(key)),
    );
    // The review's closing is what changed the register: its keys sit under these prefixes.
    expect(queryKeys.register(D, '1.0').slice(0, 3)).toEqual([...queryKeys.registers(D)]);
    expect(queryKeys.endorsements(D, '1.0').slice(0, 3)).toEqual([...queryKeys.endorsementLists(D)]);
  });

  it('a disposition register change: every list of the register (filtered or not, members’ or public) and the group’s log — nothing else of the definition', () => {
    const effect = liveEffect(`definition:${D}`, { kind: 'dispositions.changed', groupId: G, definitionId: D }, ME);
    expect(effect.stale).toEqual([{ key: queryKeys.dispositions(D) }, { groupId: G, sections: ['events', 'verification'] }]);
    // The filtered lists sit under that prefix.
    expect(queryKeys.dispositionRegister(D, { state: 'undisposed' }).slice(0, 3)).toEqual([...queryKeys.dispositions(D)]);
    expect(queryKeys.dispositionRegister(D, {}).slice(0, 3)).toEqual([...queryKeys.dispositions(D)]);
    // Told without the definition's id (the public reader's copy is the same event), the topic names it.
    expect(keysOf(`definition:${D}`, { kind: 'dispositions.changed' })).toEqual([JSON.stringify(queryKeys.dispositions(D))]);
  });

  it('an unknown kind (a newer server) reads the whole topic again', () => {
    const event = { kind: 'something.new' } as unknown as LiveEvent;
    expect(liveEffect(`definition:${D}`, event, ME).stale).toEqual([{ key: queryKeys.definition(D) }]);
  });

  it('what each topic shows, read again once subscribed or when access ends', () => {
    expect(topicTargets(`definition:${D}`)).toEqual([{ key: ['definition', D] }]);
    expect(topicTargets(`group:${G}`)).toEqual([{ groupId: G }]);
    expect(topicTargets('me')).toEqual([{ key: ['inbox'] }, { key: ['invitations'] }, { key: ['groups'] }]);
  });
});
