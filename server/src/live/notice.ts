import { Type, type Static } from 'typebox';
import { compileStrictValidator } from '../http/validation.ts';

/**
 * What the database tells the live channel after a commit (the payloads of the `draftroom_live`
 * NOTIFY channel, written by the triggers of migration 20261128T1000_live): which change, and the ids
 * it names — never its content.
 */
export const NOTIFY_CHANNEL = 'draftroom_live';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const Uuid = Type.String({ maxLength: 36, pattern: UUID.source });

const ID_KEYS = [
  'definitionId',
  'threadId',
  'commentId',
  'clauseId',
  'amendmentId',
  'ballotId',
  'versionId',
  'userId',
  'invitationId',
  'reviewId',
  'checklistId',
  'systemId',
  'endorsementId',
  'dispositionId',
] as const;
export type EventIds = Partial<Record<(typeof ID_KEYS)[number], string>>;

const RawEventNotice = Type.Object({
  source: Type.Literal('event'),
  chain: Type.String({ maxLength: 100 }),
  seq: Type.Integer({ minimum: 1 }),
  type: Type.String({ maxLength: 100 }),
  groupId: Type.Union([Uuid, Type.Null()]),
  actorId: Type.Union([Uuid, Type.Null()]),
  ids: Type.Record(Type.String(), Type.String({ maxLength: 64 })),
});
const RawUserNotice = Type.Object({ source: Type.Union([Type.Literal('inbox'), Type.Literal('invitations')]), userId: Uuid });
const RawVoteNotice = Type.Object({ source: Type.Literal('vote'), ballotId: Uuid });
const RawTextNotice = Type.Object({ source: Type.Literal('text'), definitionId: Uuid });
const RawNotice = Type.Union([RawEventNotice, RawUserNotice, RawVoteNotice, RawTextNotice]);
type RawNotice = Static<typeof RawNotice>;

/** An audit event was recorded (a group's, or an account's when a session ended). */
export interface EventNotice {
  source: 'event';
  chain: string;
  seq: number;
  type: string;
  groupId: string | null;
  actorId: string | null;
  ids: EventIds;
}
/** Someone's notifications (inbox) or invitations changed. */
export interface UserNotice {
  source: 'inbox' | 'invitations';
  userId: string;
}
/** Someone voted on a secret ballot (which records no audit event per vote). */
export interface VoteNotice {
  source: 'vote';
  ballotId: string;
}
/** A definition's draft text changed (sent by the instance that committed it, throttled; see text-hints.ts). */
export interface TextNotice {
  source: 'text';
  definitionId: string;
}
export type LiveNotice = EventNotice | UserNotice | VoteNotice | TextNotice;

const isRawNotice = compileStrictValidator<RawNotice>(RawNotice);

/** The notice a payload describes, or null for one that does not fit (it is logged and dropped). Ids that are not uuids are left out. */
export function parseNotice(payload: string): LiveNotice | null {
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!isRawNotice(data)) return null;
  if (data.source !== 'event') return data;
  const ids: EventIds = {};
  for (const key of ID_KEYS) {
    const value = data.ids[key];
    if (value !== undefined && UUID.test(value)) ids[key] = value;
  }
  return { source: 'event', chain: data.chain, seq: data.seq, type: data.type, groupId: data.groupId, actorId: data.actorId, ids };
}
