import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ConfirmEndorsementBody,
  EndorseBody,
  Endorsement,
  EndorsementList,
  EndorsementParams,
  RegisterParams,
  VerifyEndorsementBody,
  WithdrawEndorsementBody,
} from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { linkOrigin } from '../mail/plugin.ts';
import * as endorsements from './service.ts';

/** Endorsements of published versions by individuals and organisations. */
export const endorsementRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, mail, config } = app;
  const tags = ['endorsements'];

  app.get(
    '/api/definitions/:id/versions/:label/endorsements',
    {
      schema: {
        tags,
        summary: 'Who endorses this version (and who withdrew), with counts; public for public groups',
        params: RegisterParams,
        response: { 200: EndorsementList, ...errors(401, 403, 404) },
      },
    },
    async (request) => endorsements.listEndorsements(db, request.actor, request.params.id, request.params.label),
  );
  app.post(
    '/api/definitions/:id/versions/:label/endorsements',
    {
      schema: {
        tags,
        summary: 'Endorse this version (signed in; members only for a private group); an organisation may confirm by a mail to its domain',
        params: RegisterParams,
        body: EndorseBody,
        response: { 201: Endorsement, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await endorsements.endorse(
            db,
            { send: mail ? (message) => mail.send(message) : null, origin: mail ? linkOrigin(config) : '' },
            request.actor,
            request.params.id,
            request.params.label,
            request.body,
          ),
        ),
  );
  app.post(
    '/api/endorsements/confirm',
    {
      schema: {
        tags,
        summary: 'The link mailed to an organisation’s address: confirms its endorsement',
        body: ConfirmEndorsementBody,
        response: { 200: Endorsement, ...errors(404) },
      },
    },
    async (request) => endorsements.confirmEndorsement(db, request.body.token),
  );
  app.post(
    '/api/endorsements/:id/verify',
    {
      schema: {
        tags,
        summary: 'Verify an organisation’s endorsement, saying how (chair)',
        params: EndorsementParams,
        body: VerifyEndorsementBody,
        response: { 200: Endorsement, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => endorsements.verifyEndorsement(db, request.actor, request.params.id, request.body.note),
  );
  app.post(
    '/api/endorsements/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw your endorsement; it stays on the record with its date',
        params: EndorsementParams,
        body: WithdrawEndorsementBody,
        response: { 200: Endorsement, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => endorsements.withdrawEndorsement(db, request.actor, request.params.id, request.body.reason ?? ''),
  );
};
