import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

/**
 * The connection the counters of several instances are kept on (REDIS_URL): the API rate limits
 * (@fastify/rate-limit's Redis store) and the sign-in throttle. Quick to give up — a request never
 * waits on an unreachable Redis — and logged once per outage.
 */
export function sharedRedis(url: string, log: FastifyBaseLogger): Redis {
  const connection = new Redis(url, { connectTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: 'draftroom-counters' });
  logOutages(connection, log, 'counters', () => false, '; each instance counts on its own until it is back');
  return connection;
}

/**
 * Listens for a connection's errors — without a listener an 'error' event would end the process — and
 * says so once per outage, not once per retry, and again when it is back. `quiet()`: closing on purpose.
 */
export function logOutages(connection: Redis, log: FastifyBaseLogger, name: string, quiet: () => boolean, consequence = ''): void {
  let down = false;
  connection.on('error', (error: Error) => {
    if (quiet() || down) return;
    down = true;
    log.warn({ err: { message: error.message } }, `Redis ${name} connection: ${error.message}${consequence}`);
  });
  connection.on('ready', () => {
    if (down) log.info(`Redis ${name} connection is back`);
    down = false;
  });
}
