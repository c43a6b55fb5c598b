import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { createDb, type Db } from '../../src/db/database.ts';

export interface TestDatabase {
  db: Db;
  url: string;
  kind: 'embedded' | 'external';
  drop(): Promise<void>;
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, migrated database of its own for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('databaseServerUrl');
  const template = inject('templateDatabase');
  const name = `draftroom_test_${randomBytes(6).toString('hex')}`;
  const admin = createDb(serverUrl, { max: 1 });
  try {
    // Cloning fails while anyone else is connected to the template; retry briefly when that happens.
    for (let attempt = 0; ; attempt++) {
      try {
        await sql.raw(`create database "${name}" template "${template}"`).execute(admin);
        break;
      } catch (error) {
        if (attempt >= 20 || !String(error).includes('is being accessed by other users')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.destroy();
  }
  const url = withDatabase(serverUrl, name);
  const db = createDb(url, { max: 5 });
  return {
    db,
    url,
    kind: inject('databaseKind'),
    async drop() {
      await db.destroy();
      const cleanup = createDb(serverUrl, { max: 1 });
      try {
        // FORCE ends what is still connected; on a server where the test role may not signal another
        // role's process (an autovacuum worker, say) it is refused, and a brief wait lets that process end.
        for (let attempt = 0; ; attempt++) {
          try {
            await sql.raw(`drop database if exists "${name}" with (force)`).execute(cleanup);
            break;
          } catch (error) {
            const message = String(error);
            const transient = message.includes('must be a member of the role') || message.includes('is being accessed by other users');
            if (attempt >= 30 || !transient) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
          }
        }
      } finally {
        await cleanup.destroy();
      }
    },
  };
}
