/**
 * bench/version-diff: how fast is GET /api/definitions/:id/diff on a 200-clause definition?
 *
 * Ours: the whole HTTP path (session check, two stored versions read from PostgreSQL, clause
 * matching by id, word diff per modified clause, JSON). Peer: jsdiff's diffWords over the two texts
 * joined as one string — what a generic text-diff tool would do, without clause identity, moves or
 * the database. Both run in this process against the same data; prints p50/p95 for each and the
 * ratio ours/peer. Target from the issue: ours "well under 100 ms".
 *
 *   npm run bench -- version-diff [--clauses 200] [--requests 100]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { diffWords } from 'diff';
import { buildApp } from '../server/src/app.ts';
import { SESSION_COOKIE } from '../server/src/auth/plugin.ts';
import { parseClauseContent } from '../server/src/text/content.ts';
import { editText } from '../server/src/text/edit.ts';
import { loadConfig } from '../server/src/config.ts';
import { createDb } from '../server/src/db/database.ts';
import { EmbeddedDatabase } from '../server/src/db/embedded.ts';
import { migrateToLatest } from '../server/src/db/migrator.ts';
import { ensureDatabase } from '../server/src/db/open.ts';
import { freePort } from '../server/test/support/net.ts';
import { option } from './support/process.ts';

const WORDS = 'open source artificial intelligence system model weights training data code parameters freedom use study modify share license terms'.split(' ');
function sentence(seed: number, words = 40): string {
  let x = seed * 9301 + 49297;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (x * 9301 + 49297) % 233280;
    out.push(WORDS[x % WORDS.length]!);
  }
  return `${out.join(' ')}.`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function run(): Promise<void> {
  const clauseCount = option('clauses', 200);
  const requests = option('requests', 100);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-bench-diff-'));
  const embedded = new EmbeddedDatabase({ dataDir, port: await freePort() });
  try {
    const url = await ensureDatabase((await embedded.start()).url, 'bench');
    const db = createDb(url, { max: 10 });
    await migrateToLatest(db);
    const config = loadConfig({ LOG_LEVEL: 'warn', CLIENT_DIR: '', RATE_LIMIT_API_PER_MINUTE: '1000000' });
    const app = await buildApp(config, { db, databaseKind: 'embedded' });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const origin = { origin: base, 'content-type': 'application/json' };
    const registered = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: origin,
      body: JSON.stringify({ email: 'bench@example.org', displayName: 'Bench', password: 'benchmark password' }),
    });
    const cookie = registered.headers.get('set-cookie')!.split(';')[0]!;
    const post = async (pathname: string, body: object) =>
      (await fetch(`${base}${pathname}`, { method: 'POST', headers: { ...origin, cookie }, body: JSON.stringify(body) })).json() as Promise<
        Record<string, any>
      >;
    await post('/api/groups', { slug: 'bench', name: 'Bench' });
    const definition = await post('/api/groups/bench/definitions', { slug: 'diff', title: 'Diff bench' });
    const userId = ((await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()) as { user: { id: string } }).user.id;
    const groupId = (await db.selectFrom('definitions').select('group_id').where('id', '=', definition.id).executeTakeFirstOrThrow()).group_id;

    const ids = Array.from({ length: clauseCount }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const text = (words: string) => parseClauseContent({ text: words });
    const deps = { db, registry: app.registry };
    const ref = { id: definition.id, group_id: groupId };
    await editText(deps, ref, async (_tx, edit) => {
      for (const [i, id] of ids.entries()) edit.insertClause(userId, { id, kind: i % 20 === 0 ? 'heading' : 'clause', content: text(sentence(i)) });
    });
    await post(`/api/definitions/${definition.id}/versions`, { label: '1.0', notes: '' });
    // 20% modified, 5 removed, 5 moved, 5 added.
    await editText(deps, ref, async (_tx, edit) => {
      for (let i = 0; i < clauseCount; i += 5) edit.replaceClause(userId, ids[i]!, text(sentence(i + 1000)));
      for (let i = 3; i < 53; i += 10) edit.deleteClause(userId, ids[i]!);
      for (let i = 7; i < 57; i += 10) edit.moveClause(userId, ids[i]!, clauseCount - 10);
      for (let i = 0; i < 5; i++) {
        edit.insertClause(userId, {
          id: `11111111-0000-4000-8000-${String(i).padStart(12, '0')}`,
          kind: 'clause',
          position: i * 30,
          content: text(sentence(5000 + i)),
        });
      }
    });
    await post(`/api/definitions/${definition.id}/versions`, { label: '2.0', notes: '' });

    const diffUrl = `${base}/api/definitions/${definition.id}/diff?from=1.0&to=2.0`;
    const ours: number[] = [];
    let summary: unknown;
    for (let i = 0; i < requests + 10; i++) {
      const started = performance.now();
      const response = await fetch(diffUrl, { headers: { cookie: `${SESSION_COOKIE}=${cookie.split('=')[1]}` } });
      const body = (await response.json()) as { summary: unknown };
      if (i >= 10) ours.push(performance.now() - started);
      summary = body.summary;
    }

    const [v1, v2] = await Promise.all(
      ['1.0', '2.0'].map(async (label) => {
        const version = (await (await fetch(`${base}/api/definitions/${definition.id}/versions/${label}`, { headers: { cookie } })).json()) as {
          clauses: { text: string }[];
        };
        return version.clauses.map((c) => c.text).join('\n\n');
      }),
    );
    const peer: number[] = [];
    for (let i = 0; i < requests + 10; i++) {
      const started = performance.now();
      JSON.stringify(diffWords(v1!, v2!));
      if (i >= 10) peer.push(performance.now() - started);
    }

    ours.sort((a, b) => a - b);
    peer.sort((a, b) => a - b);
    const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms   p95 ${percentile(xs, 95).toFixed(1)} ms`;
    console.log(`version-diff: ${clauseCount} clauses, ${requests} requests; summary ${JSON.stringify(summary)}`);
    console.log(`  peer (jsdiff diffWords on the joined text, in memory)   ${fmt(peer)}`);
    console.log(`  draftroom GET /api/definitions/:id/diff (HTTP + DB)      ${fmt(ours)}`);
    console.log(
      `  ratio ours/peer (p50): ${(percentile(ours, 50) / percentile(peer, 50)).toFixed(2)}   target: ours p95 < 100 ms -> ${percentile(ours, 95) < 100 ? 'met' : 'MISSED'}`,
    );
    await app.close();
    await db.destroy();
  } finally {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
