import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../server/src/db/database.ts';
import { ensureDatabase } from '../server/src/db/open.ts';
import { migrateToLatest } from '../server/src/db/migrator.ts';
import { createTestDatabase, type TestDatabase } from '../server/test/support/database.ts';
import { migrations } from './index.ts';

const execFileAsync = promisify(execFile);

describe('migrations', () => {
  it('lists every migration file of this folder, in file-name order', () => {
    const folder = fileURLToPath(new URL('.', import.meta.url));
    const files = readdirSync(folder)
      .filter((f) => /^\d{8}T\d{4}_.+\.ts$/.test(f) && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(migrations)).toEqual(files);
  });

  describe('on a database', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database.drop());

    it('npm run migrate brings an empty database up to date and says so', async () => {
      const empty = `draftroom_empty_${process.pid}_${Date.now()}`;
      const url = await ensureDatabase(inject('databaseServerUrl'), empty);
      try {
        const run = (env: Record<string, string>) =>
          execFileAsync(process.execPath, ['--import', 'tsx', 'server/src/db/migrate-cli.ts'], {
            cwd: fileURLToPath(new URL('..', import.meta.url)),
            env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
          });
        expect((await run({ DATABASE_URL: url })).stdout).toContain(`applied: ${Object.keys(migrations).join(', ')}`);
        expect((await run({ DATABASE_URL: url })).stdout).toContain('the database is up to date');
      } finally {
        const admin = createDb(inject('databaseServerUrl'), { max: 1 });
        await sql.raw(`drop database if exists "${empty}" with (force)`).execute(admin);
        await admin.destroy();
      }
    });

    it('npm run migrate exits non-zero, naming the problem, when the database cannot be reached', async () => {
      const run = execFileAsync(process.execPath, ['--import', 'tsx', 'server/src/db/migrate-cli.ts'], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none' },
      });
      await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('migration failed') });
    });

    it('chain_heads starts from the newest event of every chain already recorded', async () => {
      const name = `draftroom_heads_${process.pid}_${Date.now()}`;
      const db = createDb(await ensureDatabase(inject('databaseServerUrl'), name), { max: 1 });
      try {
        const before = Object.fromEntries(Object.entries(migrations).filter(([key]) => key < '20261127T1500'));
        await migrateToLatest(db, { getMigrations: async () => before });
        const event = (chain: string, seq: number) =>
          sql`insert into events (chain, seq, type, payload, occurred_at, prev_hash, hash) values (${chain}, ${seq}, 'test', '{}', now(), ${`prev-${chain}-${seq}`}, ${`hash-${chain}-${seq}`})`.execute(
            db,
          );
        for (const [chain, count] of [
          ['accounts', 3],
          ['group:a', 1],
          ['group:b', 2],
        ] as const)
          for (let seq = 1; seq <= count; seq++) await event(chain, seq);
        expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).filter((key) => key >= '20261127T1500'));
        const heads = await db.selectFrom('chain_heads').select(['chain', 'seq', 'hash']).orderBy('chain').execute();
        expect(heads).toEqual([
          { chain: 'accounts', seq: 3, hash: 'hash-accounts-3' },
          { chain: 'group:a', seq: 1, hash: 'hash-group:a-1' },
          { chain: 'group:b', seq: 2, hash: 'hash-group:b-2' },
        ]);
      } finally {
        await db.destroy();
        const admin = createDb(inject('databaseServerUrl'), { max: 1 });
        await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
        await admin.destroy();
      }
    });

    it('is already at the latest migration in the test template, and re-running changes nothing', async () => {
      expect(await migrateToLatest(database.db)).toEqual([]);
    });

    it('applies nothing at all when a later migration in the batch fails', async () => {
      const failing = {
        ...migrations,
        '29990101T0000_adds_table': { up: async (db: Kysely<any>) => void (await db.schema.createTable('half_done').addColumn('id', 'integer').execute()) },
        '29990101T0001_breaks': { up: async (db: Kysely<any>) => void (await sql`select * from no_such_table`.execute(db)) },
      };
      await expect(migrateToLatest(database.db, { getMigrations: async () => failing })).rejects.toThrow(
        /migration 29990101T0001_breaks failed: .*no_such_table.*; no migration was applied/,
      );
      const table = await sql<{ name: string | null }>`select to_regclass('half_done')::text as name`.execute(database.db);
      expect(table.rows[0]!.name).toBeNull();
      const applied = await database.db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute();
      expect(applied.map((row) => (row as { name: string }).name)).toEqual(Object.keys(migrations));
    });
  });
});
