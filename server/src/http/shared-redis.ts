import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

/**
 * The connection the counters of several instances are kept on (REDIS_URL): the API rate limits
 * (@fastify/rate-limit's Redis store) and the sign-in throttle. Quick to give up — a request never
 * waits on an unreachable Redis — and logged once per outage.
 */
export function sharedRedis(url: string, log: FastifyBaseLogger): Redis {
  const connection = new Redis(url, { connectTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: 'draftroom-counters' });
  let down = false;
  connection.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: error.message } }, `Redis counters connection: ${error.message}; each instance counts on its own until it is back`);
  });
  connection.on('ready', () => {
    if (down) log.info('Redis counters connection is back');
    down = false;
  });
  return connection;
}
