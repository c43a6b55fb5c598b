import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Health } from '@draftroom/shared';
import { isReachable } from '../db/database.ts';
import { APP_VERSION } from '../version.ts';

export const healthRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/health',
    { schema: { tags: ['meta'], summary: 'Liveness and database reachability', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const reachable = await isReachable(app.db);
      return reply.code(reachable ? 200 : 503).send({ status: reachable ? 'ok' : 'degraded', database: app.databaseKind, version: APP_VERSION });
    },
  );
};
