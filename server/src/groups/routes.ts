import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AddMemberBody,
  ChangeRoleBody,
  CreateGroupBody,
  Group,
  GroupList,
  GroupParams,
  InviteResponse,
  Member,
  MemberList,
  MemberParams,
  UpdateGroupBody,
} from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { linkOrigin } from '../mail/plugin.ts';
import { invitationToJoinMail, invitationToRegisterMail } from '../mail/templates.ts';
import { inviteMember } from './invitations.ts';
import * as groups from './service.ts';

export const groupRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, bus, config, mail } = app;
  const tags = ['groups'];

  app.get(
    '/api/groups',
    { schema: { tags, summary: 'Groups I belong to, then public groups', response: { 200: GroupList, ...errors() } } },
    async (request) => ({ groups: await groups.listGroups(db, request.actor) }),
  );

  app.post(
    '/api/groups',
    {
      schema: { tags, summary: 'Create a working group; its creator becomes chair', body: CreateGroupBody, response: { 201: Group, ...errors(401, 403, 409) } },
    },
    async (request, reply) => reply.code(201).send(await groups.createGroup(db, request.actor, request.body)),
  );

  app.get(
    '/api/groups/:slug',
    { schema: { tags, summary: 'One group, with my role and allowed actions', params: GroupParams, response: { 200: Group, ...errors(404) } } },
    async (request) => groups.getGroup(db, request.actor, request.params.slug),
  );

  app.patch(
    '/api/groups/:slug',
    {
      schema: {
        tags,
        summary: 'Rename, re-charter or change visibility (chair)',
        params: GroupParams,
        body: UpdateGroupBody,
        response: { 200: Group, ...errors(401, 403, 404) },
      },
    },
    async (request) => groups.updateGroup(db, request.actor, request.params.slug, request.body),
  );

  app.get(
    '/api/groups/:slug/members',
    { schema: { tags, summary: 'Members and their roles (members only)', params: GroupParams, response: { 200: MemberList, ...errors(401, 403, 404) } } },
    async (request) => ({ members: await groups.listMembers(db, request.actor, request.params.slug) }),
  );

  app.post(
    '/api/groups/:slug/members',
    {
      schema: {
        tags,
        summary: mail
          ? 'Invite an address with a role (chair): 202 whether or not it has an account; it joins when its owner accepts or confirms a registration'
          : 'Add a registered user by email with a role (chair)',
        params: GroupParams,
        body: AddMemberBody,
        response: mail ? { 202: InviteResponse, ...errors(401, 403, 404, 409) } : { 201: Member, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      if (!mail) return reply.code(201).send(await groups.addMember(db, request.actor, request.params.slug, request.body));
      const invited = await inviteMember(db, request.actor, request.params.slug, request.body);
      const details = {
        origin: linkOrigin(config),
        to: invited.invitation.email,
        groupName: invited.groupName,
        inviterName: invited.inviterName,
        role: invited.invitation.role,
      };
      mail.send(invited.hasAccount ? invitationToJoinMail(details) : invitationToRegisterMail(details));
      return reply.code(202).send({ status: 'invited', invitation: invited.invitation });
    },
  );

  app.patch(
    '/api/groups/:slug/members/:userId',
    {
      schema: {
        tags,
        summary: 'Change a member’s role (chair); the last chair cannot be demoted',
        params: MemberParams,
        body: ChangeRoleBody,
        response: { 200: Member, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => groups.changeRole(db, bus, request.actor, request.params.slug, request.params.userId, request.body.role),
  );

  app.delete(
    '/api/groups/:slug/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a member (chair) or leave (yourself); the last chair cannot leave',
        params: MemberParams,
        response: { 204: { type: 'null' }, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await groups.removeMember(db, bus, request.actor, request.params.slug, request.params.userId);
      return reply.code(204).send(null);
    },
  );
};
