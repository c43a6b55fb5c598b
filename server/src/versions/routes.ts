import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DefinitionDiff, DefinitionParams, DiffQuery, PublishVersionBody, VersionDetail, VersionList, VersionParams, VersionQuery } from '@draftroom/shared';
import { errors } from '../http/responses.ts';
import * as versions from './service.ts';

export const versionRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, registry } = app;
  const tags = ['versions'];

  app.get(
    '/api/definitions/:id/versions',
    {
      schema: {
        tags,
        summary: 'Published versions, newest first (public for public groups)',
        params: DefinitionParams,
        response: { 200: VersionList, ...errors(401, 403, 404) },
      },
    },
    async (request) => ({ versions: await versions.listVersions(db, request.actor, request.params.id) }),
  );

  app.post(
    '/api/definitions/:id/versions',
    {
      schema: {
        tags,
        summary: 'Publish the current text as a named, immutable version (chair)',
        params: DefinitionParams,
        body: PublishVersionBody,
        response: { 201: VersionDetail, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await versions.publishVersion(db, registry, request.actor, request.params.id, request.body)),
  );

  app.get(
    '/api/definitions/:id/versions/:label',
    {
      schema: {
        tags,
        summary: 'One version with its clauses; ?format=md downloads it as Markdown',
        params: VersionParams,
        querystring: VersionQuery,
        response: { 200: VersionDetail, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const version = await versions.getVersion(db, request.actor, request.params.id, request.params.label);
      if (request.query.format === 'md') {
        const filename = `${version.definitionTitle}-${version.label}.md`.replace(/[^\w.-]+/g, '_');
        // Markdown leaves through its own serializer, not the JSON schema of this route.
        return (reply as unknown as FastifyReply)
          .type('text/markdown; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .serializer((payload: unknown) => payload as string)
          .send(versions.versionMarkdown(version));
      }
      return version;
    },
  );

  app.get(
    '/api/definitions/:id/diff',
    {
      schema: {
        tags,
        summary: 'Clause-by-clause diff between two versions, or a version and the current draft',
        params: DefinitionParams,
        querystring: DiffQuery,
        response: { 200: DefinitionDiff, ...errors(401, 403, 404) },
      },
    },
    async (request) => versions.diffVersions(db, registry, request.actor, request.params.id, request.query.from, request.query.to),
  );
};
