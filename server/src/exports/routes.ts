import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AuditCheck, AuditCheckParams, DefinitionParams } from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import { auditCheck, exportDefinition, exportHtml, exportMarkdown } from './service.ts';

const ExportQuery = Type.Object(
  {
    format: Type.Union([Type.Literal('md'), Type.Literal('html'), Type.Literal('json')]),
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a version label; the current draft when omitted' })),
  },
  { additionalProperties: false },
);

export const exportRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, registry, config } = app;

  app.get(
    '/api/definitions/:id/export',
    {
      schema: {
        tags: ['decisions'],
        summary: 'The text (a version or the current draft) with its decision record and the audit-log hash (members)',
        params: DefinitionParams,
        querystring: ExportQuery,
        response: errors(401, 403, 404),
      },
    },
    async (request, reply) => {
      // Where this export's audit head can be checked later (npm run verify).
      const server = config.publicOrigin ?? `${request.protocol}://${request.host}`;
      const data = await exportDefinition(db, registry, request.actor, request.params.id, request.query.version ?? null, server);
      const base = `${data.definition.title}-${request.query.version ?? 'draft'}`.replace(/[^\w.-]+/g, '_');
      const send = (type: string, extension: string, body: string) =>
        (reply as unknown as FastifyReply).type(type).header('content-disposition', `attachment; filename="${base}.${extension}"`).send(body);
      if (request.query.format === 'md') return send('text/markdown; charset=utf-8', 'md', exportMarkdown(data));
      if (request.query.format === 'html') return send('text/html; charset=utf-8', 'html', exportHtml(data));
      return send('application/json; charset=utf-8', 'json', JSON.stringify(data, null, 2));
    },
  );

  app.get(
    '/api/definitions/:id/audit/:seq',
    {
      schema: {
        tags: ['audit'],
        summary: 'The hash the group log’s event at seq has now, and the chain’s head: checks an export’s audit head (members)',
        params: AuditCheckParams,
        response: { 200: AuditCheck, ...errors(401, 403, 404) },
      },
    },
    async (request) => auditCheck(db, request.actor, request.params.id, request.params.seq),
  );
};
