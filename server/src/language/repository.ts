import type { Executor } from '../db/database.ts';

export async function isEnabled(db: Executor, definitionId: string): Promise<boolean> {
  const row = await db.selectFrom('definitions').select('language_checks').where('id', '=', definitionId).executeTakeFirst();
  return row?.language_checks ?? false;
}

export async function setEnabled(db: Executor, definitionId: string, enabled: boolean): Promise<boolean> {
  const row = await db
    .updateTable('definitions')
    .set({ language_checks: enabled })
    .where('id', '=', definitionId)
    .where('language_checks', '<>', enabled)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export function glossary(db: Executor, definitionId: string) {
  return db
    .selectFrom('glossary_terms')
    .select(['id', 'term', 'clause_id'])
    .where('definition_id', '=', definitionId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Undefined when the definition's glossary has the term already (in any case or spacing). */
export function insertTerm(db: Executor, entry: { definitionId: string; term: string; termKey: string; clauseId: string; createdBy: string }) {
  return db
    .insertInto('glossary_terms')
    .values({ definition_id: entry.definitionId, term: entry.term, term_key: entry.termKey, clause_id: entry.clauseId, created_by: entry.createdBy })
    .onConflict((oc) => oc.columns(['definition_id', 'term_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export function deleteTerm(db: Executor, definitionId: string, termId: string) {
  return db.deleteFrom('glossary_terms').where('id', '=', termId).where('definition_id', '=', definitionId).returning(['term', 'clause_id']).executeTakeFirst();
}
