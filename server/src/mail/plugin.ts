import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Outbox } from './outbox.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Outgoing mail; null when no SMTP_URL is configured (addresses cannot be confirmed then). */
    mail: Outbox | null;
  }
}

/**
 * The origin links in mail point at: PUBLIC_URL, or else the origin the request came to (normalized as
 * the CSRF check does, so http://host:80 reads http://host). Without PUBLIC_URL that is whatever host
 * the request named — which is why the README asks for PUBLIC_URL with SMTP_URL.
 */
export function linkOrigin(config: Pick<Config, 'publicOrigin'>, request: FastifyRequest): string {
  if (config.publicOrigin) return config.publicOrigin;
  const own = `${request.protocol}://${request.host}`;
  try {
    return new URL(own).origin;
  } catch {
    return own;
  }
}

/** Makes the outbox available to routes, and lets mail under way go out before the app closes. */
export const mailPlugin = fp<{ outbox: Outbox | null }>(
  async (app, { outbox }) => {
    app.decorate('mail', outbox);
    if (outbox) app.addHook('preClose', async () => outbox.close());
  },
  { name: 'mail' },
);
