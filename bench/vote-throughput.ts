/**
 * bench/vote-throughput: sustained vote casting over HTTP (PUT /api/ballots/:id/vote through the whole
 * stack: session, CSRF check, validation, eligibility, the group commit with its ballot lock, vote
 * history and one audit event per vote) against a plain `pg` INSERT loop into the same ballot_votes
 * table, in the same run, with the same concurrency — at each concurrency asked for (default 10, 20
 * and 50), in alternating rounds. Prints both rates and the ratio ours/peer per concurrency, then the
 * verdict: sustained throughput, each side at the concurrency where it does best (the median of its
 * rounds there), against the target ours/peer >= 0.5. The plain loop peaks at few connections; a group
 * commit needs voters waiting together to fill its batches, so at 10–20 connections Draftroom is bound by
 * round-trip latency with CPU to spare, not by what it can sustain (bench/README.md has the numbers).
 *
 * Draftroom runs as in production (server/src/main.ts) in its own process on the bench's embedded
 * PostgreSQL; autocannon and the peer's INSERT loop run in this process.
 *
 * `--populate N` first fills the database with other groups' data (N ballots, 2N clauses, N/2 users,
 * N/20 groups and their audit chains): a vote's cost must not grow with the instance.
 *
 *   npm run bench -- vote-throughput [--duration 5] [--rounds 3] [--connections 10,20,50] [--warmup 5] [--voters 50] [--populate 0] [--profile DIR]
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { randomString } from '../server/src/auth/tokens.ts';
import { createDb } from '../server/src/db/database.ts';
import { EmbeddedDatabase } from '../server/src/db/embedded.ts';
import { migrateToLatest } from '../server/src/db/migrator.ts';
import { ensureDatabase } from '../server/src/db/open.ts';
import { freePort } from '../server/test/support/net.ts';
import { cpuBetween, nodeArgs, option, optionList, ROOT, serverNodeFlags, startChild, stopChild, treeTicks, type Child } from './support/process.ts';

export async function run(): Promise<void> {
  const duration = option('duration', 5);
  const rounds = option('rounds', 3);
  const concurrencies = optionList('connections', [10, 20, 50]);
  const voterCount = option('voters', 50);
  const populate = option('populate', 0);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-bench-votes-'));
  const embedded = new EmbeddedDatabase({ dataDir, port: await freePort() });
  let server: Child | null = null;
  try {
    const url = await ensureDatabase((await embedded.start()).url, 'bench');
    const db = createDb(url, { max: 4 });
    await migrateToLatest(db);
    const port = await freePort();
    const profile = process.argv.indexOf('--profile');
    ({ child: server } = await startChild(
      'draftroom',
      nodeArgs(path.join(ROOT, 'server/src/main.ts'), [
        ...serverNodeFlags(),
        ...(profile > 0 ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.argv[profile + 1]!)}`] : []),
      ]),
      {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: url,
        BALLOT_SECRET: randomBytes(32).toString('base64url'),
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: '',
        CLIENT_DIR: '',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_API_PER_MINUTE: '1000000',
        RATE_LIMIT_REGISTER_PER_IP: '1000000',
      },
      /Draftroom is running at/,
      90_000,
    ));
    const base = `http://127.0.0.1:${port}`;
    const headers = { origin: base, 'content-type': 'application/json' };
    const chair = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'chair@bench.test', displayName: 'Chair', password: 'benchmark password' }),
    });
    const chairCookie = chair.headers.get('set-cookie')!.split(';')[0]!;
    const post = async (pathname: string, body?: object) =>
      (await fetch(`${base}${pathname}`, { method: 'POST', headers: { ...headers, cookie: chairCookie }, body: JSON.stringify(body ?? {}) })).json() as Promise<
        Record<string, any>
      >;
    await post('/api/groups', { slug: 'bench', name: 'Bench' });
    const definition = await post('/api/groups/bench/definitions', { slug: 'votes', title: 'Votes' });
    const clause = await post(`/api/definitions/${definition.id}/clauses`, { text: 'Training data is required.' });
    const groupId = (await db.selectFrom('groups').select('id').where('slug', '=', 'bench').executeTakeFirstOrThrow()).id;

    // Voters straight into the database (registering 50 people would benchmark argon2, not voting).
    const cookies: string[] = [];
    const hash = (await db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow()).password_hash;
    for (let i = 0; i < voterCount; i++) {
      const user = await db
        .insertInto('users')
        .values({ email: `voter${i}@bench.test`, display_name: `Voter ${i}`, password_hash: hash })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('memberships').values({ group_id: groupId, user_id: user.id, role: 'member' }).execute();
      const id = randomString();
      const secret = randomString();
      await db
        .insertInto('sessions')
        .values({ id, user_id: user.id, secret_hash: createHash('sha256').update(secret).digest(), last_verified_at: new Date() })
        .execute();
      cookies.push(`draftroom_session=${id}.${secret}`);
    }
    const rules = {
      kind: 'binding',
      eligibleRoles: ['member'],
      quorum: 0,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret: false,
      resultsVisibility: 'after_close',
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const ballot = await post(`/api/definitions/${definition.id}/ballots`, { title: 'Bench', subject: { kind: 'clause', clauseId: clause.id }, rules });
    await post(`/api/ballots/${ballot.id}/open`);
    if (populate > 0) {
      // Before the first vote: the writer plans its statements once, with the statistics of that moment.
      const creator = (await db.selectFrom('users').select('id').where('email', '=', 'chair@bench.test').executeTakeFirstOrThrow()).id;
      const groups = Math.max(1, Math.floor(populate / 20));
      await sql`insert into users (email, display_name, password_hash) select 'other' || i || '@bench.test', 'Other', 'x' from generate_series(1, ${Math.floor(populate / 2)}) as i`.execute(
        db,
      );
      await sql`insert into groups (slug, name, visibility, created_by) select 'other-' || i, 'Other', 'private', ${creator} from generate_series(1, ${groups}) as i`.execute(
        db,
      );
      await sql`insert into memberships (group_id, user_id, role)
        select g.id, u.id, 'member' from users u join groups g on g.slug = 'other-' || (1 + abs(hashtext(u.email)) % ${groups}) where u.email like 'other%'`.execute(
        db,
      );
      await sql`insert into definitions (group_id, slug, title, created_by) select g.id, 'd' || i, 'Other', ${creator} from groups g, generate_series(1, 4) as i where g.slug like 'other-%'`.execute(
        db,
      );
      await sql`insert into clauses (definition_id, clause_id, position, kind, text, markdown)
        select d.id, gen_random_uuid(), i, 'clause', 'Other.', 'Other.' from definitions d, generate_series(1, 10) as i where d.title = 'Other'`.execute(db);
      await sql`insert into ballots (definition_id, title, subject, rules, status, created_by)
        select d.id, 'Other', '{"kind": "clause"}', '{}', 'closed', ${creator} from definitions d, generate_series(1, 5) as i where d.title = 'Other'`.execute(
        db,
      );
      await sql`insert into chain_heads (chain, seq, hash) select 'group:' || id, 0, ${'0'.repeat(64)} from groups where slug like 'other-%' on conflict do nothing`.execute(
        db,
      );
      await sql`analyze`.execute(db);
      const counts = await sql<
        Record<string, number>
      >`select (select count(*) from ballots) as ballots, (select count(*) from clauses) as clauses, (select count(*) from memberships) as memberships, (select count(*) from groups) as groups`.execute(
        db,
      );
      console.log(
        `populated: ${Object.entries(counts.rows[0]!)
          .map(([table, n]) => `${n} ${table}`)
          .join(', ')}`,
      );
    }

    let next = 0;
    let firstFailure = '';
    const positions = ['yes', 'no_objection', 'abstain'];
    const load = (seconds: number, connections: number) =>
      autocannon({
        url: `${base}/api/ballots/${ballot.id}/vote`,
        method: 'PUT',
        connections,
        duration: seconds,
        requests: [
          {
            setupRequest: (request) => {
              const i = next++;
              return { ...request, headers: { ...headers, cookie: cookies[i % cookies.length]! }, body: JSON.stringify({ position: positions[i % 3] }) };
            },
            onResponse: (status: number, body: string) => {
              if (status !== 200 && !firstFailure) firstFailure = `${status} ${body}`;
            },
          },
        ],
      });
    await load(option('warmup', 5), Math.max(...concurrencies)); // warm-up (the JIT, the caches, the kept connection)
    const serverPid = server.process.pid!;
    // CPU seconds of this process (autocannon, or the peer's loop), the server, and the rest of the tree (PostgreSQL).
    type Cpu = { bench: number; server: number; postgres: number };
    const measured = async <T>(work: () => Promise<T>): Promise<[T, Cpu]> => {
      const before = treeTicks(process.pid);
      const value = await work();
      const after = treeTicks(process.pid);
      const all = cpuBetween(process.pid, before, after);
      const app = cpuBetween(serverPid, before, after).self;
      return [value, { bench: all.self, server: app, postgres: all.descendants - app }];
    };
    const runOurs = async (connections: number) => {
      const result = await load(duration, connections);
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`votes failed: ${result.non2xx} non-2xx (${JSON.stringify(result.statusCodeStats)}), ${result.errors} errors; first: ${firstFailure}`);
      return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
    };

    // Peer: the bare minimum — one INSERT per vote, same table, same concurrency, no HTTP at all.
    const voterIds = (await db.selectFrom('users').select('id').where('email', 'like', 'voter%').execute()).map((u) => u.id);
    const runPeer = async (pool: pg.Pool, connections: number) => {
      let inserted = 0;
      // Each voter's votes are numbered (seq, unique per voter): above every number so far, i is unique across lanes.
      const { rows } = await pool.query<{ top: number }>('select coalesce(max(seq), 0) as top from ballot_votes where ballot_id = $1', [ballot.id]);
      const above = rows[0]!.top;
      const deadline = Date.now() + duration * 1000;
      await Promise.all(
        Array.from({ length: connections }, async (_, lane) => {
          for (let i = lane; Date.now() < deadline; i += connections) {
            await pool.query('insert into ballot_votes (ballot_id, voter_id, seq, position, rationale, text_seen) values ($1, $2, $3, $4, $5, $6)', [
              ballot.id,
              voterIds[i % voterIds.length],
              above + i + 1,
              positions[i % 3],
              '',
              'Training data is required.',
            ]);
            inserted++;
          }
        }),
      );
      return { rate: inserted / duration };
    };

    console.log(
      `vote-throughput: ${rounds} rounds of ${duration} s each side per concurrency, ${voterCount} voters; Draftroom in its own process, ${os.cpus().length} CPUs`,
    );
    const cpu = (c: Cpu) =>
      `CPU s: load ${c.bench.toFixed(1)}, draftroom ${c.server.toFixed(1)}, postgres ${c.postgres.toFixed(1)} of ${(duration * os.cpus().length).toFixed(0)}`;
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const summary: { connections: number; ours: number; peer: number; ratio: number }[] = [];
    for (const connections of concurrencies) {
      const pool = new pg.Pool({ connectionString: url, max: connections });
      const ratios: number[] = [];
      const oursRates: number[] = [];
      const peerRates: number[] = [];
      console.log(`  ${connections} connections`);
      // Rounds alternate which side goes first, so a change in the machine's background load falls on both.
      for (let round = 1; round <= rounds; round++) {
        let ours: [{ rate: number; p50: number; p99: number }, Cpu];
        let peer: [{ rate: number }, Cpu];
        if (round % 2 === 1) {
          ours = await measured(() => runOurs(connections));
          peer = await measured(() => runPeer(pool, connections));
        } else {
          peer = await measured(() => runPeer(pool, connections));
          ours = await measured(() => runOurs(connections));
        }
        ratios.push(ours[0].rate / peer[0].rate);
        oursRates.push(ours[0].rate);
        peerRates.push(peer[0].rate);
        console.log(`    round ${round}: peer (pg INSERT loop) ${peer[0].rate.toFixed(0).padStart(5)} inserts/s  [${cpu(peer[1])}]`);
        console.log(
          `             draftroom PUT …/vote  ${ours[0].rate.toFixed(0).padStart(5)} votes/s   [${cpu(ours[1])}]  p50 ${ours[0].p50} ms, p99 ${ours[0].p99} ms  ratio ${ratios.at(-1)!.toFixed(2)}`,
        );
      }
      await pool.end();
      summary.push({ connections, ours: median(oursRates), peer: median(peerRates), ratio: median(ratios) });
    }
    console.log('  median of the rounds, at the same concurrency:');
    for (const row of summary) {
      console.log(
        `    ${String(row.connections).padStart(3)} connections: peer ${row.peer.toFixed(0).padStart(5)}/s, draftroom ${row.ours.toFixed(0).padStart(5)}/s, ratio ours/peer ${row.ratio.toFixed(2)}`,
      );
    }
    // Sustained throughput: each side at the concurrency that suits it best.
    const best = (pick: (row: (typeof summary)[number]) => number) => summary.reduce((a, b) => (pick(b) > pick(a) ? b : a));
    const peerBest = best((r) => r.peer);
    const oursBest = best((r) => r.ours);
    const ratio = oursBest.ours / peerBest.peer;
    console.log(
      `  sustained, each at its best: peer ${peerBest.peer.toFixed(0)}/s (${peerBest.connections} connections), draftroom ${oursBest.ours.toFixed(0)}/s (${oursBest.connections} connections), ` +
        `ratio ${ratio.toFixed(3)} — target >= 0.500 ${ratio >= 0.5 ? 'met' : 'NOT MET'}`,
    );
    await db.destroy();
  } catch (error) {
    console.error('vote-throughput failed:', error);
    throw error;
  } finally {
    if (server) await stopChild(server);
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
