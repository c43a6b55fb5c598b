/**
 * bench/pages: what the definition page weighs and how soon its first clause shows on a slow phone.
 *
 * The production client (built here into a temporary folder) and the demo data (`npm start`'s seed) on
 * an embedded PostgreSQL; two servers on it, Draftroom as configured and the *peer*: the same with
 * `COMPRESSION=off` (what it served before). Chromium (playwright-core) with CDP throttling — Chrome
 * DevTools' own "Slow 4G" preset (1.44 Mbit/s down, 675 kbit/s up, 562.5 ms round trip: Lighthouse's
 * mobile profile, 1.6 Mbit/s and 150 ms, as DevTools applies it per request), or with `--network 3g`
 * DevTools' "3G" (400 kbit/s, 2 s round trip); CPU 4× slower — opens the demo definition signed in as the
 * chair, `--loads` cold loads each (a fresh browser context: empty cache), alternating. Medians of the
 * JavaScript bytes on the wire, all bytes on the wire, and the time from navigation to the first clause's
 * text being visible. Targets (Slow 4G): JS ≤ 300 kB, first clause ≤ 3 s.
 *
 * Until 2026-11-28 this bench called 400 kbit/s with a 400 ms round trip "Slow 4G"; that was DevTools'
 * 3G throughput, not its Slow 4G — figures from before then are not comparable.
 *
 *   npm run bench -- pages [--loads 5] [--network slow4g|3g] [--scripts]   (--scripts: each script the page loaded)
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/config.ts';
import { createDb } from '../server/src/db/database.ts';
import { EmbeddedDatabase } from '../server/src/db/embedded.ts';
import { migrateToLatest } from '../server/src/db/migrator.ts';
import { ensureDatabase } from '../server/src/db/open.ts';
import type { Role } from '@draftroom/shared';
import { seedDemoDefinition } from '../server/src/demo/definition.ts';
import { DEMO_GROUP_SLUG, seedDemo } from '../server/src/demo/seed.ts';
import { freePort } from '../server/test/support/net.ts';
import { CHROMIUM_ARGS } from '../test/browser-server.ts';
import { option, ROOT } from './support/process.ts';

// The presets of Chrome DevTools (front_end/core/sdk/NetworkManager.ts), in bytes per second.
const NETWORKS = {
  slow4g: { name: 'Slow 4G (1.44 Mbit/s down, 675 kbit/s up, 562.5 ms RTT)', latency: 150 * 3.75, down: 1.6e6 * 0.9, up: 750e3 * 0.9 },
  '3g': { name: '3G (400 kbit/s down and up, 2 s RTT)', latency: 400 * 5, down: 500e3 * 0.8, up: 500e3 * 0.8 },
} as const;
const CPU_SLOWDOWN = 4;

interface Load {
  jsBytes: number;
  totalBytes: number;
  firstClauseMs: number;
  /** Each script the page loaded: its path and bytes on the wire. */
  scripts: [string, number][];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function coldLoad(
  browser: Browser,
  network: keyof typeof NETWORKS,
  baseUrl: string,
  cookie: string,
  pagePath: string,
  clauseText: string,
): Promise<Load> {
  const context = await browser.newContext({ baseURL: baseUrl });
  try {
    const { hostname } = new URL(baseUrl);
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, domain: hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const { latency, down, up } = NETWORKS[network];
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: down / 8, uploadThroughput: up / 8 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const types = new Map<string, string>();
    const urls = new Map<string, string>();
    const scripts: [string, number][] = [];
    let jsBytes = 0;
    let totalBytes = 0;
    cdp.on('Network.responseReceived', (event) => {
      types.set(event.requestId, event.type);
      urls.set(event.requestId, new URL(event.response.url).pathname);
    });
    cdp.on('Network.loadingFinished', (event) => {
      totalBytes += event.encodedDataLength;
      if (types.get(event.requestId) !== 'Script') return;
      jsBytes += event.encodedDataLength;
      scripts.push([urls.get(event.requestId) ?? '?', event.encodedDataLength]);
    });
    const started = performance.now();
    await page.goto(pagePath, { waitUntil: 'commit', timeout: 120_000 });
    await page.getByText(clauseText, { exact: false }).first().waitFor({ state: 'visible', timeout: 120_000 });
    const firstClauseMs = performance.now() - started;
    // Everything the page asked for at start-up (lazy chunks included) has arrived.
    await page.waitForLoadState('networkidle', { timeout: 120_000 }).catch(() => undefined);
    return { jsBytes, totalBytes, firstClauseMs, scripts };
  } finally {
    await context.close();
  }
}

export async function run(): Promise<void> {
  const loads = option('loads', 5);
  const at = process.argv.indexOf('--network');
  const network = (at < 0 ? 'slow4g' : process.argv[at + 1]) as keyof typeof NETWORKS;
  if (!Object.hasOwn(NETWORKS, network)) throw new Error(`--network is one of ${Object.keys(NETWORKS).join(', ')}`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-bench-pages-'));
  const clientDir = path.join(dataDir, 'client');
  process.stdout.write('pages: building the client…\n');
  execFileSync('npx', ['vite', 'build', '--outDir', clientDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: path.join(ROOT, 'client'), stdio: 'inherit' });
  const embedded = new EmbeddedDatabase({ dataDir: path.join(dataDir, 'pg'), port: await freePort() });
  let browser: Browser | undefined;
  try {
    const url = await ensureDatabase((await embedded.start()).url, 'bench');
    const db = createDb(url, { max: 10 });
    await migrateToLatest(db);
    const env = { LOG_LEVEL: 'warn', CLIENT_DIR: clientDir, RATE_LIMIT_API_PER_MINUTE: '1000000' };
    const ours = await buildApp(loadConfig(env), { db, databaseKind: 'embedded' });
    const peer = await buildApp(loadConfig({ ...env, COMPRESSION: 'off' }), { db, databaseKind: 'embedded' });
    const accounts = await seedDemo(db, ours.passwords);
    if (!accounts) throw new Error('the bench database is not empty');
    const people = Object.fromEntries(accounts.map((a) => [a.role, a.userId])) as Record<Role, string>;
    await seedDemoDefinition(db, ours.registry, people, ours.config.ballotSecret!);
    const oursUrl = await ours.listen({ port: 0, host: '127.0.0.1' });
    const peerUrl = await peer.listen({ port: 0, host: '127.0.0.1' });

    const chair = accounts.find((a) => a.role === 'chair')!;
    const login = await ours.inject({ method: 'POST', url: '/api/auth/login', payload: { email: chair.email, password: chair.password } });
    if (login.statusCode >= 300) throw new Error(`sign-in failed: ${login.statusCode} ${login.body}`);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const definition = await db.selectFrom('definitions').select('id').where('slug', '=', 'osaid').executeTakeFirstOrThrow();
    const read = await ours.inject({ method: 'GET', url: `/api/definitions/${definition.id}`, headers: { cookie } });
    const clauses = (read.json() as { clauses: { text: string }[] }).clauses;
    const clauseText = clauses
      .find((c) => c.text.trim().length > 0)!
      .text.trim()
      .split('\n')[0]!
      .slice(0, 40);
    const pagePath = `/groups/${DEMO_GROUP_SLUG}/definitions/${definition.id}`;

    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const results: Record<'peer' | 'ours', Load[]> = { peer: [], ours: [] };
    process.stdout.write(`pages: ${loads} cold loads each of ${pagePath}, ${NETWORKS[network].name}, CPU ${CPU_SLOWDOWN}× slower\n`);
    for (let i = 0; i < loads; i++) {
      for (const [side, base] of (i % 2
        ? [
            ['ours', oursUrl],
            ['peer', peerUrl],
          ]
        : [
            ['peer', peerUrl],
            ['ours', oursUrl],
          ]) as ['peer' | 'ours', string][]) {
        const load = await coldLoad(browser, network, base, cookie, pagePath, clauseText);
        results[side].push(load);
        process.stdout.write(
          `  ${side.padEnd(4)} load ${i + 1}: JS ${(load.jsBytes / 1000).toFixed(1)} kB, total ${(load.totalBytes / 1000).toFixed(1)} kB, first clause ${(load.firstClauseMs / 1000).toFixed(2)} s\n`,
        );
      }
    }
    const summary = (side: 'peer' | 'ours') => ({
      js: median(results[side].map((l) => l.jsBytes)),
      total: median(results[side].map((l) => l.totalBytes)),
      first: median(results[side].map((l) => l.firstClauseMs)),
    });
    const p = summary('peer');
    const o = summary('ours');
    if (process.argv.includes('--scripts')) {
      // What the page loaded (first load of ours), largest first: where the kilobytes go.
      process.stdout.write('\nscripts of the page (ours, first load):\n');
      for (const [name, bytes] of [...results.ours[0]!.scripts].sort((a, b) => b[1] - a[1]))
        process.stdout.write(`  ${(bytes / 1000).toFixed(2).padStart(8)} kB  ${name}\n`);
    }
    const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
    process.stdout.write('\n| medians | peer (COMPRESSION=off) | Draftroom | ours / peer | target |\n| --- | --- | --- | --- | --- |\n');
    process.stdout.write(`| JS on the wire | ${kB(p.js)} | ${kB(o.js)} | ${(o.js / p.js).toFixed(2)} | ≤ 300 kB ${o.js <= 300_000 ? 'met' : 'NOT met'} |\n`);
    process.stdout.write(`| all bytes on the wire | ${kB(p.total)} | ${kB(o.total)} | ${(o.total / p.total).toFixed(2)} | |\n`);
    process.stdout.write(
      `| first clause visible | ${(p.first / 1000).toFixed(2)} s | ${(o.first / 1000).toFixed(2)} s | ${(o.first / p.first).toFixed(2)} | ≤ 3 s ${o.first <= 3000 ? 'met' : 'NOT met'} |\n`,
    );
    await ours.close();
    await peer.close();
    await db.destroy();
  } finally {
    await browser?.close();
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
