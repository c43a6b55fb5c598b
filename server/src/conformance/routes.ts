import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  Checklist,
  ChecklistList,
  ChecklistParams,
  ConformanceSystem,
  CreateChecklistBody,
  CreateSystemBody,
  DefinitionParams,
  GroupParams,
  ImportPreview,
  ImportReviewsBody,
  OpenReviewBody,
  Register,
  RegisterParams,
  RegisterQuery,
  ResolveCellBody,
  Review,
  ReviewCommentBody,
  ReviewList,
  ReviewParams,
  SaveSheetBody,
  SystemList,
  UpdateSystemBody,
} from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { registerToCsv } from './csv.ts';
import { badgeSvg, registerHtml, registerMarkdown } from './register.ts';
import * as conformance from './service.ts';

/** Conformance reviews: systems, checklists bound to published versions, blind double reviews. */
export const conformanceRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app;
  const tags = ['conformance'];

  app.get(
    '/api/groups/:slug/systems',
    { schema: { tags, summary: 'The systems the group reviews (members)', params: GroupParams, response: { 200: SystemList, ...errors(401, 403, 404) } } },
    async (request) => conformance.listSystems(db, request.actor, request.params.slug),
  );
  app.post(
    '/api/groups/:slug/systems',
    {
      schema: {
        tags,
        summary: 'Add a system to the register (chairs and editors)',
        params: GroupParams,
        body: CreateSystemBody,
        response: { 201: ConformanceSystem, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await conformance.createSystem(db, request.actor, request.params.slug, request.body)),
  );
  app.get(
    '/api/systems/:id',
    { schema: { tags, summary: 'One system', params: ReviewParams, response: { 200: ConformanceSystem, ...errors(401, 403, 404) } } },
    async (request) => conformance.getSystem(db, request.actor, request.params.id),
  );
  app.patch(
    '/api/systems/:id',
    {
      schema: {
        tags,
        summary: 'Change a system (chairs and editors)',
        params: ReviewParams,
        body: UpdateSystemBody,
        response: { 200: ConformanceSystem, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => conformance.updateSystem(db, request.actor, request.params.id, request.body),
  );
  app.delete(
    '/api/systems/:id',
    {
      schema: {
        tags,
        summary: 'Remove a system that has no reviews (chairs and editors)',
        params: ReviewParams,
        response: { 204: { type: 'null' }, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await conformance.deleteSystem(db, request.actor, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/definitions/:id/checklists',
    {
      schema: {
        tags,
        summary: 'Checklists of the definition’s published versions (members)',
        params: DefinitionParams,
        response: { 200: ChecklistList, ...errors(401, 403, 404) },
      },
    },
    async (request) => conformance.listChecklists(db, request.actor, request.params.id),
  );
  app.post(
    '/api/definitions/:id/checklists',
    {
      schema: {
        tags,
        summary: 'Make the checklist of a published version, from a closed component-matrix ballot or row by row (chair)',
        params: DefinitionParams,
        body: CreateChecklistBody,
        response: { 201: Checklist, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await conformance.createChecklist(db, request.actor, request.params.id, request.body)),
  );
  app.get(
    '/api/checklists/:id',
    { schema: { tags, summary: 'One checklist', params: ChecklistParams, response: { 200: Checklist, ...errors(401, 403, 404) } } },
    async (request) => conformance.getChecklist(db, request.actor, request.params.id),
  );
  app.get(
    '/api/checklists/:id/reviews',
    { schema: { tags, summary: 'Reviews against a checklist (members)', params: ChecklistParams, response: { 200: ReviewList, ...errors(401, 403, 404) } } },
    async (request) => ({ reviews: await conformance.listReviews(db, request.actor, request.params.id) }),
  );
  app.post(
    '/api/checklists/:id/reviews',
    {
      schema: {
        tags,
        summary: 'Open a review of a system, with its reviewers and the rule that will decide it (chair)',
        params: ChecklistParams,
        body: OpenReviewBody,
        response: { 201: Review, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await conformance.openReview(db, request.actor, request.params.id, request.body)),
  );

  app.post(
    '/api/checklists/:id/import',
    {
      schema: {
        tags,
        summary: 'Import spreadsheet reviews as closed, imported reviews; without apply, only says what would be imported (chair)',
        params: ChecklistParams,
        body: ImportReviewsBody,
        response: { 200: ImportPreview, ...errors(401, 403, 404, 409) },
      },
      bodyLimit: 4 * 1024 * 1024,
    },
    async (request) => conformance.importReviews(db, request.actor, request.params.id, request.body),
  );

  app.get(
    '/api/reviews/:id',
    {
      schema: {
        tags,
        summary: 'A review; while reviewers mark, each sees only their own sheet',
        params: ReviewParams,
        response: { 200: Review, ...errors(401, 403, 404) },
      },
    },
    async (request) => conformance.getReview(db, request.actor, request.params.id),
  );
  app.put(
    '/api/reviews/:id/sheet',
    {
      schema: {
        tags,
        summary: 'Save your marks (assigned reviewers, until they submit)',
        params: ReviewParams,
        body: SaveSheetBody,
        response: { 200: Review, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => conformance.saveSheet(db, request.actor, request.params.id, request.body),
  );
  app.post(
    '/api/reviews/:id/submit',
    {
      schema: {
        tags,
        summary: 'Submit your marks; once all reviewers have, they are shown together',
        params: ReviewParams,
        response: { 200: Review, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => conformance.submitSheet(db, request.actor, request.params.id),
  );
  app.post(
    '/api/reviews/:id/resolutions',
    {
      schema: {
        tags,
        summary: 'Settle a cell with a recorded reason (chair)',
        params: ReviewParams,
        body: ResolveCellBody,
        response: { 200: Review, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => conformance.resolveCell(db, request.actor, request.params.id, request.body),
  );
  app.post(
    '/api/reviews/:id/comments',
    {
      schema: {
        tags,
        summary: 'Comment on a component or cell (members; the developer during the response period)',
        params: ReviewParams,
        body: ReviewCommentBody,
        response: { 200: Review, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => conformance.commentOnReview(db, request.actor, request.params.id, request.body),
  );
  app.post(
    '/api/reviews/:id/close',
    {
      schema: {
        tags,
        summary: 'Close the review: its outcome follows from the rule fixed when it opened (chair)',
        params: ReviewParams,
        response: { 200: Review, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => conformance.closeReview(db, request.actor, request.params.id),
  );

  app.get(
    '/api/definitions/:id/versions/:label/register',
    {
      schema: {
        tags,
        summary: 'The register of closed conformance reviews against a published version (public for public groups); ?format=md|html|csv downloads it',
        params: RegisterParams,
        querystring: RegisterQuery,
        response: { 200: Register, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const register = await conformance.getRegister(db, request.actor, request.params.id, request.params.label);
      const format = request.query.format ?? 'json';
      if (format === 'json') return register;
      const base = `${register.definition.title}-${register.version.label}-register`.replace(/[^\w.-]+/g, '_');
      const send = (type: string, extension: string, body: string) =>
        (reply as unknown as FastifyReply)
          .type(type)
          .header('content-disposition', `attachment; filename="${base}.${extension}"`)
          .serializer((payload: unknown) => payload as string)
          .send(body);
      if (format === 'md') return send('text/markdown; charset=utf-8', 'md', registerMarkdown(register));
      if (format === 'html') return send('text/html; charset=utf-8', 'html', registerHtml(register));
      return send('text/csv; charset=utf-8', 'csv', registerToCsv(register));
    },
  );

  app.get(
    '/api/reviews/:id/badge.svg',
    {
      schema: {
        tags,
        summary: 'An SVG badge with the outcome of a closed review, to embed (public for public groups)',
        params: ReviewParams,
        response: errors(401, 403, 404),
      },
    },
    async (request, reply) => {
      const { label, outcome } = await conformance.badgeFor(db, request.actor, request.params.id);
      return (reply as unknown as FastifyReply)
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .serializer((payload: unknown) => payload as string)
        .send(badgeSvg(label, outcome));
    },
  );
};
