import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  CreateDefinitionBody,
  Definition,
  DefinitionDetail,
  DefinitionList,
  DefinitionParams,
  GroupParams,
  PublicDefinition,
  PublicDefinitionQuery,
  UpdateDefinitionBody,
} from '@draftroom/shared';
import { publicDefinition } from './public.ts';
import { errors } from '../http/responses.ts';
import * as definitions from './service.ts';

export const definitionRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app;
  const tags = ['definitions'];

  app.get(
    '/api/groups/:slug/definitions',
    {
      schema: {
        tags,
        summary: 'Definitions of a group (anyone who can see the group)',
        params: GroupParams,
        response: { 200: DefinitionList, ...errors(404) },
      },
    },
    async (request) => ({ definitions: await definitions.listDefinitions(db, request.actor, request.params.slug) }),
  );

  app.post(
    '/api/groups/:slug/definitions',
    {
      schema: {
        tags,
        summary: 'Start a definition (chair, editor)',
        params: GroupParams,
        body: CreateDefinitionBody,
        response: { 201: Definition, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await definitions.createDefinition(db, request.actor, request.params.slug, request.body)),
  );

  app.get(
    '/api/definitions/:id',
    {
      schema: {
        tags,
        summary: 'A definition with its clauses in reading order (members)',
        params: DefinitionParams,
        response: { 200: DefinitionDetail, ...errors(401, 403, 404) },
      },
    },
    async (request) => definitions.getDefinition(db, request.actor, request.params.id),
  );

  app.get(
    '/api/definitions/:id/public',
    {
      schema: {
        tags,
        summary:
          'The latest published version (or ?version=LABEL) with comment counts per clause, the comment deadline and every published version (anyone, for public groups)',
        params: DefinitionParams,
        querystring: PublicDefinitionQuery,
        response: { 200: PublicDefinition, ...errors(401, 403, 404) },
      },
    },
    async (request) => publicDefinition(db, request.actor, request.params.id, request.query.version),
  );

  app.patch(
    '/api/definitions/:id',
    {
      schema: {
        tags,
        summary: 'Rename (chair, editor) or change status (chair)',
        params: DefinitionParams,
        body: UpdateDefinitionBody,
        response: { 200: Definition, ...errors(401, 403, 404) },
      },
    },
    async (request) => definitions.updateDefinition(db, request.actor, request.params.id, request.body),
  );
};
