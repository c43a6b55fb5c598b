#!/usr/bin/env node
/**
 * `npm run dev`: the API with hot reload (node --watch) on :3000 and Vite on :5173, which serves the
 * client with fast refresh and proxies /api (WebSockets included) to the API. Ctrl-C stops both.
 *
 * The API runs with CLIENT_DIR= so it serves no (possibly stale) build of its own: open the Vite
 * address. Other variables (PORT, DATABASE_URL, DATA_DIR, …) pass through unchanged; the Vite proxy
 * expects the API on port 3000.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const viteBin = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(viteBin)) {
  process.stderr.write(`dev: ${viteBin} not found; run npm install first\n`);
  process.exit(1);
}

const STOP_GRACE_MS = 20_000;
const children = new Map();
let stopping = false;
let exitCode = 0;

function log(line) {
  process.stderr.write(`\x1b[2m[dev]\x1b[0m ${line}\n`);
}

function start(name, args, options) {
  const child = spawn(process.execPath, args, { stdio: 'inherit', ...options });
  children.set(name, child);
  child.on('error', (error) => {
    log(`${name} could not start: ${error.message}`);
    children.delete(name);
    stop(1);
  });
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      log(`${name} exited (${signal ?? `code ${code}`}); stopping the rest`);
      stop(code || 1);
    } else if (children.size === 0) {
      process.exit(exitCode);
    }
  });
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  if (children.size === 0) process.exit(code);
  // Ctrl-C in a terminal already signals the whole process group; this covers `kill <pid>` and a child crash.
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const [name, child] of children) {
      log(`${name} did not stop in ${STOP_GRACE_MS / 1000} s; killing it`);
      child.kill('SIGKILL');
    }
    process.exit(code || 1);
  }, STOP_GRACE_MS).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('SIGHUP', () => stop(0));

start('api', ['--watch', '--import', 'tsx', 'server/src/main.ts'], {
  cwd: root,
  env: { ...process.env, CLIENT_DIR: '' },
});
start('web', [viteBin], { cwd: path.join(root, 'client'), env: process.env });
log('API on http://localhost:3000, web client on http://localhost:5173 (open this one). Ctrl-C stops both.');
