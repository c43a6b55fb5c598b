import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PasswordHasher } from '../auth/passwords.ts';

export type DatabaseKind = 'embedded' | 'external';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    databaseKind: DatabaseKind;
    passwords: PasswordHasher;
  }
}

export interface Services {
  config: Config;
  db: Db;
  databaseKind: DatabaseKind;
  passwords: PasswordHasher;
}

/** Makes the process-wide services available to every route plugin as typed instance properties. */
export const servicesPlugin = fp<Services>(
  async (app, services) => {
    app.decorate('config', services.config);
    app.decorate('db', services.db);
    app.decorate('databaseKind', services.databaseKind);
    app.decorate('passwords', services.passwords);
  },
  { name: 'services' },
);
