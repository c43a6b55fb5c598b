import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  ChecklistRow,
  ChecklistSource,
  ConformanceRule,
  Evidence,
  FinalCell,
  Licence,
  Outcome,
  SheetRow,
  SystemLink,
  Verdict,
  BallotResult,
  DispositionKind,
  DispositionSource,
  BallotRules,
  BallotSubject,
  EmailDelivery,
  MatrixMark,
  NotificationDetails,
  NotificationKind,
  Role,
  Visibility,
} from '@draftroom/shared';

/** A tsvector the database computes from the row's text (a stored generated column: never written, read only by search). */
type SearchVector = ColumnType<string, never, never>;

/** A timestamptz column the database fills by default. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;

/**
 * A jsonb column: `pg` parses it into `Select` on the way out; on the way in we send JSON text.
 * Declaring the parsed type here is what keeps casts out of the services.
 */
type Json<Select, Insert = string, Update = never> = ColumnType<Select, Insert, Update>;

/** An event's payload: a JSON object whose shape depends on the event type. */
export type EventPayload = Record<string, unknown>;
/** ProseMirror JSON of the clause schema (a `doc` node). */
export type ClauseContentJson = Record<string, unknown>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  created_at: CreatedAt;
  password_changed_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  secret_hash: Buffer;
  created_at: CreatedAt;
  last_verified_at: ColumnType<Date, Date, Date>;
}

export interface GroupsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  charter: string;
  visibility: Visibility;
  created_by: string;
  created_at: CreatedAt;
}

export interface MembershipsTable {
  group_id: string;
  user_id: string;
  role: Role;
  created_at: CreatedAt;
}

/** A registration waiting for its emailed confirmation link (only with a mail transport). */
export interface PendingRegistrationsTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  /** SHA-256 of the link's token. */
  token_hash: Buffer;
  created_at: CreatedAt;
  expires_at: Date;
}

/** A role in a group offered to an address, with or without an account (only with a mail transport). */
export interface InvitationsTable {
  id: Generated<string>;
  group_id: string;
  email: string;
  role: Role;
  invited_by: string;
  created_at: ColumnType<Date, Date | undefined, Date>;
}

export interface EventsTable {
  id: Generated<number>;
  /** One hash chain per group ("group:<uuid>") plus one for account-level events ("accounts"). */
  chain: string;
  seq: ColumnType<number, number, never>;
  group_id: string | null;
  actor_id: string | null;
  type: string;
  payload: Json<EventPayload>;
  occurred_at: ColumnType<Date, Date, never>;
  prev_hash: string;
  hash: string;
}

export interface ChainHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

export type DefinitionStatus = 'drafting' | 'public-comment' | 'final';

export interface DefinitionsTable {
  id: Generated<string>;
  group_id: string;
  slug: string;
  title: string;
  status: ColumnType<DefinitionStatus, DefinitionStatus | undefined, DefinitionStatus>;
  created_by: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  comment_deadline: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Whether the editor marks requirement language (language/): the group's choice, off by default. */
  language_checks: ColumnType<boolean, boolean | undefined, boolean>;
}

/** A term of a definition's glossary and the clause that defines it (language/). */
export interface GlossaryTermsTable {
  id: Generated<string>;
  definition_id: string;
  term: string;
  /** The term as compared: lower case, runs of spaces and hyphens as one space. */
  term_key: string;
  clause_id: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface DocUpdatesTable {
  id: Generated<number>;
  definition_id: string;
  update: Buffer;
  user_id: string | null;
  created_at: CreatedAt;
}

export interface DocUpdateArchiveTable {
  id: number;
  definition_id: string;
  update: Buffer;
  user_id: string | null;
  created_at: Date;
  archived_at: CreatedAt;
}

export interface DocStatesTable {
  definition_id: string;
  state: Buffer;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface DocClientIdsTable {
  definition_id: string;
  client_id: ColumnType<number, number, never>;
  user_id: string;
  created_at: CreatedAt;
}

export interface ClausesTable {
  definition_id: string;
  clause_id: string;
  position: number;
  kind: 'heading' | 'clause';
  text: string;
  markdown: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  search: SearchVector;
}

export interface VersionsTable {
  id: Generated<string>;
  definition_id: string;
  label: string;
  notes: string;
  state: Buffer;
  published_by: string;
  published_at: CreatedAt;
}

export interface VersionClausesTable {
  version_id: string;
  clause_id: string;
  position: number;
  kind: 'heading' | 'clause';
  text: string;
  markdown: string;
  content: Json<ClauseContentJson>;
  search: SearchVector;
}

export type AmendmentStatus = 'proposed' | 'accepted' | 'rejected' | 'withdrawn';

export interface AmendmentsTable {
  id: Generated<string>;
  definition_id: string;
  clause_id: string;
  author_id: string;
  base_text: string;
  proposed_text: string;
  proposed_markdown: string;
  proposed_content: Json<ClauseContentJson>;
  rationale: string;
  status: ColumnType<AmendmentStatus, AmendmentStatus | undefined, AmendmentStatus>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  created_at: CreatedAt;
  search: SearchVector;
}

export interface ThreadsTable {
  id: Generated<string>;
  definition_id: string;
  clause_id: string;
  amendment_id: string | null;
  anchor_start: string | null;
  anchor_end: string | null;
  quote: string | null;
  author_id: string;
  status: ColumnType<'open' | 'resolved', 'open' | 'resolved' | undefined, 'open' | 'resolved'>;
  /** internal: the group's own discussion (members only); public: part of the public record. */
  audience: ColumnType<'internal' | 'public', 'internal' | 'public' | undefined, 'internal' | 'public'>;
  resolved_by: string | null;
  resolved_at: Date | null;
  created_at: CreatedAt;
}

export interface CommentsTable {
  id: Generated<string>;
  thread_id: string;
  author_id: string;
  reply_to: string | null;
  body: string;
  body_html: string;
  created_at: CreatedAt;
  edited_at: Date | null;
  deleted_at: Date | null;
  deleted_by: string | null;
  hidden_at: Date | null;
  hidden_by: string | null;
  hidden_reason: string | null;
  search: SearchVector;
}

export interface CommentRevisionsTable {
  id: Generated<number>;
  comment_id: string;
  body: string;
  body_html: string;
  written_at: Date;
}

export interface CommentReactionsTable {
  comment_id: string;
  user_id: string;
  emoji: string;
  created_at: CreatedAt;
}

export interface ModerationActionsTable {
  id: Generated<number>;
  definition_id: string;
  comment_id: string;
  moderator_id: string;
  action: 'hide' | 'unhide';
  reason: string;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: string;
  kind: NotificationKind;
  group_id: string;
  /** Null for group-level kinds (my role changed). */
  definition_id: string | null;
  /** Set for thread kinds only. */
  thread_id: string | null;
  comment_id: string | null;
  ballot_id: string | null;
  amendment_id: string | null;
  version_id: string | null;
  clause_id: string | null;
  /** Set for review kinds only. */
  review_id: string | null;
  /** Set for disposition kinds only. */
  disposition_id: ColumnType<string | null, string | null | undefined, never>;
  actor_id: string | null;
  /** Kind-specific facts (ballot title and outcome, version label, roles…), as the API shows them. */
  data: Json<NotificationDetails, string | undefined>;
  /** Makes periodic reminders idempotent: one per person and key. */
  dedupe_key: string | null;
  created_at: CreatedAt;
  read_at: Date | null;
}

/** A person's choice for one kind of notification (kinds without a row take the defaults). */
export interface NotificationSettingsTable {
  user_id: string;
  kind: NotificationKind;
  enabled: boolean;
  email: EmailDelivery;
}

export type OutboxKind = 'notification' | 'digest_item' | 'digest' | 'account';
export type OutboxStatus = 'pending' | 'batched' | 'sent' | 'failed' | 'dropped';

/** Mail waiting to be sent, being retried, or sent (kept a while for the per-address limit and diagnosis). */
export interface MailOutboxTable {
  id: Generated<number>;
  kind: OutboxKind;
  user_id: string | null;
  /** Account mails to an address that has no account yet. */
  to_address: string | null;
  notification_id: number | null;
  /** For digest items: the digest that took them. */
  digest_id: number | null;
  /** For digests: the day (UTC) it is the digest of. */
  digest_day: ColumnType<Date | null, string | null | undefined, never>;
  /** What the mail is, for logs (never the recipient or body). */
  template: string | null;
  subject: string | null;
  /** Account mails: the body, sealed with a key kept out of the database; erased once sent. */
  sealed_body: Buffer | null;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
}

export interface MailUnsubscribeTokensTable {
  /** SHA-256 of the link's token. */
  token_hash: Buffer;
  user_id: string;
  kinds: NotificationKind[];
  created_at: CreatedAt;
  expires_at: Date;
}

export interface BallotsTable {
  id: Generated<string>;
  definition_id: string;
  title: string;
  subject: Json<BallotSubject>;
  rules: Json<BallotRules, string, string>;
  status: ColumnType<'draft' | 'open' | 'closed' | 'cancelled', 'draft' | undefined, 'draft' | 'open' | 'closed' | 'cancelled'>;
  subject_text: string | null;
  eligible_count: number | null;
  created_by: string;
  created_at: CreatedAt;
  opened_at: Date | null;
  closed_at: Date | null;
  closed_by: string | null;
  final_text: string | null;
  result: Json<BallotResult | null, string | null, string | null>;
  cancelled_reason: string | null;
  search: SearchVector;
}

export interface BallotEligibleTable {
  ballot_id: string;
  user_id: string;
}

export interface BallotVotersTable {
  ballot_id: string;
  user_id: string;
  first_voted_at: CreatedAt;
}

export interface BallotVotesTable {
  /** A random uuid: nothing in a vote row may order it among other people's votes. */
  id: Generated<string>;
  ballot_id: string;
  voter_id: string | null;
  voter_token: string | null;
  /** This voter's own votes on the ballot numbered 1, 2, 3… (per person, or per token on secret ballots). */
  seq: number;
  position: string;
  rationale: string;
  text_seen: string | null;
  /** Component-matrix marks (JSON text on insert, parsed on select). */
  marks: Json<MatrixMark[][] | null, string | null | undefined>;
  /** When a public vote was cast; always null on secret ballots (a check keeps it so). */
  cast_at: ColumnType<Date | null, Date | null | undefined, never>;
}

export interface ConformanceSystemsTable {
  id: Generated<string>;
  group_id: string;
  name: string;
  version: string;
  developer: string;
  links: Json<SystemLink[], string, string>;
  licences: Json<Licence[], string, string>;
  developer_user_id: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ChecklistsTable {
  id: Generated<string>;
  definition_id: string;
  version_id: string;
  title: string;
  freedoms: Json<string[]>;
  rows: Json<ChecklistRow[]>;
  source: Json<ChecklistSource>;
  created_by: string;
  created_at: CreatedAt;
}

export interface ReviewsTable {
  id: Generated<string>;
  checklist_id: string;
  system_id: string;
  status: ColumnType<'marking' | 'reconciling' | 'closed', 'marking' | undefined, 'marking' | 'reconciling' | 'closed'>;
  rule: Json<ConformanceRule>;
  response_until: Date | null;
  opened_by: string;
  opened_at: CreatedAt;
  closed_by: ColumnType<string | null, never, string>;
  closed_at: ColumnType<Date | null, never, Date>;
  outcome: ColumnType<Outcome | null, never, Outcome>;
  conditions: Json<string[], never, string>;
  cells: Json<FinalCell[] | null, never, string>;
  imported: Json<ImportedReview | null, string | undefined, never>;
}

/** An item of the disposition register (dispositions/): what was said and how it was disposed of. */
export interface DispositionsTable {
  id: Generated<string>;
  definition_id: string;
  number: number;
  source: DispositionSource;
  clause_id: string | null;
  thread_id: string | null;
  comment_id: string | null;
  ballot_id: string | null;
  author_id: string;
  body: string;
  public: boolean;
  raised_at: CreatedAt;
  disposition: DispositionKind | null;
  reason: string | null;
  amendment_id: string | null;
  version_label: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  satisfied: boolean | null;
  response_note: string | null;
  responded_at: Date | null;
}

/** How an imported review is stored (reviews.imported). */
export interface ImportedReview {
  reviewers: string[];
  importedBy: string;
  /** Their name when they imported it. */
  importedByName: string;
  importedAt: string;
  file: string | null;
  reviewedOn: string | null;
  evidence: { rowId: string; evidence: Evidence[]; note: string }[];
}

export interface ReviewReviewersTable {
  review_id: string;
  user_id: string;
  position: number;
  sheet: Json<SheetRow[], string | undefined, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  submitted_at: ColumnType<Date | null, never, Date>;
}

export interface ReviewResolutionsTable {
  review_id: string;
  row_id: string;
  freedom: number;
  verdict: Verdict;
  reason: string;
  condition: string | null;
  resolved_by: string;
  resolved_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ReviewCommentsTable {
  id: Generated<string>;
  review_id: string;
  row_id: string;
  freedom: number | null;
  author_id: string;
  as_developer: boolean;
  body: string;
  created_at: CreatedAt;
}

export interface EndorsementsTable {
  id: Generated<string>;
  definition_id: string;
  version_id: string;
  user_id: string;
  kind: 'individual' | 'organisation';
  name: string;
  organisation: string;
  role: string;
  statement: string;
  link: string | null;
  created_at: CreatedAt;
  verification: 'email_domain' | 'chair' | null;
  verified_domain: string | null;
  verified_note: string | null;
  verified_by: string | null;
  verified_at: Date | null;
  pending_domain: string | null;
  confirm_token_hash: string | null;
  confirm_expires_at: Date | null;
  withdrawn_at: Date | null;
  withdrawn_reason: string | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  groups: GroupsTable;
  memberships: MembershipsTable;
  pending_registrations: PendingRegistrationsTable;
  invitations: InvitationsTable;
  events: EventsTable;
  chain_heads: ChainHeadsTable;
  definitions: DefinitionsTable;
  doc_updates: DocUpdatesTable;
  doc_states: DocStatesTable;
  doc_update_archive: DocUpdateArchiveTable;
  versions: VersionsTable;
  version_clauses: VersionClausesTable;
  amendments: AmendmentsTable;
  threads: ThreadsTable;
  comments: CommentsTable;
  comment_revisions: CommentRevisionsTable;
  comment_reactions: CommentReactionsTable;
  moderation_actions: ModerationActionsTable;
  notifications: NotificationsTable;
  notification_settings: NotificationSettingsTable;
  mail_outbox: MailOutboxTable;
  mail_unsubscribe_tokens: MailUnsubscribeTokensTable;
  ballots: BallotsTable;
  ballot_eligible: BallotEligibleTable;
  ballot_voters: BallotVotersTable;
  ballot_votes: BallotVotesTable;
  doc_client_ids: DocClientIdsTable;
  clauses: ClausesTable;
  conformance_systems: ConformanceSystemsTable;
  checklists: ChecklistsTable;
  reviews: ReviewsTable;
  dispositions: DispositionsTable;
  glossary_terms: GlossaryTermsTable;
  review_reviewers: ReviewReviewersTable;
  review_resolutions: ReviewResolutionsTable;
  review_comments: ReviewCommentsTable;
  endorsements: EndorsementsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type GroupRow = Selectable<GroupsTable>;
export type GroupUpdate = Updateable<GroupsTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type EventRow = Selectable<EventsTable>;
export type DefinitionRow = Selectable<DefinitionsTable>;
