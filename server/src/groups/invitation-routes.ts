import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Group, GroupInvitationParams, GroupParams, InvitationList, InvitationParams, MyInvitationList } from '@draftroom/shared';
import { requireUser } from '../auth/plugin.ts';
import { errors } from '../http/responses.ts';
import * as invitations from './invitations.ts';

/** Pending invitations: a group's (for its chairs) and the signed-in user's own. */
export const invitationRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, bus, mail } = app;
  const tags = ['groups'];

  app.get(
    '/api/groups/:slug/invitations',
    {
      schema: {
        tags,
        summary: 'Pending invitations of the group (chair); the same for addresses with and without an account',
        params: GroupParams,
        response: { 200: InvitationList, ...errors(401, 403, 404) },
      },
    },
    async (request) => ({
      invitations: await invitations.listGroupInvitations(db, request.actor, request.params.slug),
      invitesByEmail: mail !== null,
    }),
  );

  app.delete(
    '/api/groups/:slug/invitations/:invitationId',
    {
      schema: {
        tags,
        summary: 'Revoke a pending invitation (chair)',
        params: GroupInvitationParams,
        response: { 204: { type: 'null' }, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await invitations.revokeInvitation(db, request.actor, request.params.slug, request.params.invitationId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/invitations',
    { schema: { tags, summary: 'Invitations addressed to my email address', response: { 200: MyInvitationList, ...errors(401) } } },
    async (request) => ({ invitations: await invitations.listMyInvitations(db, requireUser(request).user) }),
  );

  app.post(
    '/api/invitations/:invitationId/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invitation addressed to me: I join the group with the offered role',
        params: InvitationParams,
        response: { 200: Group, ...errors(401, 403, 404) },
      },
    },
    async (request) => invitations.acceptInvitation(db, bus, requireUser(request).user, request.params.invitationId),
  );

  app.post(
    '/api/invitations/:invitationId/decline',
    {
      schema: {
        tags,
        summary: 'Decline an invitation addressed to me',
        params: InvitationParams,
        response: { 204: { type: 'null' }, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await invitations.declineInvitation(db, requireUser(request).user, request.params.invitationId);
      return reply.code(204).send(null);
    },
  );
};
