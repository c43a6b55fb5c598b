import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestUser, useTestApp } from '../../test/support/app.ts';
import { ballotRules } from '../../test/support/ballots.ts';
import { formatReport, verifyExport } from './verify.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Recounting an export (`npm run verify`): every closed ballot recomputed from its raw votes with the
 * server's own rule functions, the audit head looked up on the live server — agreeing on an honest
 * export, naming the first difference on a tampered one.
 */
describe('verifying an export', () => {
  const t = useTestApp();
  let server: string;
  let dir: string;

  beforeAll(async () => {
    server = await t.app.listen({ port: 0, host: '127.0.0.1' });
    dir = await mkdtemp(join(tmpdir(), 'draftroom-verify-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** A definition with a closed public ballot, a closed secret one, a cancelled one; its JSON export as a member made it. */
  async function honestExport() {
    const { slug, users } = await t.groupWithRoles();
    const call = async (method: 'POST' | 'PUT' | 'GET', url: string, as: TestUser, payload?: object) => {
      const response = await t.request({ method, url, as, ...(payload && { payload }) });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
      return response.json();
    };
    const definitionId = (await call('POST', `/api/groups/${slug}/definitions`, users.chair, { slug: 'osaid', title: 'OSAID' })).id as string;
    const clauseId = (await call('POST', `/api/definitions/${definitionId}/clauses`, users.editor, { text: 'Training data is required.' })).id as string;
    const ballot = async (title: string, secret: boolean, votes: [TestUser, string][], end: 'close' | 'cancel' = 'close') => {
      const rules = ballotRules({ threshold: 0.6, secret });
      const id = (await call('POST', `/api/definitions/${definitionId}/ballots`, users.chair, { title, subject: { kind: 'clause', clauseId }, rules })).id;
      await call('POST', `/api/ballots/${id}/open`, users.chair);
      for (const [who, position] of votes)
        await call('PUT', `/api/ballots/${id}/vote`, who, { position, ...(position === 'object' && { rationale: 'Not yet agreed.' }) });
      await call('POST', `/api/ballots/${id}/${end}`, users.chair, end === 'cancel' ? { reason: 'Asked twice.' } : undefined);
      return id as string;
    };
    await ballot('Keep the clause (open vote)', false, [
      [users.chair, 'yes'],
      [users.editor, 'object'],
      [users.member, 'yes'],
      // Changed their mind: only the final vote counts.
      [users.editor, 'yes'],
    ]);
    await ballot('Keep the clause (secret)', true, [
      [users.editor, 'object'],
      [users.member, 'yes'],
    ]);
    await ballot('Asked twice', false, [[users.member, 'yes']], 'cancel');
    const data = await call('GET', `/api/definitions/${definitionId}/export?format=json`, users.member);
    return { data, users, definitionId };
  }

  it('agrees on an honest export, ballot by ballot, and finds its audit head in the live log', async () => {
    const { data, users } = await honestExport();
    const open = data.decisions.ballots[0];
    // The open ballot's export carries each final vote, by name; the secret one none.
    expect(open).toMatchObject({ format: 'positions', eligible: 3, result: { outcome: 'passed', counts: { yes: 3, object: 0 } } });
    expect(open.votes.map((v: { voter: string; position: string }) => [v.voter, v.position]).sort()).toEqual([
      ['Chair', 'yes'],
      ['Editor', 'yes'],
      ['Member', 'yes'],
    ]);
    expect(data.decisions.ballots[1].votes).toBeNull();
    expect(data.audit.server).toMatch(/^http:\/\//);

    const report = await verifyExport(data, { server, cookie: users.member.cookie });
    expect(report.recount.ballots.map((b) => [b.title, b.verdict, b.from])).toEqual([
      ['Keep the clause (open vote)', 'agrees', 'votes'],
      ['Keep the clause (secret)', 'agrees', 'counts'],
      ['Asked twice', 'unchecked', null],
    ]);
    expect(report.audit).toEqual({ status: 'agrees', seq: data.audit.seq, headSeq: data.audit.seq });
    expect(report.ok).toBe(true);
    expect(formatReport(report)).toContain('Everything checked agrees.');

    // The log is the members': without a session the head is not checked, and the report says why.
    const anonymous = await verifyExport(data, { server });
    expect(anonymous.audit).toMatchObject({ status: 'unchecked', reason: expect.stringMatching(/members only/) });
    expect(anonymous.ok).toBe(true);
    // A server that does not answer.
    expect((await verifyExport(data, { server: 'http://127.0.0.1:9', timeoutMs: 2000 })).audit).toMatchObject({ status: 'unchecked' });
  });

  it('names the first difference in a tampered export: a vote, a result, or the audit head', async () => {
    const { data, users } = await honestExport();
    const vote = structuredClone(data);
    vote.decisions.ballots[0].votes[0].position = 'object';
    const changed = await verifyExport(vote, { server: null });
    expect(changed.ok).toBe(false);
    expect(changed.recount.firstDifference).toMatchObject({
      title: 'Keep the clause (open vote)',
      difference: { path: 'counts.yes', stated: 3, recounted: 2 },
    });
    expect(formatReport(changed)).toContain('First difference: ballot “Keep the clause (open vote)”, counts.yes.');

    const secret = structuredClone(data);
    // One Yes of Yes + Object is 50 %, below its 60 %: claiming it passed is caught from the counts alone.
    expect(data.decisions.ballots[1].result.outcome).toBe('failed');
    secret.decisions.ballots[1].result.outcome = 'passed';
    expect((await verifyExport(secret, { server: null })).recount.firstDifference).toMatchObject({
      difference: { path: 'outcome', stated: 'passed', recounted: 'failed' },
    });

    const head = structuredClone(data);
    head.audit.hash = 'f'.repeat(64);
    const audit = await verifyExport(head, { server, cookie: users.member.cookie });
    expect(audit.audit).toMatchObject({ status: 'differs', seq: data.audit.seq, found: data.audit.hash });
    expect(audit.ok).toBe(false);
    const missing = structuredClone(data);
    missing.audit.seq += 1000;
    expect((await verifyExport(missing, { server, cookie: users.member.cookie })).audit).toMatchObject({ status: 'differs', found: null });
  });

  it('is a command: 0 when everything agrees, 1 at a difference, 2 for what is not an export', async () => {
    const { data } = await honestExport();
    const honest = join(dir, 'honest.json');
    await writeFile(honest, JSON.stringify(data));
    const verify = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'server/src/exports/verify-cli.ts', ...args], { cwd: ROOT });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    };
    const ok = await verify(honest, '--offline');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/agrees +“Keep the clause \(open vote\)”/);
    expect(ok.stdout).toContain('Audit head not checked: no server to ask');

    const tampered = structuredClone(data);
    tampered.decisions.ballots[0].result.outcome = 'failed';
    const bad = join(dir, 'tampered.json');
    await writeFile(bad, JSON.stringify(tampered));
    const differs = await verify(bad, '--offline');
    expect(differs.code).toBe(1);
    expect(differs.stdout).toContain('DIFFERS    “Keep the clause (open vote)”');

    const garbage = join(dir, 'garbage.json');
    await writeFile(garbage, '{"decisions": ');
    expect(await verify(garbage)).toMatchObject({ code: 2, stderr: expect.stringContaining('Cannot read') });
    await writeFile(garbage, '{"decisions": {"ballots": [{"id": 1}]}}');
    expect(await verify(garbage)).toMatchObject({ code: 2, stderr: expect.stringContaining('decisions.ballots[0].id is missing or malformed') });
    expect(await verify()).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage') });
  });
});
