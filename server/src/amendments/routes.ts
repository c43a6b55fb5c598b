import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  Amendment,
  AmendmentList,
  AmendmentParams,
  AmendmentQuery,
  DecideAmendmentsBody,
  DefinitionParams,
  ProposeAmendmentBody,
  RejectAmendmentBody,
} from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import * as amendments from './service.ts';

export const amendmentRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, registry } = app;
  const deps = { db, registry };
  const tags = ['amendments'];

  app.get(
    '/api/definitions/:id/amendments',
    {
      schema: {
        tags,
        summary: 'Amendments, newest first, each diffed against the current clause text (members)',
        params: DefinitionParams,
        querystring: AmendmentQuery,
        response: { 200: AmendmentList, ...errors(401, 403, 404) },
      },
    },
    async (request) => ({ amendments: await amendments.listAmendments(deps, request.actor, request.params.id, request.query) }),
  );

  app.post(
    '/api/definitions/:id/amendments',
    {
      schema: {
        tags,
        summary: 'Propose a replacement text for one clause (chair, editor, member)',
        params: DefinitionParams,
        body: ProposeAmendmentBody,
        response: { 201: Amendment, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await amendments.proposeAmendment(deps, request.actor, request.params.id, request.body)),
  );

  app.post(
    '/api/definitions/:id/amendments/decide',
    {
      schema: {
        tags,
        summary: 'Accept or reject several suggestions at once, all or nothing (chair, editor); rejecting needs a reason',
        params: DefinitionParams,
        body: DecideAmendmentsBody,
        response: { 200: AmendmentList, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ amendments: await amendments.decideAmendments(deps, request.actor, request.params.id, request.body) }),
  );

  app.get(
    '/api/amendments/:id',
    { schema: { tags, summary: 'One amendment', params: AmendmentParams, response: { 200: Amendment, ...errors(401, 403, 404) } } },
    async (request) => amendments.getAmendment(deps, request.actor, request.params.id),
  );

  app.post(
    '/api/amendments/:id/accept',
    {
      schema: {
        tags,
        summary: 'Apply the proposal to the live text, attributed to its author (chair, editor)',
        params: AmendmentParams,
        response: { 200: Amendment, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => amendments.acceptAmendment(deps, request.actor, request.params.id),
  );

  app.post(
    '/api/amendments/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject with a reason (chair, editor)',
        params: AmendmentParams,
        body: RejectAmendmentBody,
        response: { 200: Amendment, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => amendments.rejectAmendment(deps, request.actor, request.params.id, request.body.reason),
  );

  app.post(
    '/api/amendments/:id/withdraw',
    { schema: { tags, summary: 'Withdraw your own proposal', params: AmendmentParams, response: { 200: Amendment, ...errors(401, 403, 404, 409) } } },
    async (request) => amendments.withdrawAmendment(deps, request.actor, request.params.id),
  );
};
