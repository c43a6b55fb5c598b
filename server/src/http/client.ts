import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { notFound } from '../errors.ts';

/**
 * Serves the built web client and answers unknown non-API paths with its index.html, so client-side
 * routes survive a reload. Unknown /api paths get the standard 404 body.
 */
export async function registerClient(app: FastifyInstance, clientDir: string | null): Promise<void> {
  const index = clientDir ? path.join(clientDir, 'index.html') : null;
  const hasClient = index !== null && existsSync(index);
  if (hasClient) {
    await app.register(fastifyStatic, { root: clientDir!, wildcard: false, index: false, maxAge: '1h', immutable: false });
  }
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, async (request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api') && !path.extname(request.url.split('?')[0]!);
    if (hasClient && wantsPage) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    throw notFound(`route ${request.method} ${request.url.split('?')[0]}`);
  });
}
