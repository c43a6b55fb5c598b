import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has working defaults: embedded database in ./data, port 3000, demo seeding on', () => {
    const config = loadConfig({}, '/srv/draftroom');
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: null,
      dataDir: '/srv/draftroom/data',
      publicOrigin: null,
      secureCookies: false,
      seedDemo: true,
      clientDir: path.resolve('/srv/draftroom/client/dist'),
    });
  });

  it('uses DATABASE_URL when set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/draftroom' });
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/draftroom');
  });

  it('lets SEED_DEMO=false turn the demo off', () => {
    expect(loadConfig({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it('derives the public origin and secure cookies from PUBLIC_URL', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://drafts.example.org/some/path' });
    expect(config.publicOrigin).toBe('https://drafts.example.org');
    expect(config.secureCookies).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ RATE_LIMIT_LOGIN_PER_EMAIL: '0' }, 'RATE_LIMIT_LOGIN_PER_EMAIL'],
    [{ EMBEDDED_PG_PORT: '80' }, 'EMBEDDED_PG_PORT'],
  ])('refuses %o with a message naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrowError(ConfigError);
    expect(() => loadConfig(env)).toThrowError(new RegExp(`^${name} `));
  });
});
