import { describe, expect, it } from 'vitest';
import type { Role } from '@draftroom/shared';
import { uniqueSlug, useTestApp, type TestUser } from '../../test/support/app.ts';

type Who = Role | 'outsider' | 'anonymous';
const WHO: Who[] = ['chair', 'editor', 'member', 'observer', 'outsider', 'anonymous'];

interface Case {
  name: string;
  /** Builds the request; `fresh` is an account not yet in the group, made for this call. */
  request: (
    slug: string,
    users: Record<Role | 'outsider', TestUser>,
    fresh: () => Promise<TestUser>,
  ) => Promise<{
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: string;
    payload?: object;
  }>;
  /** Expected status for each actor, in a private and a public group. */
  private: Record<Who, number>;
  public: Record<Who, number>;
}

const membersOnly = (ok: number) => ({
  private: { chair: ok, editor: ok, member: ok, observer: ok, outsider: 404, anonymous: 404 },
  public: { chair: ok, editor: ok, member: ok, observer: ok, outsider: 403, anonymous: 401 },
});
const chairOnly = (ok: number) => ({
  private: { chair: ok, editor: 403, member: 403, observer: 403, outsider: 404, anonymous: 404 },
  public: { chair: ok, editor: 403, member: 403, observer: 403, outsider: 403, anonymous: 401 },
});
const everyone = (ok: number) => ({
  private: { chair: ok, editor: ok, member: ok, observer: ok, outsider: ok, anonymous: ok },
  public: { chair: ok, editor: ok, member: ok, observer: ok, outsider: ok, anonymous: ok },
});
const signedIn = (ok: number) => ({
  private: { chair: ok, editor: ok, member: ok, observer: ok, outsider: ok, anonymous: 401 },
  public: { chair: ok, editor: ok, member: ok, observer: ok, outsider: ok, anonymous: 401 },
});

const CASES: Case[] = [
  { name: 'GET /api/groups', request: async () => ({ method: 'GET', url: '/api/groups' }), ...everyone(200) },
  {
    name: 'POST /api/groups',
    request: async () => ({ method: 'POST', url: '/api/groups', payload: { slug: uniqueSlug(), name: 'New' } }),
    ...signedIn(201),
  },
  {
    name: 'GET /api/groups/:slug',
    request: async (slug) => ({ method: 'GET', url: `/api/groups/${slug}` }),
    private: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 200, anonymous: 200 },
  },
  {
    name: 'PATCH /api/groups/:slug',
    request: async (slug) => ({ method: 'PATCH', url: `/api/groups/${slug}`, payload: { charter: 'Charter text' } }),
    ...chairOnly(200),
  },
  { name: 'GET /api/groups/:slug/members', request: async (slug) => ({ method: 'GET', url: `/api/groups/${slug}/members` }), ...membersOnly(200) },
  {
    name: 'POST /api/groups/:slug/members',
    request: async (slug, _users, fresh) => ({ method: 'POST', url: `/api/groups/${slug}/members`, payload: { email: (await fresh()).email, role: 'member' } }),
    ...chairOnly(201),
  },
  {
    name: 'PATCH /api/groups/:slug/members/:userId',
    request: async (slug, users) => ({ method: 'PATCH', url: `/api/groups/${slug}/members/${users.observer.user.id}`, payload: { role: 'observer' } }),
    ...chairOnly(200),
  },
  {
    name: 'DELETE /api/groups/:slug/members/:userId (someone else)',
    request: async (slug, users) => ({ method: 'DELETE', url: `/api/groups/${slug}/members/${users.outsider.user.id}` }),
    // The target is not a member, so an authorized chair gets 404; everyone else is stopped before that.
    ...chairOnly(404),
  },
  { name: 'GET /api/groups/:slug/events', request: async (slug) => ({ method: 'GET', url: `/api/groups/${slug}/events` }), ...membersOnly(200) },
  { name: 'GET /api/groups/:slug/events/verify', request: async (slug) => ({ method: 'GET', url: `/api/groups/${slug}/events/verify` }), ...membersOnly(200) },
  {
    name: 'GET /api/groups/:slug/definitions',
    request: async (slug) => ({ method: 'GET', url: `/api/groups/${slug}/definitions` }),
    private: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 200, anonymous: 200 },
  },
  {
    name: 'POST /api/groups/:slug/definitions',
    request: async (slug) => ({ method: 'POST', url: `/api/groups/${slug}/definitions`, payload: { slug: uniqueSlug('def'), title: 'T' } }),
    private: { chair: 201, editor: 201, member: 403, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 201, editor: 201, member: 403, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'GET /api/definitions/:id',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${await definitionIn(slug, users.chair)}` }),
    ...membersOnly(200),
  },
  {
    name: 'PATCH /api/definitions/:id (title)',
    request: async (slug, users) => ({ method: 'PATCH', url: `/api/definitions/${await definitionIn(slug, users.chair)}`, payload: { title: 'Renamed' } }),
    private: { chair: 200, editor: 200, member: 403, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 403, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'PATCH /api/definitions/:id (status)',
    request: async (slug, users) => ({
      method: 'PATCH',
      url: `/api/definitions/${await definitionIn(slug, users.chair)}`,
      payload: { status: 'public-comment' },
    }),
    ...chairOnly(200),
  },
  {
    name: 'POST /api/definitions/:id/clauses',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/definitions/${await definitionIn(slug, users.chair)}/clauses`,
      payload: { text: 'A clause' },
    }),
    private: { chair: 201, editor: 201, member: 403, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 201, editor: 201, member: 403, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'POST /api/definitions/:id/versions',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/definitions/${await definitionIn(slug, users.chair)}/versions`,
      payload: { label: '1.0', notes: '' },
    }),
    ...chairOnly(201),
  },
  {
    name: 'GET /api/definitions/:id/versions',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${await definitionIn(slug, users.chair)}/versions` }),
    private: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 200, anonymous: 200 },
  },
  {
    name: 'GET /api/definitions/:id/diff?to=current',
    request: async (slug, users) => {
      const id = await definitionIn(slug, users.chair);
      await current.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: users.chair, payload: { label: '0.1', notes: '' } });
      return { method: 'GET', url: `/api/definitions/${id}/diff?from=0.1&to=current` };
    },
    ...membersOnly(200),
  },
  {
    name: 'GET /api/definitions/:id/history',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${await definitionIn(slug, users.chair)}/history` }),
    ...membersOnly(200),
  },
  {
    name: 'GET /api/definitions/:id/blame',
    request: async (slug, users) => {
      const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
      return { method: 'GET', url: `/api/definitions/${id}/blame?clause=${clauseId}` };
    },
    ...membersOnly(200),
  },
  {
    name: 'POST /api/definitions/:id/clauses/:clauseId/restore',
    request: async (slug, users) => {
      const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
      return { method: 'POST', url: `/api/definitions/${id}/clauses/${clauseId}/restore`, payload: { version: '1.0' } };
    },
    private: { chair: 200, editor: 200, member: 403, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 403, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'POST /api/definitions/:id/restore',
    request: async (slug, users) => {
      const { id } = await publishedDefinitionIn(slug, users.chair);
      return { method: 'POST', url: `/api/definitions/${id}/restore`, payload: { version: '1.0' } };
    },
    ...chairOnly(204),
  },
  {
    name: 'POST /api/definitions/:id/threads',
    request: async (slug, users) => {
      const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
      return { method: 'POST', url: `/api/definitions/${id}/threads`, payload: { clauseId, body: 'A comment' } };
    },
    private: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 404, anonymous: 404 },
    public: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 403, anonymous: 401 },
  },
  {
    name: 'GET /api/definitions/:id/threads',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${await definitionIn(slug, users.chair)}/threads` }),
    // Anyone who reads a public group's published versions reads its public threads (and only those).
    private: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 200, anonymous: 200 },
  },
  {
    name: 'POST /api/threads/:id/comments (an internal thread)',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/threads/${await internalThreadIn(slug, users.chair)}/comments`,
      payload: { body: 'A reply' },
    }),
    // The group's internal discussion does not exist for anyone outside it, in a public group too.
    private: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 404, anonymous: 404 },
    public: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 404, anonymous: 404 },
  },
  {
    name: 'POST /api/threads/:id/publish',
    request: async (slug, users) => ({ method: 'POST', url: `/api/threads/${await internalThreadIn(slug, users.chair)}/publish` }),
    // A chair publishes what the public may read; a private group has no public to publish to.
    private: { chair: 409, editor: 403, member: 403, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 403, member: 403, observer: 403, outsider: 404, anonymous: 404 },
  },
  {
    name: 'POST /api/definitions/:id/amendments',
    request: async (slug, users) => {
      const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
      return { method: 'POST', url: `/api/definitions/${id}/amendments`, payload: { clauseId, text: 'Other words', rationale: '' } };
    },
    private: { chair: 201, editor: 201, member: 201, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 201, editor: 201, member: 201, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'GET /api/definitions/:id/moderation',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${await definitionIn(slug, users.chair)}/moderation` }),
    ...membersOnly(200),
  },
  {
    name: 'POST /api/definitions/:id/ballots',
    request: async (slug, users) => {
      const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
      return { method: 'POST', url: `/api/definitions/${id}/ballots`, payload: { title: 'Vote', subject: { kind: 'clause', clauseId }, rules: ballotRules() } };
    },
    ...chairOnly(201),
  },
  {
    name: 'PUT /api/ballots/:id/vote',
    request: async (slug, users) => ({ method: 'PUT', url: `/api/ballots/${await openBallotIn(slug, users.chair)}/vote`, payload: { position: 'yes' } }),
    private: { chair: 200, editor: 200, member: 200, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'GET /api/definitions/:id/ballots',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${await definitionIn(slug, users.chair)}/ballots` }),
    ...membersOnly(200),
  },
  {
    name: 'GET /api/ballots/:id',
    request: async (slug, users) => ({ method: 'GET', url: `/api/ballots/${await openBallotIn(slug, users.chair)}` }),
    ...membersOnly(200),
  },
  {
    name: 'PATCH /api/ballots/:id (a draft)',
    request: async (slug, users) => ({ method: 'PATCH', url: `/api/ballots/${await draftBallotIn(slug, users.chair)}`, payload: { title: 'Renamed' } }),
    ...chairOnly(200),
  },
  {
    name: 'POST /api/ballots/:id/open',
    request: async (slug, users) => ({ method: 'POST', url: `/api/ballots/${await draftBallotIn(slug, users.chair)}/open` }),
    ...chairOnly(200),
  },
  {
    name: 'POST /api/ballots/:id/close',
    request: async (slug, users) => ({ method: 'POST', url: `/api/ballots/${await openBallotIn(slug, users.chair)}/close` }),
    ...chairOnly(200),
  },
  {
    name: 'POST /api/ballots/:id/cancel',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/ballots/${await openBallotIn(slug, users.chair)}/cancel`,
      payload: { reason: 'Wrong clause' },
    }),
    ...chairOnly(200),
  },
  {
    name: 'GET /api/definitions/:id/export',
    request: async (slug, users) => ({
      method: 'GET',
      url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/export?format=md&version=1.0`,
    }),
    ...membersOnly(200),
  },
  { name: 'GET /api/notifications', request: async () => ({ method: 'GET', url: '/api/notifications' }), ...signedIn(200) },
  { name: 'GET /api/me', request: async () => ({ method: 'GET', url: '/api/me' }), ...signedIn(200) },
  {
    name: 'POST /api/auth/password',
    request: async () => ({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'wrong password', newPassword: 'another long one' } }),
    // Signed-in callers reach the password check (and fail it, changing nothing).
    ...signedIn(400),
  },
  {
    name: 'POST /api/auth/confirm',
    request: async () => ({ method: 'POST', url: '/api/auth/confirm', payload: { token: 'a'.repeat(32) } }),
    // Anyone may confirm a registration; a token that names none is refused the same way for all.
    ...everyone(400),
  },
  {
    name: 'GET /api/groups/:slug/invitations',
    request: async (slug) => ({ method: 'GET', url: `/api/groups/${slug}/invitations` }),
    ...chairOnly(200),
  },
  {
    name: 'DELETE /api/groups/:slug/invitations/:invitationId',
    request: async (slug, users) => ({ method: 'DELETE', url: `/api/groups/${slug}/invitations/${await invitationIn(slug, users.chair)}` }),
    ...chairOnly(204),
  },
  { name: 'GET /api/invitations', request: async () => ({ method: 'GET', url: '/api/invitations' }), ...signedIn(200) },
  {
    name: 'POST /api/invitations/:invitationId/accept (addressed to someone else)',
    request: async (slug, users) => ({ method: 'POST', url: `/api/invitations/${await invitationIn(slug, users.chair)}/accept` }),
    // Only the addressee has it: for everyone else it does not exist, whatever their role.
    ...signedIn(404),
  },
  {
    name: 'POST /api/invitations/:invitationId/decline (addressed to someone else)',
    request: async (slug, users) => ({ method: 'POST', url: `/api/invitations/${await invitationIn(slug, users.chair)}/decline` }),
    ...signedIn(404),
  },
];

/** The test app of the describe block below, for cases that need to create things first. */
let current: ReturnType<typeof useTestApp>;

async function definitionIn(slug: string, chair: TestUser): Promise<string> {
  const response = await current.request({
    method: 'POST',
    url: `/api/groups/${slug}/definitions`,
    as: chair,
    payload: { slug: uniqueSlug('def'), title: 'Draft' },
  });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json().id;
}

/** A pending invitation of the group to an address nobody here uses (written directly: it needs no mail). */
async function invitationIn(slug: string, chair: TestUser): Promise<string> {
  const group = await current.db.selectFrom('groups').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  const row = await current.db
    .insertInto('invitations')
    .values({ group_id: group.id, email: `${uniqueSlug('invitee')}@example.org`, role: 'member', invited_by: chair.user.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A definition with one clause, published as 1.0. */
async function publishedDefinitionIn(slug: string, chair: TestUser): Promise<{ id: string; clauseId: string }> {
  const id = await definitionIn(slug, chair);
  const clause = await current.request({ method: 'POST', url: `/api/definitions/${id}/clauses`, as: chair, payload: { text: 'Clause' } });
  await current.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: chair, payload: { label: '1.0', notes: '' } });
  return { id, clauseId: clause.json().id };
}

/** An internal thread (the default for members) on a published definition's clause. */
async function internalThreadIn(slug: string, chair: TestUser): Promise<string> {
  const { id, clauseId } = await publishedDefinitionIn(slug, chair);
  const thread = await current.request({ method: 'POST', url: `/api/definitions/${id}/threads`, as: chair, payload: { clauseId, body: 'Between us' } });
  if (thread.statusCode !== 201) throw new Error(thread.body);
  return thread.json().id;
}

const ballotRules = () => ({
  kind: 'binding',
  eligibleRoles: ['chair', 'editor', 'member'],
  quorum: 0.5,
  threshold: 0.5,
  blockingObjectionFails: false,
  secret: false,
  resultsVisibility: 'live',
  closesAt: new Date(Date.now() + 3_600_000).toISOString(),
});

async function draftBallotIn(slug: string, chair: TestUser): Promise<string> {
  const { id, clauseId } = await publishedDefinitionIn(slug, chair);
  const ballot = await current.request({
    method: 'POST',
    url: `/api/definitions/${id}/ballots`,
    as: chair,
    payload: { title: 'Vote', subject: { kind: 'clause', clauseId }, rules: ballotRules() },
  });
  if (ballot.statusCode !== 201) throw new Error(ballot.body);
  return ballot.json().id;
}

async function openBallotIn(slug: string, chair: TestUser): Promise<string> {
  const id = await draftBallotIn(slug, chair);
  const opened = await current.request({ method: 'POST', url: `/api/ballots/${id}/open`, as: chair });
  if (opened.statusCode !== 200) throw new Error(opened.body);
  return id;
}

describe('authorization of every endpoint, for every role', () => {
  const t = useTestApp();
  current = t;
  let counter = 0;

  for (const visibility of ['private', 'public'] as const) {
    describe(`${visibility} group`, () => {
      for (const testCase of CASES) {
        it(`${testCase.name}`, async () => {
          const { slug, users } = await t.groupWithRoles(visibility);
          const fresh = () => t.register(`Fresh ${++counter}`);
          const results: Partial<Record<Who, number>> = {};
          for (const who of WHO) {
            const as = who === 'anonymous' ? null : users[who];
            const request = await testCase.request(slug, users, fresh);
            const response = await t.request({ ...request, as });
            results[who] = response.statusCode;
            if (response.statusCode >= 400) {
              expect(response.json(), `${who}: standard error body`).toEqual({
                error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
              });
            }
          }
          expect(results).toEqual(testCase[visibility]);
        });
      }
    });
  }

  it('a denied change writes nothing: no role change, no event', async () => {
    const { slug, users } = await t.groupWithRoles('private');
    const before = await t.db.selectFrom('events').select(['seq']).where('type', 'like', 'member.%').execute();
    for (const who of ['editor', 'member', 'observer', 'outsider'] as const) {
      const response = await t.request({
        method: 'PATCH',
        url: `/api/groups/${slug}/members/${users[who].user.id}`,
        as: users[who],
        payload: { role: 'chair' },
      });
      expect(response.statusCode).toBeGreaterThanOrEqual(403);
    }
    const members = (await t.request({ method: 'GET', url: `/api/groups/${slug}/members`, as: users.chair })).json().members;
    expect(members.filter((m: { role: string }) => m.role === 'chair')).toHaveLength(1);
    const after = await t.db.selectFrom('events').select(['seq']).where('type', 'like', 'member.%').execute();
    expect(after).toHaveLength(before.length);
  });
});
