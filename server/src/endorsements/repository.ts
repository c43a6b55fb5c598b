import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

const columns = [
  'endorsements.id',
  'endorsements.definition_id',
  'endorsements.version_id',
  'versions.label as version_label',
  'versions.published_at as version_published_at',
  'endorsements.user_id',
  'endorser.display_name as endorser_name',
  'endorsements.kind',
  'endorsements.name',
  'endorsements.organisation',
  'endorsements.role',
  'endorsements.statement',
  'endorsements.link',
  'endorsements.created_at',
  'endorsements.verification',
  'endorsements.verified_domain',
  'endorsements.verified_note',
  'endorsements.verified_by',
  'verifier.display_name as verifier_name',
  'endorsements.verified_at',
  'endorsements.pending_domain',
  'endorsements.withdrawn_at',
  'endorsements.withdrawn_reason',
] as const;

function base(db: Executor) {
  return db
    .selectFrom('endorsements')
    .innerJoin('versions', 'versions.id', 'endorsements.version_id')
    .innerJoin('users as endorser', 'endorser.id', 'endorsements.user_id')
    .leftJoin('users as verifier', 'verifier.id', 'endorsements.verified_by')
    .select(columns);
}

export function listForVersion(db: Executor, versionId: string) {
  return base(db).where('endorsements.version_id', '=', versionId).orderBy('endorsements.created_at').orderBy('endorsements.id').execute();
}

export function findEndorsement(db: Executor, id: string) {
  return base(db).where('endorsements.id', '=', id).executeTakeFirst();
}

export type EndorsementRow = NonNullable<Awaited<ReturnType<typeof findEndorsement>>>;

export async function lockEndorsement(db: Executor, id: string): Promise<void> {
  await db.selectFrom('endorsements').select('id').where('id', '=', id).forUpdate().execute();
}

/** Null when the account already has a current endorsement of this version. */
export async function insertEndorsement(
  db: Executor,
  values: {
    definitionId: string;
    versionId: string;
    userId: string;
    kind: 'individual' | 'organisation';
    name: string;
    organisation: string;
    role: string;
    statement: string;
    link: string | null;
    pendingDomain: string | null;
    tokenHash: string | null;
    expiresAt: Date | null;
  },
): Promise<string | null> {
  const row = await db
    .insertInto('endorsements')
    .values({
      definition_id: values.definitionId,
      version_id: values.versionId,
      user_id: values.userId,
      kind: values.kind,
      name: values.name,
      organisation: values.organisation,
      role: values.role,
      statement: values.statement,
      link: values.link,
      pending_domain: values.pendingDomain,
      confirm_token_hash: values.tokenHash,
      confirm_expires_at: values.expiresAt,
    })
    .onConflict((conflict) => conflict.columns(['version_id', 'user_id']).where('withdrawn_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The endorsement waiting for this confirmation token (hash), still valid; locked. */
export function findByTokenHash(db: Executor, tokenHash: string, now: Date) {
  return db
    .selectFrom('endorsements')
    .select(['id', 'definition_id', 'pending_domain', 'withdrawn_at'])
    .where('confirm_token_hash', '=', tokenHash)
    .where('confirm_expires_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
}

export async function markDomainVerified(db: Executor, id: string, domain: string, at: Date): Promise<void> {
  await db
    .updateTable('endorsements')
    .set({
      verification: 'email_domain',
      verified_domain: domain,
      verified_at: at,
      verified_by: null,
      verified_note: null,
      pending_domain: null,
      confirm_token_hash: null,
      confirm_expires_at: null,
    })
    .where('id', '=', id)
    .execute();
}

export async function markChairVerified(db: Executor, id: string, chairId: string, note: string, at: Date): Promise<void> {
  await db
    .updateTable('endorsements')
    .set({ verification: 'chair', verified_by: chairId, verified_note: note, verified_at: at, verified_domain: null })
    .where('id', '=', id)
    .execute();
}

export async function markWithdrawn(db: Executor, id: string, reason: string, at: Date): Promise<void> {
  await db
    .updateTable('endorsements')
    .set({ withdrawn_at: at, withdrawn_reason: reason, confirm_token_hash: null, confirm_expires_at: null, pending_domain: null })
    .where('id', '=', id)
    .execute();
}

/** The version published after this one, if any. */
export function laterVersion(db: Executor, definitionId: string, publishedAfter: Date) {
  return db
    .selectFrom('versions')
    .select(['label'])
    .where('definition_id', '=', definitionId)
    .where('published_at', '>', publishedAfter)
    .orderBy('published_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The version published just before this one. */
export function previousVersion(db: Executor, definitionId: string, publishedBefore: Date) {
  return db
    .selectFrom('versions')
    .select(['id', 'label'])
    .where('definition_id', '=', definitionId)
    .where('published_at', '<', publishedBefore)
    .orderBy('published_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Accounts with a current endorsement of `previousId` but none of `currentId`. */
export async function countNotRenewed(db: Executor, previousId: string, currentId: string): Promise<number> {
  const row = await db
    .selectFrom('endorsements as old')
    .select((e) => e.fn.countAll<string>().as('n'))
    .where('old.version_id', '=', previousId)
    .where('old.withdrawn_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('endorsements as renewed')
            .select(sql`1`.as('one'))
            .whereRef('renewed.user_id', '=', 'old.user_id')
            .where('renewed.version_id', '=', currentId)
            .where('renewed.withdrawn_at', 'is', null),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Who currently endorses `versionId` (withdrawn endorsements left out): invited to endorse the next one. */
export function endorsersOf(db: Executor, versionId: string) {
  return db.selectFrom('endorsements').select(['user_id']).distinct().where('version_id', '=', versionId).where('withdrawn_at', 'is', null).execute();
}
