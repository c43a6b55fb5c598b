import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MarkReadBody, NotificationPage, NotificationQuery } from '@draftroom/shared';
import { requireUser } from '../auth/plugin.ts';
import { errors } from '../http/responses.ts';
import * as notifications from './service.ts';

/** The in-app inbox: mentions, replies to my comments, new threads on clauses I wrote, my resolved threads. */
export const notificationRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app;
  const tags = ['notifications'];

  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications, newest first, with the unread count',
        querystring: NotificationQuery,
        response: { 200: NotificationPage, ...errors(401) },
      },
    },
    async (request) => notifications.inbox(db, requireUser(request).user.id, request.query),
  );

  app.post(
    '/api/notifications/read',
    {
      schema: { tags, summary: 'Mark some (ids) or all of my notifications as read', body: MarkReadBody, response: { 204: { type: 'null' }, ...errors(401) } },
    },
    async (request, reply) => {
      await notifications.markRead(db, requireUser(request).user.id, request.body);
      return reply.code(204).send(null);
    },
  );
};
