import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './common.ts';

/** The kinds the activity log filters by, each the event-type prefixes it covers. */
export const EVENT_KIND_PREFIXES = {
  threads: ['thread.', 'comment.'],
  amendments: ['amendment.'],
  ballots: ['ballot.'],
  versions: ['version.', 'definition.restored', 'definition.imported', 'clause.restored'],
  definitions: ['definition.created', 'definition.renamed', 'definition.status_changed', 'definition.deadline_changed', 'language.', 'glossary.'],
  membership: ['member.', 'invitation.'],
  group: ['group.'],
  conformance: ['system.', 'checklist.', 'review.', 'endorsement.'],
  dispositions: ['disposition.'],
} as const;
export type EventKind = keyof typeof EVENT_KIND_PREFIXES;
export const EVENT_KINDS = Object.keys(EVENT_KIND_PREFIXES) as EventKind[];

/** The filter kind an event type is listed under (a prefix ends in a dot, or is a whole type); null: none. */
export function eventKindOf(type: string): EventKind | null {
  for (const kind of EVENT_KINDS) {
    if (EVENT_KIND_PREFIXES[kind].some((prefix: string) => (prefix.endsWith('.') ? type.startsWith(prefix) : type === prefix))) return kind;
  }
  return null;
}

export const AuditEvent = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  actor: Type.Union([Type.Object({ id: Type.String(), displayName: Type.String() }), Type.Null()]),
  payload: Type.Unknown(),
  occurredAt: Timestamp,
  hash: Type.String(),
  prevHash: Type.String(),
});
export type AuditEvent = Static<typeof AuditEvent>;

// Built in a function called /* @__PURE__ */: the client's bundle, which never uses it, drops it whole
// (a spread or a .map() at module level would keep it, and TypeBox with it).
export const EventQuery = /* @__PURE__ */ eventQuery();
function eventQuery() {
  return Type.Object(
    {
      before: Type.Optional(Type.Integer({ minimum: 1 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
      kind: Type.Optional(Type.Union(EVENT_KINDS.map((kind) => Type.Literal(kind)))),
      person: Type.Optional({ ...Uuid, description: 'Only events this person did' }),
    },
    { additionalProperties: false },
  );
}
export type EventQuery = Static<typeof EventQuery>;

export const EventPage = Type.Object({
  events: Type.Array(AuditEvent),
  nextBefore: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as ?before= for the next (older) page' }),
  /** What the page's events name by id, by title: so the log reads in words and links to them. */
  subjects: Type.Object({
    definitions: Type.Record(Type.String(), Type.Object({ title: Type.String() })),
    ballots: Type.Record(Type.String(), Type.Object({ title: Type.String(), definitionId: Type.String() })),
  }),
});
export type EventPage = Static<typeof EventPage>;

export const ChainVerification = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  firstBadSeq: Type.Union([Type.Integer(), Type.Null()]),
  problem: Type.Union([Type.Literal('tampered'), Type.Literal('missing'), Type.Null()]),
  headHash: Type.Union([Type.String(), Type.Null()]),
});
export type ChainVerification = Static<typeof ChainVerification>;

/** Where an export's audit head stands in the log now: the event it names, and the chain's head. */
export const AuditCheckParams = Type.Object({ id: Uuid, seq: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export const AuditCheck = Type.Object({
  chain: Type.String(),
  seq: Type.Integer(),
  /** The hash the log's event at `seq` has now; null when the log has no such event. */
  hash: Type.Union([Type.String(), Type.Null()]),
  /** The chain's newest event. */
  head: Type.Object({ seq: Type.Integer(), hash: Type.Union([Type.String(), Type.Null()]) }),
});
export type AuditCheck = Static<typeof AuditCheck>;
