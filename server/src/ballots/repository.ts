import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { literal, PreparedStatement } from '../db/statements.ts';

const columns = [
  'ballots.id',
  'ballots.definition_id',
  'ballots.title',
  'ballots.subject',
  'ballots.rules',
  'ballots.status',
  'ballots.subject_text',
  'ballots.final_text',
  'ballots.eligible_count',
  'ballots.created_by',
  'creator.display_name as creator_name',
  'ballots.created_at',
  'ballots.opened_at',
  'ballots.closed_at',
  'ballots.closed_by',
  'closer.display_name as closer_name',
  'ballots.result',
  'ballots.cancelled_reason',
] as const;

function base(db: Executor) {
  return db
    .selectFrom('ballots')
    .innerJoin('users as creator', 'creator.id', 'ballots.created_by')
    .leftJoin('users as closer', 'closer.id', 'ballots.closed_by')
    .select(columns);
}

export function findBallot(db: Executor, id: string) {
  return base(db).where('ballots.id', '=', id).executeTakeFirst();
}

export function listBallots(db: Executor, definitionId: string) {
  return base(db).where('ballots.definition_id', '=', definitionId).orderBy('ballots.created_at', 'desc').execute();
}

export type BallotRow = NonNullable<Awaited<ReturnType<typeof findBallot>>>;

/** Every ballot that was ever opened (drafts are not part of the record), oldest first, whole rows. */
export function listBallotsOnRecord(db: Executor, definitionId: string) {
  return db.selectFrom('ballots').selectAll().where('definition_id', '=', definitionId).where('status', '!=', 'draft').orderBy('created_at').execute();
}

export function insertBallot(db: Executor, ballot: { definitionId: string; title: string; subject: unknown; rules: unknown; createdBy: string }) {
  return db
    .insertInto('ballots')
    .values({
      definition_id: ballot.definitionId,
      title: ballot.title,
      subject: JSON.stringify(ballot.subject),
      rules: JSON.stringify(ballot.rules),
      created_by: ballot.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Votes take a shared lock and closing an exclusive one: a close waits for votes in flight, then none pass. */
export function lockBallot(db: Executor, id: string, mode: 'share' | 'update') {
  const query = db
    .selectFrom('ballots')
    .select(['id', 'status', 'rules', 'subject', 'definition_id', 'subject_text', 'title', 'created_by'])
    .where('id', '=', id);
  return (mode === 'share' ? query.forShare() : query.forNoKeyUpdate()).executeTakeFirst();
}

export async function updateDraft(db: Executor, id: string, changes: { title?: string; rules?: unknown }): Promise<void> {
  await db
    .updateTable('ballots')
    .set({ ...(changes.title !== undefined && { title: changes.title }), ...(changes.rules !== undefined && { rules: JSON.stringify(changes.rules) }) })
    .where('id', '=', id)
    .execute();
}

export async function markOpen(db: Executor, id: string, subjectText: string | null, eligible: string[]): Promise<void> {
  await db
    .updateTable('ballots')
    .set({ status: 'open', opened_at: new Date(), subject_text: subjectText, eligible_count: eligible.length })
    .where('id', '=', id)
    .execute();
  if (eligible.length > 0)
    await db
      .insertInto('ballot_eligible')
      .values(eligible.map((user_id) => ({ ballot_id: id, user_id })))
      .execute();
}

export async function markClosed(db: Executor, id: string, closedBy: string | null, finalText: string | null, result: unknown): Promise<void> {
  await db
    .updateTable('ballots')
    .set({ status: 'closed', closed_at: new Date(), closed_by: closedBy, final_text: finalText, result: JSON.stringify(result) })
    .where('id', '=', id)
    .execute();
}

/**
 * Writes a secret ballot's vote rows again, every column as it was, in a random order — in the
 * transaction that closes or cancels it, after its status changed (the append-only trigger lets this
 * one delete through, for that ballot only). From then on the rows' physical order and the transaction
 * that wrote them (xmin) are the same for every vote, instead of following the voting.
 */
export async function rewriteSecretVotes(db: Executor, ballotId: string): Promise<void> {
  await sql`select set_config('draftroom.rewrite_votes_of', ${ballotId}, true)`.execute(db);
  await sql`
    with gone as (delete from ballot_votes where ballot_id = ${ballotId} and voter_token is not null returning *)
    insert into ballot_votes (id, ballot_id, voter_id, voter_token, seq, position, rationale, text_seen, marks, cast_at)
    select id, ballot_id, voter_id, voter_token, seq, position, rationale, text_seen, marks, cast_at from gone order by gen_random_uuid()`.execute(db);
  await sql`select set_config('draftroom.rewrite_votes_of', '', true)`.execute(db);
}

export async function markCancelled(db: Executor, id: string, by: string, reason: string): Promise<void> {
  await db.updateTable('ballots').set({ status: 'cancelled', closed_at: new Date(), closed_by: by, cancelled_reason: reason }).where('id', '=', id).execute();
}

export async function countEligible(db: Executor, ballotId: string): Promise<number> {
  const row = await db
    .selectFrom('ballot_eligible')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ballot_id', '=', ballotId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function isEligible(db: Executor, ballotId: string, userId: string) {
  return db.selectFrom('ballot_eligible').select('user_id').where('ballot_id', '=', ballotId).where('user_id', '=', userId).executeTakeFirst();
}

export function membersWithRoles(db: Executor, groupId: string, roles: string[]) {
  return db
    .selectFrom('memberships')
    .select('user_id')
    .where('group_id', '=', groupId)
    .where('role', 'in', roles as never[])
    .execute();
}

const voteColumns = [
  'ballot_votes.id',
  'ballot_votes.voter_id',
  'users.display_name',
  'ballot_votes.voter_token',
  'ballot_votes.seq',
  'ballot_votes.position',
  'ballot_votes.rationale',
  'ballot_votes.text_seen',
  'ballot_votes.marks',
  'ballot_votes.cast_at',
] as const;

/**
 * Every vote row of a *public* ballot: voter by voter in the order they first voted, each voter's
 * votes in their own order (the last is current). Secret ballots' rows are never listed.
 */
export function allVotes(db: Executor, ballotId: string) {
  return db
    .selectFrom('ballot_votes')
    .leftJoin('users', 'users.id', 'ballot_votes.voter_id')
    .select(voteColumns)
    .where('ballot_votes.ballot_id', '=', ballotId)
    .orderBy(sql`min(ballot_votes.cast_at) over (partition by ballot_votes.voter_id)`)
    .orderBy('ballot_votes.voter_id')
    .orderBy('ballot_votes.seq')
    .execute();
}

/**
 * Who took part in a public ballot, in the order they first voted. Secret ballots keep no such rows:
 * their participants are found from the vote tokens (see `voterTokens`).
 */
export function voters(db: Executor, ballotId: string) {
  return db
    .selectFrom('ballot_voters')
    .innerJoin('users', 'users.id', 'ballot_voters.user_id')
    .select(['ballot_voters.user_id', 'users.display_name', 'ballot_voters.first_voted_at'])
    .where('ballot_voters.ballot_id', '=', ballotId)
    .orderBy('ballot_voters.first_voted_at')
    .execute();
}

/** The voters frozen at opening, by name. */
export function eligibleVoters(db: Executor, ballotId: string) {
  return db
    .selectFrom('ballot_eligible')
    .innerJoin('users', 'users.id', 'ballot_eligible.user_id')
    .select(['ballot_eligible.user_id', 'users.display_name'])
    .where('ballot_eligible.ballot_id', '=', ballotId)
    .orderBy('users.display_name')
    .orderBy('ballot_eligible.user_id')
    .execute();
}

/** The distinct voter tokens of a secret ballot (who they stand for takes the server's key). */
export async function voterTokens(db: Executor, ballotId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('ballot_votes')
    .select('voter_token')
    .distinct()
    .where('ballot_id', '=', ballotId)
    .where('voter_token', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.voter_token!));
}

/** Open ballots that close after `from` and no later than `to`, with their group (for reminders). */
export function closingBetween(db: Executor, from: Date, to: Date) {
  return db
    .selectFrom('ballots')
    .innerJoin('definitions', 'definitions.id', 'ballots.definition_id')
    .select(['ballots.id', 'ballots.definition_id', 'definitions.group_id', 'ballots.title', 'ballots.subject', 'ballots.rules'])
    .where('ballots.status', '=', 'open')
    .where(sql<boolean>`(ballots.rules->>'closesAt')::timestamptz > ${from}`)
    .where(sql<boolean>`(ballots.rules->>'closesAt')::timestamptz <= ${to}`)
    .execute();
}

export function dueBallots(db: Executor, now: Date) {
  return db.selectFrom('ballots').select(['id']).where('status', '=', 'open').where(sql<boolean>`(rules->>'closesAt')::timestamptz <= ${now}`).execute();
}

/** The current vote of each voter (their highest-numbered row, per person or token): what a result counts. */
export function currentPositions(db: Executor, ballotId: string) {
  return db
    .selectFrom('ballot_votes')
    .select(['position', 'marks'])
    .distinctOn(sql`coalesce(voter_id::text, voter_token)`)
    .where('ballot_id', '=', ballotId)
    .orderBy(sql`coalesce(voter_id::text, voter_token)`)
    .orderBy('seq', 'desc')
    .execute();
}

/** Each named voter's final vote on these ballots (public ballots only: a secret ballot's rows name no one). */
export function finalNamedVotes(db: Executor, ballotIds: string[]) {
  if (ballotIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('ballot_votes')
    .innerJoin('users', 'users.id', 'ballot_votes.voter_id')
    .select(['ballot_votes.ballot_id', 'ballot_votes.voter_id', 'users.display_name', 'ballot_votes.position', 'ballot_votes.marks', 'ballot_votes.rationale'])
    .distinctOn(['ballot_votes.ballot_id', 'ballot_votes.voter_id'])
    .where('ballot_votes.ballot_id', 'in', ballotIds)
    .orderBy('ballot_votes.ballot_id')
    .orderBy('ballot_votes.voter_id')
    .orderBy('ballot_votes.seq', 'desc')
    .execute();
}

/** One voter's rows in their own order (current last), by person on public ballots or by token on secret ones. */
export function votesOf(db: Executor, ballotId: string, identity: { voterId: string } | { voterToken: string }) {
  let query = db
    .selectFrom('ballot_votes')
    .leftJoin('users', 'users.id', 'ballot_votes.voter_id')
    .select(voteColumns)
    .where('ballot_votes.ballot_id', '=', ballotId)
    .orderBy('ballot_votes.seq');
  query =
    'voterId' in identity ? query.where('ballot_votes.voter_id', '=', identity.voterId) : query.where('ballot_votes.voter_token', '=', identity.voterToken);
  return query.execute();
}

/** Amendments offered by a choice ballot, with their authors, in the order asked for. */
export function amendmentsFor(db: Executor, definitionId: string, ids: string[]) {
  return db
    .selectFrom('amendments')
    .innerJoin('users', 'users.id', 'amendments.author_id')
    .select(['amendments.id', 'amendments.clause_id', 'amendments.status', 'amendments.proposed_text', 'users.display_name as author_name'])
    .where('amendments.definition_id', '=', definitionId)
    .where('amendments.id', 'in', ids)
    .execute();
}

export function clauseText(db: Executor, definitionId: string, clauseId: string) {
  return db.selectFrom('clauses').select('text').where('definition_id', '=', definitionId).where('clause_id', '=', clauseId).executeTakeFirst();
}

/** A ballot as seen by someone about to vote: status, rules, the viewer's role and frozen eligibility. */
export function findBallotForVoter(db: Executor, ballotId: string, userId: string | null) {
  return db
    .selectFrom('ballots')
    .innerJoin('definitions', 'definitions.id', 'ballots.definition_id')
    .innerJoin('groups', 'groups.id', 'definitions.group_id')
    .leftJoin('memberships', (join) => join.onRef('memberships.group_id', '=', 'groups.id').on('memberships.user_id', '=', userId ?? sql<string>`null`))
    .leftJoin('ballot_eligible', (join) =>
      join.onRef('ballot_eligible.ballot_id', '=', 'ballots.id').on('ballot_eligible.user_id', '=', userId ?? sql<string>`null`),
    )
    .select([
      'ballots.id',
      'ballots.status',
      'ballots.rules',
      'ballots.subject',
      'ballots.definition_id',
      'groups.id as group_id',
      'groups.visibility',
      'memberships.role',
      'ballot_eligible.user_id as eligible_user',
    ])
    .where('ballots.id', '=', ballotId)
    .executeTakeFirst();
}

/** An open ballot's frozen parts: rules, subject and who may vote (nothing here changes until it closes). */
export async function frozenBallot(db: Executor, id: string) {
  const ballot = await db
    .selectFrom('ballots')
    .innerJoin('definitions', 'definitions.id', 'ballots.definition_id')
    .select(['ballots.id', 'ballots.status', 'ballots.rules', 'ballots.subject', 'definitions.group_id'])
    .where('ballots.id', '=', id)
    .executeTakeFirst();
  if (ballot?.status !== 'open') return null;
  const eligible = await db.selectFrom('ballot_eligible').select('user_id').where('ballot_id', '=', id).execute();
  return { ...ballot, eligible: eligible.map((e) => e.user_id) };
}

export interface VoteToInsert {
  ballotId: string;
  voterId: string | null;
  voterToken: string | null;
  position: string;
  rationale: string;
  /** Whether the ballot is about a clause's text (the vote then records the text it saw). */
  aboutClause: boolean;
  marks: unknown;
}

/** What the group commit needs to know about a ballot it writes votes for, read under its share lock. */
export interface LockedBallot {
  id: string;
  status: string;
  /** rules.closesAt */
  closes_at: string;
  eligible_count: number | null;
  group_id: string;
  visibility: string;
  /** Which of the batch's voters still belong to the group, and in which role. */
  member_roles: Record<string, string> | null;
}

/**
 * Share-locks the ballots of a batch of votes, in id order (rows are LockedBallot): closing a ballot
 * takes its row exclusively, so it waits for the batch, and a batch after it sees the ballot closed.
 * Arguments: ballot ids, the batch's voters. A ballot's group and the voters' roles are scalar
 * subqueries, found by key whatever the tables' sizes (see checkVotes).
 */
export const lockBallotsForVoting = new PreparedStatement(
  'draftroom_vote_lock',
  ['uuid[]', 'uuid[]'],
  `with locked as (
      select b.id, b.status, b.rules->>'closesAt' as closes_at, b.eligible_count,
        (select d.group_id from definitions d where d.id = b.definition_id) as group_id
      from ballots b
      where b.id = any($1)
      order by b.id
      for share
    )
    select locked.*, (select g.visibility from groups g where g.id = locked.group_id) as visibility,
      (select jsonb_object_agg(m.user_id, m.role) from memberships m where m.group_id = locked.group_id and m.user_id = any($2)) as member_roles
    from locked
    order by locked.id`,
  (ids: string[], voterIds: string[]) => [literal.array(ids, literal.uuid, 'uuid'), literal.array(voterIds, literal.uuid, 'uuid')],
);

/**
 * The one-round-trip write's first statement: share-locks the batch's ballots (in id order, as
 * lockBallotsForVoting does) and raises DR001 (draftroom_require) unless every vote's ballot is open,
 * closes after `now`, belongs to the vote's group, and the voter's access — "visibility:role", role
 * empty for non-members — is one of `access` (the pairs the policy allows, worked out in JS). It
 * answers only yes or no; the two-step write finds out which vote failed and why. Returns one row:
 * { eligible: { [ballotId]: eligible_count } }.
 *
 * Rows are found by key — an array of ids, scalar subqueries — never by joining on the argument's
 * rows: the statement is planned once per connection as a generic plan, which guesses 100 rows from
 * jsonb_to_recordset, and on a populated instance that guess made it scan whole tables every batch.
 * A test plans the write's statements on a populated database and refuses sequential scans.
 */
export const checkVotes = new PreparedStatement(
  'draftroom_vote_check',
  ['jsonb', 'timestamptz', 'text[]'],
  `with v as (
      select * from jsonb_to_recordset($1) as v(ballot_id uuid, actor_id uuid, group_id uuid)
    ),
    locked as (
      select b.id, b.status, b.rules, b.eligible_count,
        (select d.group_id from definitions d where d.id = b.definition_id) as group_id
      from ballots b
      where b.id = any(array(select ballot_id from v))
      order by b.id
      for share
    ),
    owned as (
      select locked.*, (select g.visibility from groups g where g.id = locked.group_id) as visibility from locked
    )
    select draftroom_require(coalesce(bool_and(coalesce(
        b.status = 'open' and (b.rules->>'closesAt')::timestamptz > $2 and b.group_id = v.group_id
          and b.visibility || ':' || coalesce((select m.role from memberships m where m.group_id = b.group_id and m.user_id = v.actor_id), '') = any($3),
        false)), false), 'a vote of the batch needs the two-step write') as ok,
      (select jsonb_object_agg(id, eligible_count) from locked) as eligible
    from v
    left join owned b on b.id = v.ballot_id`,
  (votes: { ballotId: string; actorId: string; groupId: string }[], now: Date, access: string[]) => [
    literal.jsonb(votes.map((v) => ({ ballot_id: v.ballotId, actor_id: v.actorId, group_id: v.groupId }))),
    literal.timestamptz(now),
    literal.array(access, literal.text, 'text'),
  ],
);

/**
 * Inserts a batch of votes, each on a clause ballot with the clause's text now; records who took
 * part in public ballots (`participants`, once per person: the first vote's time stays) and counts,
 * for each ballot in `counted`, how many people have voted — participation rows for public ballots,
 * distinct tokens for secret ones — this batch included.
 *
 * A vote gets a random id and the next number among its voter's own votes on the ballot (`seq`: the
 * voter's highest so far, found through the voter's or the token's unique index, plus its place among
 * the voter's votes in this batch). Public votes get the time; secret ones none (cast_at null), so
 * nothing in a secret row orders it among other people's votes. Two transactions numbering the same
 * voter at once (another writer or server): the unique index makes the later one fail with 23505 on
 * ballot_votes_voter_seq / ballot_votes_token_seq once the first commits, and the writer tries again.
 *
 * Rows: { kind: 'vote', ord, cast_at, text_seen } per vote (`ord`: its index in `votes`),
 * { kind: 'count', ballot_id, voted } per counted ballot.
 */
export const insertVotes = new PreparedStatement(
  'draftroom_vote_insert',
  ['jsonb', 'jsonb', 'jsonb'],
  // The statement's snapshot does not see the rows it inserts, so the counts add this batch's voters.
  `with input as (
      select t.*, gen_random_uuid() as id,
        coalesce(case when t.voter_id is not null
            then (select max(v.seq) from ballot_votes v where v.ballot_id = t.ballot_id and v.voter_id = t.voter_id)
            else (select max(v.seq) from ballot_votes v where v.ballot_id = t.ballot_id and v.voter_token = t.voter_token) end, 0)
          + row_number() over (partition by t.ballot_id, coalesce(t.voter_id::text, t.voter_token) order by t.ord) as seq
      from jsonb_to_recordset($1) as t(ord int, ballot_id uuid, voter_id uuid, voter_token text, position text, rationale text, about_clause boolean, marks jsonb)
    ),
    subject as (
      select b.id, c.text from ballots b
      left join clauses c on c.definition_id = b.definition_id and c.clause_id = (b.subject->>'clauseId')::uuid
      where b.id = any(array(select ballot_id from input))
    ),
    inserted as (
      insert into ballot_votes (id, ballot_id, voter_id, voter_token, seq, position, rationale, text_seen, marks, cast_at)
      select input.id, input.ballot_id, input.voter_id, input.voter_token, input.seq, input.position, input.rationale,
          case when input.about_clause then subject.text end, input.marks, case when input.voter_token is null then now() end
        from input
        join subject on subject.id = input.ballot_id
        -- By voter, not in the order the votes came: a batch's rows do not follow the voting either, and
        -- two writers numbering the same voters take their numbers in one order (no deadlock).
        order by input.ballot_id, coalesce(input.voter_id::text, input.voter_token), input.seq
      returning id, cast_at, text_seen
    ),
    participation as (
      insert into ballot_voters (ballot_id, user_id)
      select ballot_id, user_id from jsonb_to_recordset($2) as p(ord int, ballot_id uuid, user_id uuid) order by ord
      on conflict (ballot_id, user_id) do nothing
    )
    select 'vote' as kind, input.ord, inserted.cast_at, inserted.text_seen, null::uuid as ballot_id, null::bigint as voted
      from inserted join input on input.id = inserted.id
    union all
    select 'count', null, null, null, counted.id, (
      select count(*) from (
        select user_id::text from ballot_voters where ballot_id = counted.id and not counted.secret
        union select voter_id::text from input where ballot_id = counted.id and voter_id is not null
        union select voter_token from ballot_votes where ballot_id = counted.id and voter_token is not null and counted.secret
        union select voter_token from input where ballot_id = counted.id and voter_token is not null
      ) as people
    )
    from jsonb_to_recordset($3) as counted(id uuid, secret boolean)`,
  (votes: VoteToInsert[], participants: { ballotId: string; userId: string }[], counted: { ballotId: string; secret: boolean }[]) => [
    literal.jsonb(
      votes.map((v, ord) => ({
        ord,
        ballot_id: v.ballotId,
        voter_id: v.voterId,
        voter_token: v.voterToken,
        position: v.position,
        rationale: v.rationale,
        about_clause: v.aboutClause,
        marks: v.marks ?? null,
      })),
    ),
    literal.jsonb(participants.map((p, ord) => ({ ord, ballot_id: p.ballotId, user_id: p.userId }))),
    literal.jsonb(counted.map((c) => ({ id: c.ballotId, secret: c.secret }))),
  ],
);
