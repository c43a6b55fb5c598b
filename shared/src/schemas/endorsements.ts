import { Type, type Static } from 'typebox';
import { Person } from './ballots.ts';
import { Timestamp, Uuid } from './common.ts';

/**
 * Endorsements of one published version of a definition, by individuals and organisations. An
 * organisation's endorsement is verified by a confirmation mail to an address at the organisation's
 * own domain, or by a chair. A withdrawal is kept, with its date. An endorsement belongs to its
 * version for good: a later version must be endorsed again.
 */

export const EndorsementKind = Type.Union([Type.Literal('individual'), Type.Literal('organisation')]);
export type EndorsementKind = Static<typeof EndorsementKind>;

export const Verification = Type.Union([
  Type.Object({ method: Type.Literal('email_domain'), domain: Type.String(), at: Timestamp }),
  Type.Object({ method: Type.Literal('chair'), by: Person, note: Type.String(), at: Timestamp }),
]);
export type Verification = Static<typeof Verification>;

export const Endorsement = Type.Object({
  id: Uuid,
  definitionId: Uuid,
  version: Type.Object({ id: Uuid, label: Type.String() }),
  kind: EndorsementKind,
  /** The person's name as it should appear. */
  name: Type.String(),
  organisation: Type.String(),
  role: Type.String(),
  statement: Type.String(),
  link: Type.Union([Type.String(), Type.Null()]),
  endorsedBy: Person,
  createdAt: Timestamp,
  /** Organisations: how it was verified; null while not (yet) verified. */
  verification: Type.Union([Verification, Type.Null()]),
  /** A confirmation mail was sent to an address at this domain and not yet answered. */
  pendingDomain: Type.Union([Type.String(), Type.Null()]),
  withdrawn: Type.Union([Type.Object({ at: Timestamp, reason: Type.String() }), Type.Null()]),
  /** A later version was published since: this endorsement does not carry over to it. */
  laterVersion: Type.Union([Type.String(), Type.Null()]),
});
export type Endorsement = Static<typeof Endorsement>;

export const EndorsementCounts = Type.Object({
  individuals: Type.Integer(),
  organisations: Type.Integer(),
  verifiedOrganisations: Type.Integer(),
  withdrawn: Type.Integer(),
});
export type EndorsementCounts = Static<typeof EndorsementCounts>;

export const EndorsementList = Type.Object({
  version: Type.Object({ id: Uuid, label: Type.String() }),
  /** Current endorsements, organisations first (verified first), then individuals, oldest first. */
  endorsements: Type.Array(Endorsement),
  /** Withdrawn ones stay on the record, with their date. */
  withdrawn: Type.Array(Endorsement),
  counts: EndorsementCounts,
  /** Signed-in callers: their current endorsement of this version, if any. */
  mine: Type.Union([Endorsement, Type.Null()]),
  /** Endorsers of the previous version who have not endorsed this one (invited to). */
  notYetRenewed: Type.Integer(),
  /** What the caller may do: `verify` (vouch for organisations' endorsements; chairs). */
  allowed: Type.Array(Type.String()),
});
export type EndorsementList = Static<typeof EndorsementList>;

const HttpUrl = Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://[^\\s]+$' });

export const EndorseBody = Type.Object(
  {
    kind: EndorsementKind,
    name: Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' }),
    organisation: Type.Optional(Type.String({ maxLength: 200 })),
    role: Type.Optional(Type.String({ maxLength: 120 })),
    statement: Type.Optional(Type.String({ maxLength: 4000 })),
    /** Organisations: their website (the confirmation address must be at its domain). */
    link: Type.Optional(Type.Union([HttpUrl, Type.Null()])),
    /** Organisations: an address at the organisation's domain to confirm it (mail must be set up). */
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' })),
  },
  { additionalProperties: false },
);
export type EndorseBody = Static<typeof EndorseBody>;

export const WithdrawEndorsementBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export const VerifyEndorsementBody = Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }) }, { additionalProperties: false });
export const ConfirmEndorsementBody = Type.Object(
  { token: Type.String({ minLength: 20, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);
export const EndorsementParams = Type.Object({ id: Uuid });
