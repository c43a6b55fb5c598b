import { describe, expect, it } from 'vitest';
import { useTestApp, type TestUser } from '../../test/support/app.ts';

/**
 * A secret ballot names who voted, never how: this walks every read endpoint and every export as
 * every role while a secret ballot is open and after it closes.
 */
describe('secret ballots leak nothing', () => {
  const t = useTestApp();

  it('no API response or export ties a voter to a position, a rationale or matrix marks', async () => {
    const { slug, users } = await t.groupWithRoles('public');
    const as = (user: TestUser | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      t.request({ method, url, as: user, ...(payload && { payload }) });
    const definitionId = (await as(users.chair, 'POST', `/api/groups/${slug}/definitions`, { slug: 'osaid', title: 'OSAID' })).json().id as string;
    const clauseId = (await as(users.editor, 'POST', `/api/definitions/${definitionId}/clauses`, { text: 'Training data is required.' })).json().id as string;
    await as(users.chair, 'POST', `/api/definitions/${definitionId}/versions`, { label: 'v1', summary: 'First' });
    const rules = {
      kind: 'binding',
      eligibleRoles: ['chair', 'editor', 'member'],
      quorum: 0,
      threshold: 0.5,
      blockingObjectionFails: false,
      secret: true,
      resultsVisibility: 'after_close',
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const clauseBallot = (
      await as(users.chair, 'POST', `/api/definitions/${definitionId}/ballots`, { title: 'Clause', subject: { kind: 'clause', clauseId }, rules })
    ).json().id as string;
    const matrixBallot = (
      await as(users.chair, 'POST', `/api/definitions/${definitionId}/ballots`, {
        title: 'Matrix',
        subject: { kind: 'matrix', rows: ['Training data'], columns: ['Use', 'Study'] },
        rules: { ...rules, countUnsure: true },
      })
    ).json().id as string;
    for (const id of [clauseBallot, matrixBallot]) expect((await as(users.chair, 'POST', `/api/ballots/${id}/open`)).statusCode).toBe(200);

    // Each voter's rationale is a marker only they may ever see again.
    const marker = (who: string) => `secret-reason-of-${who}`;
    const cast = [
      [users.chair, 'yes'],
      [users.editor, 'object'],
      [users.member, 'abstain'],
    ] as const;
    for (const [user, position] of cast) {
      expect((await as(user, 'PUT', `/api/ballots/${clauseBallot}/vote`, { position, rationale: marker(user.user.displayName) })).statusCode).toBe(200);
    }
    const marks = { chair: [['required', 'not_required']], editor: [['unsure', 'required']], member: [['not_required', 'unsure']] } as const;
    for (const role of ['chair', 'editor', 'member'] as const) {
      expect(
        (await as(users[role], 'PUT', `/api/ballots/${matrixBallot}/vote`, { position: 'marks', marks: marks[role], rationale: marker(`${role}-matrix`) }))
          .statusCode,
      ).toBe(200);
    }

    const reads = [
      `/api/ballots/${clauseBallot}`,
      `/api/ballots/${matrixBallot}`,
      `/api/definitions/${definitionId}/ballots`,
      `/api/definitions/${definitionId}`,
      `/api/definitions/${definitionId}/public`,
      `/api/definitions/${definitionId}/history`,
      `/api/definitions/${definitionId}/versions`,
      `/api/definitions/${definitionId}/threads`,
      `/api/definitions/${definitionId}/amendments`,
      `/api/definitions/${definitionId}/export?format=json`,
      `/api/definitions/${definitionId}/export?format=md`,
      `/api/definitions/${definitionId}/export?format=html`,
      `/api/definitions/${definitionId}/export?format=json&version=v1`,
      `/api/groups/${slug}`,
      `/api/groups/${slug}/events?limit=200`,
      `/api/groups/${slug}/members`,
      '/api/notifications',
      '/api/me',
    ];

    // Ballot pages (one or the list) show the viewer their own vote, and nothing else does.
    const showsMyVote = (url: string) => url.startsWith('/api/ballots/') || url.endsWith('/ballots');

    async function crawl(stage: string) {
      const viewers = { ...users, anonymous: null } as Record<string, TestUser | null>;
      for (const [viewerRole, viewer] of Object.entries(viewers)) {
        for (const url of reads) {
          const response = await as(viewer, 'GET', url);
          expect(response.statusCode, `${stage}: ${viewerRole} GET ${url}`).toBeLessThan(500);
          const body = response.body;
          for (const [voter] of cast) {
            // Your own ballot page shows your own vote back to you; nothing else shows anyone's.
            const own = viewer === voter && showsMyVote(url);
            if (!own) expect(body, `${stage}: ${viewerRole} GET ${url}`).not.toContain(marker(voter.user.displayName));
          }
          for (const role of ['chair', 'editor', 'member'] as const) {
            const own = viewer === users[role] && url !== `/api/ballots/${clauseBallot}` && showsMyVote(url);
            if (!own) {
              expect(body).not.toContain(marker(`${role}-matrix`));
              expect(body).not.toContain(JSON.stringify(marks[role]));
            }
          }
          expect(body).not.toMatch(/"votes":\[\{/); // no one's vote is listed on a secret ballot
          expect(body).not.toMatch(/"position":"(yes|object|abstain|marks)","voter/);
        }
      }
    }

    await crawl('open');
    for (const id of [clauseBallot, matrixBallot]) expect((await as(users.chair, 'POST', `/api/ballots/${id}/close`)).statusCode).toBe(200);
    await crawl('closed');
    // The results themselves are there: counts without names.
    const closed = (await as(users.observer, 'GET', `/api/ballots/${clauseBallot}`)).json();
    expect(closed.result.counts).toMatchObject({ yes: 1, object: 1, abstain: 1 });
    expect(closed.voters).toHaveLength(3);
  });
});
