import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Provenance, ProvenanceParams, ProvenanceQuery } from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { clauseProvenance } from './service.ts';

export const provenanceRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, registry } = app;

  app.get(
    '/api/definitions/:id/clauses/:clauseId/provenance',
    {
      schema: {
        tags: ['history'],
        summary: 'Why a clause (or a stretch of it) says what it says: authors, amendments, ballots, threads, versions (members)',
        params: ProvenanceParams,
        querystring: ProvenanceQuery,
        response: { 200: Provenance, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => clauseProvenance(db, registry, request.actor, request.params.id, request.params.clauseId, request.query),
  );
};
