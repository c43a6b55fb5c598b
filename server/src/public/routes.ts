import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { GroupParams, PublicOverview, PublishedDefinitionList } from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { groupPublished, publicOverview } from './service.ts';

export const publicRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app;
  const tags = ['public'];

  app.get(
    '/api/public/overview',
    {
      schema: {
        tags,
        summary: 'The front door (anyone): public groups, definitions open for public comment with their deadlines, the latest published versions',
        response: { 200: PublicOverview, ...errors() },
      },
    },
    async () => publicOverview(db),
  );

  app.get(
    '/api/groups/:slug/published',
    {
      schema: {
        tags,
        summary: 'A group’s definitions that have a published version, each with its latest (anyone who can read the group)',
        params: GroupParams,
        response: { 200: PublishedDefinitionList, ...errors(404) },
      },
    },
    async (request) => ({ definitions: await groupPublished(db, request.actor, request.params.slug) }),
  );
};
