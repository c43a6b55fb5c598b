import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DefinitionParams, LanguageReportSchema } from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { languageReport } from './service.ts';

export const languageRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, registry } = app;

  app.get(
    '/api/definitions/:id/language',
    {
      schema: {
        tags: ['definitions'],
        summary: 'Defined terms, terms used before their definition or in another form, and RFC 2119 keyword marks in the draft (members)',
        params: DefinitionParams,
        response: { 200: LanguageReportSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => languageReport(db, registry, request.actor, request.params.id),
  );
};
