import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  Ballot,
  BallotList,
  BallotParams,
  CancelBallotBody,
  CreateBallotBody,
  DefinitionParams,
  UpdateBallotBody,
  VoteBody,
  VoteReceipt,
} from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import * as ballots from './service.ts';
import { VoteBatcher } from './votes.ts';

export const ballotRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const secret = app.config.ballotSecret;
  if (!secret) throw new Error('buildApp must provide a ballot secret');
  const deps = { db: app.db, secret, votes: new VoteBatcher(app.db) };
  // Votes already accepted are written before the database goes away.
  app.addHook('onClose', () => deps.votes.close());
  const tags = ['ballots'];
  const one = { 200: Ballot, ...errors(401, 403, 404, 409) };

  app.get(
    '/api/definitions/:id/ballots',
    {
      schema: {
        tags,
        summary: 'Ballots of a definition, newest first (members)',
        params: DefinitionParams,
        response: { 200: BallotList, ...errors(401, 403, 404) },
      },
    },
    async (request) => ({ ballots: await ballots.listBallots(deps, request.actor, request.params.id) }),
  );

  app.post(
    '/api/definitions/:id/ballots',
    {
      schema: {
        tags,
        summary: 'Draft a ballot with its rules (chair)',
        params: DefinitionParams,
        body: CreateBallotBody,
        response: { 201: Ballot, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await ballots.createBallot(deps, request.actor, request.params.id, request.body)),
  );

  app.get(
    '/api/ballots/:id',
    { schema: { tags, summary: 'One ballot: rules, turnout, my vote, and results when visible', params: BallotParams, response: one } },
    async (request) => ballots.getBallot(deps, request.actor, request.params.id),
  );

  app.patch(
    '/api/ballots/:id',
    {
      schema: { tags, summary: 'Change a draft’s title or rules (chair); impossible once opened', params: BallotParams, body: UpdateBallotBody, response: one },
    },
    async (request) => ballots.updateBallot(deps, request.actor, request.params.id, request.body),
  );

  app.post(
    '/api/ballots/:id/open',
    { schema: { tags, summary: 'Open for voting; freezes the rules and the eligible voters (chair)', params: BallotParams, response: one } },
    async (request) => ballots.openBallot(deps, request.actor, request.params.id),
  );

  app.post(
    '/api/ballots/:id/close',
    { schema: { tags, summary: 'Close now and compute the result once (chair)', params: BallotParams, response: one } },
    async (request) => ballots.closeBallot(deps, request.actor, request.params.id),
  );

  app.post(
    '/api/ballots/:id/cancel',
    { schema: { tags, summary: 'Cancel a mistaken ballot with a reason (chair); recorded', params: BallotParams, body: CancelBallotBody, response: one } },
    async (request) => ballots.cancelBallot(deps, request.actor, request.params.id, request.body.reason),
  );

  app.put(
    '/api/ballots/:id/vote',
    {
      // No per-request log lines for votes: with a database dump, a line's time and client address
      // could be matched to a secret ballot's token row. Warnings and errors are still logged.
      logLevel: 'warn',
      schema: {
        tags,
        summary: 'Cast or change my vote until closing (eligible voters); answers with the vote as recorded — GET the ballot for history and results',
        params: BallotParams,
        body: VoteBody,
        response: { 200: VoteReceipt, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => ballots.vote(deps, request.actor, request.params.id, request.body),
  );
};
