import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ChangePasswordBody, LoginBody, MeResponse, RegisterBody } from '@draftroom/shared';
import { AppError, rateLimited } from '../errors.ts';
import { errors } from '../http/responses.ts';
import { LoginThrottle } from './login-throttle.ts';
import { requireUser } from './plugin.ts';
import { changePassword, login, logout, normalizeEmail, register } from './service.ts';

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export const authRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, passwords, config, bus } = app;
  const limits = config.rateLimits;
  // Failures per account and address, with a doubling wait (see login-throttle.ts).
  const throttle = new LoginThrottle({
    freeFailures: limits.loginPerEmail,
    baseWaitMs: 30_000,
    maxWaitMs: FIFTEEN_MINUTES,
    windowMs: FIFTEEN_MINUTES,
    maxEntries: 100_000,
  });

  app.post(
    '/api/auth/register',
    {
      schema: { tags: ['auth'], summary: 'Create an account and sign in', body: RegisterBody, response: { 201: MeResponse, ...errors(403, 409) } },
      config: { rateLimit: { max: limits.registerPerIp, timeWindow: 60 * 60 * 1000 } },
    },
    async (request, reply) => {
      const { user, token } = await register(db, passwords, request.body);
      return reply.code(201).startSession(token).send({ user });
    },
  );

  app.post(
    '/api/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Sign in', body: LoginBody, response: { 200: MeResponse, ...errors(401, 403) } },
      config: { rateLimit: { max: limits.loginPerIp, timeWindow: FIFTEEN_MINUTES } },
      preHandler: async (request) => {
        const wait = throttle.waitSeconds(normalizeEmail(request.body.email), request.ip);
        if (wait > 0) throw rateLimited(wait);
      },
    },
    async (request, reply) => {
      const email = normalizeEmail(request.body.email);
      try {
        const { user, token } = await login(db, passwords, request.body);
        throttle.succeeded(email, request.ip);
        return reply.startSession(token).send({ user });
      } catch (error) {
        if (error instanceof AppError && error.statusCode === 401) throttle.failed(email, request.ip);
        throw error;
      }
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out (ends this session)', response: { 204: { type: 'null' }, ...errors(401, 403) } } },
    async (request, reply) => {
      const { user, sessionId } = requireUser(request);
      await logout(db, user.id, sessionId);
      bus.publish({ type: 'session.ended', userId: user.id, sessionId });
      return reply.code(204).endSession().send();
    },
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change password; ends every session of the account and starts a new one here',
        body: ChangePasswordBody,
        response: { 200: MeResponse, ...errors(401, 403) },
      },
      config: { rateLimit: { max: limits.loginPerIp, timeWindow: FIFTEEN_MINUTES } },
    },
    async (request, reply) => {
      const { user } = requireUser(request);
      const result = await changePassword(db, passwords, user.id, request.body);
      // Every earlier session is gone; sockets opened with them close too.
      bus.publish({ type: 'session.ended', userId: user.id, sessionId: null });
      return reply.startSession(result.token).send({ user: result.user });
    },
  );

  app.get('/api/me', { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: MeResponse, ...errors(401) } } }, async (request) => ({
    user: requireUser(request).user,
  }));
};
