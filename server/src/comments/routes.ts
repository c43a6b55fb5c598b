import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  CommentParams,
  CreateThreadBody,
  DefinitionParams,
  EditCommentBody,
  HideCommentBody,
  ModerationLog,
  ReactionParams,
  ReplyBody,
  Thread,
  ThreadList,
  ThreadParams,
  ThreadQuery,
} from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import * as comments from './service.ts';

export const commentRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, registry } = app;
  const tags = ['comments'];
  const thread = { 200: Thread, ...errors(401, 403, 404, 409) };

  app.get(
    '/api/definitions/:id/threads',
    {
      schema: {
        tags,
        summary:
          'Comment threads, oldest first; filter by status, clause, amendment, audience or mine. Members read every thread; anyone who reads a public group’s published versions reads its public threads only',
        params: DefinitionParams,
        querystring: ThreadQuery,
        response: { 200: ThreadList, ...errors(401, 403, 404) },
      },
    },
    async (request) => comments.listThreads(db, registry, request.actor, request.params.id, request.query),
  );

  app.post(
    '/api/definitions/:id/threads',
    {
      schema: {
        tags,
        summary:
          'Start a thread on a clause, optionally anchored to a passage: internal (members) or public (anyone signed in during a public comment period of a public group)',
        params: DefinitionParams,
        body: CreateThreadBody,
        response: { 201: Thread, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await comments.createThread(db, registry, request.actor, request.params.id, request.body)),
  );

  app.post(
    '/api/threads/:id/comments',
    {
      schema: {
        tags,
        summary: 'Reply in a thread, optionally to a specific comment; the reply has the thread’s audience',
        params: ThreadParams,
        body: ReplyBody,
        response: { 201: Thread, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await comments.reply(db, registry, request.actor, request.params.id, request.body)),
  );

  app.post(
    '/api/threads/:id/resolve',
    { schema: { tags, summary: 'Resolve (thread author, chair, editor)', params: ThreadParams, response: thread } },
    async (request) => comments.setThreadStatus(db, registry, request.actor, request.params.id, 'resolved'),
  );

  app.post(
    '/api/threads/:id/reopen',
    { schema: { tags, summary: 'Reopen (thread author, chair, editor)', params: ThreadParams, response: thread } },
    async (request) => comments.setThreadStatus(db, registry, request.actor, request.params.id, 'open'),
  );

  app.post(
    '/api/threads/:id/publish',
    {
      schema: {
        tags,
        summary: 'Publish a thread of the internal discussion (chair, public groups): the public reads it from then on; recorded as thread.published',
        params: ThreadParams,
        response: thread,
      },
    },
    async (request) => comments.publishThread(db, registry, request.actor, request.params.id),
  );

  app.patch(
    '/api/comments/:id',
    {
      schema: {
        tags,
        summary: 'Edit your comment; the earlier text stays visible in its history',
        params: CommentParams,
        body: EditCommentBody,
        response: thread,
      },
    },
    async (request) => comments.editComment(db, registry, request.actor, request.params.id, request.body.body),
  );

  app.delete(
    '/api/comments/:id',
    {
      schema: {
        tags,
        summary: 'Delete (author or chair); a placeholder keeps the thread readable',
        params: CommentParams,
        response: { 204: { type: 'null' }, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await comments.deleteComment(db, request.actor, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/comments/:id/hide',
    { schema: { tags, summary: 'Hide with a reason (chair); logged publicly', params: CommentParams, body: HideCommentBody, response: thread } },
    async (request) => comments.moderate(db, registry, request.actor, request.params.id, { reason: request.body.reason }),
  );

  app.post(
    '/api/comments/:id/unhide',
    { schema: { tags, summary: 'Show a hidden comment again (chair); logged publicly', params: CommentParams, response: thread } },
    async (request) => comments.moderate(db, registry, request.actor, request.params.id, null),
  );

  app.put(
    '/api/comments/:id/reactions/:emoji',
    { schema: { tags, summary: 'Add your reaction', params: ReactionParams, response: { 204: { type: 'null' }, ...errors(401, 403, 404, 409) } } },
    async (request, reply) => {
      await comments.react(db, request.actor, request.params.id, request.params.emoji, true);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/comments/:id/reactions/:emoji',
    { schema: { tags, summary: 'Remove your reaction', params: ReactionParams, response: { 204: { type: 'null' }, ...errors(401, 403, 404, 409) } } },
    async (request, reply) => {
      await comments.react(db, request.actor, request.params.id, request.params.emoji, false);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/definitions/:id/moderation',
    {
      schema: {
        tags,
        summary: 'Every moderation action on this definition’s comments (members)',
        params: DefinitionParams,
        response: { 200: ModerationLog, ...errors(401, 403, 404) },
      },
    },
    async (request) => comments.moderationLog(db, request.actor, request.params.id),
  );
};
