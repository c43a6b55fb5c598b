import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { Outbox } from './outbox.ts';
import type { OutboxWorker } from './worker.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Outgoing mail; null when no SMTP_URL is configured (addresses cannot be confirmed then). */
    mail: Outbox | null;
    /** Reminders, digests and the sending of notification mail from the outbox table. */
    notificationWorker: OutboxWorker;
  }
}

/**
 * The origin links in mail point at: PUBLIC_URL, which the configuration requires whenever mail is on
 * (never the host a request names, which anyone can choose).
 */
export function linkOrigin(config: Pick<Config, 'publicOrigin'>): string {
  if (!config.publicOrigin) throw new Error('mail is configured without PUBLIC_URL');
  return config.publicOrigin;
}

/** Makes the outbox available to routes, and lets mail under way go out before the app closes. */
export const mailPlugin = fp<{ outbox: Outbox | null }>(
  async (app, { outbox }) => {
    app.decorate('mail', outbox);
    if (outbox) app.addHook('preClose', async () => outbox.close());
  },
  { name: 'mail' },
);

/** Starts the notification worker once the app is ready, and stops it (waiting for its round) before the database goes. */
export const notificationWorkerPlugin = fp<{ worker: OutboxWorker }>(
  async (app, { worker }) => {
    app.decorate('notificationWorker', worker);
    app.addHook('onReady', async () => worker.start());
    app.addHook('preClose', async () => worker.stop());
  },
  { name: 'notification-worker' },
);
