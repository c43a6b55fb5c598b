import type { Executor } from '../db/database.ts';

const versionColumns = [
  'versions.id',
  'versions.definition_id',
  'versions.label',
  'versions.notes',
  'versions.published_at',
  'versions.published_by',
  'users.display_name as publisher_name',
] as const;

export function listVersions(db: Executor, definitionId: string) {
  return db
    .selectFrom('versions')
    .innerJoin('users', 'users.id', 'versions.published_by')
    .select([
      ...versionColumns,
      (eb) =>
        eb
          .selectFrom('version_clauses')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('version_clauses.version_id', '=', 'versions.id')
          .as('clause_count'),
    ])
    .where('versions.definition_id', '=', definitionId)
    .orderBy('versions.published_at', 'desc')
    .execute();
}

export function findVersion(db: Executor, definitionId: string, label: string) {
  return db
    .selectFrom('versions')
    .innerJoin('users', 'users.id', 'versions.published_by')
    .select([...versionColumns, 'versions.state'])
    .where('versions.definition_id', '=', definitionId)
    .where('versions.label', '=', label)
    .executeTakeFirst();
}

export function listVersionClauses(db: Executor, versionId: string) {
  return db
    .selectFrom('version_clauses')
    .select(['clause_id', 'position', 'kind', 'text', 'markdown', 'content'])
    .where('version_id', '=', versionId)
    .orderBy('position')
    .execute();
}

/** The most recently published version, for the public page. */
export function findLatestVersion(db: Executor, definitionId: string) {
  return db
    .selectFrom('versions')
    .select(['id', 'label', 'published_at'])
    .where('definition_id', '=', definitionId)
    .orderBy('published_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Whether a version with this label exists, by its id alone (nothing else of it is read). */
export function findVersionId(db: Executor, definitionId: string, label: string) {
  return db.selectFrom('versions').select('id').where('definition_id', '=', definitionId).where('label', '=', label).executeTakeFirst();
}

/** A version's clauses as text and content (the public page renders its Markdown from the content). */
export function listVersionClauseTexts(db: Executor, versionId: string) {
  return db
    .selectFrom('version_clauses')
    .select(['clause_id', 'kind', 'position', 'text', 'content'])
    .where('version_id', '=', versionId)
    .orderBy('position')
    .execute();
}

/** Returns undefined when the label is taken for this definition. */
export function insertVersion(db: Executor, version: { definitionId: string; label: string; notes: string; state: Uint8Array; publishedBy: string }) {
  return db
    .insertInto('versions')
    .values({
      definition_id: version.definitionId,
      label: version.label,
      notes: version.notes,
      state: Buffer.from(version.state),
      published_by: version.publishedBy,
    })
    .onConflict((oc) => oc.columns(['definition_id', 'label']).doNothing())
    .returning(['id'])
    .executeTakeFirst();
}

export async function insertVersionClauses(
  db: Executor,
  versionId: string,
  clauses: { clauseId: string; position: number; kind: 'heading' | 'clause'; text: string; markdown: string; content: unknown }[],
): Promise<void> {
  if (clauses.length === 0) return;
  await db
    .insertInto('version_clauses')
    .values(
      clauses.map((c) => ({
        version_id: versionId,
        clause_id: c.clauseId,
        position: c.position,
        kind: c.kind,
        text: c.text,
        markdown: c.markdown,
        content: JSON.stringify(c.content),
      })),
    )
    .execute();
}
