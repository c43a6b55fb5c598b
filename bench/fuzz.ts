/**
 * The standing fuzz campaign (issue 14): `npm run fuzz [-- --requests N --frames N --kills N --writers N
 * --seed S --minutes M --concurrency C --socket-workers W]`.
 *
 * Starts Draftroom as its own process (server/src/main.ts under tsx, an embedded PostgreSQL in a temp
 * DATA_DIR, SEED_DEMO=false, generous RATE_LIMIT_*, LOG_LEVEL=warn) on 127.0.0.1 and talks to nothing
 * else. Builds a world (bench/support/fuzz-world.ts: one account per role in a public and a private
 * group, with definitions, clauses, versions, threads, amendments and ballots), then:
 *
 *   1. HTTP: generated requests across every OpenAPI operation and every actor
 *      (bench/support/fuzz-http.ts), counted per status; every 5xx is kept with its request.
 *   2. Socket: generated frames on /api/collab/:id as an editor and an observer
 *      (bench/support/fuzz-socket.ts), counted per close code; 1011 or no answer is a failure.
 *   3. Durability: `--writers` real y-websocket clients type continuously while the server is SIGKILLed
 *      `--kills` times (restarted on the same DATA_DIR) and the embedded PostgreSQL's postmaster is
 *      SIGKILLed once (the server answers 503 and restarts it). An edit is *acknowledged* when the answer
 *      to a sync step 1 sent after it arrives (the server answers only once everything before is
 *      committed); after every kill, PostgreSQL is read directly and every acknowledged edit must be
 *      there. At the end every client's text must be stored exactly.
 *
 * Prints requests per status, 5xx, socket close codes, crashes (server exits nobody asked for), lost
 * acknowledged edits and the server's memory (VmRSS) before and after. Exit code 1 on any defect, 2 when
 * the time limit cut a phase short of its count.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as decoding from 'lib0/decoding';
import pg from 'pg';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { freePorts } from '../server/test/support/net.ts';
import { clausesOf } from '@draftroom/shared';
import { addClause, connectClient, type TestClient } from '../server/test/support/collab.ts';
import { describeRequest, HttpTally, type OpenApiDocument, type Outcome, requestChunks, sendAll, wireRequest } from './support/fuzz-http.ts';
import { emptyRawTally, fuzzRaw, rawSummary } from './support/fuzz-raw.ts';
import { emptySocketReport, fuzzSocket, replayFrames, type SocketFuzzReport, socketSummary, syncStep1Frame } from './support/fuzz-socket.ts';
import { type Api, buildWorld, FUZZ_PASSWORD, repairWorld } from './support/fuzz-world.ts';
import { type Child, cleanup, nodeArgs, option, ROOT, serverNodeFlags, sleep, startChild, stopChild, tempDirs } from './support/process.ts';

/** The text of a clause's first paragraph, or null when the clause (or its body) is not there (any editor may delete it). */
function clauseText(doc: Y.Doc, id: string): string | null {
  const entry = clausesOf(doc).get(id);
  const body = entry instanceof Y.Map ? entry.get('body') : undefined;
  if (!(body instanceof Y.XmlFragment)) return null;
  const paragraph = body.get(0);
  if (!(paragraph instanceof Y.XmlElement)) return '';
  const text = paragraph.get(0);
  return text instanceof Y.XmlText ? text.toString() : '';
}

/** Appends to a clause's first paragraph; false when it is not there any more. */
function appendTo(doc: Y.Doc, id: string, text: string): boolean {
  const entry = clausesOf(doc).get(id);
  const body = entry instanceof Y.Map ? entry.get('body') : undefined;
  const paragraph = body instanceof Y.XmlFragment ? body.get(0) : undefined;
  const node = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
  if (!(node instanceof Y.XmlText)) return false;
  node.insert(node.length, text);
  return true;
}

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const n = (value: number) => value.toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------------
// The server under test

interface Crash {
  phase: string;
  exit: string;
  output: string;
}

class ServerProcess {
  child: Child | null = null;
  readonly crashes: Crash[] = [];
  readonly logCounts = new Map<string, number>();
  /** Lines at error level or above per phase (named by its first word: http, raw, socket…) and message. */
  readonly errorsByPhase = new Map<string, Map<string, number>>();
  /** The first line of each distinct message at error level or above. */
  readonly logSamples = new Map<string, string>();
  phase = 'start';
  private killing = false;

  constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get pid(): number {
    return this.child!.process.pid!;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<number> {
    const started = Date.now();
    const { child } = await startChild(
      'draftroom',
      nodeArgs(path.join(ROOT, 'server/src/main.ts'), serverNodeFlags()),
      this.env,
      /Draftroom is running at/,
      180_000,
    );
    this.child = child;
    this.killing = false;
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        const level = /"level":(\d+)/.exec(line)?.[1];
        if (!level) continue;
        const name = { '40': 'warn', '50': 'error', '60': 'fatal' }[level] ?? level;
        const message = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? '';
        const key = `${name}: ${message}`;
        this.logCounts.set(key, (this.logCounts.get(key) ?? 0) + 1);
        const phase = this.phase.split(' ')[0]!;
        if (Number(level) >= 50) {
          const byMessage = this.errorsByPhase.get(phase) ?? this.errorsByPhase.set(phase, new Map()).get(phase)!;
          byMessage.set(message, (byMessage.get(message) ?? 0) + 1);
        }
        if (name !== 'warn' && !this.logSamples.has(key) && this.logSamples.size < 30) this.logSamples.set(key, `[${this.phase}] ${line.slice(0, 700)}`);
      }
    };
    child.process.stdout!.on('data', onData);
    child.process.stderr!.on('data', onData);
    child.process.once('exit', (code, signal) => {
      if (this.killing) return;
      this.crashes.push({ phase: this.phase, exit: String(signal ?? code), output: child.output.slice(-30).join('\n') });
      log(`!!! the server exited on its own during ${this.phase} (${signal ?? code})`);
    });
    return Date.now() - started;
  }

  /** SIGKILL the node process only: its PostgreSQL stays up as an orphan (the next start stops it). */
  async kill(): Promise<void> {
    const child = this.child!;
    this.killing = true;
    child.process.kill('SIGKILL');
    await child.exited;
    await stopChild(child);
    this.child = null;
  }

  /** Restarts after a crash nobody asked for, so one crash does not hide the rest of the campaign. */
  async ensureRunning(): Promise<void> {
    if (this.child && this.child.process.exitCode === null && this.child.process.signalCode === null) return;
    if (this.child) await stopChild(this.child);
    this.child = null;
    await this.start();
  }

  async stop(): Promise<void> {
    if (!this.child) return;
    this.killing = true;
    await stopChild(this.child);
    this.child = null;
  }

  rssKb(): number | null {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return match ? Number(match[1]) : null;
    } catch {
      return null;
    }
  }

  /** Where the embedded cluster is (DATA_DIR/pg-cluster.json) and how to reach it. */
  cluster(): { dir: string; port: number; user: string; password: string } {
    const state = JSON.parse(readFileSync(path.join(this.dataDir, 'pg-cluster.json'), 'utf8')) as { cluster: string; port: number };
    const credentials = JSON.parse(readFileSync(path.join(this.dataDir, 'pg-credentials.json'), 'utf8')) as { user: string; password: string };
    return { dir: path.resolve(this.dataDir, state.cluster), port: state.port, ...credentials };
  }
}

const mb = (kb: number | null) => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(1)} MB`);

function fetchApi(server: ServerProcess): Api {
  return async (method, url, options = {}) => {
    const response = await fetch(server.base + url, {
      method,
      headers: {
        origin: server.base,
        ...(options.cookie && { cookie: options.cookie }),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('draftroom_session='));
    return { status: response.status, json, cookie: session ? session.split(';')[0]! : null };
  };
}

// ---------------------------------------------------------------------------------------------------
// HTTP over node:http (raw request targets, any header, any body bytes)

function httpSender(server: ServerProcess, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  /** What each kept-alive connection carried last: a reset is often the previous request's doing. */
  const previous = new WeakMap<object, string>();
  const send = (wire: { method: string; path: string; headers: Record<string, string>; body: string | Buffer | undefined }, label: string): Promise<Outcome> =>
    new Promise((resolve) => {
      let request: http.ClientRequest;
      let before = 'a new connection';
      try {
        // An explicit length: Node sends a GET or DELETE body without one, and the server would read it as the next request.
        const headers = wire.body === undefined ? wire.headers : { ...wire.headers, 'content-length': String(Buffer.byteLength(wire.body)) };
        request = http.request({ host: '127.0.0.1', port: server.port, method: wire.method, path: wire.path, headers, agent, timeout: 30_000 }, (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            if (size < 4096) chunks.push(chunk);
            size += chunk.length;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8', 0, Math.min(size, 2048)) }));
          response.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
        });
      } catch (error) {
        resolve({ error: `client refused to send: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
        return;
      }
      request.on('socket', (socket) => {
        before = previous.get(socket) ?? 'a new connection';
        previous.set(socket, label);
      });
      request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      request.on('error', (error) =>
        resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message, detail: `after ${before} on the same connection` }),
      );
      request.end(wire.body);
    });
  return { send, close: () => agent.destroy() };
}

// ---------------------------------------------------------------------------------------------------
// Durability: writers that know which of their edits the server acknowledged

interface Writer {
  index: number;
  doc: Y.Doc;
  provider: WebsocketProvider;
  clauseId: string;
  /** Edits typed so far (each appends one token ` <index>.<n>`). */
  typed: number;
  /** The writer's clause text as of the last acknowledged sync step 1. */
  acked: string;
  probes: number;
  answers: number;
  closeCodes: number[];
  probe(): void;
}

const isStep = (data: Uint8Array, step: number) => {
  try {
    const decoder = decoding.createDecoder(data);
    return decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === step;
  } catch {
    return false;
  }
};

function startWriter(base: string, definitionId: string, cookie: string, index: number): Writer {
  const doc = new Y.Doc();
  const writer = { index, doc, clauseId: randomUUID(), typed: 0, acked: '', probes: 0, answers: 0, closeCodes: [] as number[] } as Writer;
  const ownText = () => clauseText(doc, writer.clauseId) ?? '';
  /**
   * A `ws` socket that sends the cookie and keeps, per socket, the sync step 1 frames it sent in order:
   * the server answers them in order, each only once everything the socket sent before is committed.
   */
  class AckingSocket extends WebSocket {
    readonly pending: (string | null)[] = [];
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
      this.on('message', (data: WebSocket.RawData) => {
        const bytes = new Uint8Array(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer));
        if (!isStep(bytes, 1)) return;
        const snapshot = this.pending.shift();
        if (snapshot === undefined) return;
        writer.answers++;
        if (snapshot !== null && snapshot.length >= writer.acked.length) writer.acked = snapshot;
      });
    }
    override send(data: unknown, ...rest: unknown[]): void {
      // The provider's own sync step 1 (on open, before it answered the greeting) acknowledges nothing we track.
      if (data instanceof Uint8Array && isStep(data, 0)) this.pending.push(null);
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
    ackProbe(): void {
      this.pending.push(ownText());
      super.send(syncStep1Frame(Y.encodeStateVector(doc)));
    }
  }
  const provider = new WebsocketProvider(`${base.replace(/^http/, 'ws')}/api/collab`, definitionId, doc, {
    WebSocketPolyfill: AckingSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
  });
  provider.on('connection-close', (event) => {
    if (event) writer.closeCodes.push(event.code);
  });
  writer.provider = provider;
  writer.probe = () => {
    const ws = provider.ws as unknown as AckingSocket | null;
    // Only once synced: the provider has then answered the greeting with everything the server lacked.
    if (!ws || !provider.wsconnected || !provider.synced || ws.readyState !== WebSocket.OPEN) return;
    writer.probes++;
    ws.ackProbe();
  };
  return writer;
}

async function readStored(server: ServerProcess, definitionId: string): Promise<Y.Doc> {
  const cluster = server.cluster();
  const client = new pg.Client({ host: '127.0.0.1', port: cluster.port, user: cluster.user, password: cluster.password, database: 'draftroom' });
  await client.connect();
  try {
    const doc = new Y.Doc();
    const state = await client.query<{ state: Buffer }>('select state from doc_states where definition_id = $1', [definitionId]);
    if (state.rows[0]) Y.applyUpdate(doc, state.rows[0].state);
    const updates = await client.query<{ update: Buffer }>('select update from doc_updates where definition_id = $1 order by id', [definitionId]);
    for (const row of updates.rows) Y.applyUpdate(doc, row.update);
    return doc;
  } finally {
    await client.end();
  }
}

const tokens = (text: string) => text.split(' ').filter((token) => /^\d+\.\d+$/.test(token));

interface DurabilityCheck {
  when: string;
  ackedEdits: number;
  lostEdits: number;
  detail: string[];
}

/** Every acknowledged edit (token) of every writer must be in what PostgreSQL holds. */
function checkAcked(when: string, writers: Writer[], stored: Y.Doc): DurabilityCheck {
  const check: DurabilityCheck = { when, ackedEdits: 0, lostEdits: 0, detail: [] };
  for (const writer of writers) {
    const acked = writer.acked;
    const storedText = clauseText(stored, writer.clauseId) ?? '';
    const ackedTokens = tokens(acked);
    check.ackedEdits += ackedTokens.length;
    if (storedText.startsWith(acked)) continue;
    const present = new Set(tokens(storedText));
    const missing = ackedTokens.filter((token) => !present.has(token));
    check.lostEdits += missing.length;
    check.detail.push(
      `writer ${writer.index}: acknowledged ${acked.length} chars, stored ${storedText.length}; missing ${missing.length} edits (${missing.slice(0, 5).join(', ')}…)`,
    );
  }
  return check;
}

// ---------------------------------------------------------------------------------------------------

export async function run(): Promise<void> {
  const params = {
    requests: Math.round(option('requests', 100_000)),
    raw: Math.round(option('raw', 1000)),
    frames: Math.round(option('frames', 100_000)),
    kills: Math.round(option('kills', 10)),
    writers: Math.max(1, Math.round(option('writers', 20))),
    seed: Math.round(option('seed', Date.now() % 1_000_000)),
    minutes: option('minutes', 14),
    concurrency: Math.max(1, Math.round(option('concurrency', 16))),
    socketWorkers: Math.max(1, Math.round(option('socket-workers', 4))),
  };
  const started = Date.now();
  const deadline = started + params.minutes * 60_000;
  // Bounded whatever happens: two minutes past the limit everything is stopped.
  const watchdog = setTimeout(
    () => {
      console.error(`fuzz: over its time budget (${params.minutes} min + 2); stopping`);
      void cleanup().finally(() => process.exit(1));
    },
    (params.minutes + 2) * 60_000,
  );
  watchdog.unref();
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  // A bug in the campaign itself must not lose the report of what was found so far.
  const harnessErrors: string[] = [];
  const onHarnessError = (error: unknown) => {
    harnessErrors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
    log(`harness error (the campaign goes on): ${error instanceof Error ? error.message : String(error)}`);
  };
  process.on('uncaughtException', onHarnessError);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.setMaxListeners(params.writers + 50);

  log(
    `fuzz campaign: ${n(params.requests)} requests, ${n(params.frames)} frames, ${params.kills} SIGKILLs under ${params.writers} writers, ` +
      `1 PostgreSQL kill; seed ${params.seed}; limit ${params.minutes} min; ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), Node ${process.version}`,
  );

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'draftroom-fuzz-'));
  // Reachable by the `postgres` user when running as root, so the cluster stays inside (and is removed).
  chmodSync(dataDir, 0o755);
  tempDirs.add(dataDir);
  const [port, pgPort] = (await freePorts(2)) as [number, number];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
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
  const server = new ServerProcess(port, dataDir, env);
  const failures: string[] = [];
  const shortfalls: string[] = [];
  const memory: [string, number | null][] = [];
  const tally = new HttpTally();
  const rawTally = emptyRawTally();
  let socketReport: SocketFuzzReport | null = null;
  const durability: DurabilityCheck[] = [];
  const restarts: number[] = [];
  const outage: string[] = [];
  let outageServerErrors = 0;
  let finalMismatch: string[] = [];
  let socketDefinition: string | null = null;
  const reloads: string[] = [];
  let writersSummary = '';

  try {
    log(`starting Draftroom on ${server.base} (DATA_DIR ${dataDir})`);
    log(`server up in ${((await server.start()) / 1000).toFixed(1)} s`);
    const api = fetchApi(server);
    server.phase = 'world';
    const world = await buildWorld(api);
    await repairWorld(api, world, { spareSessions: 6 });
    log(
      `world: ${world.groups.length} groups, ${world.targets.definitionIds.length} definitions, ${world.targets.clauseIds.length} clauses, ${world.targets.ballotIds.length} ballots`,
    );
    memory.push(['before fuzzing (world built)', server.rssKb()]);

    // 1. HTTP -------------------------------------------------------------------------------------
    if (params.requests > 0) {
      server.phase = 'http';
      const httpDeadline = started + params.minutes * 60_000 * 0.45;
      const document = (await api('GET', '/api/openapi.json')).json as OpenApiDocument;
      const sender = httpSender(server, params.concurrency);
      const phaseStart = Date.now();
      let nextReport = 10_000;
      for (const chunk of requestChunks(document, world, params.seed, params.requests, 2500)) {
        await sendAll(
          chunk,
          params.concurrency,
          (request) =>
            sender.send(
              wireRequest(request, world, server.base, () => world.spareSessions.pop() ?? null),
              describeRequest(request, 160),
            ),
          tally,
        );
        await server.ensureRunning();
        const repair = await repairWorld(api, world, { spareSessions: 6 });
        if (repair.problems.length > 0) log(`repair: ${repair.problems.join('; ')}`);
        if (tally.total >= nextReport) {
          const rate = tally.total / ((Date.now() - phaseStart) / 1000);
          log(`http: ${n(tally.total)} requests (${rate.toFixed(0)}/s), 5xx so far: ${tally.serverErrorCount}, RSS ${mb(server.rssKb())}`);
          nextReport += 10_000;
        }
        if (Date.now() > httpDeadline) break;
      }
      sender.close();
      log(`http done: ${n(tally.total)} requests in ${((Date.now() - phaseStart) / 1000).toFixed(0)} s`);
      if (tally.total < params.requests) shortfalls.push(`HTTP: ${n(tally.total)} of ${n(params.requests)} requests before the time limit`);
      memory.push(['after HTTP fuzzing', server.rssKb()]);
    }

    // 1b. Raw HTTP framing ------------------------------------------------------------------------
    if (params.raw > 0) {
      server.phase = 'raw';
      await server.ensureRunning();
      const phaseStart = Date.now();
      await fuzzRaw({
        port: server.port,
        host: `127.0.0.1:${server.port}`,
        cookie: world.accounts.member.cookie,
        definitionId: world.groups[0]!.definitionId,
        count: params.raw,
        seed: params.seed,
        concurrency: params.concurrency,
        tally: rawTally,
      });
      log(`raw HTTP done: ${n(rawTally.connections)} connections in ${((Date.now() - phaseStart) / 1000).toFixed(0)} s`);
    }

    // 2. Socket -----------------------------------------------------------------------------------
    if (params.frames > 0) {
      server.phase = 'socket';
      await server.ensureRunning();
      const group = world.groups[0]!;
      const created = await api('POST', `/api/groups/${group.slug}/definitions`, {
        cookie: world.accounts.chair.cookie,
        body: { slug: 'sockets', title: 'Sockets' },
      });
      if (created.status !== 201) throw new Error(`could not create the socket definition: ${created.status}`);
      const definitionId = created.json.id as string;
      // The co-editor whose client id the fuzzer forges. It writes first and waits until that is stored: an
      // id nobody has written under yet is anyone's to claim (see the README of bench/ on this).
      const victim: TestClient = connectClient(server.base, definitionId, world.accounts.chair.cookie);
      const victimClause = randomUUID();
      for (let i = 0; i < 200 && !victim.provider.synced; i++) await sleep(50);
      addClause(victim.doc, victimClause, 'the chair types here:');
      for (let i = 0; i < 200; i++) {
        const stored = await api('GET', `/api/definitions/${definitionId}`, { cookie: world.accounts.chair.cookie });
        if (stored.json?.clauses?.length > 0) break;
        await sleep(50);
      }
      let victimClauseNow = victimClause;
      const victimTyping = setInterval(() => {
        if (!victim.provider.synced) return;
        // Fuzzed delete sets may delete its clause (editors may delete anything): then it starts another.
        if (!appendTo(victim.doc, victimClauseNow, ' x')) {
          victimClauseNow = randomUUID();
          addClause(victim.doc, victimClauseNow, 'the chair starts again:');
        }
      }, 300);
      const options = {
        url: server.base.replace(/^http/, 'ws'),
        definitionId,
        origin: server.base,
        cookies: { editor: world.accounts.editor.cookie, observer: world.accounts.observer.cookie, outsider: world.accounts.outsider.cookie },
      };
      const phaseStart = Date.now();
      let nextReport = 10_000;
      socketReport = emptySocketReport();
      try {
        await fuzzSocket({
          report: socketReport,
          ...options,
          victim: () => ({ client: victim.doc.clientID, clock: Y.getState(victim.doc.store, victim.doc.clientID) }),
          frames: params.frames,
          workers: params.socketWorkers,
          seed: params.seed,
          deadline: Math.min(deadline - 4 * 60_000, started + params.minutes * 60_000 * 0.75),
          onProgress: (report) => {
            if (report.framesSent < nextReport) return;
            nextReport += 10_000;
            const rate = report.framesSent / ((Date.now() - phaseStart) / 1000);
            log(
              `socket: ${n(report.framesSent)} frames (${rate.toFixed(0)}/s) over ${n(report.connections)} connections, 1011: ${report.serverErrors}, RSS ${mb(server.rssKb())}`,
            );
          },
        });
      } catch (error) {
        failures.push(`socket phase aborted: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      clearInterval(victimTyping);
      log(`socket done: ${n(socketReport.framesSent)} frames in ${((Date.now() - phaseStart) / 1000).toFixed(0)} s`);
      if (socketReport.framesSent < params.frames) shortfalls.push(`socket: ${n(socketReport.framesSent)} of ${n(params.frames)} frames before the time limit`);
      for (const incident of socketReport.incidents.slice(0, 5)) {
        if (incident.recent.length === 0) continue;
        const replay = await replayFrames(options, incident.role === 'observer' ? 'observer' : 'editor', incident.recent);
        incident.what += `; replayed alone: ${replay.map((r) => `${r.frame.kind}→${r.close ?? 'open'}`).join(', ')}`;
      }
      const victimCloses = victim.closeCodes.join(', ');
      if (victimCloses) log(`the forged-against co-editor saw closes: ${victimCloses}`);
      try {
        victim.destroy();
      } catch (error) {
        // y-websocket throws here when someone else's awareness update removed this client's own state.
        log(`the co-editor's provider threw on destroy: ${error instanceof Error ? error.message : String(error)}`);
      }
      const health = await api('GET', '/api/health');
      if (health.status !== 200) failures.push(`after the socket fuzzing /api/health answered ${health.status}`);
      memory.push(['after socket fuzzing', server.rssKb()]);
      socketDefinition = definitionId;
    }

    // 2b. Reload: what was stored must load again ---------------------------------------------------
    // A graceful restart makes the server read every fuzzed document back from PostgreSQL (as it does
    // after a crash, or 30 s after the last client left). Each must open over the socket and export.
    if (params.requests > 0 || params.frames > 0) {
      server.phase = 'reload';
      await server.stop();
      await server.start();
      const definitions = [...world.targets.definitionIds, ...(socketDefinition ? [socketDefinition] : [])];
      for (const definitionId of definitions) {
        const reader = connectClient(server.base, definitionId, world.accounts.chair.cookie);
        for (let i = 0; i < 200 && !reader.provider.synced && reader.closeCodes.length < 3; i++) await sleep(50);
        const exported = await api('GET', `/api/definitions/${definitionId}/export?format=md`, { cookie: world.accounts.chair.cookie });
        const line = `definition ${definitionId}${definitionId === socketDefinition ? ' (the socket-fuzzed one)' : ''}: socket ${reader.provider.synced ? 'synced' : `not synced (closes ${reader.closeCodes.join(', ') || 'none'})`}, export ${exported.status}`;
        reloads.push(line);
        if (!reader.provider.synced || exported.status >= 500) failures.push(`after a restart, ${line}`);
        try {
          reader.destroy();
        } catch {
          // see the co-editor above
        }
      }
      log(
        `reload: ${reloads.filter((line) => line.includes(' synced,') && line.endsWith('export 200')).length} of ${definitions.length} definitions load and export after a restart`,
      );
      server.phase = 'after reload';
    }

    // 3. Durability -------------------------------------------------------------------------------
    if (params.kills > 0) {
      server.phase = 'durability';
      await server.ensureRunning();
      const slug = `fz-durable-${params.seed}`;
      const chair = world.accounts.chair;
      await api('POST', '/api/groups', { cookie: chair.cookie, body: { slug, name: 'Durability', visibility: 'private' } });
      const created = await api('POST', `/api/groups/${slug}/definitions`, { cookie: chair.cookie, body: { slug: 'durable', title: 'Durable' } });
      if (created.status !== 201) throw new Error(`could not create the durability definition: ${created.status}`);
      const definitionId = created.json.id as string;
      const cookies: string[] = [];
      for (let i = 0; i < params.writers; i++) {
        const email = `fuzz.writer${i}.${params.seed}@example.org`;
        const registered = await api('POST', '/api/auth/register', { body: { email, displayName: `Writer ${i}`, password: FUZZ_PASSWORD } });
        await api('POST', `/api/groups/${slug}/members`, { cookie: chair.cookie, body: { email, role: 'editor' } });
        cookies.push(registered.cookie!);
      }
      const writers = cookies.map((cookie, index) => startWriter(server.base, definitionId, cookie, index));
      const waitSynced = async (timeoutMs: number) => {
        const until = Date.now() + timeoutMs;
        while (Date.now() < until && !writers.every((w) => w.provider.wsconnected && w.provider.synced)) await sleep(50);
        return writers.every((w) => w.provider.wsconnected && w.provider.synced);
      };
      if (!(await waitSynced(30_000))) throw new Error('the writers did not connect');
      for (const writer of writers) addClause(writer.doc, writer.clauseId, `writer ${writer.index}:`);
      let typing = true;
      const typists = writers.map(async (writer) => {
        await sleep(writer.index * 7);
        while (typing) {
          appendTo(writer.doc, writer.clauseId, ` ${writer.index}.${writer.typed++}`);
          await sleep(100);
        }
      });
      const prober = setInterval(() => {
        for (const writer of writers) writer.probe();
      }, 250);
      let killTime = 0;
      for (let k = 1; k <= params.kills; k++) {
        if (Date.now() > deadline - 90_000) {
          shortfalls.push(`durability: ${k - 1} of ${params.kills} SIGKILLs before the time limit`);
          break;
        }
        await sleep(2500 + ((k * 997 + params.seed) % 2500));
        server.phase = `durability (before SIGKILL ${k})`;
        await server.kill();
        await sleep(100);
        try {
          const check = checkAcked(`after SIGKILL ${k}`, writers, await readStored(server, definitionId));
          durability.push(check);
          if (check.lostEdits > 0) failures.push(`lost acknowledged edits after SIGKILL ${k}: ${check.detail.join('; ')}`);
        } catch (error) {
          failures.push(`could not read PostgreSQL after SIGKILL ${k}: ${error instanceof Error ? error.message : String(error)}`);
        }
        const downFor = Date.now();
        server.phase = `durability (restart ${k})`;
        const took = await server.start();
        restarts.push(took);
        killTime += Date.now() - downFor;
        log(
          `SIGKILL ${k}/${params.kills}: ${durability.at(-1)?.ackedEdits ?? '?'} acknowledged edits checked, lost ${durability.at(-1)?.lostEdits ?? '?'}; restarted in ${(took / 1000).toFixed(1)} s`,
        );
        server.phase = 'durability';
      }

      // The embedded PostgreSQL's postmaster, killed under the running server.
      if (Date.now() < deadline - 60_000) {
        await sleep(3000);
        server.phase = 'durability (PostgreSQL kill)';
        const postmaster = Number(readFileSync(path.join(server.cluster().dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        const probeStatuses = new Map<string, number>();
        process.kill(postmaster, 'SIGKILL');
        const killedAt = Date.now();
        let recoveredAt: number | null = null;
        let sawUnavailable = false;
        while (Date.now() - killedAt < 90_000) {
          for (const [label, url, cookie] of [
            ['health (anonymous)', '/api/health', null],
            ['health (signed in)', '/api/health', chair.cookie],
            ['definition (signed in)', `/api/definitions/${definitionId}`, chair.cookie],
            ['groups (signed in)', '/api/groups', chair.cookie],
          ] as const) {
            const response = await api('GET', url, { cookie }).catch((error: Error) => ({ status: `error ${error.message}` }));
            const key = `${label} ${response.status}`;
            probeStatuses.set(key, (probeStatuses.get(key) ?? 0) + 1);
            if (typeof response.status === 'number' && response.status >= 500 && response.status !== 503) outageServerErrors++;
            if (response.status === 503) sawUnavailable = true;
          }
          const health = await api('GET', '/api/health').catch(() => null);
          if (health?.status === 200 && sawUnavailable) {
            recoveredAt = Date.now();
            break;
          }
          await sleep(100);
        }
        outage.push(`postmaster ${postmaster} SIGKILLed; answers while it was down: ${[...probeStatuses.entries()].map(([k, v]) => `${k}×${v}`).join(', ')}`);
        outage.push(recoveredAt ? `healthy again after ${((recoveredAt - killedAt) / 1000).toFixed(1)} s` : 'NOT healthy again within 90 s');
        if (!recoveredAt) failures.push('the server did not recover from the PostgreSQL kill within 90 s');
        if (!sawUnavailable) failures.push('no 503 was seen while PostgreSQL was down');
        if (outageServerErrors > 0) failures.push(`${outageServerErrors} 5xx other than 503 while PostgreSQL was down`);
        try {
          const check = checkAcked('after the PostgreSQL kill', writers, await readStored(server, definitionId));
          durability.push(check);
          if (check.lostEdits > 0) failures.push(`lost acknowledged edits after the PostgreSQL kill: ${check.detail.join('; ')}`);
        } catch (error) {
          failures.push(`could not read PostgreSQL after its restart: ${error instanceof Error ? error.message : String(error)}`);
        }
        log(outage.join('; '));
        server.phase = 'durability';
      } else shortfalls.push('durability: no PostgreSQL kill before the time limit');

      // Stop typing; every client's text must end up stored exactly.
      await sleep(2000);
      typing = false;
      await Promise.all(typists);
      server.phase = 'durability (final sync)';
      const synced = await waitSynced(60_000);
      const until = Date.now() + 60_000;
      while (Date.now() < until && writers.some((w) => w.acked !== (clauseText(w.doc, w.clauseId) ?? ''))) await sleep(100);
      clearInterval(prober);
      if (!synced) failures.push('not every writer was connected and synced at the end');
      const stored = await readStored(server, definitionId);
      const final = checkAcked('at the end', writers, stored);
      durability.push(final);
      if (final.lostEdits > 0) failures.push(`lost acknowledged edits at the end: ${final.detail.join('; ')}`);
      finalMismatch = writers
        .filter((w) => (clauseText(stored, w.clauseId) ?? '') !== (clauseText(w.doc, w.clauseId) ?? ''))
        .map(
          (w) =>
            `writer ${w.index}: client has ${(clauseText(w.doc, w.clauseId) ?? '').length} chars, PostgreSQL ${(clauseText(stored, w.clauseId) ?? '').length}`,
        );
      if (finalMismatch.length > 0) failures.push(`client text not stored exactly at the end: ${finalMismatch.join('; ')}`);
      const diverged = writers.filter((w) => writers.some((other) => clauseText(other.doc, w.clauseId) !== clauseText(w.doc, w.clauseId)));
      if (diverged.length > 0) failures.push(`${diverged.length} writers' clauses differ between clients at the end`);
      const typed = writers.reduce((sum, w) => sum + w.typed, 0);
      const closes = new Map<number, number>();
      for (const writer of writers) for (const code of writer.closeCodes) closes.set(code, (closes.get(code) ?? 0) + 1);
      writersSummary =
        `${writers.length} writers typed ${n(typed)} edits (${n(writers.reduce((s, w) => s + (clauseText(w.doc, w.clauseId) ?? '').length, 0))} chars), ` +
        `${n(writers.reduce((s, w) => s + w.probes, 0))} sync probes answered ${n(writers.reduce((s, w) => s + w.answers, 0))} times; ` +
        `client close codes: ${[...closes.entries()].map(([code, count]) => `${code}×${count}`).join(' ') || 'none'}; ` +
        `server down ${(killTime / 1000).toFixed(0)} s in total`;
      for (const writer of writers) {
        try {
          writer.provider.destroy();
        } catch {
          // see the co-editor above
        }
      }
      memory.push([`end of durability (a fresh process after ${restarts.length} SIGKILLs)`, server.rssKb()]);
    }

    const health = await api('GET', '/api/health');
    if (health.status !== 200) failures.push(`/api/health answered ${health.status} at the end`);
  } catch (error) {
    failures.push(`campaign aborted: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    server.phase = 'stop';
    await server.stop().catch(() => {});
    await cleanup();
    clearTimeout(watchdog);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('uncaughtException', onHarnessError);
  }
  for (const error of harnessErrors) failures.push(`harness error: ${error.split('\n').slice(0, 4).join(' | ')}`);

  // Report ---------------------------------------------------------------------------------------
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`\n=== fuzz campaign report (seed ${params.seed}, ${minutes} min) ===`);
  console.log('\nHTTP');
  for (const line of tally.summary()) console.log(`  ${line}`);
  console.log(`  5xx: ${tally.serverErrorCount}`);
  for (const sample of tally.serverErrors) console.log(`    ${sample.status} ← ${sample.request}\n      response: ${sample.response}`);
  if (tally.networkErrors.size > 0) {
    console.log(`  no response: ${[...tally.networkErrors.entries()].map(([k, v]) => `${k}×${v}`).join(' ')}`);
    for (const sample of tally.networkSamples.slice(0, 10)) console.log(`    ${sample}`);
  }
  if (tally.serverErrorCount > 0) failures.push(`${tally.serverErrorCount} HTTP 5xx`);
  const timeouts = tally.networkErrors.get('TIMEOUT') ?? 0;
  if (timeouts > 0) failures.push(`${timeouts} requests got no answer within 30 s`);
  if (rawTally.connections > 0) {
    console.log('\nRaw HTTP framing');
    for (const line of rawSummary(rawTally)) console.log(`  ${line}`);
    for (const sample of rawTally.serverErrors) console.log(`    ${sample.status} ← ${sample.kind}: ${sample.payload}`);
    if (rawTally.serverErrors.length > 0) failures.push(`${rawTally.serverErrors.length} raw HTTP cases answered 5xx`);
  }
  if (socketReport) {
    console.log('\nSocket');
    for (const line of socketSummary(socketReport)) console.log(`  ${line}`);
    for (const incident of socketReport.incidents.slice(0, 10)) {
      console.log(`    ${incident.what} (as ${incident.role}, ${incident.code} ${incident.reason})`);
      for (const frame of incident.recent.slice(-4)) console.log(`      ${frame.kind}: ${frame.hex.slice(0, 400)}`);
    }
    if (socketReport.serverErrors > 0) failures.push(`${socketReport.serverErrors} sockets closed with 1011`);
    if (socketReport.unapplicableCount > 0) failures.push(`${socketReport.unapplicableCount} messages from the server could not be applied by a Yjs client`);
    if (socketReport.stalls > 0) failures.push(`${socketReport.stalls} socket bursts got no answer`);
  }
  if (reloads.length > 0) {
    console.log('\nReload after a restart');
    for (const line of reloads) console.log(`  ${line}`);
  }
  console.log('\nDurability');
  if (writersSummary) console.log(`  ${writersSummary}`);
  if (restarts.length > 0)
    console.log(`  restarts after SIGKILL: ${restarts.length}, ${(restarts.reduce((a, b) => a + b, 0) / restarts.length / 1000).toFixed(1)} s on average`);
  for (const line of outage) console.log(`  ${line}`);
  for (const check of durability)
    console.log(
      `  ${check.when}: ${n(check.ackedEdits)} acknowledged edits, lost ${check.lostEdits}${check.detail.length ? ` (${check.detail.join('; ')})` : ''}`,
    );
  const lost = durability.reduce((sum, check) => sum + check.lostEdits, 0);
  console.log(`  lost acknowledged edits: ${lost}`);
  console.log('\nServer');
  console.log(`  crashes (exits nobody asked for): ${server.crashes.length}`);
  for (const crash of server.crashes) console.log(`    during ${crash.phase}: ${crash.exit}\n${crash.output}`);
  if (server.crashes.length > 0) failures.push(`${server.crashes.length} server crashes`);
  for (const [what, kb] of memory) console.log(`  RSS ${what}: ${mb(kb)}`);
  console.log('  error-level log lines per phase:');
  if (server.errorsByPhase.size === 0) console.log('    none');
  for (const [phase, byMessage] of server.errorsByPhase) {
    console.log(`    ${phase}: ${[...byMessage.entries()].map(([message, count]) => `${count}× "${message}"`).join(', ')}`);
    if (['http', 'raw', 'socket'].includes(phase)) {
      const count = [...byMessage.values()].reduce((a, b) => a + b, 0);
      failures.push(`${count} error-level server log lines during the ${phase} phase: ${[...byMessage.keys()].join('; ')}`);
    }
  }
  if (server.logCounts.size > 0) {
    console.log('  log lines at warn or above:');
    for (const [key, count] of [...server.logCounts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`    ${count}× ${key}`);
    for (const sample of server.logSamples.values()) console.log(`    e.g. ${sample}`);
  }
  console.log('\nVerdict');
  for (const shortfall of shortfalls) console.log(`  short: ${shortfall}`);
  for (const failure of failures) console.log(`  FAIL: ${failure}`);
  if (failures.length === 0) console.log(`  no 5xx, no 1011, no crash, no lost acknowledged edit${shortfalls.length ? ' (but see the shortfalls)' : ''}`);
  process.exitCode = failures.length > 0 ? 1 : shortfalls.length > 0 ? 2 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
  process.exit(process.exitCode ?? 0);
}
