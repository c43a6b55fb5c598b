import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Role } from '@draftroom/shared';
import { PASSWORD, uniqueSlug, useTestApp, type TestUser } from '../../test/support/app.ts';
import { createUnsubscribeToken } from '../notifications/unsubscribe.ts';

type Who = Role | 'outsider' | 'anonymous';
const WHO: Who[] = ['chair', 'editor', 'member', 'observer', 'outsider', 'anonymous'];

interface Case {
  name: string;
  /** Builds the request; `fresh` is an account not yet in the group, made for this call; `who` will send it. */
  request: (
    slug: string,
    users: Record<Role | 'outsider', TestUser>,
    fresh: () => Promise<TestUser>,
    who: Who,
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
/** Chairs and editors write the text and decide amendments. */
const writersOnly = (ok: number) => ({
  private: { chair: ok, editor: ok, member: 403, observer: 403, outsider: 404, anonymous: 404 },
  public: { chair: ok, editor: ok, member: 403, observer: 403, outsider: 403, anonymous: 401 },
});
/** Published versions: members of a private group; anyone, signed in or not, in a public one. */
const publishedReads = (ok: number) => ({
  private: { chair: ok, editor: ok, member: ok, observer: ok, outsider: 404, anonymous: 404 },
  public: { chair: ok, editor: ok, member: ok, observer: ok, outsider: ok, anonymous: ok },
});
/** The group's internal discussion: it does not exist for anyone outside the group, in a public group too. */
const internalDiscussion = (allowed: Record<Role, number>) => ({
  private: { ...allowed, outsider: 404, anonymous: 404 },
  public: { ...allowed, outsider: 404, anonymous: 404 },
});

/**
 * Routes the app registers that a role × visibility matrix says nothing about, each with where it is
 * tested instead. Every other route needs a CASES row whose name starts with "METHOD /path" exactly as
 * the router has it (then a space or `?` for a variant) — the first test of the matrix checks both ways.
 */
const NOT_IN_MATRIX: Record<string, string> = {
  // The same answer for everyone and no data of anyone's.
  'GET /api/health': 'http/health.test.ts',
  'GET /api/openapi.json': 'http/errors.test.ts, http/fuzz.test.ts',
  // WebSockets: a refusal is a close code, not a status; each has its own role × visibility table.
  'GET /api/collab/:definitionId': 'collab/collab.test.ts ("refuses sockets without read rights with the right close code")',
  'GET /api/live': 'live/policy.test.ts (every topic × role × visibility), live/access.test.ts',
  // Whoever holds the token mailed to an organisation's address: no role is involved.
  'POST /api/endorsements/confirm': 'endorsements/endorsements.test.ts ("mails a link to the address at the organisation’s domain…")',
};
/** The API docs page and its assets (@fastify/swagger-ui): the public API description again. */
const DOCS_PREFIX = '/api/docs';
// The built client's files are routes too when CLIENT_DIR is set (http/client.ts); tests build the app without them.

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
  {
    name: 'DELETE /api/groups/:slug/members/:userId (a member)',
    request: async (slug, users, fresh) => {
      const removed = await fresh();
      expectSetup(
        await current.request({ method: 'POST', url: `/api/groups/${slug}/members`, as: users.chair, payload: { email: removed.email, role: 'member' } }),
        201,
      );
      return { method: 'DELETE', url: `/api/groups/${slug}/members/${removed.user.id}` };
    },
    ...chairOnly(204),
  },
  {
    name: 'DELETE /api/groups/:slug/members/:userId (oneself)',
    // Anonymous callers have no self: they ask to remove the outsider.
    request: async (slug, users, _fresh, who) => ({
      method: 'DELETE',
      url: `/api/groups/${slug}/members/${users[who === 'anonymous' ? 'outsider' : who].user.id}`,
    }),
    // Any member leaves, but the last chair cannot (409); an outsider of a public group has no place to leave.
    private: { chair: 409, editor: 204, member: 204, observer: 204, outsider: 404, anonymous: 404 },
    public: { chair: 409, editor: 204, member: 204, observer: 204, outsider: 403, anonymous: 401 },
  },
  { name: 'GET /api/groups/:slug/events', request: async (slug) => ({ method: 'GET', url: `/api/groups/${slug}/events` }), ...membersOnly(200) },
  {
    name: 'GET /api/groups/:slug/events?kind=ballots',
    request: async (slug) => ({ method: 'GET', url: `/api/groups/${slug}/events?kind=ballots&person=00000000-0000-4000-8000-000000000000` }),
    ...membersOnly(200),
  },
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
    name: 'PUT /api/definitions/:id/clauses/:clauseId',
    request: async (slug, users) => {
      const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
      return { method: 'PUT', url: `/api/definitions/${id}/clauses/${clauseId}`, payload: { text: 'Other words' } };
    },
    ...writersOnly(200),
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
    name: 'GET /api/definitions/:id/versions/:label',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/versions/1.0` }),
    ...publishedReads(200),
  },
  {
    name: 'GET /api/definitions/:id/versions/:label?format=md',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/versions/1.0?format=md` }),
    ...publishedReads(200),
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
    name: 'GET /api/definitions/:id/diff?from=LABEL&to=LABEL (two published versions)',
    request: async (slug, users) => {
      const { id } = await publishedDefinitionIn(slug, users.chair);
      expectSetup(
        await current.request({ method: 'POST', url: `/api/definitions/${id}/versions`, as: users.chair, payload: { label: '1.1', notes: '' } }),
        201,
      );
      return { method: 'GET', url: `/api/definitions/${id}/diff?from=1.0&to=1.1` };
    },
    // Comparing what was published is reading published versions; comparing with the draft is not (above).
    ...publishedReads(200),
  },
  {
    name: 'GET /api/definitions/:id/history',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${await definitionIn(slug, users.chair)}/history` }),
    ...membersOnly(200),
  },
  {
    name: 'GET /api/definitions/:id/history?clause=ID',
    request: async (slug, users) => {
      const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
      return { method: 'GET', url: `/api/definitions/${id}/history?clause=${clauseId}` };
    },
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
    name: 'GET /api/definitions/:id/language',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/language` }),
    ...membersOnly(200),
  },
  {
    name: 'PUT /api/definitions/:id/language',
    request: async (slug, users) => ({ method: 'PUT', url: `/api/definitions/${await definitionIn(slug, users.chair)}/language`, payload: { enabled: true } }),
    ...writersOnly(200),
  },
  {
    name: 'POST /api/definitions/:id/glossary',
    request: async (slug, users) => {
      const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
      return { method: 'POST', url: `/api/definitions/${id}/glossary`, payload: { term: 'Clause', clauseId } };
    },
    ...writersOnly(201),
  },
  {
    name: 'DELETE /api/definitions/:id/glossary/:termId',
    request: async (slug, users) => {
      const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
      const added = expectSetup(
        await current.request({ method: 'POST', url: `/api/definitions/${id}/glossary`, as: users.chair, payload: { term: 'Clause', clauseId } }),
        201,
      );
      return { method: 'DELETE', url: `/api/definitions/${id}/glossary/${added.terms[0].glossaryId}` };
    },
    ...writersOnly(200),
  },
  {
    name: 'POST /api/groups/:slug/definitions/import',
    request: async (slug) => ({
      method: 'POST',
      url: `/api/groups/${slug}/definitions/import`,
      payload: { format: 'markdown', source: '# Imported\n\n## Scope\n\nA *clause*.', slug: uniqueSlug('imported') },
    }),
    // As starting a definition by hand.
    private: { chair: 201, editor: 201, member: 403, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 201, editor: 201, member: 403, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'POST /api/groups/:slug/definitions/import (preview)',
    request: async (slug) => ({
      method: 'POST',
      url: `/api/groups/${slug}/definitions/import`,
      payload: { format: 'html', source: '<h1>T</h1><p>A clause</p>', preview: true },
    }),
    private: { chair: 200, editor: 200, member: 403, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 403, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'POST /api/definitions/:id/import',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/import`,
      payload: { format: 'text', source: 'The draft, replaced.' },
    }),
    ...writersOnly(200),
  },
  {
    name: 'POST /api/definitions/:id/import (preview)',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/import`,
      payload: { format: 'markdown', source: '- a list', preview: true },
    }),
    ...writersOnly(200),
  },
  {
    name: 'GET /api/definitions/:id/clauses/:clauseId/provenance',
    request: async (slug, users) => {
      const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
      return { method: 'GET', url: `/api/definitions/${id}/clauses/${clauseId}/provenance?from=0&to=3` };
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
    name: 'POST /api/threads/:id/resolve (a member’s internal thread)',
    request: async (slug, users) => ({ method: 'POST', url: `/api/threads/${(await memberThreadIn(slug, users)).threadId}/resolve` }),
    // Its author, chairs and editors.
    ...internalDiscussion({ chair: 200, editor: 200, member: 200, observer: 403 }),
  },
  {
    name: 'POST /api/threads/:id/reopen (a member’s resolved internal thread)',
    request: async (slug, users) => {
      const { threadId } = await memberThreadIn(slug, users);
      expectSetup(await current.request({ method: 'POST', url: `/api/threads/${threadId}/resolve`, as: users.member }), 200);
      return { method: 'POST', url: `/api/threads/${threadId}/reopen` };
    },
    ...internalDiscussion({ chair: 200, editor: 200, member: 200, observer: 403 }),
  },
  {
    name: 'PATCH /api/comments/:id (a member’s comment in an internal thread)',
    request: async (slug, users) => ({
      method: 'PATCH',
      url: `/api/comments/${(await memberThreadIn(slug, users)).commentId}`,
      payload: { body: 'Said better' },
    }),
    // Only its author, chairs included.
    ...internalDiscussion({ chair: 403, editor: 403, member: 200, observer: 403 }),
  },
  {
    name: 'DELETE /api/comments/:id (a member’s comment in an internal thread)',
    request: async (slug, users) => ({ method: 'DELETE', url: `/api/comments/${(await memberThreadIn(slug, users)).commentId}` }),
    ...internalDiscussion({ chair: 204, editor: 403, member: 204, observer: 403 }),
  },
  {
    name: 'POST /api/comments/:id/hide',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/comments/${(await memberThreadIn(slug, users)).commentId}/hide`,
      payload: { reason: 'Off topic' },
    }),
    ...internalDiscussion({ chair: 200, editor: 403, member: 403, observer: 403 }),
  },
  {
    name: 'POST /api/comments/:id/unhide',
    request: async (slug, users) => {
      const { commentId } = await memberThreadIn(slug, users);
      expectSetup(await current.request({ method: 'POST', url: `/api/comments/${commentId}/hide`, as: users.chair, payload: { reason: 'Off topic' } }), 200);
      return { method: 'POST', url: `/api/comments/${commentId}/unhide` };
    },
    ...internalDiscussion({ chair: 200, editor: 403, member: 403, observer: 403 }),
  },
  {
    name: 'PUT /api/comments/:id/reactions/:emoji',
    request: async (slug, users) => ({
      method: 'PUT',
      url: `/api/comments/${(await memberThreadIn(slug, users)).commentId}/reactions/${encodeURIComponent('👍')}`,
    }),
    ...internalDiscussion({ chair: 204, editor: 204, member: 204, observer: 204 }),
  },
  {
    name: 'DELETE /api/comments/:id/reactions/:emoji',
    request: async (slug, users) => {
      const { commentId } = await memberThreadIn(slug, users);
      const url = `/api/comments/${commentId}/reactions/${encodeURIComponent('👍')}`;
      for (const role of ['chair', 'editor', 'member', 'observer'] as const) expectSetup(await current.request({ method: 'PUT', url, as: users[role] }), 204);
      return { method: 'DELETE', url };
    },
    ...internalDiscussion({ chair: 204, editor: 204, member: 204, observer: 204 }),
  },
  // During a public comment period of a public group, anyone signed in takes part where the public reads.
  {
    name: 'POST /api/definitions/:id/threads (public comment period)',
    request: async (slug, users) => {
      const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
      await setStatus(id, users.chair, 'public-comment');
      return { method: 'POST', url: `/api/definitions/${id}/threads`, payload: { clauseId, body: 'A comment' } };
    },
    private: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 404, anonymous: 404 },
    public: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 201, anonymous: 401 },
  },
  {
    name: 'POST /api/threads/:id/comments (a thread the public reads, public comment period)',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/threads/${(await commentPeriodThreadIn(slug, users.chair)).threadId}/comments`,
      payload: { body: 'A reply' },
    }),
    private: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 404, anonymous: 404 },
    public: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 201, anonymous: 401 },
  },
  {
    name: 'POST /api/threads/:id/comments (a thread the public reads, after the period)',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/threads/${(await commentPeriodThreadIn(slug, users.chair, { closed: true })).threadId}/comments`,
      payload: { body: 'A reply' },
    }),
    // The public still reads the thread (it is part of the record) but no longer writes in it.
    private: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 404, anonymous: 404 },
    public: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 403, anonymous: 401 },
  },
  {
    name: 'PUT /api/comments/:id/reactions/:emoji (a thread the public reads, public comment period)',
    request: async (slug, users) => ({
      method: 'PUT',
      url: `/api/comments/${(await commentPeriodThreadIn(slug, users.chair)).commentId}/reactions/${encodeURIComponent('👀')}`,
    }),
    private: { chair: 204, editor: 204, member: 204, observer: 204, outsider: 404, anonymous: 404 },
    public: { chair: 204, editor: 204, member: 204, observer: 204, outsider: 204, anonymous: 401 },
  },
  {
    name: 'POST /api/threads/:id/resolve (a chair’s thread the public reads)',
    request: async (slug, users) => ({ method: 'POST', url: `/api/threads/${(await commentPeriodThreadIn(slug, users.chair)).threadId}/resolve` }),
    private: { chair: 200, editor: 200, member: 403, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 403, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'PATCH /api/comments/:id (a chair’s comment in a thread the public reads)',
    request: async (slug, users) => ({
      method: 'PATCH',
      url: `/api/comments/${(await commentPeriodThreadIn(slug, users.chair)).commentId}`,
      payload: { body: 'Said better' },
    }),
    // Anonymous readers are refused as everyone who is not the author is: 403 (comments/policy.ts).
    private: { chair: 200, editor: 403, member: 403, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 403, member: 403, observer: 403, outsider: 403, anonymous: 403 },
  },
  {
    name: 'POST /api/comments/:id/hide (a comment in a thread the public reads)',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/comments/${(await commentPeriodThreadIn(slug, users.chair)).commentId}/hide`,
      payload: { reason: 'Off topic' },
    }),
    private: { chair: 200, editor: 403, member: 403, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 403, member: 403, observer: 403, outsider: 403, anonymous: 403 },
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
    name: 'GET /api/definitions/:id/amendments',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${await definitionIn(slug, users.chair)}/amendments` }),
    ...membersOnly(200),
  },
  {
    name: 'GET /api/amendments/:id',
    request: async (slug, users) => ({ method: 'GET', url: `/api/amendments/${await memberAmendmentIn(slug, users)}` }),
    ...membersOnly(200),
  },
  {
    name: 'POST /api/amendments/:id/accept',
    request: async (slug, users) => ({ method: 'POST', url: `/api/amendments/${await memberAmendmentIn(slug, users)}/accept` }),
    ...writersOnly(200),
  },
  {
    name: 'POST /api/definitions/:id/amendments/decide',
    request: async (slug, users) => {
      const amendmentId = await memberAmendmentIn(slug, users);
      const definitionId = expectSetup(await current.request({ method: 'GET', url: `/api/amendments/${amendmentId}`, as: users.chair }), 200).definitionId;
      return { method: 'POST', url: `/api/definitions/${definitionId}/amendments/decide`, payload: { action: 'accept', ids: [amendmentId] } };
    },
    ...writersOnly(200),
  },
  {
    name: 'POST /api/amendments/:id/reject',
    request: async (slug, users) => ({ method: 'POST', url: `/api/amendments/${await memberAmendmentIn(slug, users)}/reject`, payload: { reason: 'Not now' } }),
    ...writersOnly(200),
  },
  {
    name: 'POST /api/amendments/:id/withdraw (a member’s own)',
    request: async (slug, users) => ({ method: 'POST', url: `/api/amendments/${await memberAmendmentIn(slug, users)}/withdraw` }),
    // Only whoever proposed it.
    private: { chair: 403, editor: 403, member: 200, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 403, editor: 403, member: 200, observer: 403, outsider: 403, anonymous: 401 },
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
    name: 'PUT /api/ballots/:id/vote (observers eligible)',
    request: async (slug, users) => ({
      method: 'PUT',
      url: `/api/ballots/${await openBallotIn(slug, users.chair, { ...ballotRules(), eligibleRoles: ['chair', 'editor', 'member', 'observer'] })}/vote`,
      payload: { position: 'yes' },
    }),
    private: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 403, anonymous: 401 },
  },
  {
    name: 'PUT /api/ballots/:id/vote (a secret ballot)',
    request: async (slug, users) => ({
      method: 'PUT',
      url: `/api/ballots/${await openBallotIn(slug, users.chair, { ...ballotRules(), secret: true, resultsVisibility: 'after_close' })}/vote`,
      payload: { position: 'yes' },
    }),
    private: { chair: 200, editor: 200, member: 200, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'PUT /api/ballots/:id/vote (a closed ballot)',
    request: async (slug, users) => {
      const id = await openBallotIn(slug, users.chair);
      expectSetup(await current.request({ method: 'POST', url: `/api/ballots/${id}/close`, as: users.chair }), 200);
      return { method: 'PUT', url: `/api/ballots/${id}/vote`, payload: { position: 'yes' } };
    },
    // Whoever reads the ballot learns it is closed (409); the others are stopped before that.
    private: { chair: 409, editor: 409, member: 409, observer: 409, outsider: 404, anonymous: 404 },
    public: { chair: 409, editor: 409, member: 409, observer: 409, outsider: 403, anonymous: 401 },
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
    name: 'GET /api/ballots/:id (a secret ballot, closed)',
    request: async (slug, users) => {
      const id = await openBallotIn(slug, users.chair, { ...ballotRules(), secret: true, resultsVisibility: 'after_close' });
      expectSetup(await current.request({ method: 'PUT', url: `/api/ballots/${id}/vote`, as: users.member, payload: { position: 'yes' } }), 200);
      expectSetup(await current.request({ method: 'POST', url: `/api/ballots/${id}/close`, as: users.chair }), 200);
      return { method: 'GET', url: `/api/ballots/${id}` };
    },
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
  {
    name: 'GET /api/definitions/:id/export?format=html',
    request: async (slug, users) => ({
      method: 'GET',
      url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/export?format=html&version=1.0`,
    }),
    ...membersOnly(200),
  },
  {
    name: 'GET /api/definitions/:id/export?format=json (the draft)',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/export?format=json` }),
    ...membersOnly(200),
  },
  {
    name: 'GET /api/definitions/:id/audit/:seq',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/audit/1` }),
    ...membersOnly(200),
  },
  { name: 'GET /api/notifications', request: async () => ({ method: 'GET', url: '/api/notifications' }), ...signedIn(200) },
  {
    name: 'POST /api/notifications/read',
    request: async () => ({ method: 'POST', url: '/api/notifications/read', payload: { all: true } }),
    ...signedIn(204),
  },
  { name: 'GET /api/me/notification-settings', request: async () => ({ method: 'GET', url: '/api/me/notification-settings' }), ...signedIn(200) },
  {
    name: 'PUT /api/me/notification-settings',
    request: async () => ({ method: 'PUT', url: '/api/me/notification-settings', payload: { kinds: { reply: { enabled: true, email: 'digest' } } } }),
    ...signedIn(200),
  },
  {
    // The link in a mail is all its reader has: the token is the authorization, a session is not needed.
    name: 'GET /api/mail/unsubscribe/:token',
    request: async (_slug, users) => ({ method: 'GET', url: `/api/mail/unsubscribe/${await unsubscribeToken(users.member)}` }),
    ...everyone(200),
  },
  {
    name: 'POST /api/mail/unsubscribe/:token',
    request: async (_slug, users) => ({ method: 'POST', url: `/api/mail/unsubscribe/${await unsubscribeToken(users.member)}` }),
    ...everyone(200),
  },
  { name: 'GET /api/me', request: async () => ({ method: 'GET', url: '/api/me' }), ...signedIn(200) },
  // Signing up and in are for anyone; a session already held changes nothing.
  {
    name: 'POST /api/auth/register',
    request: async () => ({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: `${uniqueSlug('new')}@example.org`, displayName: 'New', password: PASSWORD },
    }),
    ...everyone(201),
  },
  {
    name: 'POST /api/auth/login',
    request: async (_slug, _users, fresh) => ({ method: 'POST', url: '/api/auth/login', payload: { email: (await fresh()).email, password: PASSWORD } }),
    ...everyone(200),
  },
  { name: 'POST /api/auth/logout', request: async () => ({ method: 'POST', url: '/api/auth/logout' }), ...signedIn(204) },
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
  // The front door holds only what the public reads: the same answer for everyone.
  { name: 'GET /api/public/overview', request: async () => ({ method: 'GET', url: '/api/public/overview' }), ...everyone(200) },
  {
    name: 'GET /api/groups/:slug/published',
    request: async (slug, users) => {
      await publishedDefinitionIn(slug, users.chair);
      return { method: 'GET', url: `/api/groups/${slug}/published` };
    },
    private: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 200, anonymous: 200 },
  },
  {
    name: 'GET /api/definitions/:id/public',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/public` }),
    private: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 200, anonymous: 200 },
  },
  {
    name: 'GET /api/definitions/:id/public?version=LABEL',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/public?version=1.0` }),
    private: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 200, anonymous: 200 },
  },
  // Search answers everyone; what it finds is filtered by the same policies (search/search.test.ts).
  { name: 'GET /api/search', request: async () => ({ method: 'GET', url: '/api/search?q=clause' }), ...everyone(200) },
  {
    name: 'GET /api/search (in one group, one definition)',
    request: async (slug, users) => ({
      method: 'GET',
      url: `/api/search?q=clause&kind=version&group=${slug}&definition=${(await publishedDefinitionIn(slug, users.chair)).id}`,
    }),
    ...everyone(200),
  },
  // Conformance reviews (conformance/conformance.test.ts covers the developer account and blind marking).
  { name: 'GET /api/groups/:slug/systems', request: async (slug) => ({ method: 'GET', url: `/api/groups/${slug}/systems` }), ...membersOnly(200) },
  {
    name: 'POST /api/groups/:slug/systems',
    request: async (slug) => ({
      method: 'POST',
      url: `/api/groups/${slug}/systems`,
      payload: { name: uniqueSlug('system'), licences: [{ spdx: 'Apache-2.0', name: '' }] },
    }),
    ...writersOnly(201),
  },
  {
    name: 'GET /api/systems/:id',
    request: async (slug, users) => ({ method: 'GET', url: `/api/systems/${await systemIn(slug, users.chair)}` }),
    ...membersOnly(200),
  },
  {
    name: 'PATCH /api/systems/:id',
    request: async (slug, users) => ({ method: 'PATCH', url: `/api/systems/${await systemIn(slug, users.chair)}`, payload: { version: '2' } }),
    ...writersOnly(200),
  },
  {
    name: 'DELETE /api/systems/:id',
    request: async (slug, users) => ({ method: 'DELETE', url: `/api/systems/${await systemIn(slug, users.chair)}` }),
    ...writersOnly(204),
  },
  {
    name: 'GET /api/definitions/:id/checklists',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/checklists` }),
    ...membersOnly(200),
  },
  {
    name: 'POST /api/definitions/:id/checklists',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/checklists`,
      payload: { versionLabel: '1.0', rows: [{ component: 'Weights' }] },
    }),
    ...chairOnly(201),
  },
  {
    name: 'GET /api/checklists/:id',
    request: async (slug, users) => ({ method: 'GET', url: `/api/checklists/${await checklistIn(slug, users.chair)}` }),
    ...membersOnly(200),
  },
  {
    name: 'GET /api/checklists/:id/reviews',
    request: async (slug, users) => ({ method: 'GET', url: `/api/checklists/${await checklistIn(slug, users.chair)}/reviews` }),
    ...membersOnly(200),
  },
  {
    name: 'POST /api/checklists/:id/reviews',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/checklists/${await checklistIn(slug, users.chair)}/reviews`,
      payload: { systemId: await systemIn(slug, users.chair), reviewerIds: [users.editor.user.id, users.member.user.id] },
    }),
    ...chairOnly(201),
  },
  {
    name: 'POST /api/checklists/:id/import',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/checklists/${await checklistIn(slug, users.chair)}/import`,
      payload: { csv: 'System,Component,Use,Study,Modify,Share\r\nOLMo,Weights,Allows,Allows,Allows,Allows\r\n' },
    }),
    ...chairOnly(200),
  },
  {
    name: 'GET /api/reviews/:id',
    request: async (slug, users) => ({ method: 'GET', url: `/api/reviews/${await reviewIn(slug, users, 'marking')}` }),
    ...membersOnly(200),
  },
  {
    name: 'PUT /api/reviews/:id/sheet',
    request: async (slug, users) => ({ method: 'PUT', url: `/api/reviews/${await reviewIn(slug, users, 'marking')}/sheet`, payload: REVIEW_SHEET }),
    // Only the two assigned reviewers (here the editor and the member) mark.
    private: { chair: 403, editor: 200, member: 200, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 403, editor: 200, member: 200, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'POST /api/reviews/:id/submit',
    request: async (slug, users) => ({ method: 'POST', url: `/api/reviews/${await reviewIn(slug, users, 'marked')}/submit` }),
    private: { chair: 403, editor: 200, member: 200, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 403, editor: 200, member: 200, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'POST /api/reviews/:id/resolutions',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/reviews/${await reviewIn(slug, users, 'reconciling')}/resolutions`,
      payload: { rowId: 'r1', freedom: 0, verdict: 'allows', reason: 'Agreed on the call.' },
    }),
    ...chairOnly(200),
  },
  {
    name: 'POST /api/reviews/:id/comments',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/reviews/${await reviewIn(slug, users, 'marking')}/comments`,
      payload: { rowId: 'r1', body: 'See the model card.' },
    }),
    private: { chair: 200, editor: 200, member: 200, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'GET /api/definitions/:id/versions/:label/register',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/versions/1.0/register` }),
    ...publishedReads(200),
  },
  {
    name: 'GET /api/definitions/:id/versions/:label/register?format=md',
    request: async (slug, users) => ({
      method: 'GET',
      url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/versions/1.0/register?format=md`,
    }),
    ...publishedReads(200),
  },
  {
    name: 'GET /api/reviews/:id/badge.svg',
    request: async (slug, users) => ({ method: 'GET', url: `/api/reviews/${await reviewIn(slug, users, 'closed')}/badge.svg` }),
    ...publishedReads(200),
  },
  {
    name: 'GET /api/definitions/:id/versions/:label/endorsements',
    request: async (slug, users) => ({
      method: 'GET',
      url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/versions/1.0/endorsements`,
    }),
    ...publishedReads(200),
  },
  {
    name: 'POST /api/definitions/:id/versions/:label/endorsements',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/versions/1.0/endorsements`,
      payload: { kind: 'individual', name: 'Supporter' },
    }),
    // Anyone signed in endorses a public group's version; a private group's only its members.
    private: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 404, anonymous: 404 },
    public: { chair: 201, editor: 201, member: 201, observer: 201, outsider: 201, anonymous: 401 },
  },
  {
    name: 'POST /api/endorsements/:id/verify',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/endorsements/${await endorsementIn(slug, users, users.member, 'organisation')}/verify`,
      payload: { note: 'Confirmed by phone.' },
    }),
    ...chairOnly(200),
  },
  {
    name: 'POST /api/endorsements/:id/withdraw (one’s own, where one may endorse)',
    request: async (slug, users, _fresh, who) => {
      const visibility = (await current.db.selectFrom('groups').select('visibility').where('slug', '=', slug).executeTakeFirstOrThrow()).visibility;
      // Whoever may endorse withdraws their own; the others try to withdraw the chair's.
      const own = who !== 'anonymous' && (who !== 'outsider' || visibility === 'public');
      const endorser = own ? users[who as Role | 'outsider'] : users.chair;
      return { method: 'POST', url: `/api/endorsements/${await endorsementIn(slug, users, endorser, 'individual')}/withdraw`, payload: {} };
    },
    private: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 404, anonymous: 404 },
    public: { chair: 200, editor: 200, member: 200, observer: 200, outsider: 200, anonymous: 401 },
  },
  {
    name: 'POST /api/endorsements/:id/withdraw (someone else’s)',
    request: async (slug, users, fresh) => ({
      method: 'POST',
      url: `/api/endorsements/${await endorsementIn(slug, users, await memberIn(slug, users.chair, fresh), 'individual')}/withdraw`,
      payload: {},
    }),
    private: { chair: 403, editor: 403, member: 403, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 403, editor: 403, member: 403, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'GET /api/definitions/:id/dispositions',
    request: async (slug, users) => ({ method: 'GET', url: `/api/definitions/${(await publishedDefinitionIn(slug, users.chair)).id}/dispositions` }),
    // Members read every item; readers of a public group's published versions its public comments' items.
    ...publishedReads(200),
  },
  {
    name: 'POST /api/definitions/:id/objections',
    request: async (slug, users) => ({
      method: 'POST',
      url: `/api/definitions/${await definitionIn(slug, users.chair)}/objections`,
      payload: { body: 'I object.' },
    }),
    private: { chair: 201, editor: 201, member: 201, observer: 403, outsider: 404, anonymous: 404 },
    public: { chair: 201, editor: 201, member: 201, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'GET /api/dispositions/:id (a formal objection: the members’)',
    request: async (slug, users) => ({ method: 'GET', url: `/api/dispositions/${await objectionIn(slug, users, false)}` }),
    ...internalDiscussion({ chair: 200, editor: 200, member: 200, observer: 200 }),
  },
  {
    name: 'PUT /api/dispositions/:id/disposition',
    request: async (slug, users) => ({
      method: 'PUT',
      url: `/api/dispositions/${await objectionIn(slug, users, false)}/disposition`,
      payload: { disposition: 'rejected', reason: 'Settled.' },
    }),
    ...internalDiscussion({ chair: 200, editor: 403, member: 403, observer: 403 }),
  },
  {
    name: 'PUT /api/dispositions/:id/response (the member’s own objection)',
    request: async (slug, users) => ({
      method: 'PUT',
      url: `/api/dispositions/${await objectionIn(slug, users, true)}/response`,
      payload: { satisfied: true },
    }),
    // Only whoever raised it answers.
    ...internalDiscussion({ chair: 403, editor: 403, member: 200, observer: 403 }),
  },
  {
    name: 'POST /api/reviews/:id/close',
    request: async (slug, users) => ({ method: 'POST', url: `/api/reviews/${await reviewIn(slug, users, 'reconciling')}/close` }),
    ...chairOnly(200),
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

/** A system in the group's register. */
async function systemIn(slug: string, chair: TestUser): Promise<string> {
  const response = await current.request({ method: 'POST', url: `/api/groups/${slug}/systems`, as: chair, payload: { name: uniqueSlug('system') } });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json().id;
}

/** The checklist of a published 1.0: one component, required for all four freedoms. */
async function checklistIn(slug: string, chair: TestUser): Promise<string> {
  const { id } = await publishedDefinitionIn(slug, chair);
  const response = await current.request({
    method: 'POST',
    url: `/api/definitions/${id}/checklists`,
    as: chair,
    payload: { versionLabel: '1.0', rows: [{ component: 'Weights' }] },
  });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json().id;
}

const REVIEW_SHEET = { rows: [{ rowId: 'r1', evidence: [], verdicts: ['allows', 'allows', 'allows', 'allows'], note: '' }] };

/** A review by the editor and the member: just opened, with both sheets filled in, or with both submitted. */
async function reviewIn(slug: string, users: Record<Role, TestUser>, state: 'marking' | 'marked' | 'reconciling' | 'closed'): Promise<string> {
  const checklistId = await checklistIn(slug, users.chair);
  const systemId = await systemIn(slug, users.chair);
  const opened = await current.request({
    method: 'POST',
    url: `/api/checklists/${checklistId}/reviews`,
    as: users.chair,
    payload: { systemId, reviewerIds: [users.editor.user.id, users.member.user.id] },
  });
  if (opened.statusCode !== 201) throw new Error(opened.body);
  const id = opened.json().id as string;
  for (const reviewer of state === 'marking' ? [] : [users.editor, users.member]) {
    expectSetup(await current.request({ method: 'PUT', url: `/api/reviews/${id}/sheet`, as: reviewer, payload: REVIEW_SHEET }), 200);
    if (state !== 'marked') expectSetup(await current.request({ method: 'POST', url: `/api/reviews/${id}/submit`, as: reviewer }), 200);
  }
  if (state === 'closed') expectSetup(await current.request({ method: 'POST', url: `/api/reviews/${id}/close`, as: users.chair }), 200);
  return id;
}

/** An endorsement of a fresh definition's 1.0 by `endorser`. */
async function endorsementIn(slug: string, users: Record<Role, TestUser>, endorser: TestUser, kind: 'individual' | 'organisation'): Promise<string> {
  const { id } = await publishedDefinitionIn(slug, users.chair);
  const response = await current.request({
    method: 'POST',
    url: `/api/definitions/${id}/versions/1.0/endorsements`,
    as: endorser,
    payload: { kind, name: 'Endorser', ...(kind === 'organisation' && { organisation: 'Example Lab' }) },
  });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json().id;
}

/** A formal objection the member raised on a fresh definition, disposed of by the chair or not yet. */
async function objectionIn(slug: string, users: Record<Role, TestUser>, disposed: boolean): Promise<string> {
  const id = await definitionIn(slug, users.chair);
  const raised = await current.request({ method: 'POST', url: `/api/definitions/${id}/objections`, as: users.member, payload: { body: 'I object.' } });
  expectSetup(raised, 201);
  const itemId = raised.json().id as string;
  if (disposed)
    expectSetup(
      await current.request({
        method: 'PUT',
        url: `/api/dispositions/${itemId}/disposition`,
        as: users.chair,
        payload: { disposition: 'deferred', reason: 'Later.' },
      }),
      200,
    );
  return itemId;
}

/** A new member of the group (so a private group's endorsement can be someone's but the caller's). */
async function memberIn(slug: string, chair: TestUser, fresh: () => Promise<TestUser>): Promise<TestUser> {
  const user = await fresh();
  expectSetup(await current.request({ method: 'POST', url: `/api/groups/${slug}/members`, as: chair, payload: { email: user.email, role: 'member' } }), 201);
  return user;
}

/** The token of an unsubscribe link as a notification mail to this person would carry it. */
function unsubscribeToken(user: TestUser): Promise<string> {
  return createUnsubscribeToken(current.db, user.user.id, ['mention'], new Date());
}

/** An internal thread (the default for members) on a published definition's clause. */
async function internalThreadIn(slug: string, chair: TestUser): Promise<string> {
  const { id, clauseId } = await publishedDefinitionIn(slug, chair);
  const thread = await current.request({ method: 'POST', url: `/api/definitions/${id}/threads`, as: chair, payload: { clauseId, body: 'Between us' } });
  if (thread.statusCode !== 201) throw new Error(thread.body);
  return thread.json().id;
}

/** The body of a setup request that must succeed: a row must never pass because its preparation failed. */
function expectSetup(response: LightMyRequestResponse, status: number) {
  if (response.statusCode !== status) throw new Error(`setup answered ${response.statusCode}, not ${status}: ${response.body}`);
  return response.body ? response.json() : null;
}

async function setStatus(definitionId: string, chair: TestUser, status: 'public-comment' | 'final'): Promise<void> {
  expectSetup(await current.request({ method: 'PATCH', url: `/api/definitions/${definitionId}`, as: chair, payload: { status } }), 200);
}

/** An internal thread a member started on a published definition's clause, and its first comment. */
async function memberThreadIn(slug: string, users: Record<Role, TestUser>): Promise<{ threadId: string; commentId: string }> {
  const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
  const thread = expectSetup(
    await current.request({ method: 'POST', url: `/api/definitions/${id}/threads`, as: users.member, payload: { clauseId, body: 'Between us' } }),
    201,
  );
  return { threadId: thread.id, commentId: thread.comments[0].id };
}

/**
 * A chair's thread on a definition in its public comment period (`closed`: the period is over, the
 * definition final): one the public reads in a public group; internal in a private group, which has no public.
 */
async function commentPeriodThreadIn(slug: string, chair: TestUser, { closed = false } = {}): Promise<{ threadId: string; commentId: string }> {
  const { id, clauseId } = await publishedDefinitionIn(slug, chair);
  await setStatus(id, chair, 'public-comment');
  const group = await current.db.selectFrom('groups').select('visibility').where('slug', '=', slug).executeTakeFirstOrThrow();
  const audience = group.visibility === 'public' ? 'public' : 'internal';
  const thread = expectSetup(
    await current.request({ method: 'POST', url: `/api/definitions/${id}/threads`, as: chair, payload: { clauseId, body: 'For the record', audience } }),
    201,
  );
  if (closed) await setStatus(id, chair, 'final');
  return { threadId: thread.id, commentId: thread.comments[0].id };
}

/** An amendment a member proposed to a published definition's clause. */
async function memberAmendmentIn(slug: string, users: Record<Role, TestUser>): Promise<string> {
  const { id, clauseId } = await publishedDefinitionIn(slug, users.chair);
  const amendment = expectSetup(
    await current.request({
      method: 'POST',
      url: `/api/definitions/${id}/amendments`,
      as: users.member,
      payload: { clauseId, text: 'Other words', rationale: 'Clearer' },
    }),
    201,
  );
  return amendment.id;
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

async function draftBallotIn(slug: string, chair: TestUser, rules: object = ballotRules()): Promise<string> {
  const { id, clauseId } = await publishedDefinitionIn(slug, chair);
  const ballot = await current.request({
    method: 'POST',
    url: `/api/definitions/${id}/ballots`,
    as: chair,
    payload: { title: 'Vote', subject: { kind: 'clause', clauseId }, rules },
  });
  if (ballot.statusCode !== 201) throw new Error(ballot.body);
  return ballot.json().id;
}

async function openBallotIn(slug: string, chair: TestUser, rules: object = ballotRules()): Promise<string> {
  const id = await draftBallotIn(slug, chair, rules);
  const opened = await current.request({ method: 'POST', url: `/api/ballots/${id}/open`, as: chair });
  if (opened.statusCode !== 200) throw new Error(opened.body);
  return id;
}

/** Whether a case's name says it covers this route ("METHOD /path", alone or followed by a space or `?`). */
function names(caseName: string, route: string): boolean {
  return caseName === route || caseName.startsWith(`${route} `) || caseName.startsWith(`${route}?`);
}

/** Every "METHOD /path" the router holds, read from Fastify's route tree; the HEAD twin of each GET is left out. */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes = new Set<string>();
  const path: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    // "│   ├── /segment (GET, HEAD)": four characters of indentation per level of the tree.
    const node = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!node) continue;
    path.length = node[1]!.length / 4;
    path.push(node[2]!);
    for (const method of node[3]?.split(', ') ?? []) routes.add(`${method} ${path.join('')}`);
  }
  return [...routes].filter((route) => !route.startsWith('HEAD ') || !routes.has(route.replace('HEAD', 'GET'))).sort();
}

describe('authorization of every endpoint, for every role', () => {
  const t = useTestApp();
  current = t;
  let counter = 0;

  it('has a row for every route the app registers, and none for a route it does not', () => {
    const routes = registeredRoutes(t.app);
    const inMatrix = routes.filter((route) => !(route in NOT_IN_MATRIX) && !route.split(' ')[1]!.startsWith(DOCS_PREFIX));
    expect(
      inMatrix.filter((route) => !CASES.some((testCase) => names(testCase.name, route))),
      'routes without a row in CASES',
    ).toEqual([]);
    expect(
      CASES.map((testCase) => testCase.name).filter((name) => !routes.some((route) => names(name, route))),
      'rows naming no registered route',
    ).toEqual([]);
    expect(
      Object.keys(NOT_IN_MATRIX).filter((route) => !routes.includes(route)),
      'exemptions naming no registered route',
    ).toEqual([]);
  });

  for (const visibility of ['private', 'public'] as const) {
    describe(`${visibility} group`, () => {
      for (const testCase of CASES) {
        it(`${testCase.name}`, async () => {
          const { slug, users } = await t.groupWithRoles(visibility);
          const fresh = () => t.register(`Fresh ${++counter}`);
          const results: Partial<Record<Who, number>> = {};
          for (const who of WHO) {
            const as = who === 'anonymous' ? null : users[who];
            const request = await testCase.request(slug, users, fresh, who);
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
