import { Type, type Static } from 'typebox';
import { Timestamp } from './common.ts';

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

export const EventQuery = Type.Object(
  {
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type EventQuery = Static<typeof EventQuery>;

export const EventPage = Type.Object({
  events: Type.Array(AuditEvent),
  nextBefore: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as ?before= for the next (older) page' }),
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
