import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Api, buildWorld, repairWorld, type World } from '../../../bench/support/fuzz-world.ts';
import { HttpTally, type OpenApiDocument, type Outcome, requestChunks, sendAll, wireRequest } from '../../../bench/support/fuzz-http.ts';
import { fuzzRaw, rawSummary } from '../../../bench/support/fuzz-raw.ts';
import { fuzzSocket, replayFrames, socketSummary } from '../../../bench/support/fuzz-socket.ts';
import { ORIGIN, useTestApp } from '../../test/support/app.ts';
import { addClause, connectClient, synced, type TestClient, textOf, waitFor } from '../../test/support/collab.ts';

/**
 * The seeded slice of the fuzz campaign (`npm run fuzz`, bench/fuzz.ts): the same generators, in
 * process, with a fixed seed and small counts. A failure prints the requests or frames that caused it;
 * rerun the campaign with `--seed` to explore further.
 */
const SEED = 14;
const REQUESTS = 2000;
const FRAMES = 2000;
const RAW = 150;

describe('fuzzing: generated requests and socket frames (seeded slice of npm run fuzz)', () => {
  // A stand-in for the built client, so requests outside /api take the same paths as in production.
  const clientDir = mkdtempSync(path.join(os.tmpdir(), 'draftroom-fuzz-client-'));
  writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Draftroom</title>');
  const t = useTestApp({ RATE_LIMIT_LOGIN_PER_IP: '1000000', RATE_LIMIT_LOGIN_PER_EMAIL: '1000000', LOG_LEVEL: 'warn', CLIENT_DIR: clientDir });
  let world: World;
  let base: string;
  const clients: TestClient[] = [];

  const api: Api = async (method, url, options = {}) => {
    const response = await t.app.inject({
      method: method as InjectOptions['method'],
      url,
      headers: {
        origin: ORIGIN,
        ...(options.cookie && { cookie: options.cookie }),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
      },
      payload: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const session = response.cookies.find((cookie) => cookie.name === 'draftroom_session');
    let json: unknown = null;
    try {
      json = response.json();
    } catch {
      // not JSON
    }
    return { status: response.statusCode, json, cookie: session ? `draftroom_session=${session.value}` : null };
  };

  beforeAll(async () => {
    world = await buildWorld(api);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => {
    for (const client of clients.splice(0)) client.destroy();
    rmSync(clientDir, { recursive: true, force: true });
  });

  it('answers every generated request, as every role, without a 5xx', { timeout: 120_000 }, async () => {
    const document = (await api('GET', '/api/openapi.json')).json as OpenApiDocument;
    const tally = new HttpTally();
    const send = async (request: Parameters<typeof wireRequest>[0]): Promise<Outcome> => {
      const wire = wireRequest(request, world, ORIGIN, () => world.spareSessions.pop() ?? null);
      try {
        const response = await t.app.inject({ method: wire.method as InjectOptions['method'], url: wire.path, headers: wire.headers, payload: wire.body });
        return { status: response.statusCode, body: response.body.slice(0, 500) };
      } catch (error) {
        return { error: `inject: ${error instanceof Error ? error.message : String(error)}` };
      }
    };
    for (const chunk of requestChunks(document, world, SEED, REQUESTS, 500)) {
      await sendAll(chunk, 8, send, tally);
      const repair = await repairWorld(api, world, { spareSessions: 2 });
      expect(repair.problems).toEqual([]);
    }
    const report = tally.summary().join('\n');
    if (process.env.FUZZ_VERBOSE) console.log(report);
    expect(tally.total).toBe(REQUESTS);
    expect(tally.serverErrors, report).toEqual([]);
    expect(tally.serverErrorCount).toBe(0);
    // Most requests reach a route's own logic, not only validation.
    expect([...tally.byStatus.entries()].filter(([status]) => status.startsWith('2')).reduce((sum, [, n]) => sum + n, 0)).toBeGreaterThan(REQUESTS / 20);
    expect((await api('GET', '/api/health')).status).toBe(200);
  });

  it('closes hostile sockets with client codes (never 1011), leaves co-editors alone and keeps serving', { timeout: 120_000 }, async () => {
    const group = world.groups[0]!;
    const created = await api('POST', `/api/groups/${group.slug}/definitions`, {
      cookie: world.accounts.chair.cookie,
      body: { slug: 'sockets', title: 'Sockets' },
    });
    expect(created.status).toBe(201);
    const definitionId = created.json.id as string;

    // A co-editor whose client id the fuzzer forges.
    const victim = connectClient(base, definitionId, world.accounts.chair.cookie);
    clients.push(victim);
    await synced(victim);
    const victimClause = randomUUID();
    addClause(victim.doc, victimClause, 'the chair wrote this');
    await waitFor(
      async () => (await api('GET', `/api/definitions/${definitionId}`, { cookie: world.accounts.chair.cookie })).json?.clauses?.length === 1,
      'stored',
    );

    const options = {
      url: base.replace(/^http/, 'ws'),
      definitionId,
      origin: base,
      cookies: { editor: world.accounts.editor.cookie, observer: world.accounts.observer.cookie, outsider: world.accounts.outsider.cookie },
    };
    const report = await fuzzSocket({
      ...options,
      victim: () => ({ client: victim.doc.clientID, clock: Y.getState(victim.doc.store, victim.doc.clientID) }),
      frames: FRAMES,
      workers: 2,
      seed: SEED,
      deadline: Date.now() + 90_000,
    });
    const summary = socketSummary(report).join('\n');
    if (process.env.FUZZ_VERBOSE) console.log(summary);
    const culprits = [];
    for (const incident of report.incidents.slice(0, 3))
      culprits.push(...(await replayFrames(options, incident.role === 'observer' ? 'observer' : 'editor', incident.recent)));
    expect(report.framesSent, summary).toBeGreaterThanOrEqual(FRAMES);
    expect(report.serverErrors, `${summary}\n${JSON.stringify(report.incidents, null, 1).slice(0, 4000)}\n${JSON.stringify(culprits)}`).toBe(0);
    expect(report.stalls, summary).toBe(0);
    expect(report.incidents, summary).toEqual([]);
    // Everything the server sent is something a Yjs client (a browser) can apply.
    expect(report.unapplicableCount, summary).toBe(0);

    // Still serving: the victim edits and a newcomer sees it; the document renders.
    const afterwards = randomUUID();
    addClause(victim.doc, afterwards, 'after the storm');
    const newcomer = connectClient(base, definitionId, world.accounts.member.cookie);
    clients.push(newcomer);
    await synced(newcomer);
    await waitFor(() => textOf(newcomer.doc, afterwards) === 'after the storm', 'the victim’s edit reaching a newcomer');
    expect(victim.closedWith()).toBeNull();
    expect((await api('GET', `/api/definitions/${definitionId}`, { cookie: world.accounts.member.cookie })).status).toBe(200);
    expect((await api('GET', `/api/definitions/${definitionId}/export?format=html`, { cookie: world.accounts.member.cookie })).status).toBe(200);
    expect((await api('GET', '/api/health')).status).toBe(200);
  });

  it('answers malformed HTTP framing (smuggling shapes, broken request lines and headers) without a 5xx or an error logged', async () => {
    const port = Number(new URL(base).port);
    const logsBefore = t.logs.length;
    const tally = await fuzzRaw({
      port,
      host: `127.0.0.1:${port}`,
      cookie: world.accounts.member.cookie,
      definitionId: world.groups[0]!.definitionId,
      count: RAW,
      seed: SEED,
      concurrency: 16,
    });
    if (process.env.FUZZ_VERBOSE) console.log(rawSummary(tally).join('\n'));
    expect(tally.connections).toBe(RAW);
    expect(tally.serverErrors, rawSummary(tally).join('\n')).toEqual([]);
    // A client that hangs up mid-request is not a server error (the rate limiter once threw on it).
    expect(t.logs.slice(logsBefore).filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
    expect((await api('GET', '/api/health')).status).toBe(200);
  });
});
