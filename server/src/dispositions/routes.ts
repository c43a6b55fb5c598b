import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  DecideDispositionBody,
  DefinitionParams,
  Disposition,
  DispositionParams,
  DispositionQuery,
  DispositionRegister,
  RaiseObjectionBody,
  RespondDispositionBody,
} from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { decide, getItem, listRegister, raiseObjection, respond } from './service.ts';

export const dispositionRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, registry } = app;
  const tags = ['dispositions'];

  app.get(
    '/api/definitions/:id/dispositions',
    {
      schema: {
        tags,
        summary:
          'The disposition register: public comments, ballot objections and formal objections with how each was disposed of (members; public comments: whoever reads published versions)',
        params: DefinitionParams,
        querystring: DispositionQuery,
        response: { 200: DispositionRegister, ...errors(400, 404) },
      },
    },
    async (request) => listRegister(db, registry, request.actor, request.params.id, request.query),
  );

  app.post(
    '/api/definitions/:id/objections',
    {
      schema: {
        tags,
        summary: 'Raise a formal objection to a clause or the whole definition (chair, editor, member)',
        params: DefinitionParams,
        body: RaiseObjectionBody,
        response: { 201: Disposition, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await raiseObjection(db, registry, request.actor, request.params.id, request.body)),
  );

  app.get(
    '/api/dispositions/:id',
    {
      schema: { tags, summary: 'One item of the disposition register', params: DispositionParams, response: { 200: Disposition, ...errors(404) } },
    },
    async (request) => getItem(db, registry, request.actor, request.params.id),
  );

  app.put(
    '/api/dispositions/:id/disposition',
    {
      schema: {
        tags,
        summary: 'Dispose of an item: accepted (with the change), partly accepted, rejected, out of scope or deferred, with a reason (chair)',
        params: DispositionParams,
        body: DecideDispositionBody,
        response: { 200: Disposition, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => decide(db, registry, request.actor, request.params.id, request.body),
  );

  app.put(
    '/api/dispositions/:id/response',
    {
      schema: {
        tags,
        summary: 'Say whether the disposition of my comment or objection satisfies me (its author)',
        params: DispositionParams,
        body: RespondDispositionBody,
        response: { 200: Disposition, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => respond(db, registry, request.actor, request.params.id, request.body),
  );
};
