/**
 * bench/vote-throughput: sustained vote casting over HTTP (PUT /api/ballots/:id/vote through the whole
 * stack: session, CSRF check, validation, eligibility, the group commit with its ballot lock, vote
 * history and one audit event per vote) against a plain `pg` INSERT loop into the same ballot_votes
 * table, in the same run, with the same concurrency. Prints both rates and the ratio ours/peer
 * (target >= 0.5).
 *
 * Draftroom runs as in production (server/src/main.ts) in its own process on the bench's embedded
 * PostgreSQL; autocannon and the peer's INSERT loop run in this process.
 *
 *   npm run bench -- vote-throughput [--duration 10] [--connections 20] [--voters 50] [--profile DIR]
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { randomString } from '../server/src/auth/tokens.ts';
import { createDb } from '../server/src/db/database.ts';
import { EmbeddedDatabase } from '../server/src/db/embedded.ts';
import { migrateToLatest } from '../server/src/db/migrator.ts';
import { ensureDatabase } from '../server/src/db/open.ts';
import { freePort } from '../server/test/support/net.ts';
import { nodeArgs, option, ROOT, startChild, stopChild, type Child } from './support/process.ts';

export async function run(): Promise<void> {
  const duration = option('duration', 10);
  const connections = option('connections', 20);
  const voterCount = option('voters', 50);
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
      nodeArgs(path.join(ROOT, 'server/src/main.ts'), profile > 0 ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.argv[profile + 1]!)}`] : []),
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
    const chair = await fetch(`${base}/api/auth/register`, { method: 'POST', headers, body: JSON.stringify({ email: 'chair@bench.test', displayName: 'Chair', password: 'benchmark password' }) });
    const chairCookie = chair.headers.get('set-cookie')!.split(';')[0]!;
    const post = async (pathname: string, body?: object) =>
      (await fetch(`${base}${pathname}`, { method: 'POST', headers: { ...headers, cookie: chairCookie }, body: JSON.stringify(body ?? {}) })).json() as Promise<Record<string, any>>;
    await post('/api/groups', { slug: 'bench', name: 'Bench' });
    const definition = await post('/api/groups/bench/definitions', { slug: 'votes', title: 'Votes' });
    const clause = await post(`/api/definitions/${definition.id}/clauses`, { text: 'Training data is required.' });
    const groupId = (await db.selectFrom('groups').select('id').where('slug', '=', 'bench').executeTakeFirstOrThrow()).id;

    // Voters straight into the database (registering 50 people would benchmark argon2, not voting).
    const cookies: string[] = [];
    const hash = (await db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow()).password_hash;
    for (let i = 0; i < voterCount; i++) {
      const user = await db.insertInto('users').values({ email: `voter${i}@bench.test`, display_name: `Voter ${i}`, password_hash: hash }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('memberships').values({ group_id: groupId, user_id: user.id, role: 'member' }).execute();
      const id = randomString();
      const secret = randomString();
      await db.insertInto('sessions').values({ id, user_id: user.id, secret_hash: createHash('sha256').update(secret).digest(), last_verified_at: new Date() }).execute();
      cookies.push(`draftroom_session=${id}.${secret}`);
    }
    const rules = { kind: 'binding', eligibleRoles: ['member'], quorum: 0, threshold: 0.5, blockingObjectionFails: false, secret: false, resultsVisibility: 'after_close', closesAt: new Date(Date.now() + 3_600_000).toISOString() };
    const ballot = await post(`/api/definitions/${definition.id}/ballots`, { title: 'Bench', subject: { kind: 'clause', clauseId: clause.id }, rules });
    await post(`/api/ballots/${ballot.id}/open`);

    let next = 0;
    let firstFailure = '';
    const positions = ['yes', 'no_objection', 'abstain'];
    const load = (seconds: number) =>
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
    await load(2); // warm-up
    const ours = await load(duration);
    if (ours.non2xx > 0 || ours.errors > 0) throw new Error(`votes failed: ${ours.non2xx} non-2xx (${JSON.stringify(ours.statusCodeStats)}), ${ours.errors} errors; first: ${firstFailure}`);

    // Peer: the bare minimum — one INSERT per vote, same table, same concurrency, no HTTP at all.
    const pool = new pg.Pool({ connectionString: url, max: connections });
    const voterIds = (await db.selectFrom('users').select('id').where('email', 'like', 'voter%').execute()).map((u) => u.id);
    let inserted = 0;
    const deadline = Date.now() + duration * 1000;
    await Promise.all(
      Array.from({ length: connections }, async (_, lane) => {
        for (let i = lane; Date.now() < deadline; i += connections) {
          await pool.query('insert into ballot_votes (ballot_id, voter_id, position, rationale, text_seen) values ($1, $2, $3, $4, $5)', [ballot.id, voterIds[i % voterIds.length], positions[i % 3], '', 'Training data is required.']);
          inserted++;
        }
      }),
    );
    const peerRate = inserted / duration;
    await pool.end();

    console.log(`vote-throughput: ${connections} connections, ${duration} s, ${voterCount} voters; Draftroom in its own process, ${os.cpus().length} CPUs`);
    console.log(`  peer (pg INSERT loop)            ${peerRate.toFixed(0).padStart(7)} votes/s`);
    console.log(`  draftroom PUT /api/ballots/:id/vote ${ours.requests.average.toFixed(0).padStart(7)} votes/s   p50 ${ours.latency.p50} ms   p99 ${ours.latency.p99} ms`);
    console.log(`  ratio ours/peer: ${(ours.requests.average / peerRate).toFixed(2)}  (target >= 0.50)`);
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
