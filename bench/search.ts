/**
 * bench/search: how fast is GET /api/search over 100,000 comments?
 *
 * Ours: the whole HTTP path (session check, schema, the term check, one query over the five kinds
 * with the access keys of the policies, GIN indexes on the stored tsvectors, ts_rank ordering, then
 * ts_headline and clause labels for the page). Peer: what a server without full-text search would
 * do — one `body ILIKE '%term%'` scan of the comments table, newest 20 first, raw `pg`, no
 * permissions, no snippets. Both run in this process against the same embedded PostgreSQL, one
 * request at a time, over the same queries (rare, medium and common words, two words, a phrase); prints
 * p50/p95 per query and overall, and the ratio of the p95s (peer/ours: above 1, ours is faster).
 *
 *   npm run bench -- search [--comments 100000] [--requests 40]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../server/src/app.ts';
import { SESSION_COOKIE } from '../server/src/auth/plugin.ts';
import { loadConfig } from '../server/src/config.ts';
import { createDb } from '../server/src/db/database.ts';
import { EmbeddedDatabase } from '../server/src/db/embedded.ts';
import { migrateToLatest } from '../server/src/db/migrator.ts';
import { ensureDatabase } from '../server/src/db/open.ts';
import { freePort } from '../server/test/support/net.ts';
import { option } from './support/process.ts';

/** A made-up vocabulary of 1,000 words (syllable pairs), drawn with a skew: a few words are common, most rare. */
const SYLLABLES = 'ka lo mi re tu sa ne vo pi da ru fe go hi ja ze bo ti wa ly ce xu qo ny ha'.split(' ');
const VOCABULARY = Array.from({ length: 1000 }, (_, i) => {
  const a = SYLLABLES[i % 25]!;
  const b = SYLLABLES[Math.floor(i / 25) % 25]!;
  const c = SYLLABLES[Math.floor(i / 625) % 25]!;
  return `${a}${b}${c}n`;
});
// Index i is drawn with probability ~ decreasing in i (power 3 on a uniform draw).
const rank = (share: number) => VOCABULARY[Math.floor(share ** 3 * VOCABULARY.length)]!;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(requests: number, once: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await once(); // warm-up: plans, caches, JIT
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

export async function run(): Promise<void> {
  const commentCount = option('comments', 100_000);
  const requests = option('requests', 40);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-bench-search-'));
  const embedded = new EmbeddedDatabase({ dataDir, port: await freePort() });
  try {
    const url = await ensureDatabase((await embedded.start()).url, 'bench');
    const db = createDb(url, { max: 10 });
    await migrateToLatest(db);
    const config = loadConfig({ LOG_LEVEL: 'warn', CLIENT_DIR: '', RATE_LIMIT_API_PER_MINUTE: '1000000' });
    const app = await buildApp(config, { db, databaseKind: 'embedded' });
    const registered = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'bench@example.org', displayName: 'Bench', password: 'benchmark password' },
    });
    const cookie = registered.cookies.find((c) => c.name === SESSION_COOKIE)!;
    const headers = { cookie: `${cookie.name}=${cookie.value}`, origin: 'http://localhost' };
    const userId = registered.json().user.id as string;
    const group = await app.inject({ method: 'POST', url: '/api/groups', headers, payload: { slug: 'bench', name: 'Bench', visibility: 'public' } });
    if (group.statusCode !== 201) throw new Error(`group: ${group.body}`);

    // 10 definitions with 20 clauses each, 1,000 threads (half internal, half public), the comments spread over them.
    const started = performance.now();
    await sql`insert into definitions (group_id, slug, title, created_by)
      select g.id, 'def-' || i, 'Definition ' || i, ${userId} from groups g, generate_series(1, 10) i where g.slug = 'bench'`.execute(db);
    await sql`insert into clauses (definition_id, clause_id, position, kind, text, markdown)
      select d.id, gen_random_uuid(), p, 'clause', 'Clause ' || p || ' of ' || d.title, '' from definitions d, generate_series(0, 19) p`.execute(db);
    await sql`insert into threads (definition_id, clause_id, author_id, audience)
      select c.definition_id, c.clause_id, ${userId}, case when n % 2 = 0 then 'internal' else 'public' end
      from clauses c, generate_series(1, 5) n`.execute(db);
    await sql`
      with threads_list as (select array_agg(id order by id) as ids from threads)
      insert into comments (thread_id, author_id, body, body_html)
      select t.ids[1 + (i % array_length(t.ids, 1))], ${userId},
        (select string_agg(words.w[1 + floor(power(random(), 3) * 1000)::int], ' ')
          from (select ${VOCABULARY}::text[] as w) words, generate_series(1, 10 + (i % 30))),
        ''
      from generate_series(1, ${commentCount}::int) i, threads_list t`.execute(db);
    await sql`analyze`.execute(db);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const share = await sql<{ word: string; n: number }>`
      select w as word, (select count(*)::int from comments where body like '%' || w || '%') as n
      from unnest(${[rank(0.95), rank(0.55), rank(0.2)]}::text[]) w`.execute(db);
    console.log(`search: ${commentCount.toLocaleString('en')} comments written in ${seconds} s; ${requests} requests per query, one at a time`);
    console.log(`  comments holding each single word: ${share.rows.map((r) => `${r.word} ${r.n.toLocaleString('en')}`).join(', ')}`);

    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const queries = [
      { name: 'rare word', q: rank(0.95), like: [rank(0.95)] },
      { name: 'medium word', q: rank(0.55), like: [rank(0.55)] },
      { name: 'common word', q: rank(0.2), like: [rank(0.2)] },
      { name: 'two words', q: `${rank(0.55)} ${rank(0.7)}`, like: [rank(0.55), rank(0.7)] },
      { name: 'phrase', q: `"${rank(0.05)} ${rank(0.1)}"`, like: [`${rank(0.05)} ${rank(0.1)}`] },
    ];
    const all = { ours: [] as number[], peer: [] as number[] };
    const fmt = (times: number[]) => `p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms`;
    for (const query of queries) {
      let found = 0;
      const ours = await time(requests, async () => {
        const response = await app.inject({ method: 'GET', url: '/api/search', query: { q: query.q }, headers });
        if (response.statusCode !== 200) throw new Error(`search ${query.q}: ${response.statusCode} ${response.body}`);
        found = response.json().results.length;
      });
      const peer = await time(requests, async () => {
        const conditions = query.like.map((_, i) => `body ilike $${i + 1}`).join(' and ');
        await pool.query(
          `select id, thread_id, body, created_at from comments where ${conditions} and deleted_at is null order by created_at desc limit 20`,
          query.like.map((word) => `%${word}%`),
        );
      });
      all.ours.push(...ours);
      all.peer.push(...peer);
      console.log(
        `  ${query.name.padEnd(12)} ${JSON.stringify(query.q).padEnd(24)} ours ${fmt(ours)}   peer ILIKE ${fmt(peer)}   (${found} results on the page)`,
      );
    }
    all.ours.sort((a, b) => a - b);
    all.peer.sort((a, b) => a - b);
    console.log(`  all queries                           ours ${fmt(all.ours)}   peer ILIKE ${fmt(all.peer)}`);
    console.log(`  ratio peer/ours (p95): ${(percentile(all.peer, 95) / percentile(all.ours, 95)).toFixed(2)}  (above 1: ours is faster)`);

    await app.close();
    await pool.end();
    await db.destroy();
  } finally {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
