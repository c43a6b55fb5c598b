import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

/**
 * The connection rate-limit counters are kept on (@fastify/rate-limit's Redis store): quick to give up
 * (a request never waits on an unreachable Redis), logged once per outage.
 */
export function rateLimitStore(url: string, log: FastifyBaseLogger): Redis {
  const connection = new Redis(url, { connectTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: 'draftroom-rate-limit' });
  let down = false;
  connection.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: error.message } }, `Redis rate-limit connection: ${error.message}; requests are not limited until it is back`);
  });
  connection.on('ready', () => {
    if (down) log.info('Redis rate-limit connection is back');
    down = false;
  });
  return connection;
}
