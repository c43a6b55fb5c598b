import type { QueryKey } from '@tanstack/react-query';
import type { LiveEvent } from '@draftroom/shared';
import { queryKeys } from '../api/queryKeys.ts';

/** The parts of a group's reads; its queries are keyed by slug, events name it by id. */
export type GroupSection = 'detail' | 'members' | 'invitations' | 'definitions' | 'events' | 'verification' | 'systems';

/** What a pushed event or a topic makes stale. */
export type StaleTarget =
  /** Every query under this key prefix. */
  | { key: QueryKey }
  /** These parts of the group with this id (all of them when `sections` is absent). */
  | { groupId: string; sections?: GroupSection[] }
  /** Everything in the cache (after a reconnect, or a change of my own role). */
  | { everything: true };

/** A change the cache takes in place instead of reading again. */
export type LivePatch = { inboxCount: number };

export interface LiveEffect {
  stale: StaleTarget[];
  patch?: LivePatch;
}

/** `definition:<id>` → id; null for other topics. */
function topicId(topic: string, prefix: 'definition' | 'group'): string | null {
  return topic.startsWith(`${prefix}:`) ? topic.slice(prefix.length + 1) : null;
}

/** What a topic's page shows: read again once subscribed (it may have missed a change) or when access ends. */
export function topicTargets(topic: string): StaleTarget[] {
  if (topic === 'me') return [{ key: queryKeys.inbox() }, { key: queryKeys.myInvitations() }, { key: queryKeys.groups() }];
  if (topic === 'public') return [{ key: queryKeys.publicOverview() }];
  const definitionId = topicId(topic, 'definition');
  if (definitionId) return [{ key: queryKeys.definition(definitionId) }];
  const groupId = topicId(topic, 'group');
  if (groupId) return [{ groupId }];
  return [];
}

/**
 * Which cached reads an event makes stale. Events are hints (kind and ids, never content): the page
 * reads the content again over HTTP, where the usual policies apply. An inbox change carries my unread
 * count, which is patched in place.
 */
export function liveEffect(topic: string, event: LiveEvent, myUserId: string | null): LiveEffect {
  const definitionId = event.definitionId ?? topicId(topic, 'definition');
  const groupId = event.groupId ?? topicId(topic, 'group');
  const stale: StaleTarget[] = [];
  const definition = (...keys: ((id: string) => QueryKey)[]) => {
    if (definitionId) for (const key of keys) stale.push({ key: key(definitionId) });
  };
  const group = (...sections: GroupSection[]) => {
    // Every change is also written to the group's audit log.
    if (groupId) stale.push({ groupId, sections: [...sections, 'events', 'verification'] });
  };

  switch (event.kind) {
    case 'thread.changed':
      // Public threads are counted on the public page; hide/unhide shows in the moderation log. A
      // clause's provenance lists its threads (as do amendments, ballots, the text and versions below).
      // An undisposed public comment's item follows its edits; a hidden one is withheld from the public register.
      definition(queryKeys.threads, queryKeys.moderation, queryKeys.publicDefinition, queryKeys.provenances, queryKeys.dispositions);
      group();
      break;
    case 'amendment.changed':
      // Ballots show each wording's status; an accepted one changes the text (and so its history).
      definition(
        queryKeys.amendments,
        queryKeys.ballots,
        queryKeys.definitionDetail,
        queryKeys.histories,
        queryKeys.blames,
        queryKeys.diffs,
        queryKeys.provenances,
      );
      group();
      break;
    case 'ballot.changed':
      definition(queryKeys.ballots, queryKeys.provenances);
      group();
      break;
    case 'text.changed':
      // Live edits already reach the editor itself; what is derived from the text is read again (the
      // requirement-language marks too: the editor draws only those that still match the text).
      definition(queryKeys.ballots, queryKeys.amendments, queryKeys.histories, queryKeys.blames, queryKeys.diffs, queryKeys.provenances, queryKeys.language);
      break;
    case 'version.published':
      definition(queryKeys.versions, queryKeys.histories, queryKeys.publicDefinition, queryKeys.diffs, queryKeys.provenances);
      group();
      break;
    case 'definition.changed':
      // The status decides where new threads may go (the public during a comment period). Turning the
      // requirement-language checks on or off and the glossary are told this way too.
      definition(queryKeys.definitionDetail, queryKeys.publicDefinition, queryKeys.threads, queryKeys.language);
      group('definitions');
      break;
    case 'group.changed':
      stale.push({ key: queryKeys.groups() });
      definition(queryKeys.definitionDetail, queryKeys.publicDefinition);
      group('detail', 'definitions');
      break;
    case 'membership.changed': {
      const aboutMe = event.userId === undefined ? topic === 'me' : event.userId === myUserId;
      // My own role moved: what I may do changed on every page (buttons, editing, voting).
      if (aboutMe) return { stale: [{ everything: true }] };
      group('detail', 'members', 'invitations');
      break;
    }
    case 'public.changed':
      stale.push({ key: queryKeys.publicOverview() });
      break;
    case 'inbox.changed':
      stale.push({ key: queryKeys.inboxList() });
      if (event.unread === undefined) {
        stale.push({ key: queryKeys.inboxCount() });
        break;
      }
      return { stale, patch: { inboxCount: event.unread } };
    case 'invitations.changed':
      stale.push({ key: queryKeys.myInvitations() });
      group('invitations');
      break;
    case 'conformance.changed':
      // Checklists, their reviews and each review of the definition; the register of systems; a review
      // on its own page (the developer hears of theirs on `me`, without the definition).
      definition(queryKeys.conformance);
      if (event.reviewId) stale.push({ key: queryKeys.reviewById(event.reviewId) });
      group('systems');
      break;
    case 'register.changed':
      definition(queryKeys.registers, queryKeys.endorsementLists);
      group();
      break;
    case 'dispositions.changed':
      // An item raised, disposed of or answered: the register (the members' tab, the public register and
      // the counts beside the public page and the publish form read it).
      definition(queryKeys.dispositions);
      group();
      break;
    default:
      // A kind this page does not know yet (a newer server): read everything of the topic again.
      return { stale: topicTargets(topic) };
  }
  return { stale };
}
