import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { notFound } from '../errors.ts';
import { PageShell } from './shell.ts';

/**
 * Serves the built web client and answers unknown non-API paths with its index.html (with hints for
 * the definition pages, shell.ts), so client-side routes survive a reload. Unknown /api paths get the
 * standard 404 body.
 */
export async function registerClient(app: FastifyInstance, clientDir: string | null, compression = true): Promise<void> {
  const index = clientDir ? path.join(clientDir, 'index.html') : null;
  const hasClient = index !== null && existsSync(index);
  const shell = hasClient ? PageShell.load(clientDir!) : null;
  if (hasClient) {
    // Vite names everything under /assets/ by its content hash: cache it for a year. Other files (icons…) for an hour.
    await app.register(fastifyStatic, {
      root: clientDir!,
      wildcard: false,
      index: false,
      cacheControl: false,
      // The build writes .br and .gz beside each hashed asset (client/vite.config.ts): sent as they are.
      preCompressed: compression,
      setHeaders: (reply, file) => {
        const relative = path.relative(clientDir!, file);
        const policy =
          relative === 'index.html' ? 'no-cache' : relative.startsWith(`assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600';
        reply.header('cache-control', policy);
      },
    });
  }
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, async (request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api') && !path.extname(request.url.split('?')[0]!);
    if (shell && wantsPage) {
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(shell.forPath(request.url));
    }
    throw notFound(`route ${request.method} ${request.url.split('?')[0]}`);
  });
}
