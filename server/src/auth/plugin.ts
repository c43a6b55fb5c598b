import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '@draftroom/shared';
import { AppError, unauthenticated } from '../errors.ts';
import type { Actor } from '../policies/actor.ts';
import { SESSION_IDLE_LIMIT_MS, validateSession } from './service.ts';

export const SESSION_COOKIE = 'draftroom_session';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    user: User | null;
    sessionId: string | null;
  }
  interface FastifyReply {
    startSession(token: string): FastifyReply;
    endSession(): FastifyReply;
  }
}

export function requireUser(request: FastifyRequest): { user: User; sessionId: string } {
  if (!request.user || !request.sessionId) throw unauthenticated();
  return { user: request.user, sessionId: request.sessionId };
}

function normalizedOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

/**
 * Reads the session cookie on every request, and refuses cross-site state changes: a cookie-bearing
 * unsafe request must come with an Origin equal to ours (SameSite=Lax alone lets same-site siblings
 * through, and does nothing for browsers that ignore it).
 */
export default fp(
  async (app) => {
    const { config, db, sessions } = app;
    const cookieOptions = {
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: config.secureCookies,
      path: '/',
    };

    app.decorateRequest('actor', null);
    app.decorateRequest('user', null);
    app.decorateRequest('sessionId', null);
    app.decorateReply('startSession', function (this: FastifyReply, token: string) {
      return this.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: SESSION_IDLE_LIMIT_MS / 1000 });
    });
    app.decorateReply('endSession', function (this: FastifyReply) {
      return this.clearCookie(SESSION_COOKIE, cookieOptions);
    });

    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/api/')) return;
      const token = request.cookies[SESSION_COOKIE];
      if (UNSAFE_METHODS.has(request.method)) {
        const expected = config.publicOrigin ?? normalizedOrigin(`${request.protocol}://${request.host}`);
        const origin = request.headers.origin;
        const sameOrigin = origin !== undefined && normalizedOrigin(origin) === expected;
        if ((token !== undefined && !sameOrigin) || (origin !== undefined && !sameOrigin)) {
          throw new AppError(403, 'csrf_rejected', 'Cross-site request refused: the Origin header is missing or not ours');
        }
      }
      // Health needs no session, and must answer "degraded" (not fail) when sessions cannot be read.
      if (token === undefined || request.routeOptions.url === '/api/health') return;
      const session = await validateSession(db, token, { cache: sessions });
      if (!session) {
        reply.endSession();
        return;
      }
      request.user = session.user;
      request.sessionId = session.sessionId;
      request.actor = { userId: session.user.id };
      if (session.refreshed) reply.startSession(token);
    });
  },
  { name: 'auth', dependencies: ['services'] },
);
