import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ChainVerification, EventPage, EventQuery, GroupParams } from '@draftroom/shared';
import { loadGroup } from '../groups/service.ts';
import { errors } from '../http/responses.ts';
import { authorizeInGroup } from '../policies/groups.ts';
import { groupChain, listGroupEvents, verifyChain } from './service.ts';

export const eventRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app;
  const tags = ['audit'];

  app.get(
    '/api/groups/:slug/events',
    {
      schema: {
        tags,
        summary: 'The group’s audit log, newest first (members)',
        params: GroupParams,
        querystring: EventQuery,
        response: { 200: EventPage, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const group = await loadGroup(db, request.actor, request.params.slug);
      authorizeInGroup(request.actor, 'events.read', group);
      const { before, limit, kind, person } = request.query;
      return listGroupEvents(db, group.id, before ?? null, limit ?? 50, { kind, person });
    },
  );

  app.get(
    '/api/groups/:slug/events/verify',
    {
      schema: {
        tags,
        summary: 'Re-compute the hash chain and report the first tampered or missing event (members)',
        params: GroupParams,
        response: { 200: ChainVerification, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const group = await loadGroup(db, request.actor, request.params.slug);
      authorizeInGroup(request.actor, 'events.read', group);
      return verifyChain(db, groupChain(group.id));
    },
  );
};
