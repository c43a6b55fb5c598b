import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Blame, BlameQuery, Clause, ClauseParams, DefinitionParams, HistoryPage, HistoryQuery, RestoreBody } from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { restoreClause, restoreDefinition } from '../versions/restore.ts';
import { blameClause, history } from './service.ts';

export const historyRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, registry } = app;
  const tags = ['history'];

  app.get(
    '/api/definitions/:id/history',
    {
      schema: {
        tags,
        summary: 'Edits grouped by author and time, with published versions as milestones; newest first (members)',
        params: DefinitionParams,
        querystring: HistoryQuery,
        response: { 200: HistoryPage, ...errors(401, 403, 404) },
      },
    },
    async (request) => history(db, request.actor, request.params.id, request.query),
  );

  app.get(
    '/api/definitions/:id/blame',
    {
      schema: {
        tags,
        summary: 'A clause’s current text in runs, each with its author and time (members)',
        params: DefinitionParams,
        querystring: BlameQuery,
        response: { 200: Blame, ...errors(401, 403, 404) },
      },
    },
    async (request) => blameClause(db, registry, request.actor, request.params.id, request.query.clause),
  );

  app.post(
    '/api/definitions/:id/clauses/:clauseId/restore',
    {
      schema: {
        tags,
        summary: 'Restore one clause from a version, as a new edit by the caller (chair, editor)',
        params: ClauseParams,
        body: RestoreBody,
        response: { 200: Clause, ...errors(401, 403, 404) },
      },
    },
    async (request) => restoreClause(db, registry, request.actor, request.params.id, request.params.clauseId, request.body.version),
  );

  app.post(
    '/api/definitions/:id/restore',
    {
      schema: {
        tags,
        summary: 'Reset the whole definition to a version, clause by clause, in one transaction (chair)',
        params: DefinitionParams,
        body: RestoreBody,
        response: { 204: { type: 'null' }, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await restoreDefinition(db, registry, request.actor, request.params.id, request.body.version);
      return reply.code(204).send(null);
    },
  );
};
