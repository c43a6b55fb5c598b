import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely, type RawBuilder } from 'kysely';
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

    it('secret_votes_at_rest gives existing votes random ids and per-voter numbers, and secret ones no time', async () => {
      const name = `draftroom_votes_${process.pid}_${Date.now()}`;
      const db = createDb(await ensureDatabase(inject('databaseServerUrl'), name), { max: 1 });
      try {
        const before = Object.fromEntries(Object.entries(migrations).filter(([key]) => key < '20261127T1800'));
        await migrateToLatest(db, { getMigrations: async () => before });
        const id = async (query: RawBuilder<{ id: string }>) => (await query.execute(db)).rows[0]!.id;
        const users = [];
        for (const who of ['a', 'b', 'c'])
          users.push(await id(sql`insert into users (email, display_name, password_hash) values (${`${who}@example.test`}, ${who}, 'x') returning id`));
        const [a, b, c] = users as [string, string, string];
        const group = await id(sql`insert into groups (slug, name, visibility, created_by) values ('g', 'G', 'private', ${a}) returning id`);
        const definition = await id(sql`insert into definitions (group_id, slug, title, created_by) values (${group}, 'd', 'D', ${a}) returning id`);
        const ballot = (secret: boolean) =>
          id(sql`insert into ballots (definition_id, title, subject, rules, status, created_by, opened_at)
            values (${definition}, 'B', '{"kind": "clause"}', ${JSON.stringify({ secret })}, 'open', ${a}, now() - interval '1 hour') returning id`);
        const secretBallot = await ballot(true);
        const publicBallot = await ballot(false);
        // Votes in the order they were cast (ids and times growing), the two ballots interleaved.
        const cast: [string, string | null, string | null, string][] = [
          [secretBallot, null, 'token-a', 'yes'],
          [publicBallot, b, null, 'yes'],
          [secretBallot, null, 'token-b', 'object'],
          [secretBallot, null, 'token-c', 'abstain'],
          [publicBallot, c, null, 'object'],
          [secretBallot, null, 'token-a', 'no_objection'],
          [publicBallot, b, null, 'abstain'],
          [secretBallot, null, 'token-b', 'yes'],
          [secretBallot, null, 'token-a', 'recuse'],
        ];
        for (const [i, [ballotId, voterId, voterToken, position]] of cast.entries())
          await sql`insert into ballot_votes (ballot_id, voter_id, voter_token, position, rationale, cast_at)
            values (${ballotId}, ${voterId}, ${voterToken}, ${position}, ${`vote ${i}`}, ${new Date(Date.UTC(2026, 10, 27, 12, i))})`.execute(db);

        expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).filter((key) => key >= '20261127T1800'));
        const rows = (
          await sql<{
            id: string;
            ballot_id: string;
            voter_id: string | null;
            voter_token: string | null;
            position: string;
            rationale: string;
            cast_at: Date | null;
            seq: number;
          }>`select * from ballot_votes`.execute(db)
        ).rows;
        const byRationale = cast.map((_, i) => rows.find((r) => r.rationale === `vote ${i}`)!);
        expect(byRationale.every((r) => r !== undefined)).toBe(true);
        expect(new Set(rows.map((r) => r.id)).size).toBe(cast.length);
        for (const row of rows) expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        // Each voter's votes numbered in the order they were cast; secret votes lose their times, public ones keep them.
        expect(byRationale.map((r) => [r.position, r.seq, r.cast_at?.getTime() ?? null])).toEqual([
          ['yes', 1, null],
          ['yes', 1, Date.UTC(2026, 10, 27, 12, 1)],
          ['object', 1, null],
          ['abstain', 1, null],
          ['object', 1, Date.UTC(2026, 10, 27, 12, 4)],
          ['no_objection', 2, null],
          ['abstain', 2, Date.UTC(2026, 10, 27, 12, 6)],
          ['yes', 2, null],
          ['recuse', 3, null],
        ]);
        // No sequence is left to number votes, and the new rules hold from here on.
        expect((await sql<{ seq: string | null }>`select pg_get_serial_sequence('ballot_votes', 'id') as seq`.execute(db)).rows[0]!.seq).toBeNull();
        expect((await sql<{ name: string | null }>`select to_regclass('ballot_votes_id_seq')::text as name`.execute(db)).rows[0]!.name).toBeNull();
        const insert = (voterToken: string, seq: number, castAt: Date | null) =>
          sql`insert into ballot_votes (ballot_id, voter_token, position, rationale, seq, cast_at) values (${secretBallot}, ${voterToken}, 'yes', '', ${seq}, ${castAt})`.execute(
            db,
          );
        await expect(insert('token-a', 3, null)).rejects.toThrow(/ballot_votes_token_seq/);
        await expect(insert('token-a', 4, new Date())).rejects.toThrow(/ballot_votes_secret_untimed/);
        await insert('token-a', 4, null);
        await expect(sql`update ballot_votes set position = 'yes' where ballot_id = ${secretBallot}`.execute(db)).rejects.toThrow(/append-only/);
        await expect(sql`delete from ballot_votes where ballot_id = ${secretBallot}`.execute(db)).rejects.toThrow(/append-only/);
      } finally {
        await db.destroy();
        const admin = createDb(inject('databaseServerUrl'), { max: 1 });
        await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
        await admin.destroy();
      }
    });

    it('thread_audience makes existing threads internal, except those started by someone outside the group at the time', async () => {
      const name = `draftroom_audience_${process.pid}_${Date.now()}`;
      const db = createDb(await ensureDatabase(inject('databaseServerUrl'), name), { max: 1 });
      try {
        const before = Object.fromEntries(Object.entries(migrations).filter(([key]) => key < '20261127T1900'));
        await migrateToLatest(db, { getMigrations: async () => before });
        const id = async (query: RawBuilder<{ id: string }>) => (await query.execute(db)).rows[0]!.id;
        const user = (who: string) =>
          id(sql`insert into users (email, display_name, password_hash) values (${`${who}@example.test`}, ${who}, 'x') returning id`);
        const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 12, minute));
        const [creator, member, leaver, joiner, outsider, returning] = [
          await user('creator'),
          await user('member'),
          await user('leaver'),
          await user('joiner'),
          await user('outsider'),
          await user('returning'),
        ];
        const group = await id(
          sql`insert into groups (slug, name, visibility, created_by, created_at) values ('g', 'G', 'public', ${creator}, ${at(0)}) returning id`,
        );
        const definition = await id(sql`insert into definitions (group_id, slug, title, created_by) values (${group}, 'd', 'D', ${creator}) returning id`);
        let seq = 0;
        const event = (type: string, userId: string, minute: number) =>
          sql`insert into events (chain, seq, group_id, type, payload, occurred_at, prev_hash, hash)
            values (${`group:${group}`}, ${++seq}, ${group}, ${type}, ${JSON.stringify({ userId, role: 'member' })}, ${at(minute)}, ${`p${seq}`}, ${`h${seq}`})`.execute(
            db,
          );
        const membership = (userId: string, minute: number) =>
          sql`insert into memberships (group_id, user_id, role, created_at) values (${group}, ${userId}, 'member', ${at(minute)})`.execute(db);
        // The creator (no event of their own), a member since minute 1, one who left at minute 20,
        // one who joined at minute 30, an outsider, and one who left at minute 5 and came back at 40.
        await membership(creator, 0);
        await membership(member, 1);
        await event('member.added', member, 1);
        await event('member.added', leaver, 2);
        await event('member.removed', leaver, 20);
        await membership(joiner, 30);
        await event('member.added', joiner, 30);
        await event('member.added', returning, 3);
        await event('member.left', returning, 5);
        await membership(returning, 40);
        await event('member.added', returning, 40);
        const thread = (author: string, minute: number) =>
          id(
            sql`insert into threads (definition_id, clause_id, author_id, created_at) values (${definition}, gen_random_uuid(), ${author}, ${at(minute)}) returning id`,
          );
        const expected: [string, string][] = [
          [await thread(creator, 10), 'internal'],
          [await thread(member, 10), 'internal'],
          [await thread(leaver, 10), 'internal'], // a member then, gone since: still the group's own talk
          [await thread(joiner, 10), 'public'], // written from outside, a member only later
          [await thread(joiner, 35), 'internal'],
          [await thread(outsider, 10), 'public'],
          [await thread(returning, 4), 'internal'],
          [await thread(returning, 10), 'public'],
          [await thread(returning, 45), 'internal'],
        ];

        expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).filter((key) => key >= '20261127T1900'));
        const rows = (await sql<{ id: string; audience: string }>`select id, audience from threads`.execute(db)).rows;
        expect(expected.map(([threadId]) => rows.find((r) => r.id === threadId)?.audience)).toEqual(expected.map(([, audience]) => audience));
        // New threads are internal unless said otherwise, and nothing else is accepted.
        expect(
          (
            await sql<{
              audience: string;
            }>`insert into threads (definition_id, clause_id, author_id) values (${definition}, gen_random_uuid(), ${member}) returning audience`.execute(db)
          ).rows[0]!.audience,
        ).toBe('internal');
        await expect(
          sql`insert into threads (definition_id, clause_id, author_id, audience) values (${definition}, gen_random_uuid(), ${member}, 'everyone')`.execute(db),
        ).rejects.toThrow(/threads_audience/);
      } finally {
        await db.destroy();
        const admin = createDb(inject('databaseServerUrl'), { max: 1 });
        await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
        await admin.destroy();
      }
    });

    it('notifications gives existing notifications their group and clause, and still refuses unknown kinds', async () => {
      const name = `draftroom_notifications_${process.pid}_${Date.now()}`;
      const db = createDb(await ensureDatabase(inject('databaseServerUrl'), name), { max: 1 });
      try {
        const before = Object.fromEntries(Object.entries(migrations).filter(([key]) => key < '20261128T1100'));
        await migrateToLatest(db, { getMigrations: async () => before });
        const id = async (query: RawBuilder<{ id: string }>) => (await query.execute(db)).rows[0]!.id;
        const user = await id(sql`insert into users (email, display_name, password_hash) values ('n@example.test', 'N', 'x') returning id`);
        const group = await id(sql`insert into groups (slug, name, visibility, created_by) values ('g', 'G', 'private', ${user}) returning id`);
        const definition = await id(sql`insert into definitions (group_id, slug, title, created_by) values (${group}, 'd', 'D', ${user}) returning id`);
        const clause = '6f1c1f0e-4b7a-4c43-9d8e-1a2b3c4d5e6f';
        const thread = await id(sql`insert into threads (definition_id, clause_id, author_id) values (${definition}, ${clause}, ${user}) returning id`);
        await sql`insert into notifications (user_id, kind, definition_id, thread_id, actor_id) values (${user}, 'mention', ${definition}, ${thread}, ${user})`.execute(
          db,
        );

        expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).filter((key) => key >= '20261128T1100'));
        const rows = await sql<{
          group_id: string;
          clause_id: string;
          data: unknown;
          dedupe_key: string | null;
        }>`select group_id, clause_id, data, dedupe_key from notifications`.execute(db);
        expect(rows.rows).toEqual([{ group_id: group, clause_id: clause, data: {}, dedupe_key: null }]);
        // Group-level kinds need no definition or thread; every row needs a group and a known kind.
        await sql`insert into notifications (user_id, kind, group_id, data) values (${user}, 'role_changed', ${group}, '{"role":"editor"}')`.execute(db);
        await expect(sql`insert into notifications (user_id, kind, group_id) values (${user}, 'gossip', ${group})`.execute(db)).rejects.toThrow(
          /notifications_kind_check/,
        );
        await expect(sql`insert into notifications (user_id, kind) values (${user}, 'role_changed')`.execute(db)).rejects.toThrow(/group_id/);
        // A reminder's key makes it once per person.
        const remind = sql`insert into notifications (user_id, kind, group_id, dedupe_key) values (${user}, 'ballot_closing', ${group}, 'k')
          on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing`;
        await remind.execute(db);
        await remind.execute(db);
        expect((await sql<{ n: number }>`select count(*)::int as n from notifications where dedupe_key = 'k'`.execute(db)).rows[0]!.n).toBe(1);
      } finally {
        await db.destroy();
        const admin = createDb(inject('databaseServerUrl'), { max: 1 });
        await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
        await admin.destroy();
      }
    });

    it('search gives existing clauses, published clauses, comments, amendments and ballots a search vector, kept up to date by the database', async () => {
      const name = `draftroom_search_${process.pid}_${Date.now()}`;
      const db = createDb(await ensureDatabase(inject('databaseServerUrl'), name), { max: 1 });
      try {
        const before = Object.fromEntries(Object.entries(migrations).filter(([key]) => key < '20261128T1200'));
        await migrateToLatest(db, { getMigrations: async () => before });
        const id = async (query: RawBuilder<{ id: string }>) => (await query.execute(db)).rows[0]!.id;
        const user = await id(sql`insert into users (email, display_name, password_hash) values ('a@example.test', 'A', 'x') returning id`);
        const group = await id(sql`insert into groups (slug, name, visibility, created_by) values ('g', 'G', 'public', ${user}) returning id`);
        const definition = await id(sql`insert into definitions (group_id, slug, title, created_by) values (${group}, 'd', 'D', ${user}) returning id`);
        const clause = await id(
          sql`insert into clauses (definition_id, clause_id, position, kind, text, markdown) values (${definition}, gen_random_uuid(), 0, 'clause', 'Training data is required.', '') returning clause_id as id`,
        );
        const version = await id(
          sql`insert into versions (definition_id, label, notes, state, published_by) values (${definition}, '1.0', '', '\\x00', ${user}) returning id`,
        );
        await sql`insert into version_clauses (version_id, clause_id, position, kind, text, markdown, content) values (${version}, ${clause}, 0, 'clause', 'Trained models are shared.', '', '{}')`.execute(
          db,
        );
        const thread = await id(sql`insert into threads (definition_id, clause_id, author_id) values (${definition}, ${clause}, ${user}) returning id`);
        await sql`insert into comments (thread_id, author_id, body, body_html) values (${thread}, ${user}, 'What about **training** sets?', '')`.execute(db);
        await sql`insert into amendments (definition_id, clause_id, author_id, base_text, proposed_text, proposed_markdown, proposed_content, rationale)
          values (${definition}, ${clause}, ${user}, '', 'Training data is optional.', '', '{}', 'Simpler to train')`.execute(db);
        await sql`insert into ballots (definition_id, title, subject, rules, created_by) values (${definition}, 'Is training data required?', '{}', '{}', ${user})`.execute(
          db,
        );

        expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).filter((key) => key >= '20261128T1200'));
        const tables = ['clauses', 'version_clauses', 'comments', 'amendments', 'ballots'];
        for (const table of tables) {
          const found = await sql<{
            n: number;
          }>`select count(*)::int as n from ${sql.table(table)} where search @@ websearch_to_tsquery('english', 'training')`.execute(db);
          expect(found.rows[0]!.n, table).toBe(1);
        }
        const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where indexname like '%_search' order by indexname`.execute(db);
        expect(indexes.rows.map((row) => row.indexname)).toEqual(tables.map((table) => `${table}_search`).sort());
        // Written with the row: a changed clause is found by its new words only.
        await sql`update clauses set text = 'Source code is required.' where clause_id = ${clause}`.execute(db);
        const after = await sql<{ old: boolean; new: boolean }>`select search @@ websearch_to_tsquery('english', 'training') as old,
          search @@ websearch_to_tsquery('english', 'source') as new from clauses where clause_id = ${clause}`.execute(db);
        expect(after.rows[0]).toEqual({ old: false, new: true });
        // Published versions stay immutable.
        await expect(sql`update version_clauses set text = 'changed'`.execute(db)).rejects.toThrow(/immutable/);
        // Nobody writes the vector by hand.
        await expect(sql`update comments set search = to_tsvector('forged')`.execute(db)).rejects.toThrow(/can only be updated to DEFAULT/);
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
