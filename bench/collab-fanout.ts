/**
 * bench/collab-fanout: what does it cost Draftroom to commit every live edit to PostgreSQL before
 * broadcasting it, compared with servers that keep the document in memory only — with one instance,
 * and with two instances sharing the document (through Redis)?
 *
 * One document, N clients in this process (y-websocket's own WebsocketProvider for Draftroom and the
 * bare server, HocuspocusProvider for Hocuspocus), W of them writers, each appending one character at
 * a time to its own clause at a steady rate. Every client records when each writer's edit arrives:
 * writers note their Yjs clock after each edit together with performance.now(), and every receiving
 * document's `afterTransaction` compares the writer's new clock with that list (one process, one clock).
 *
 * Servers, each instance in its own child process so its CPU time (/proc/<pid>/stat) can be read
 * before and after the measured window:
 *   bare         @y/websocket-server 0.1.1 `setupWSConnection` on a plain `ws` server (memory only, no auth)
 *   hocuspocus   @hocuspocus/server 4.x `Server`, default in-memory behaviour
 *   draftroom    server/src/main.ts with an embedded PostgreSQL in a temp DATA_DIR (writers are editors,
 *                readers share one observer account); every update is committed before it is broadcast
 *   hocuspocus2  two Hocuspocus processes with @hocuspocus/extension-redis on one redis-server
 *   draftroom2   two processes of server/src/main.ts on one PostgreSQL (the first one's embedded cluster;
 *                the second gets its DATABASE_URL) and one redis-server (REDIS_URL)
 * With two instances, clients (writers too) are spread round-robin over them; the latency of an edit
 * is still measured at every other client, on either instance. CPU counts the instances' node
 * processes, the PostgreSQL processes (once) and the redis-server.
 *
 * Phases per server: start, set up, connect and sync all clients, writers create their clauses,
 * warm-up at the full rate (not recorded), measured window, writers stop, drain (until every edit has
 * arrived everywhere, or the drain limit), then clients and server are stopped.
 *
 *   npm run bench -- collab-fanout [--clients 100] [--writers 10] [--rate 20] [--duration 15]
 *                                  [--warmup 5] [--drain 5]
 *                                  [--servers bare,hocuspocus,draftroom,hocuspocus2,draftroom2]
 *                                  [--profile DIR]   (node --cpu-prof of every server into DIR/<server>)
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
import { EMBEDDED_DATABASE_NAME } from '../server/src/db/open.ts';
import { freePorts } from '../server/test/support/net.ts';
import { redisServerBinary } from '../server/test/support/redis.ts';
import {
  type Child,
  CLK_TCK,
  cleanup,
  nodeArgs,
  option,
  processName,
  ROOT,
  serverNodeFlags,
  sleep,
  startChild,
  startProcess,
  stopChild,
  stopStarting,
  tempDirs,
  treeTicks,
} from './support/process.ts';

const SERVER_NAMES = ['bare', 'hocuspocus', 'draftroom', 'hocuspocus2', 'draftroom2'] as const;
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
  hocuspocus2: `Hocuspocus ${versionOf('@hocuspocus/server')} × 2 instances, @hocuspocus/extension-redis ${versionOf('@hocuspocus/extension-redis')} (memory only, Redis pub/sub)`,
  draftroom2: 'Draftroom × 2 instances (one PostgreSQL, REDIS_URL)',
};
/** Two instances behind one document, sharing it through Redis. */
const instancesOf = (name: ServerName) => (name.endsWith('2') ? 2 : 1);

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
  /** Opens one client; writers and readers may authenticate differently. Client `index` goes to instance `index % instances`. */
  connect(role: 'writer' | 'reader', index: number): Client;
  instances: number;
  /** The instances' node processes (their own CPU is the server's); their descendants are the embedded PostgreSQL. */
  pids: number[];
  /** The redis-server the instances share, if any. */
  redisPid: number | null;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// CPU time of a target: its node processes, the PostgreSQL processes below them (counted once: only
// the first Draftroom instance runs one), and its redis-server.

type CpuPart = 'server' | 'postgres' | 'redis' | 'other';
type Cpu = Record<CpuPart, number>;
type CpuSample = Map<number, { ticks: number; part: CpuPart }>;

function sampleCpu(target: Target): CpuSample {
  const sample: CpuSample = new Map();
  for (const root of target.pids) {
    for (const [pid, ticks] of treeTicks(root)) {
      sample.set(pid, { ticks, part: pid === root ? 'server' : processName(pid) === 'postgres' ? 'postgres' : 'other' });
    }
  }
  if (target.redisPid !== null) for (const [pid, ticks] of treeTicks(target.redisPid)) sample.set(pid, { ticks, part: 'redis' });
  return sample;
}

/** CPU seconds per part between two samples (a process started meanwhile counts from zero). */
function cpuBetweenSamples(before: CpuSample, after: CpuSample): Cpu {
  const cpu: Cpu = { server: 0, postgres: 0, redis: 0, other: 0 };
  for (const [pid, { ticks, part }] of after) cpu[part] += (ticks - (before.get(pid)?.ticks ?? 0)) / CLK_TCK;
  return cpu;
}

const cpuTotal = (cpu: Cpu) => cpu.server + cpu.postgres + cpu.redis + cpu.other;

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

interface RedisServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** A redis-server of its own for one two-instance target: loopback, a free port, nothing saved. */
async function startRedisServer(): Promise<RedisServer> {
  const binary = redisServerBinary();
  if (!binary) throw new Error('no redis-server on PATH (install it, or set REDIS_SERVER)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-fanout-redis-'));
  tempDirs.add(dir);
  const [port] = (await freePorts(1)) as [number];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  try {
    const { child } = await startProcess('redis-server', binary, args, process.env, /Ready to accept connections/, 15_000);
    return {
      url: `redis://127.0.0.1:${port}`,
      pid: child.process.pid!,
      stop: async () => {
        await stopChild(child, stopGraceMs);
        await cleanupDir(dir);
      },
    };
  } catch (error) {
    await cleanupDir(dir);
    throw error;
  }
}

async function cleanupDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/**
 * Every target started or starting, by its stop(): on a signal each is stopped in its own order (a second
 * Draftroom instance stopped together with the first, which takes PostgreSQL down, hangs until killed).
 */
const targetStops = new Set<() => Promise<void>>();
/** How long a stopping server may take before it is killed: shorter once the run is abandoned. */
let stopGraceMs = 20_000;

function registerStop(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | null = null;
  const once = () => {
    targetStops.delete(once);
    stopping ??= stop();
    return stopping;
  };
  targetStops.add(once);
  return once;
}

/** Stops what a target started, last started first (the first Draftroom instance, which runs PostgreSQL, last). */
async function stopAll(children: Child[], redis: RedisServer | null): Promise<void> {
  for (const child of [...children].reverse()) await stopChild(child, stopGraceMs);
  await redis?.stop();
}

/** node --cpu-prof into DIR/<server> (one .cpuprofile per process and worker). */
function profileFlags(profileDir: string | null, server: string): string[] {
  return profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir, server)}`] : [];
}

async function startPeer(kind: 'bare' | 'hocuspocus', instances: number, profileDir: string | null): Promise<Target> {
  const children: Child[] = [];
  let redis: RedisServer | null = null;
  const urls: string[] = [];
  const stop = registerStop(() => stopAll(children, redis));
  try {
    if (instances > 1) redis = await startRedisServer();
    for (let i = 0; i < instances; i++) {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
      delete env.REDIS_URL;
      if (redis) env.REDIS_URL = redis.url;
      const { child, match } = await startChild(
        instances > 1 ? `${kind} #${i + 1}` : kind,
        ['--import', 'tsx', ...profileFlags(profileDir, `${kind}${instances > 1 ? instances : ''}`), path.join(ROOT, 'bench/collab-fanout-peers.ts'), kind],
        env,
        /^LISTENING (\d+)$/,
        30_000,
      );
      children.push(child);
      urls.push(`ws://127.0.0.1:${Number(match[1])}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    instances,
    pids: children.map((child) => child.process.pid!),
    redisPid: redis?.pid ?? null,
    stop,
    connect(_role, index): Client {
      const url = urls[index % instances]!;
      if (kind === 'bare') return yWebsocketClient(url, 'fanout', null);
      const doc = new Y.Doc();
      // Without presence nothing reaches a client while the bench drives another server (minutes while
      // the later servers start), and the provider would reconnect after 30 s of silence: its own docs
      // say a provider without awareness breaks that check. With presence, renewals every 15 s keep it alive.
      const websocketProvider = new HocuspocusProviderWebsocket({
        url,
        WebSocketPolyfill: WebSocket,
        ...(PRESENCE ? {} : { messageReconnectTimeout: 3_600_000 }),
      });
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

/**
 * Draftroom in `instances` processes of server/src/main.ts. The first runs the embedded PostgreSQL in a
 * temp DATA_DIR (a child of its process); the others use it through DATABASE_URL (the first one's
 * credentials from DATA_DIR/pg-credentials.json). With two or more, all get REDIS_URL of one redis-server.
 */
async function startDraftroom(writers: number, profileDir: string | null, instances: number): Promise<Target> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-fanout-'));
  tempDirs.add(dataDir);
  const children: Child[] = [];
  let redis: RedisServer | null = null;
  let postmaster: number | null = null;
  const ports = (await freePorts(instances + 1)) as number[];
  const pgPort = ports[instances]!;
  const stop = registerStop(async () => {
    await stopAll(children, redis);
    // Stopping the first instance stops its PostgreSQL; should that instance have died on its own, the
    // postmaster is an orphan now: fast shutdown (SIGINT), then it is gone.
    if (postmaster !== null && processName(postmaster) === 'postgres') {
      process.kill(postmaster, 'SIGINT');
      for (let i = 0; i < 100 && processName(postmaster) === 'postgres'; i++) await sleep(50);
    }
    await cleanupDir(dataDir);
  });
  try {
    if (instances > 1) redis = await startRedisServer();
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      CLIENT_DIR: '',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_API_PER_MINUTE: '1000000',
      RATE_LIMIT_LOGIN_PER_IP: '1000000',
      RATE_LIMIT_LOGIN_PER_EMAIL: '1000000',
      RATE_LIMIT_REGISTER_PER_IP: '1000000',
      // One secret for all instances (the embedded one would otherwise keep its own in DATA_DIR).
      BALLOT_SECRET: randomUUID(),
    };
    delete base.DATABASE_URL;
    delete base.PUBLIC_URL;
    delete base.REDIS_URL;
    delete base.EMBEDDED_PG_PORT;
    if (redis) base.REDIS_URL = redis.url;
    const extra = profileFlags(profileDir, `draftroom${instances > 1 ? instances : ''}`);
    for (let i = 0; i < instances; i++) {
      const env: NodeJS.ProcessEnv = { ...base, PORT: String(ports[i]) };
      if (i === 0) {
        env.DATA_DIR = dataDir;
        env.EMBEDDED_PG_PORT = String(pgPort);
      } else {
        const credentials = JSON.parse(readFileSync(path.join(dataDir, 'pg-credentials.json'), 'utf8')) as { user: string; password: string };
        env.DATA_DIR = path.join(dataDir, `instance-${i + 1}`);
        env.DATABASE_URL = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${pgPort}/${EMBEDDED_DATABASE_NAME}`;
      }
      const { child } = await startChild(
        instances > 1 ? `draftroom #${i + 1}` : 'draftroom',
        nodeArgs(path.join(ROOT, 'server/src/main.ts'), [...serverNodeFlags(), ...extra]),
        env,
        /Draftroom is running at/,
        90_000,
      );
      children.push(child);
      if (i === 0) {
        const pid = child.process.pid!;
        postmaster = [...treeTicks(pid).keys()].find((p) => p !== pid && processName(p) === 'postgres') ?? null;
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const base = `http://127.0.0.1:${ports[0]}`;

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

  const editorCookies: string[] = [];
  let observer: string;
  let definitionId: string;
  try {
    const chair = await register('chair@bench.example', 'Chair');
    await api('POST', '/api/groups', chair, { slug: 'fanout', name: 'Fan-out bench' });
    for (let i = 0; i < writers; i++) {
      const email = `editor${i}@bench.example`;
      editorCookies.push(await register(email, `Editor ${i}`));
      await api('POST', '/api/groups/fanout/members', chair, { email, role: 'editor' });
    }
    observer = await register('observer@bench.example', 'Observer');
    await api('POST', '/api/groups/fanout/members', chair, { email: 'observer@bench.example', role: 'observer' });
    const { json } = await api('POST', '/api/groups/fanout/definitions', chair, { slug: 'fanout', title: 'Fan-out' });
    definitionId = json.id as string;
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    instances,
    pids: children.map((child) => child.process.pid!),
    redisPid: redis?.pid ?? null,
    stop,
    connect(role, index): Client {
      const cookie = role === 'writer' ? editorCookies[index]! : observer;
      return yWebsocketClient(`ws://127.0.0.1:${ports[index % instances]}/api/collab`, definitionId, cookie);
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
  /** The latencies of deliveries to a client on another instance than the writer's (two instances only). */
  readonly crossLatencies: number[] = [];
  segmentStart = 0;
  delivered = 0;
  measuredEdits = 0;
  measuredSeconds = 0;
  readonly cpu: Cpu = { server: 0, postgres: 0, redis: 0, other: 0 };
  benchCpu = 0;
  readonly roundP99: number[] = [];
  /** Clients that had not seen every writer's clause when the bench went on without them (two instances only). */
  missingClauses = 0;

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
    const seesAll = (c: Client) => clausesOf(c.doc).size >= w;
    if (this.target.instances === 1) {
      await waitUntil(() => this.clients.every(seesAll), `every ${this.name} client to see every clause`, 30_000);
    } else {
      // Instances that do not share edits must not stop the run: what never arrives is reported as lost.
      const limitMs = Math.max(10, this.params.drain) * 1000;
      const deadline = Date.now() + limitMs;
      while (!this.clients.every(seesAll) && Date.now() < deadline) await sleep(20);
      this.missingClauses = this.clients.filter((c) => !seesAll(c)).length;
      if (this.missingClauses > 0) {
        console.log(
          `  ${this.name}: after ${limitMs / 1000} s, ${this.missingClauses} of ${n} clients still miss some writer's clause ` +
            `(edits are not reaching the other instance); going on, their deliveries will count as lost`,
        );
      }
    }
    const instances = this.target.instances;
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
            if (this.sentMeasured[writer]![i]) {
              const latency = now - this.sentAt[writer]![i]!;
              this.latencies.push(latency);
              if (writer % instances !== self % instances) this.crossLatencies.push(latency);
            }
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
    const { same, cross } = this.backlogByInstance();
    return same + cross;
  }

  /** The backlog split: to clients on the writer's own instance, and to clients on another one. */
  backlogByInstance(): { same: number; cross: number } {
    const instances = this.target.instances;
    let same = 0;
    let cross = 0;
    this.cursors.forEach((cursor, self) => {
      for (let writer = 0; writer < cursor.length; writer++) {
        if (writer === self) continue;
        const owed = this.sentClock[writer]!.length - cursor[writer]!;
        if (writer % instances === self % instances) same += owed;
        else cross += owed;
      }
    });
    return { same, cross };
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
  name: ServerName;
  instances: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
  /** Deliveries expected during the measured windows per second: writers × rate × (clients − 1). */
  expectedPerSecond: number;
  lost: number;
  expected: number;
  /** CPU µs per delivered message: the node processes only, and with PostgreSQL, Redis and anything else they run. */
  usPerMessage: number;
  usPerMessageTotal: number;
}

function summarize(session: Session, params: Params): Summary {
  const sorted = Float64Array.from(session.latencies).sort();
  return {
    name: session.name,
    instances: session.target.instances,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    perSecond: session.delivered / session.measuredSeconds,
    expectedPerSecond: params.writers * params.rate * (params.clients - 1),
    lost: session.backlog(),
    expected: session.expectedDeliveries(),
    usPerMessage: (session.cpu.server * 1e6) / session.delivered,
    usPerMessageTotal: (cpuTotal(session.cpu) * 1e6) / session.delivered,
  };
}

const percent = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)} %` : 'n/a');

function printSession(session: Session, params: Params): Summary {
  const r = summarize(session, params);
  const { cpu, measuredSeconds: seconds } = session;
  const multi = r.instances > 1;
  console.log(`\n  ${LABELS[session.name]}`);
  console.log(`    latency edit → arrival   p50 ${f1(r.p50)} ms   p95 ${f1(r.p95)} ms   p99 ${f1(r.p99)} ms   max ${f1(r.max)} ms`);
  if (multi) {
    const cross = Float64Array.from(session.crossLatencies).sort();
    console.log(
      cross.length > 0
        ? `    … to the other instance  p50 ${f1(percentile(cross, 50))} ms   p99 ${f1(percentile(cross, 99))} ms   (${cross.length} of ${session.latencies.length} measured arrivals)`
        : `    … to the other instance  none arrived (0 of ${session.latencies.length} measured arrivals)`,
    );
  }
  console.log(`    p99 per round            ${session.roundP99.map(f1).join(' / ')} ms`);
  console.log(
    `    delivered                ${r.perSecond.toFixed(0)} msg/s of ${r.expectedPerSecond} expected (${session.measuredEdits} edits in ${seconds.toFixed(1)} s measured)`,
  );
  const split = session.backlogByInstance();
  console.log(
    `    lost after drain         ${r.lost} of ${r.expected} deliveries (${percent(r.lost, r.expected)})` +
      (multi ? `: ${split.same} on the writer's instance, ${split.cross} on the other` : '') +
      `; ${session.drops()} client disconnects`,
  );
  if (session.missingClauses > 0) console.log(`    clients missing a clause ${session.missingClauses} of ${params.clients} (after set-up)`);
  if (r.lost > 0) {
    console.log(
      `    !! ${r.lost} deliveries never arrived (within --drain ${params.drain} s after each segment and at the end): ` +
        `latency covers only what arrived, CPU per message divides by what arrived`,
    );
  }
  const parts = [`node ${cpu.server.toFixed(2)} s${multi ? ` (${r.instances} processes)` : ''}`];
  if (cpu.postgres > 0) parts.push(`PostgreSQL ${cpu.postgres.toFixed(2)} s`);
  if (session.target.redisPid !== null) parts.push(`Redis ${cpu.redis.toFixed(2)} s`);
  if (cpu.other > 0) parts.push(`other children (tsx's esbuild) ${cpu.other.toFixed(2)} s`);
  console.log(`    server CPU               ${parts.join(' + ')} (${((cpuTotal(cpu) / seconds) * 100).toFixed(0)} % of a core)`);
  const extra = cpuTotal(cpu) > cpu.server;
  console.log(`    server CPU per message   ${f1(r.usPerMessage)} µs (node)${extra ? `; ${f1(r.usPerMessageTotal)} µs with ${extrasOf(session)}` : ''}`);
  console.log(`    bench (clients) CPU      ${((session.benchCpu / seconds) * 100).toFixed(0)} % of a core`);
  return r;
}

/** What a target's CPU counts beside its node processes. */
function extrasOf(session: Session): string {
  const names = [];
  if (session.cpu.postgres > 0) names.push('PostgreSQL');
  if (session.target.redisPid !== null) names.push('Redis');
  if (session.cpu.other > 0) names.push('other children');
  return names.join(' and ') || 'nothing else';
}

function printTable(summaries: Summary[]): void {
  const rows = [
    ['server', 'inst', 'p50 ms', 'p95 ms', 'p99 ms', 'delivered/s', 'lost', 'CPU µs/msg node', 'CPU µs/msg all'],
    ...summaries.map((r) => [
      r.name,
      String(r.instances),
      f1(r.p50),
      f1(r.p95),
      f1(r.p99),
      r.perSecond.toFixed(0),
      r.lost === 0 ? '0' : `${r.lost} (${percent(r.lost, r.expected)})`,
      f1(r.usPerMessage),
      f1(r.usPerMessageTotal),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log('\n  results (CPU per delivered message; "all": node + PostgreSQL + Redis + their other children)');
  for (const row of rows)
    console.log(`    ${row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}`);
}

function printRatio(ours: Summary, peer: Summary): void {
  console.log(
    `    ${`${ours.name} / ${peer.name}`.padEnd(24)}  p50 ${f2(ours.p50 / peer.p50)}   p99 ${f2(ours.p99 / peer.p99)}   ` +
      `delivered/s ${f2(ours.perSecond / peer.perSecond)}   CPU/msg ${f2(ours.usPerMessage / peer.usPerMessage)} (node), ` +
      `${f2(ours.usPerMessageTotal / peer.usPerMessageTotal)} (all processes)`,
  );
  for (const side of [ours, peer]) {
    if (side.lost > 0) console.log(`      ${side.name} lost ${percent(side.lost, side.expected)} of its deliveries: this ratio compares what arrived`);
  }
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
  const startAllowance = servers.reduce((sum, name) => sum + 120 * instancesOf(name) + Math.max(10, params.drain), 0);
  const sessions: Session[] = [];
  // On a signal or the watchdog: clients first (a server stops sooner with nobody connected), then every child process.
  // Once only: Ctrl-C in a terminal can deliver SIGINT twice (from the terminal, and forwarded by npm).
  let abandoning: Promise<void> | null = null;
  const abandon = () => {
    abandoning ??= (async () => {
      stopStarting();
      stopGraceMs = 5_000;
      for (const session of sessions) session.close();
      await Promise.all([...targetStops].map((stop) => stop().catch(() => {})));
      await cleanup();
    })();
    return abandoning;
  };
  // Where the run goes on after a signal, it goes no further: abandon() ends the process.
  const haltIfAbandoned = async () => {
    if (abandoning) await abandoning.then(() => new Promise<never>(() => {}));
  };
  const budgetMs =
    (startAllowance + servers.length * (params.warmup + 2 * params.drain) + params.rounds * servers.length * (params.lead + segment + params.drain)) * 1000;
  const watchdog = setTimeout(() => {
    console.error(`collab-fanout: over its time budget (${(budgetMs / 1000).toFixed(0)} s); stopping`);
    void abandon().finally(() => process.exit(1));
  }, budgetMs);
  watchdog.unref();
  const onSignal = () => void abandon().finally(() => process.exit(130));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // y-websocket's provider adds a process 'exit' listener per client in Node.
  const maxListeners = process.getMaxListeners();
  process.setMaxListeners(Math.max(maxListeners, servers.length * params.clients + 20));

  console.log(
    `collab-fanout: 1 document per server, ${params.clients} clients, ${params.writers} writers × ${params.rate} edits/s, ` +
      `presence ${PRESENCE ? 'on' : 'off'}; ${params.warmup} s warm-up, then ${params.rounds} interleaved rounds of ` +
      `${params.lead} s lead-in + ${segment.toFixed(1)} s measured per server; ${os.cpus().length} CPUs, Node ${process.version}`,
  );

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
      if (abandoning) break;
      process.stdout.write(`  starting ${name} …\n`);
      try {
        const instances = instancesOf(name);
        const target = name.startsWith('draftroom')
          ? await startDraftroom(params.writers, profileDir, instances)
          : await startPeer(name.startsWith('hocuspocus') ? 'hocuspocus' : 'bare', instances, profileDir);
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
      await haltIfAbandoned();
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
        await haltIfAbandoned();
        const session = sessions[(round + k) % sessions.length]!;
        active = session;
        const firstLatency = session.latencies.length;
        session.startWriting();
        await sleep(params.lead * 1000);
        const cpuBefore = sampleCpu(session.target);
        const benchBefore = process.cpuUsage();
        const t0 = performance.now();
        lag = 0;
        session.recording = true;
        await sleep(segment * 1000);
        session.recording = false;
        const t1 = performance.now();
        const cpu = cpuBetweenSamples(cpuBefore, sampleCpu(session.target));
        const bench = process.cpuUsage(benchBefore);
        const segmentLag = lag;
        session.writing = false;
        await drain(session);
        session.measuredSeconds += (t1 - t0) / 1000;
        for (const part of Object.keys(cpu) as CpuPart[]) session.cpu[part] += cpu[part];
        session.benchCpu += (bench.user + bench.system) / 1e6;
        const roundLatencies = Float64Array.from(session.latencies.slice(firstLatency)).sort();
        session.roundP99.push(percentile(roundLatencies, 99));
        if (trace) {
          const share = (seconds: number) => `${((seconds / ((t1 - t0) / 1000)) * 100).toFixed(0)}%`;
          console.log(
            `    [round ${round + 1}] ${session.name.padEnd(11)} p50 ${f1(percentile(roundLatencies, 50))} p99 ${f1(percentile(roundLatencies, 99))} ms  ` +
              `node ${share(cpu.server)} PostgreSQL ${share(cpu.postgres)} Redis ${share(cpu.redis)}${cpu.other > 0 ? ` other ${share(cpu.other)}` : ''}  ` +
              `backlog ${session.backlog()}  ` +
              `bench ${(((bench.user + bench.system) / 1e6 / ((t1 - t0) / 1000)) * 100).toFixed(0)}%  max loop lag ${segmentLag.toFixed(0)} ms`,
          );
        }
      }
    }
    active = null;

    await haltIfAbandoned();
    const summaries = new Map<ServerName, Summary>();
    for (const session of sessions) {
      await drain(session);
      summaries.set(session.name, printSession(session, params));
    }
    printTable([...summaries.values()]);

    const pairs = (
      [
        ['draftroom', 'bare'],
        ['draftroom', 'hocuspocus'],
        ['draftroom2', 'hocuspocus2'],
        ['draftroom2', 'draftroom'],
        ['hocuspocus2', 'hocuspocus'],
      ] as const
    ).filter(([ours, peer]) => summaries.has(ours) && summaries.has(peer));
    if (pairs.length > 0) {
      console.log('\n  ratios (p50, p99, CPU/msg: lower is better; delivered/s: higher is better)');
      for (const [ours, peer] of pairs) printRatio(summaries.get(ours)!, summaries.get(peer)!);
    }
    const ours = summaries.get('draftroom');
    const bare = summaries.get('bare');
    if (ours && bare) {
      const ratio = ours.p99 / bare.p99;
      console.log(`  target p99 ours/bare ≤ 1.25: ${ratio <= 1.25 ? 'met' : 'MISSED'} (${f2(ratio)})`);
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
