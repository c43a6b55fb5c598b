import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { Role, User } from '@draftroom/shared';
import { buildApp, type AppDependencies } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { SESSION_COOKIE } from '../../src/auth/plugin.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/** inject() talks to host localhost:80, so this is the Origin a same-site browser would send. */
export const ORIGIN = 'http://localhost';
export const PASSWORD = 'correct horse battery';

export interface TestUser {
  user: User;
  cookie: string;
  email: string;
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  database: TestDatabase;
  config: Config;
  /** Every log line the app wrote, for "no secrets in logs" checks. */
  logs: string[];
  request(options: InjectOptions & { as?: TestUser | null }): Promise<LightMyRequestResponse>;
  register(name?: string): Promise<TestUser>;
  createGroup(owner: TestUser, options?: { slug?: string; visibility?: 'public' | 'private' }): Promise<string>;
  /** A group with one user per role plus an outsider; returns them by role. */
  groupWithRoles(visibility?: 'public' | 'private'): Promise<{ slug: string; users: Record<Role | 'outsider', TestUser> }>;
}

export function sessionCookieFrom(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error(`no session cookie in response ${response.statusCode}: ${response.body}`);
  return `${SESSION_COOKIE}=${cookie.value}`;
}

export function uniqueSlug(prefix = 'group'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * Registers beforeAll/afterAll hooks that give the test file its own database and app. Access the
 * returned object's properties only inside tests or hooks.
 */
export function useTestApp(env: Record<string, string> = {}, deps: Pick<AppDependencies, 'clock' | 'notificationIntervalMs' | 'mailTransport'> = {}): TestApp {
  const handle = { logs: [] as string[] } as TestApp;
  beforeAll(async () => {
    const database = await createTestDatabase();
    // Tests register many users from one address; limits are exercised by their own tests.
    const config = loadConfig({
      LOG_LEVEL: 'info',
      CLIENT_DIR: '',
      RATE_LIMIT_REGISTER_PER_IP: '100000',
      RATE_LIMIT_API_PER_MINUTE: '100000',
      // Several instances share one key (the configuration refuses REDIS_URL without it).
      ...(env.REDIS_URL && { BALLOT_SECRET: 'one key for every instance' }),
      ...env,
    });
    const logStream = new Writable({
      write(chunk, _encoding, callback) {
        handle.logs.push(String(chunk));
        callback();
      },
    });
    const app = await buildApp(config, { db: database.db, databaseKind: database.kind, logStream, ...deps });
    await app.ready();
    Object.assign(handle, { app, db: database.db, database, config });
  });
  afterAll(async () => {
    await handle.app?.close();
    await handle.database?.drop();
  });

  handle.request = async ({ as, headers, ...options }) => {
    const unsafe = !['GET', 'HEAD', 'OPTIONS', undefined].includes(options.method as string | undefined);
    return handle.app.inject({
      ...options,
      headers: {
        ...(unsafe && { origin: handle.config.publicOrigin ?? ORIGIN }),
        ...(as && { cookie: as.cookie }),
        ...headers,
      },
    } as InjectOptions);
  };

  handle.register = async (name = 'Test User') => {
    const email = `${name.toLowerCase().replaceAll(/[^a-z]+/g, '.')}.${randomBytes(4).toString('hex')}@example.org`;
    const response = await handle.request({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email, displayName: name, password: PASSWORD },
    });
    if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`);
    return { user: response.json().user as User, cookie: sessionCookieFrom(response), email };
  };

  handle.createGroup = async (owner, options = {}) => {
    const slug = options.slug ?? uniqueSlug();
    const response = await handle.request({
      method: 'POST',
      url: '/api/groups',
      as: owner,
      payload: { slug, name: `Group ${slug}`, visibility: options.visibility ?? 'private' },
    });
    if (response.statusCode !== 201) throw new Error(`create group failed: ${response.statusCode} ${response.body}`);
    return slug;
  };

  handle.groupWithRoles = async (visibility = 'private') => {
    const [chair, editor, member, observer, outsider] = await Promise.all(
      ['Chair', 'Editor', 'Member', 'Observer', 'Outsider'].map((name) => handle.register(name)),
    );
    const slug = await handle.createGroup(chair!, { visibility });
    for (const [role, user] of [
      ['editor', editor],
      ['member', member],
      ['observer', observer],
    ] as const) {
      const response = await handle.request({
        method: 'POST',
        url: `/api/groups/${slug}/members`,
        as: chair,
        payload: { email: user!.email, role },
      });
      if (response.statusCode !== 201) throw new Error(`add member failed: ${response.body}`);
    }
    return { slug, users: { chair: chair!, editor: editor!, member: member!, observer: observer!, outsider: outsider! } };
  };

  return handle;
}
