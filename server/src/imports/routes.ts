import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Definition, DefinitionImportPreview, DefinitionParams, DraftImport, GroupParams, ImportDefinitionBody, ImportIntoDraftBody } from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { importDefinition, importIntoDraft } from './service.ts';

/** The JSON body carries a source of up to 1 MB, escaped; the source's own size is checked on its bytes (413). */
const BODY_LIMIT = 4 * 1024 * 1024;

export const importRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, registry } = app;
  const tags = ['definitions'];

  app.post(
    '/api/groups/:slug/definitions/import',
    {
      schema: {
        tags,
        summary:
          'Start a definition from Markdown, HTML or plain text: headings become heading clauses, paragraphs and lists clauses; with preview, only what it would create (chair, editor)',
        params: GroupParams,
        body: ImportDefinitionBody,
        response: { 200: DefinitionImportPreview, 201: Definition, ...errors(401, 403, 404, 409, 413) },
      },
      bodyLimit: BODY_LIMIT,
    },
    async (request, reply) => {
      const answer = await importDefinition({ db, registry }, request.actor, request.params.slug, request.body);
      return answer.created ? reply.code(201).send(answer.definition) : reply.code(200).send(answer.preview);
    },
  );

  app.post(
    '/api/definitions/:id/import',
    {
      schema: {
        tags,
        summary:
          'Replace the draft with the text of a Markdown, HTML or plain-text source, keeping the ids of the clauses it continues; with preview, the clause-by-clause diff it would make (chair, editor)',
        params: DefinitionParams,
        body: ImportIntoDraftBody,
        response: { 200: DraftImport, ...errors(401, 403, 404, 409, 413) },
      },
      bodyLimit: BODY_LIMIT,
    },
    async (request) => importIntoDraft({ db, registry }, request.actor, request.params.id, request.body),
  );
};
