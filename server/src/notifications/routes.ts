import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MarkReadBody, NotificationPage, NotificationQuery, NotificationSettings, UpdateNotificationSettingsBody } from '@draftroom/shared';
import { requireUser } from '../auth/plugin.ts';
import { errors } from '../http/responses.ts';
import * as notifications from './service.ts';

/** The in-app inbox, and what each person chooses to be told and how. */
export const notificationRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app;
  const tags = ['notifications'];
  const settingsContext = {
    emailAvailable: config.mail !== null,
    digestHourUtc: config.notifications.digestHourUtc,
  };

  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications, newest first, with the unread count: each names its group, definition and clause, quotes it and links to it',
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

  app.get(
    '/api/me/notification-settings',
    {
      schema: {
        tags,
        summary: 'What I am told of, per kind: on or off, and by e-mail never, at once or in the daily digest',
        response: { 200: NotificationSettings, ...errors(401) },
      },
    },
    async (request) => notifications.getSettings(db, requireUser(request).user.id, settingsContext),
  );

  app.put(
    '/api/me/notification-settings',
    {
      schema: {
        tags,
        summary: 'Change my notification settings for the kinds given (the others stay as they are)',
        body: UpdateNotificationSettingsBody,
        response: { 200: NotificationSettings, ...errors(401) },
      },
    },
    async (request) => notifications.updateSettings(db, requireUser(request).user.id, request.body, settingsContext),
  );
};
