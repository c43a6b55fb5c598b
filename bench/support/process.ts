/**
 * What the benchmarks share: command-line options, and child processes (a server under test in its
 * own process) and temp folders that are cleaned up whatever happens.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `--name <number>` from the command line, or the fallback. */
export function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
  return value;
}

/** `--name 20,50` from the command line (one number or a comma-separated list), or the fallback. */
export function optionList(name: string, fallback: number[]): number[] {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const values = (process.argv[index + 1] ?? '').split(',').map(Number);
  if (values.length === 0 || values.some((value) => !Number.isInteger(value) || value < 1)) throw new Error(`--${name} needs whole numbers, e.g. 20,50`);
  return values;
}

/**
 * The Node flags `npm start` gives the server (package.json's start script: the words between `node`
 * and `--import`), so a benchmark runs Draftroom as a newcomer's machine does.
 */
export function serverNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = start.split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('--import'));
}

/** Node arguments that run a TypeScript file through tsx. */
export function nodeArgs(script: string, extra: string[] = []): string[] {
  return ['--import', 'tsx', ...extra, script];
}

// ---------------------------------------------------------------------------------------------------
// CPU time of a process tree from /proc (Linux): the server process plus its descendants (for
// Draftroom: the embedded PostgreSQL postmaster and its backends).

/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcInfo {
  ppid: number;
  ticks: number;
}

function processTable(): Map<number, ProcInfo> {
  const table = new Map<number, ProcInfo>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // fields[0] = state (3rd field of stat), [1] = ppid, [11] = utime, [12] = stime
      table.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process went away meanwhile
    }
  }
  return table;
}

/** Pids of `root` and all its descendants, with their CPU ticks. */
export function treeTicks(root: number): Map<number, number> {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, info] of table) {
    const list = children.get(info.ppid) ?? [];
    list.push(pid);
    children.set(info.ppid, list);
  }
  const out = new Map<number, number>();
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    const info = table.get(pid);
    if (!info) continue;
    out.set(pid, info.ticks);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** The command name of a process (/proc/<pid>/comm: `postgres`, `redis-server`, `node`, …), or null once it is gone. */
export function processName(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** CPU seconds used between two treeTicks() samples: by the root process, and by its descendants. */
export function cpuBetween(root: number, before: Map<number, number>, after: Map<number, number>) {
  let self = 0;
  let descendants = 0;
  for (const [pid, ticks] of after) {
    const used = (ticks - (before.get(pid) ?? 0)) / CLK_TCK;
    if (pid === root) self += used;
    else descendants += used;
  }
  return { self, descendants };
}

// ---------------------------------------------------------------------------------------------------
// Child processes and temp folders, cleaned up whatever happens.

export interface Child {
  name: string;
  process: ChildProcess;
  output: string[];
  exited: Promise<void>;
}

const children = new Set<Child>();
export const tempDirs = new Set<string>();
let refusing = false;

/**
 * For a run being abandoned (a signal, a watchdog): from now on startProcess()/startChild() refuse, so
 * a start-up still under way cannot leave a new child behind once cleanup() has looked.
 */
export function stopStarting(): void {
  refusing = true;
}

// The last line of defence: whatever is still registered when this process exits (process.exit() in
// the middle of a cleanup, an uncaught error) is killed with its descendants, and temp folders go.
process.on('exit', () => {
  for (const child of children) {
    const pid = child.process.pid;
    if (!pid) continue;
    for (const member of treeTicks(pid).keys()) {
      try {
        process.kill(member, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts Node (this one) on `args` and waits until a line of its output matches `readyLine`. */
export function startChild(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyLine: RegExp,
  timeoutMs: number,
): Promise<{ child: Child; match: RegExpMatchArray }> {
  return startProcess(name, process.execPath, args, env, readyLine, timeoutMs);
}

/** Starts `command` (any program, e.g. redis-server), stopped by stopChild()/cleanup() like startChild's. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyLine: RegExp,
  timeoutMs: number,
): Promise<{ child: Child; match: RegExpMatchArray }> {
  if (refusing) return Promise.reject(new Error(`${name} not started: the run is stopping`));
  const proc = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const output: string[] = [];
  const child: Child = {
    name,
    process: proc,
    output,
    exited: new Promise((resolve) => {
      proc.once('exit', () => resolve());
      proc.once('error', () => resolve()); // never started (e.g. no such program)
    }),
  };
  children.add(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output.slice(-20).join('\n')}`)), timeoutMs);
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        if (output.length > 200) output.shift();
        const match = readyLine.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve({ child, match });
        }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.stdin!.on('error', () => {});
    proc.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not be started (${command}): ${error.message}`));
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output.slice(-20).join('\n')}`));
    });
  });
}

/** SIGTERM, wait for an orderly stop; then SIGKILL the process and any descendant still alive. */
export async function stopChild(child: Child, graceMs = 20_000): Promise<void> {
  if (!children.has(child)) return;
  const pid = child.process.pid;
  const tree = new Set(pid ? treeTicks(pid).keys() : []);
  if (child.process.exitCode === null && child.process.signalCode === null) {
    child.process.kill('SIGTERM');
    child.process.stdin?.end();
    await Promise.race([child.exited, sleep(graceMs)]);
    // Still there: whatever it started meanwhile (a PostgreSQL it was bringing up) goes too.
    if (pid) for (const descendant of treeTicks(pid).keys()) tree.add(descendant);
  }
  for (const leftover of tree) {
    try {
      process.kill(leftover, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  children.delete(child);
}

export async function cleanup(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child, 10_000)));
  await Promise.all([...tempDirs].map((dir) => rm(dir, { recursive: true, force: true })));
  tempDirs.clear();
}
