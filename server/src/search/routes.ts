import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SearchQuery, SearchResults } from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { search } from './service.ts';

export const searchRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app;

  app.get(
    '/api/search',
    {
      schema: {
        tags: ['search'],
        summary:
          'Full-text search over what the caller may read: clauses (live text for members, published versions), comments, amendments, ballots — best match first, with highlighted snippets',
        querystring: SearchQuery,
        response: { 200: SearchResults, ...errors() },
      },
      // A search costs more than most reads: a fifth of the API's per-IP budget.
      config: { rateLimit: { max: Math.max(1, Math.floor(config.rateLimits.apiPerMinute / 5)), timeWindow: 60_000 } },
    },
    async (request) => search(db, request.actor, request.query),
  );
};
