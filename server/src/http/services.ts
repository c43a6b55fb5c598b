import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PasswordHasher } from '../auth/passwords.ts';
import type { SessionCache } from '../auth/session-cache.ts';
import type { DocumentRegistry } from '../collab/registry.ts';
import type { Bus } from '../events/bus.ts';
import type { Redis } from 'ioredis';

export type DatabaseKind = 'embedded' | 'external';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    databaseKind: DatabaseKind;
    passwords: PasswordHasher;
    bus: Bus;
    registry: DocumentRegistry;
    sessions: SessionCache;
    /** Redis for counters several instances share (REDIS_URL); null with one instance. */
    counters: Redis | null;
  }
}

export interface Services {
  config: Config;
  db: Db;
  databaseKind: DatabaseKind;
  passwords: PasswordHasher;
  bus: Bus;
  registry: DocumentRegistry;
  sessions: SessionCache;
  counters: Redis | null;
}

/** Makes the process-wide services available to every route plugin as typed instance properties. */
export const servicesPlugin = fp<Services>(
  async (app, services) => {
    app.decorate('config', services.config);
    app.decorate('db', services.db);
    app.decorate('databaseKind', services.databaseKind);
    app.decorate('passwords', services.passwords);
    app.decorate('bus', services.bus);
    app.decorate('registry', services.registry);
    app.decorate('sessions', services.sessions);
    app.decorate('counters', services.counters);
    app.addHook('onClose', async () => services.sessions.close());
  },
  { name: 'services' },
);
