import { Type, type Static } from 'typebox';
import { Person } from './ballots.ts';
import { Timestamp, Uuid } from './common.ts';
import { EndorsementCounts } from './endorsements.ts';
import { Visibility } from './groups.ts';

/**
 * Conformance reviews: a published version of a definition applied to real systems. A checklist
 * (components × freedoms, bound to one version) is filled in for one system by two or more reviewers
 * working blind; disagreements are resolved by the chair with a reason; the outcome follows from a
 * rule fixed when the review opens.
 */

/** OSAID 1.0's four freedoms, the default columns of a checklist. */
export const DEFAULT_FREEDOMS = ['Use', 'Study', 'Modify', 'Share'] as const;

export const VERDICTS = ['allows', 'restricts', 'not_available', 'unknown'] as const;
export const Verdict = Type.Union([Type.Literal('allows'), Type.Literal('restricts'), Type.Literal('not_available'), Type.Literal('unknown')]);
export type Verdict = Static<typeof Verdict>;
export const VERDICT_LABELS: Record<Verdict, string> = {
  allows: 'Allows',
  restricts: 'Restricts',
  not_available: 'Not available',
  unknown: 'Unknown',
};

export const Outcome = Type.Union([Type.Literal('conformant'), Type.Literal('conditional'), Type.Literal('not_conformant')]);
export type Outcome = Static<typeof Outcome>;
export const OUTCOME_LABELS: Record<Outcome, string> = {
  conformant: 'Conformant',
  conditional: 'Conformant if…',
  not_conformant: 'Not conformant',
};

const Label = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });
const ShortText = Type.String({ maxLength: 200 });
const HttpUrl = Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://[^\\s]+$' });
/** An SPDX licence id or expression as written ("Apache-2.0", "LicenseRef-Llama2", "MIT OR Apache-2.0"). */
const SpdxExpression = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9.+:() -]+$' });

export const Licence = Type.Object(
  {
    /** SPDX identifier or expression, when the licence has one; null for custom terms. */
    spdx: Type.Union([SpdxExpression, Type.Null()]),
    /** How people name it ("Llama 2 Community License"); may be left empty when it has an SPDX id. */
    name: Type.String({ maxLength: 200 }),
    url: Type.Optional(Type.Union([HttpUrl, Type.Null()])),
  },
  { additionalProperties: false },
);
export type Licence = Static<typeof Licence>;

export const SystemLink = Type.Object({ label: Type.String({ minLength: 1, maxLength: 120 }), url: HttpUrl }, { additionalProperties: false });
export type SystemLink = Static<typeof SystemLink>;

export const ConformanceSystem = Type.Object({
  id: Uuid,
  groupId: Uuid,
  name: Type.String(),
  version: Type.String(),
  developer: Type.String(),
  links: Type.Array(SystemLink),
  licences: Type.Array(Licence),
  /** The developer's own account, who may respond to reviews of this system. */
  developerAccount: Type.Union([Person, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ConformanceSystem = Static<typeof ConformanceSystem>;

export const SystemList = Type.Object({
  systems: Type.Array(ConformanceSystem),
  /** What the caller may do with the register: `manage` (add, edit and remove systems). */
  allowed: Type.Array(Type.String()),
});
export type SystemList = Static<typeof SystemList>;

/** E-mail of an existing account that speaks for the developer; null clears it. */
const DeveloperEmail = Type.Union([Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' }), Type.Null()]);
const SystemLinks = Type.Array(SystemLink, { maxItems: 20 });
const SystemLicences = Type.Array(Licence, { maxItems: 20 });
// Each field a constant of its own (no object of fields): the client's bundler drops schemas only
// when building them reads nothing but other constants.
export const CreateSystemBody = Type.Object(
  {
    name: Label,
    version: Type.Optional(ShortText),
    developer: Type.Optional(ShortText),
    links: Type.Optional(SystemLinks),
    licences: Type.Optional(SystemLicences),
    developerEmail: Type.Optional(DeveloperEmail),
  },
  { additionalProperties: false },
);
export type CreateSystemBody = Static<typeof CreateSystemBody>;
export const UpdateSystemBody = Type.Partial(
  Type.Object({ name: Label, version: ShortText, developer: ShortText, links: SystemLinks, licences: SystemLicences, developerEmail: DeveloperEmail }),
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSystemBody = Static<typeof UpdateSystemBody>;

/** A quotation of a clause of the checklist's version that a row's criteria rest on. */
export const Criterion = Type.Object({ clauseId: Uuid, quote: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });
export type Criterion = Static<typeof Criterion>;

export const ChecklistRow = Type.Object({
  /** Stable within the checklist: "r1", "r2", … */
  id: Type.String(),
  component: Type.String(),
  category: Type.String(),
  /** Per freedom (the checklist's columns): whether this component is required for it (a cell to review). */
  required: Type.Array(Type.Boolean()),
  criteria: Type.Array(Criterion),
});
export type ChecklistRow = Static<typeof ChecklistRow>;

export const ChecklistSource = Type.Union([
  Type.Object({ kind: Type.Literal('ballot'), ballotId: Uuid, ballotTitle: Type.String() }),
  Type.Object({ kind: Type.Literal('chair') }),
]);
export type ChecklistSource = Static<typeof ChecklistSource>;

export const Checklist = Type.Object({
  id: Uuid,
  definitionId: Uuid,
  version: Type.Object({ id: Uuid, label: Type.String() }),
  title: Type.String(),
  freedoms: Type.Array(Type.String()),
  rows: Type.Array(ChecklistRow),
  source: ChecklistSource,
  createdAt: Timestamp,
  createdBy: Person,
});
export type Checklist = Static<typeof Checklist>;
export const ChecklistList = Type.Object({
  checklists: Type.Array(Checklist),
  /** What the caller may do: `create` (make a published version's checklist), `open` (open reviews and import spreadsheets against one). */
  allowed: Type.Array(Type.String()),
});
export type ChecklistList = Static<typeof ChecklistList>;

export const ChecklistRowInput = Type.Object(
  {
    component: Label,
    category: Type.Optional(Type.String({ maxLength: 120 })),
    /** Per freedom; all true when left out. */
    required: Type.Optional(Type.Array(Type.Boolean(), { minItems: 1, maxItems: 12 })),
    criteria: Type.Optional(Type.Array(Criterion, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type ChecklistRowInput = Static<typeof ChecklistRowInput>;

export const CreateChecklistBody = Type.Object(
  {
    /** The published version the checklist applies. */
    versionLabel: Type.String({ minLength: 1, maxLength: 64 }),
    title: Type.Optional(Label),
    /** Columns; OSAID's four freedoms when left out (a ballot's columns when taken from a ballot). */
    freedoms: Type.Optional(Type.Array(Label, { minItems: 1, maxItems: 12, uniqueItems: true })),
    /** Rows from a closed component-matrix ballot (its Required cells), or entered here. */
    fromBallot: Type.Optional(Uuid),
    rows: Type.Optional(Type.Array(ChecklistRowInput, { minItems: 1, maxItems: 60 })),
  },
  { additionalProperties: false },
);
export type CreateChecklistBody = Static<typeof CreateChecklistBody>;

export const ChecklistParams = Type.Object({ id: Uuid });

/** The rule that turns final cells into an outcome; frozen when the review opens. */
export const ConformanceRule = Type.Object(
  {
    /**
     * Verdicts a change of licence or publication can cure: a review whose only non-Allows cells carry
     * these is "Conformant if…" with the conditions recorded; any other non-Allows cell makes it Not
     * conformant. Empty: only Conformant or Not conformant.
     */
    curable: Type.Array(Type.Union([Type.Literal('restricts'), Type.Literal('not_available'), Type.Literal('unknown')]), { uniqueItems: true, maxItems: 3 }),
  },
  { additionalProperties: false },
);
export type ConformanceRule = Static<typeof ConformanceRule>;
export const DEFAULT_CONFORMANCE_RULE: ConformanceRule = { curable: ['restricts'] };

export const Evidence = Type.Object(
  {
    kind: Type.Union([Type.Literal('url'), Type.Literal('licence'), Type.Literal('document'), Type.Literal('quote')]),
    /** A link to it; required for url and document, optional otherwise. */
    url: Type.Optional(Type.Union([HttpUrl, Type.Null()])),
    /** The licence (SPDX id or name), the document's title, or the quoted words. */
    text: Type.String({ maxLength: 4000 }),
  },
  { additionalProperties: false },
);
export type Evidence = Static<typeof Evidence>;

/** One reviewer's marks for one component: evidence, a verdict per freedom (null: not marked yet or not required). */
export const SheetRow = Type.Object(
  {
    rowId: Type.String({ minLength: 1, maxLength: 8, pattern: '^r[0-9]{1,4}$' }),
    evidence: Type.Array(Evidence, { maxItems: 20 }),
    verdicts: Type.Array(Type.Union([Verdict, Type.Null()]), { maxItems: 12 }),
    note: Type.String({ maxLength: 4000 }),
  },
  { additionalProperties: false },
);
export type SheetRow = Static<typeof SheetRow>;

export const SaveSheetBody = Type.Object({ rows: Type.Array(SheetRow, { maxItems: 60 }) }, { additionalProperties: false });
export type SaveSheetBody = Static<typeof SaveSheetBody>;

export const ReviewStatus = Type.Union([Type.Literal('marking'), Type.Literal('reconciling'), Type.Literal('closed')]);
export type ReviewStatus = Static<typeof ReviewStatus>;

export const Reviewer = Type.Object({
  person: Person,
  submittedAt: Type.Union([Timestamp, Type.Null()]),
  /** Their marks: shown to them always, to others only once every reviewer has submitted. */
  sheet: Type.Union([Type.Array(SheetRow), Type.Null()]),
});
export type Reviewer = Static<typeof Reviewer>;

/** A cell the reviewers marked differently, and how the chair settled it. */
export const Disagreement = Type.Object({
  rowId: Type.String(),
  freedom: Type.Integer(),
  verdicts: Type.Array(Type.Object({ reviewer: Person, verdict: Type.Union([Verdict, Type.Null()]) })),
  resolution: Type.Union([
    Type.Object({ verdict: Verdict, reason: Type.String(), condition: Type.Union([Type.String(), Type.Null()]), by: Person, at: Timestamp }),
    Type.Null(),
  ]),
});
export type Disagreement = Static<typeof Disagreement>;

export const FinalCell = Type.Object({
  rowId: Type.String(),
  freedom: Type.Integer(),
  verdict: Verdict,
  /** How it was settled: every reviewer agreed, the chair resolved a disagreement, or it came from an imported spreadsheet. */
  settledBy: Type.Union([Type.Literal('agreement'), Type.Literal('chair'), Type.Literal('import')]),
  /** What would cure it (a "Conformant if…" condition); null for Allows cells. */
  condition: Type.Union([Type.String(), Type.Null()]),
});
export type FinalCell = Static<typeof FinalCell>;

/** Where an imported review came from: a spreadsheet review made elsewhere, brought in by a chair. */
export const ImportedFrom = Type.Object({
  /** The reviewers the spreadsheet names (they may have no account here). */
  reviewers: Type.Array(Type.String()),
  by: Person,
  at: Timestamp,
  file: Type.Union([Type.String(), Type.Null()]),
  /** When the spreadsheet says the review was done. */
  reviewedOn: Type.Union([Type.String(), Type.Null()]),
});
export type ImportedFrom = Static<typeof ImportedFrom>;

export const ReviewComment = Type.Object({
  id: Uuid,
  rowId: Type.String(),
  freedom: Type.Union([Type.Integer(), Type.Null()]),
  author: Person,
  /** The system's developer speaking in their response period. */
  asDeveloper: Type.Boolean(),
  body: Type.String(),
  createdAt: Timestamp,
});
export type ReviewComment = Static<typeof ReviewComment>;

export const Review = Type.Object({
  id: Uuid,
  checklistId: Uuid,
  /** The checklist's grid, so whoever may read the review (the developer too) can draw it. */
  checklist: Type.Object({ title: Type.String(), freedoms: Type.Array(Type.String()), rows: Type.Array(ChecklistRow) }),
  definitionId: Uuid,
  /** Where the review belongs, so a page outside the definition (the developer's) can name it and link to its register. */
  definition: Type.Object({
    title: Type.String(),
    groupSlug: Type.String(),
    groupName: Type.String(),
    visibility: Visibility,
    /** Whether the caller may open the draft and its conformance pages (a member); the developer, reading the review of their system, may not. */
    member: Type.Boolean(),
  }),
  version: Type.Object({ id: Uuid, label: Type.String() }),
  system: Type.Object({ id: Uuid, name: Type.String(), version: Type.String(), developer: Type.String() }),
  status: ReviewStatus,
  rule: ConformanceRule,
  reviewers: Type.Array(Reviewer),
  /** The developer may respond (comments on cells) until then; the review cannot close before. */
  responseUntil: Type.Union([Timestamp, Type.Null()]),
  openedAt: Timestamp,
  openedBy: Person,
  /** Once every reviewer has submitted: cells marked differently (resolved or not). */
  disagreements: Type.Union([Type.Array(Disagreement), Type.Null()]),
  comments: Type.Array(ReviewComment),
  /**
   * While the reviewers mark, a reviewer's comments are shown to their author only (a comment could
   * tell another reviewer how they marked): how many are held back from the caller until all submit.
   */
  sealedComments: Type.Integer(),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  outcome: Type.Union([Outcome, Type.Null()]),
  conditions: Type.Array(Type.String()),
  /** Final verdict per required cell, once closed. */
  cells: Type.Union([Type.Array(FinalCell), Type.Null()]),
  /** Set for a review imported from a spreadsheet (closed as imported; nobody marked it here). */
  importedFrom: Type.Union([ImportedFrom, Type.Null()]),
  /** Imported reviews: the evidence and notes the spreadsheet gives per component. */
  importedEvidence: Type.Array(Type.Object({ rowId: Type.String(), evidence: Type.Array(Evidence), note: Type.String() })),
  /** What the caller may do now. */
  allowed: Type.Array(Type.String()),
});
export type Review = Static<typeof Review>;
export const ReviewList = Type.Object({
  reviews: Type.Array(
    Type.Object({
      id: Uuid,
      system: Type.Object({ id: Uuid, name: Type.String(), version: Type.String() }),
      status: ReviewStatus,
      outcome: Type.Union([Outcome, Type.Null()]),
      openedAt: Timestamp,
      closedAt: Type.Union([Timestamp, Type.Null()]),
      reviewers: Type.Array(Type.Object({ person: Person, submitted: Type.Boolean() })),
    }),
  ),
});

export const OpenReviewBody = Type.Object(
  {
    systemId: Uuid,
    reviewerIds: Type.Array(Uuid, { minItems: 2, maxItems: 5, uniqueItems: true }),
    rule: Type.Optional(ConformanceRule),
    responseUntil: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  },
  { additionalProperties: false },
);
export type OpenReviewBody = Static<typeof OpenReviewBody>;

export const ResolveCellBody = Type.Object(
  {
    rowId: Type.String({ minLength: 1, maxLength: 8, pattern: '^r[0-9]{1,4}$' }),
    freedom: Type.Integer({ minimum: 0, maximum: 11 }),
    verdict: Verdict,
    reason: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }),
    /** What would cure a non-Allows verdict ("if the weights are relicensed under Apache-2.0"). */
    condition: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ResolveCellBody = Static<typeof ResolveCellBody>;

export const ReviewCommentBody = Type.Object(
  {
    rowId: Type.String({ minLength: 1, maxLength: 8, pattern: '^r[0-9]{1,4}$' }),
    freedom: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 11 }), Type.Null()])),
    body: Type.String({ minLength: 1, maxLength: 8000, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
export type ReviewCommentBody = Static<typeof ReviewCommentBody>;

export const ReviewParams = Type.Object({ id: Uuid });

/** One closed review as the public register shows it. */
export const RegisterEntry = Type.Object({
  reviewId: Uuid,
  system: Type.Object({
    id: Uuid,
    name: Type.String(),
    version: Type.String(),
    developer: Type.String(),
    links: Type.Array(SystemLink),
    licences: Type.Array(Licence),
  }),
  outcome: Outcome,
  conditions: Type.Array(Type.String()),
  rule: ConformanceRule,
  openedAt: Timestamp,
  closedAt: Timestamp,
  reviewers: Type.Array(Person),
  /** Set when the review was imported from a spreadsheet (its reviewers are then named there). */
  importedFrom: Type.Union([ImportedFrom, Type.Null()]),
  /** Final verdict per required cell, in checklist order. */
  cells: Type.Array(FinalCell),
  /** What each reviewer cited for each component (reviewer null: from an imported spreadsheet). */
  evidence: Type.Array(Type.Object({ rowId: Type.String(), reviewer: Type.Union([Person, Type.Null()]), evidence: Type.Array(Evidence), note: Type.String() })),
  /** Cells the reviewers did not agree on, with each one's verdict and the chair's reason. */
  dissent: Type.Array(
    Type.Object({
      rowId: Type.String(),
      freedom: Type.Integer(),
      verdicts: Type.Array(Type.Object({ reviewer: Person, verdict: Type.Union([Verdict, Type.Null()]) })),
      resolution: Type.Object({ verdict: Verdict, reason: Type.String(), condition: Type.Union([Type.String(), Type.Null()]), by: Person, at: Timestamp }),
    }),
  ),
  /** The developer's responses during the response period. */
  responses: Type.Array(Type.Object({ rowId: Type.String(), freedom: Type.Union([Type.Integer(), Type.Null()]), body: Type.String(), createdAt: Timestamp })),
});
export type RegisterEntry = Static<typeof RegisterEntry>;

/** Every closed review against one published version of a definition. */
export const Register = Type.Object({
  group: Type.Object({ slug: Type.String(), name: Type.String() }),
  definition: Type.Object({ id: Uuid, title: Type.String() }),
  version: Type.Object({ id: Uuid, label: Type.String(), publishedAt: Timestamp }),
  /** Null while the version has no checklist. */
  checklist: Type.Union([Type.Object({ id: Uuid, title: Type.String(), freedoms: Type.Array(Type.String()), rows: Type.Array(ChecklistRow) }), Type.Null()]),
  entries: Type.Array(RegisterEntry),
  counts: Type.Object({ conformant: Type.Integer(), conditional: Type.Integer(), not_conformant: Type.Integer() }),
  /** Reviews still in progress (not in `entries`). */
  inProgress: Type.Integer(),
  /** Endorsements of this version (see the endorsements list for who). */
  endorsements: EndorsementCounts,
});
export type Register = Static<typeof Register>;

export const RegisterParams = Type.Object({ id: Uuid, label: Type.String({ maxLength: 64 }) });
export const RegisterQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('md'), Type.Literal('html'), Type.Literal('csv')])) },
  { additionalProperties: false },
);

export const ImportReviewsBody = Type.Object(
  {
    /** The spreadsheet as CSV text (see the register's CSV export for the columns). */
    csv: Type.String({ minLength: 1, maxLength: 2_000_000 }),
    file: Type.Optional(Type.String({ maxLength: 200 })),
    /** The rule the outcomes follow; the default rule when left out. */
    rule: Type.Optional(ConformanceRule),
    /** False (default): only say what would be imported. True: import it. */
    apply: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ImportReviewsBody = Static<typeof ImportReviewsBody>;

export const ImportPreview = Type.Object({
  applied: Type.Boolean(),
  systems: Type.Array(
    Type.Object({
      name: Type.String(),
      version: Type.String(),
      /** Already in the group's register (else it is added). */
      known: Type.Boolean(),
      outcome: Outcome,
      conditions: Type.Array(Type.String()),
      cells: Type.Array(FinalCell),
      reviewers: Type.Array(Type.String()),
      /** Set once applied. */
      reviewId: Type.Union([Uuid, Type.Null()]),
    }),
  ),
});
export type ImportPreview = Static<typeof ImportPreview>;
