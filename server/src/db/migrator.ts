import { Migrator, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../migrations/index.ts';
import type { Db } from './database.ts';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the schema to the latest migration. Kysely runs the pending migrations in one transaction
 * on PostgreSQL, so a failure leaves the database exactly as it was.
 */
export async function migrateToLatest(db: Db, source: MigrationProvider = provider): Promise<string[]> {
  const migrator = new Migrator({ db, provider: source });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}; no migration was applied`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
