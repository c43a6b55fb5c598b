import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Clause, ClauseParams, DefinitionParams, InsertClauseBody, ReplaceClauseBody } from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { insertClauseAsUser, replaceClauseAsUser } from './clauses.ts';

/** Clause edits for scripts and bots: applied as Yjs transactions, attributed, seen live by everyone. */
export const clauseRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, registry } = app;
  const tags = ['definitions'];

  app.post(
    '/api/definitions/:id/clauses',
    {
      schema: {
        tags,
        summary: 'Insert a clause (chair, editor)',
        params: DefinitionParams,
        body: InsertClauseBody,
        response: { 201: Clause, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await insertClauseAsUser({ db, registry }, request.actor, request.params.id, request.body)),
  );

  app.put(
    '/api/definitions/:id/clauses/:clauseId',
    {
      schema: {
        tags,
        summary: 'Replace a clause’s text (chair, editor)',
        params: ClauseParams,
        body: ReplaceClauseBody,
        response: { 200: Clause, ...errors(401, 403, 404) },
      },
    },
    async (request) => replaceClauseAsUser({ db, registry }, request.actor, request.params.id, request.params.clauseId, request.body),
  );
};
