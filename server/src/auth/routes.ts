import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CONFIRMATION_VALID_HOURS, ChangePasswordBody, ConfirmBody, LoginBody, MeResponse, RegisterBody, RegistrationPending } from '@draftroom/shared';
import { AppError, rateLimited } from '../errors.ts';
import type { Bus } from '../events/bus.ts';
import { applyInvitations } from '../groups/invitations.ts';
import { errors } from '../http/responses.ts';
import { linkOrigin } from '../mail/plugin.ts';
import { alreadyRegisteredMail, confirmationMail } from '../mail/templates.ts';
import { localSignInThrottle, SharedLoginThrottle } from './login-throttle.ts';
import { requireUser } from './plugin.ts';
import { changePassword, confirmRegistration, invalidCredentials, login, logout, normalizeEmail, register, requestRegistration } from './service.ts';

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export const authRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, passwords, config, bus, mail, counters } = app;
  const limits = config.rateLimits;
  // Failures per account and address, with a doubling wait (see login-throttle.ts).
  const throttleOptions = {
    freeFailures: limits.loginPerEmail,
    baseWaitMs: 30_000,
    maxWaitMs: FIFTEEN_MINUTES,
    windowMs: FIFTEEN_MINUTES,
    maxEntries: 100_000,
  };
  // Shared by the instances when there are several (REDIS_URL).
  const throttle = counters ? new SharedLoginThrottle(counters, throttleOptions) : localSignInThrottle(throttleOptions);

  app.post(
    '/api/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: mail
          ? 'Register: answers 202 for every address and mails a confirmation link (or, to an address with an account, a notice)'
          : 'Create an account and sign in',
        body: RegisterBody,
        response: mail ? { 202: RegistrationPending, ...errors(403) } : { 201: MeResponse, ...errors(403, 409) },
      },
      config: { rateLimit: { max: limits.registerPerIp, timeWindow: 60 * 60 * 1000 } },
    },
    async (request, reply) => {
      if (!mail) {
        const { user, token } = await register(db, passwords, request.body);
        return reply.code(201).startSession(token).send({ user });
      }
      const { email, displayName, outcome } = await requestRegistration(db, passwords, request.body);
      const origin = linkOrigin(config);
      mail.send(
        outcome.kind === 'new'
          ? confirmationMail({ origin, to: email, displayName, token: outcome.token, validHours: CONFIRMATION_VALID_HOURS })
          : alreadyRegisteredMail({ origin, to: email }),
      );
      return reply.code(202).send({ status: 'confirmation_sent', email });
    },
  );

  app.post(
    '/api/auth/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Confirm a registration with the token of its emailed link: creates the account, joins the groups the address was invited to, and signs in',
        body: ConfirmBody,
        response: { 200: MeResponse, ...errors(403) },
      },
      config: { rateLimit: { max: limits.loginPerIp, timeWindow: FIFTEEN_MINUTES } },
    },
    async (request, reply) => {
      const joined: string[] = [];
      const { user, token } = await confirmRegistration(db, request.body.token, {
        onAccountCreated: async (tx, created) => {
          joined.push(...(await applyInvitations(tx, created)));
        },
      });
      publishJoins(bus, user.id, joined);
      return reply.startSession(token).send({ user });
    },
  );

  app.post(
    '/api/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Sign in', body: LoginBody, response: { 200: MeResponse, ...errors(401, 403) } },
      config: { rateLimit: { max: limits.loginPerIp, timeWindow: FIFTEEN_MINUTES } },
      preHandler: async (request) => {
        const wait = await throttle.waitSeconds(normalizeEmail(request.body.email), request.ip);
        if (wait > 0) throw rateLimited(wait);
      },
    },
    async (request, reply) => {
      const email = normalizeEmail(request.body.email);
      try {
        const result = await login(db, passwords, request.body, { confirmations: mail !== null });
        if (result.kind === 'unconfirmed') {
          // The registrant (the password matched) gets the link again; the answer stays the one 401.
          mail?.send(
            confirmationMail({
              origin: linkOrigin(config),
              to: result.email,
              displayName: result.displayName,
              token: result.confirmationToken,
              validHours: CONFIRMATION_VALID_HOURS,
            }),
          );
          throw invalidCredentials(true);
        }
        await throttle.succeeded(email, request.ip);
        return reply.startSession(result.token).send({ user: result.user });
      } catch (error) {
        if (error instanceof AppError && error.statusCode === 401) await throttle.failed(email, request.ip);
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

/** Sockets the new member already had open (a public group's definitions) re-check their rights. */
function publishJoins(bus: Bus, userId: string, groupIds: string[]): void {
  for (const groupId of groupIds) bus.publish({ type: 'membership.changed', groupId, userId });
}
