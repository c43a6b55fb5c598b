import { loadConfig } from '../config.ts';
import { openDatabase } from './open.ts';

// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits.
try {
  const database = await openDatabase(loadConfig(), (line) => console.log(line));
  console.log(database.appliedMigrations.length ? `applied: ${database.appliedMigrations.join(', ')}` : 'the database is up to date');
  await database.close();
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
