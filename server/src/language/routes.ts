import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AddGlossaryTermBody, DefinitionParams, GlossaryTermParams, LanguageReportSchema, LanguageSettingsBody } from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { addGlossaryTerm, languageReport, removeGlossaryTerm, setLanguageChecks } from './service.ts';

export const languageRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, registry } = app;
  const tags = ['definitions'];

  app.get(
    '/api/definitions/:id/language',
    {
      schema: {
        tags,
        summary:
          'Defined terms (from the text and the glossary), terms used before their definition or in another form, and RFC 2119 keyword marks in the draft (members)',
        params: DefinitionParams,
        response: { 200: LanguageReportSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => languageReport(db, registry, request.actor, request.params.id),
  );

  app.put(
    '/api/definitions/:id/language',
    {
      schema: {
        tags,
        summary: 'Turn the requirement-language marks on or off for this definition (chair, editor)',
        params: DefinitionParams,
        body: LanguageSettingsBody,
        response: { 200: LanguageReportSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => setLanguageChecks(db, registry, request.actor, request.params.id, request.body.enabled),
  );

  app.post(
    '/api/definitions/:id/glossary',
    {
      schema: {
        tags,
        summary: 'Add a term to the glossary with the clause that defines it (chair, editor)',
        params: DefinitionParams,
        body: AddGlossaryTermBody,
        response: { 201: LanguageReportSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await addGlossaryTerm(db, registry, request.actor, request.params.id, request.body)),
  );

  app.delete(
    '/api/definitions/:id/glossary/:termId',
    {
      schema: {
        tags,
        summary: 'Remove a term from the glossary (chair, editor)',
        params: GlossaryTermParams,
        response: { 200: LanguageReportSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => removeGlossaryTerm(db, registry, request.actor, request.params.id, request.params.termId),
  );
};
