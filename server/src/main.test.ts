import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/support/net.ts';
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
    const port = await freePort();
    env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', EMBEDDED_PG_PORT: String(await freePort()) };
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
