/**
 * bench/collab-fanout: what does it cost Draftroom to commit every live edit to PostgreSQL before
 * broadcasting it, compared with servers that keep the document in memory only?
 *
 * One document, N clients in this process (y-websocket's own WebsocketProvider for Draftroom and the
 * bare server, HocuspocusProvider for Hocuspocus), W of them writers, each appending one character at
 * a time to its own clause at a steady rate. Every client records when each writer's edit arrives:
 * writers note their Yjs clock after each edit together with performance.now(), and every receiving
 * document's `afterTransaction` compares the writer's new clock with that list (one process, one clock).
 *
 * Servers, each in its own child process so its CPU time (/proc/<pid>/stat, the whole process tree)
 * can be read before and after the measured window:
 *   bare        @y/websocket-server 0.1.1 `setupWSConnection` on a plain `ws` server (memory only, no auth)
 *   hocuspocus  @hocuspocus/server 4.x `Server`, default in-memory behaviour
 *   draftroom   server/src/main.ts with an embedded PostgreSQL in a temp DATA_DIR (writers are editors,
 *               readers share one observer account); every update is committed before it is broadcast
 *
 * Phases per server: start, set up, connect and sync all clients, writers create their clauses,
 * warm-up at the full rate (not recorded), measured window, writers stop, drain (until every edit has
 * arrived everywhere, or the drain limit), then clients and server are stopped.
 *
 *   npm run bench -- collab-fanout [--clients 100] [--writers 10] [--rate 20] [--duration 15]
 *                                  [--warmup 5] [--drain 5] [--servers bare,hocuspocus,draftroom]
 *                                  [--profile DIR]   (Draftroom only: node --cpu-prof into DIR)
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { clausesOf, insertClause } from '@draftroom/shared';
import { freePorts } from '../server/test/support/net.ts';
import { cleanup, cpuBetween, nodeArgs, option, ROOT, serverNodeFlags, sleep, startChild, stopChild, tempDirs, treeTicks } from './support/process.ts';

const SERVER_NAMES = ['bare', 'hocuspocus', 'draftroom'] as const;
type ServerName = (typeof SERVER_NAMES)[number];
const versionOf = (pkg: string) => {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
};
const LABELS: Record<ServerName, string> = {
  bare: `@y/websocket-server ${versionOf('@y/websocket-server')} (bare, memory only)`,
  hocuspocus: `Hocuspocus ${versionOf('@hocuspocus/server')} (memory only)`,
  draftroom: 'Draftroom (commit to PostgreSQL, then broadcast)',
};

function stringOption(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

/** --presence: every client publishes an awareness state (renewed every 15 s, in lockstep here). */
const PRESENCE = process.argv.includes('--presence');

async function waitUntil(probe: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

// ---------------------------------------------------------------------------------------------------
// Clients.

interface Client {
  doc: Y.Doc;
  synced(): boolean;
  /** Times the connection closed while the bench was running (should stay 0). */
  drops(): number;
  destroy(): void;
}

interface Target {
  /** Opens one client; writers and readers may authenticate differently. */
  connect(role: 'writer' | 'reader', index: number): Client;
  pid: number;
  stop(): Promise<void>;
}

function cookieSocket(cookie: string | null): typeof WebSocket {
  if (!cookie) return WebSocket;
  const header: string = cookie;
  return class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: header } });
    }
  } as typeof WebSocket;
}

function yWebsocketClient(serverUrl: string, room: string, cookie: string | null): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: cookieSocket(cookie) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  if (!PRESENCE) provider.awareness.setLocalState(null); // before the socket opens: nothing is sent
  let drops = 0;
  provider.on('connection-close', () => drops++);
  return {
    doc,
    synced: () => provider.synced,
    drops: () => drops,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Servers.

async function startPeer(kind: 'bare' | 'hocuspocus'): Promise<Target> {
  const { child, match } = await startChild(
    kind,
    ['--import', 'tsx', path.join(ROOT, 'bench/collab-fanout-peers.ts'), kind],
    { ...process.env, NODE_ENV: 'production' },
    /^LISTENING (\d+)$/,
    30_000,
  );
  const port = Number(match[1]);
  const url = `ws://127.0.0.1:${port}`;
  return {
    pid: child.process.pid!,
    stop: () => stopChild(child),
    connect(): Client {
      if (kind === 'bare') return yWebsocketClient(url, 'fanout', null);
      const doc = new Y.Doc();
      const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
      const provider = new HocuspocusProvider({ websocketProvider, name: 'fanout', document: doc });
      if (!PRESENCE) provider.awareness?.setLocalState(null);
      let drops = 0;
      provider.on('close', () => drops++);
      provider.attach();
      return {
        doc,
        synced: () => provider.isSynced,
        drops: () => drops,
        destroy() {
          provider.destroy();
          websocketProvider.destroy();
          doc.destroy();
        },
      };
    },
  };
}

async function startDraftroom(writers: number, profileDir: string | null): Promise<Target> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-fanout-'));
  tempDirs.add(dataDir);
  const [port, pgPort] = (await freePorts(2)) as [number, number];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    EMBEDDED_PG_PORT: String(pgPort),
    SEED_DEMO: 'false',
    CLIENT_DIR: '',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_API_PER_MINUTE: '1000000',
    RATE_LIMIT_LOGIN_PER_IP: '1000000',
    RATE_LIMIT_LOGIN_PER_EMAIL: '1000000',
    RATE_LIMIT_REGISTER_PER_IP: '1000000',
  };
  delete env.DATABASE_URL;
  delete env.PUBLIC_URL;
  const extra = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  const { child } = await startChild(
    'draftroom',
    nodeArgs(path.join(ROOT, 'server/src/main.ts'), [...serverNodeFlags(), ...extra]),
    env,
    /Draftroom is running at/,
    90_000,
  );
  const base = `http://127.0.0.1:${port}`;

  async function api(method: string, url: string, cookie: string | null, body?: unknown) {
    const response = await fetch(base + url, {
      method,
      headers: { origin: base, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
    const session = response.headers.getSetCookie().find((c) => c.startsWith('draftroom_session='));
    return { json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, cookie: session ? session.split(';')[0]! : null };
  }
  async function register(email: string, displayName: string): Promise<string> {
    const { cookie } = await api('POST', '/api/auth/register', null, { email, displayName, password: 'benchmark password 1' });
    if (!cookie) throw new Error(`no session cookie for ${email}`);
    return cookie;
  }

  const chair = await register('chair@bench.example', 'Chair');
  await api('POST', '/api/groups', chair, { slug: 'fanout', name: 'Fan-out bench' });
  const editorCookies: string[] = [];
  for (let i = 0; i < writers; i++) {
    const email = `editor${i}@bench.example`;
    editorCookies.push(await register(email, `Editor ${i}`));
    await api('POST', '/api/groups/fanout/members', chair, { email, role: 'editor' });
  }
  const observer = await register('observer@bench.example', 'Observer');
  await api('POST', '/api/groups/fanout/members', chair, { email: 'observer@bench.example', role: 'observer' });
  const { json } = await api('POST', '/api/groups/fanout/definitions', chair, { slug: 'fanout', title: 'Fan-out' });
  const definitionId = json.id as string;

  return {
    pid: child.process.pid!,
    stop: async () => {
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
      tempDirs.delete(dataDir);
    },
    connect(role, index): Client {
      const cookie = role === 'writer' ? editorCookies[index]! : observer;
      return yWebsocketClient(`ws://127.0.0.1:${port}/api/collab`, definitionId, cookie);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// A session: N clients on one server, the writers' edit log, and what each client has received.

interface Params {
  clients: number;
  writers: number;
  rate: number;
  /** Measured seconds per server, split over the rounds. */
  duration: number;
  rounds: number;
  /** Seconds of writing per server before the first round (not recorded). */
  warmup: number;
  /** Seconds of writing at the start of every segment before recording starts. */
  lead: number;
  /** Longest wait for every edit to arrive everywhere after a segment. */
  drain: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

class Session {
  readonly clients: Client[] = [];
  private readonly texts: Y.XmlText[] = [];
  private readonly writerIndex = new Map<number, number>();
  /** Per writer: its Yjs clock after each edit, when it was made, and whether it is measured. */
  private readonly sentClock: number[][];
  private readonly sentAt: number[][];
  private readonly sentMeasured: boolean[][];
  /** Per client, per writer: how many of that writer's edits have arrived. */
  private readonly cursors: Int32Array[] = [];
  private due: number[] = [];
  writing = false;
  recording = false;
  readonly latencies: number[] = [];
  segmentStart = 0;
  delivered = 0;
  measuredEdits = 0;
  measuredSeconds = 0;
  cpuSelf = 0;
  cpuDescendants = 0;
  benchCpu = 0;
  readonly roundP99: number[] = [];

  constructor(
    readonly name: ServerName,
    readonly target: Target,
    private readonly params: Params,
  ) {
    this.sentClock = Array.from({ length: params.writers }, () => []);
    this.sentAt = Array.from({ length: params.writers }, () => []);
    this.sentMeasured = Array.from({ length: params.writers }, () => []);
  }

  async open(): Promise<void> {
    const { clients: n, writers: w } = this.params;
    for (let i = 0; i < n; i++) this.clients.push(this.target.connect(i < w ? 'writer' : 'reader', i));
    await waitUntil(() => this.clients.every((c) => c.synced()), `${n} clients to sync with ${this.name}`, 60_000);
    // Each writer adds its own clause: one paragraph holding one text node, the way the editor does.
    for (let i = 0; i < w; i++) {
      const doc = this.clients[i]!.doc;
      const text = new Y.XmlText('');
      doc.transact(() => {
        const body = insertClause(doc, randomUUID(), 'clause');
        const paragraph = new Y.XmlElement('paragraph');
        body.insert(0, [paragraph]);
        paragraph.insert(0, [text]);
      });
      this.texts.push(text);
      this.writerIndex.set(doc.clientID, i);
    }
    await waitUntil(() => this.clients.every((c) => clausesOf(c.doc).size >= w), `every ${this.name} client to see every clause`, 30_000);
    this.clients.forEach((client, self) => {
      const cursor = new Int32Array(w);
      this.cursors.push(cursor);
      client.doc.on('afterTransaction', (tr: Y.Transaction) => {
        if (tr.local) return;
        const now = performance.now();
        for (const [clientId, clock] of tr.afterState) {
          const writer = this.writerIndex.get(clientId);
          if (writer === undefined || writer === self || tr.beforeState.get(clientId) === clock) continue;
          const clocks = this.sentClock[writer]!;
          let i = cursor[writer]!;
          while (i < clocks.length && clocks[i]! <= clock) {
            if (this.sentMeasured[writer]![i]) this.latencies.push(now - this.sentAt[writer]![i]!);
            if (this.recording) this.delivered++;
            i++;
          }
          cursor[writer] = i;
        }
      });
    });
  }

  startWriting(): void {
    const period = 1000 / this.params.rate;
    const start = performance.now();
    this.due = this.texts.map((_, i) => start + (i * period) / this.texts.length);
    this.writing = true;
  }

  /** Makes every edit that is due: each writer appends one character to its clause. */
  tick(now: number): void {
    if (!this.writing) return;
    const period = 1000 / this.params.rate;
    for (let i = 0; i < this.texts.length; i++) {
      while (this.due[i]! <= now) {
        this.due[i]! += period;
        const text = this.texts[i]!;
        const doc = this.clients[i]!.doc;
        text.insert(text.length, String.fromCharCode(97 + (this.sentClock[i]!.length % 26)));
        this.sentClock[i]!.push(Y.getState(doc.store, doc.clientID));
        this.sentAt[i]!.push(performance.now());
        this.sentMeasured[i]!.push(this.recording);
        if (this.recording) this.measuredEdits++;
      }
    }
  }

  /** Deliveries still owed: edits made so far that some other client has not received yet. */
  backlog(): number {
    let owed = 0;
    this.cursors.forEach((cursor, self) => {
      for (let writer = 0; writer < cursor.length; writer++) if (writer !== self) owed += this.sentClock[writer]!.length - cursor[writer]!;
    });
    return owed;
  }

  expectedDeliveries(): number {
    const edits = this.sentClock.reduce((sum, list) => sum + list.length, 0);
    return edits * (this.params.clients - 1);
  }

  drops(): number {
    return this.clients.reduce((sum, c) => sum + c.drops(), 0);
  }

  close(): void {
    for (const client of this.clients) {
      try {
        client.destroy();
      } catch {
        // already closed
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

interface Summary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
  usPerMessage: number;
  usPerMessageTotal: number;
}

function summarize(session: Session): Summary {
  const sorted = Float64Array.from(session.latencies).sort();
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    perSecond: session.delivered / session.measuredSeconds,
    usPerMessage: (session.cpuSelf * 1e6) / session.delivered,
    usPerMessageTotal: ((session.cpuSelf + session.cpuDescendants) * 1e6) / session.delivered,
  };
}

function printSession(session: Session, lost: number, expected: number): Summary {
  const r = summarize(session);
  const ours = session.name === 'draftroom';
  console.log(`\n  ${LABELS[session.name]}`);
  console.log(`    latency edit → arrival   p50 ${f1(r.p50)} ms   p95 ${f1(r.p95)} ms   p99 ${f1(r.p99)} ms   max ${f1(r.max)} ms`);
  console.log(`    p99 per round            ${session.roundP99.map(f1).join(' / ')} ms`);
  console.log(
    `    delivered                ${r.perSecond.toFixed(0)} msg/s (${session.measuredEdits} edits in ${session.measuredSeconds.toFixed(1)} s measured)`,
  );
  console.log(`    lost after drain         ${lost} of ${expected} deliveries; ${session.drops()} client disconnects`);
  console.log(
    `    server CPU               ${session.cpuSelf.toFixed(2)} s` +
      (ours ? ` + PostgreSQL ${session.cpuDescendants.toFixed(2)} s` : '') +
      ` (${((session.cpuSelf / session.measuredSeconds) * 100).toFixed(0)} % of a core)`,
  );
  console.log(`    server CPU per message   ${f1(r.usPerMessage)} µs${ours ? ` (node); ${f1(r.usPerMessageTotal)} µs with PostgreSQL` : ''}`);
  console.log(`    bench (clients) CPU      ${((session.benchCpu / session.measuredSeconds) * 100).toFixed(0)} % of a core`);
  return r;
}

export async function run(): Promise<void> {
  const params: Params = {
    clients: option('clients', 100),
    writers: option('writers', 10),
    rate: option('rate', 20),
    duration: option('duration', 15),
    rounds: Math.max(1, Math.round(option('rounds', 5))),
    warmup: option('warmup', 3),
    lead: option('lead', 0.5),
    drain: option('drain', 5),
  };
  if (params.writers < 1 || params.clients <= params.writers || params.rate <= 0 || params.duration <= 0) {
    throw new Error('need --writers ≥ 1, --clients > --writers, --rate > 0 and --duration > 0');
  }
  const servers = stringOption('servers', SERVER_NAMES.join(','))
    .split(',')
    .map((s) => s.trim()) as ServerName[];
  for (const s of servers) if (!SERVER_NAMES.includes(s)) throw new Error(`unknown server "${s}"; known: ${SERVER_NAMES.join(', ')}`);
  const profileIndex = process.argv.indexOf('--profile');
  const profileDir = profileIndex > 0 ? (process.argv[profileIndex + 1] ?? null) : null;
  const trace = process.argv.includes('--trace');
  const segment = params.duration / params.rounds;

  // Bounded in time whatever happens: start-up/connect allowances plus the run itself.
  const budgetMs = (servers.length * (120 + params.warmup + params.drain) + params.rounds * servers.length * (params.lead + segment + params.drain)) * 1000;
  const watchdog = setTimeout(() => {
    console.error(`collab-fanout: over its time budget (${(budgetMs / 1000).toFixed(0)} s); stopping`);
    void cleanup().finally(() => process.exit(1));
  }, budgetMs);
  watchdog.unref();
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // y-websocket's provider adds a process 'exit' listener per client in Node.
  const maxListeners = process.getMaxListeners();
  process.setMaxListeners(Math.max(maxListeners, servers.length * params.clients + 20));

  console.log(
    `collab-fanout: 1 document per server, ${params.clients} clients, ${params.writers} writers × ${params.rate} edits/s, ` +
      `presence ${PRESENCE ? 'on' : 'off'}; ${params.warmup} s warm-up, then ${params.rounds} interleaved rounds of ` +
      `${params.lead} s lead-in + ${segment.toFixed(1)} s measured per server; ${os.cpus().length} CPUs, Node ${process.version}`,
  );

  const sessions: Session[] = [];
  let active: Session | null = null;
  const ticker = setInterval(() => active?.tick(performance.now()), 2);
  let lag = 0;
  let lastProbe = performance.now();
  const lagProbe = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - lastProbe - 10);
    lastProbe = now;
  }, 10);

  const drain = async (session: Session) => {
    const deadline = Date.now() + params.drain * 1000;
    while (session.backlog() > 0 && Date.now() < deadline) await sleep(20);
  };

  try {
    for (const name of servers) {
      process.stdout.write(`  starting ${name} …\n`);
      try {
        const target = name === 'draftroom' ? await startDraftroom(params.writers, profileDir) : await startPeer(name);
        const session = new Session(name, target, params);
        sessions.push(session);
        await session.open();
      } catch (error) {
        console.log(`  ${name}: could not start or connect: ${error instanceof Error ? error.message : String(error)}`);
        const failed = sessions.at(-1);
        if (failed?.name === name) {
          failed.close();
          await failed.target.stop();
          sessions.pop();
        }
      }
    }

    // Warm-up, one server at a time (JIT, buffers, pools), not recorded.
    for (const session of sessions) {
      active = session;
      session.startWriting();
      await sleep(params.warmup * 1000);
      session.writing = false;
      await drain(session);
    }

    // Rounds: every server gets one segment per round, in a rotating order, so that whatever else
    // the (shared) machine is doing is spread over all of them.
    for (let round = 0; round < params.rounds; round++) {
      for (let k = 0; k < sessions.length; k++) {
        const session = sessions[(round + k) % sessions.length]!;
        active = session;
        const firstLatency = session.latencies.length;
        session.startWriting();
        await sleep(params.lead * 1000);
        const ticksBefore = treeTicks(session.target.pid);
        const benchBefore = process.cpuUsage();
        const t0 = performance.now();
        lag = 0;
        session.recording = true;
        await sleep(segment * 1000);
        session.recording = false;
        const t1 = performance.now();
        const cpu = cpuBetween(session.target.pid, ticksBefore, treeTicks(session.target.pid));
        const bench = process.cpuUsage(benchBefore);
        const segmentLag = lag;
        session.writing = false;
        await drain(session);
        session.measuredSeconds += (t1 - t0) / 1000;
        session.cpuSelf += cpu.self;
        session.cpuDescendants += cpu.descendants;
        session.benchCpu += (bench.user + bench.system) / 1e6;
        const roundLatencies = Float64Array.from(session.latencies.slice(firstLatency)).sort();
        session.roundP99.push(percentile(roundLatencies, 99));
        if (trace) {
          console.log(
            `    [round ${round + 1}] ${session.name.padEnd(10)} p50 ${f1(percentile(roundLatencies, 50))} p99 ${f1(percentile(roundLatencies, 99))} ms  ` +
              `server ${((cpu.self / ((t1 - t0) / 1000)) * 100).toFixed(0)}%+${((cpu.descendants / ((t1 - t0) / 1000)) * 100).toFixed(0)}%  ` +
              `bench ${(((bench.user + bench.system) / 1e6 / ((t1 - t0) / 1000)) * 100).toFixed(0)}%  max loop lag ${segmentLag.toFixed(0)} ms`,
          );
        }
      }
    }
    active = null;

    const summaries = new Map<ServerName, Summary>();
    for (const session of sessions) {
      await drain(session);
      summaries.set(session.name, printSession(session, session.backlog(), session.expectedDeliveries()));
    }

    const ours = summaries.get('draftroom');
    if (ours) {
      console.log('\n  ratios Draftroom / peer (lower is better)');
      for (const peer of ['bare', 'hocuspocus'] as const) {
        const other = summaries.get(peer);
        if (!other) continue;
        console.log(
          `    vs ${peer.padEnd(10)}  p50 ${f2(ours.p50 / other.p50)}   p99 ${f2(ours.p99 / other.p99)}   ` +
            `CPU/msg ${f2(ours.usPerMessage / other.usPerMessage)} (node), ${f2(ours.usPerMessageTotal / other.usPerMessage)} (node + PostgreSQL)`,
        );
      }
      const bare = summaries.get('bare');
      if (bare) {
        const ratio = ours.p99 / bare.p99;
        console.log(`  target p99 ours/bare ≤ 1.25: ${ratio <= 1.25 ? 'met' : 'MISSED'} (${f2(ratio)})`);
      }
    }
  } finally {
    active = null;
    clearInterval(ticker);
    clearInterval(lagProbe);
    for (const session of sessions) session.close();
    for (const session of sessions) await session.target.stop().catch(() => {});
    await cleanup();
    clearTimeout(watchdog);
    process.setMaxListeners(maxListeners);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
