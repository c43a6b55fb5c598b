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

  it('shares domain events over Redis only when REDIS_URL names a redis:// or rediss:// server', () => {
    expect(loadConfig({}).redisUrl).toBeNull();
    expect(loadConfig({ REDIS_URL: '' }).redisUrl).toBeNull();
    const secret = { BALLOT_SECRET: 'shared' };
    expect(loadConfig({ ...secret, REDIS_URL: 'redis://cache:6379/0' }).redisUrl).toBe('redis://cache:6379/0');
    expect(loadConfig({ ...secret, REDIS_URL: 'rediss://user:secret@cache:6380' }).redisUrl).toBe('rediss://user:secret@cache:6380');
    // Several instances must seal ballots and mail links with one key.
    expect(() => loadConfig({ REDIS_URL: 'redis://cache:6379/0' })).toThrow(/REDIS_URL \(several instances\) needs BALLOT_SECRET/);
    expect(() => loadConfig({ REDIS_URL: 'http://cache:6379' })).toThrow(/REDIS_URL must start with redis:\/\/ or rediss:\/\//);
    expect(() => loadConfig({ REDIS_URL: 'not a url' })).toThrow(ConfigError);
  });

  it('lets SEED_DEMO=false turn the demo off', () => {
    expect(loadConfig({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it('derives the public origin and secure cookies from PUBLIC_URL', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://drafts.example.org/some/path' });
    expect(config.publicOrigin).toBe('https://drafts.example.org');
    expect(config.secureCookies).toBe(true);
  });

  it('has no mail unless SMTP_URL is set', () => {
    expect(loadConfig({}).mail).toBeNull();
    expect(loadConfig({ MAIL_FROM: 'drafts@example.org' }).mail).toBeNull();
  });

  it.each([
    ['smtp://mailer:p%40ss%3Aword@mail.example.org:2525', { host: 'mail.example.org', port: 2525, secure: false, auth: { user: 'mailer', pass: 'p@ss:word' } }],
    ['smtp://mail.example.org', { host: 'mail.example.org', port: 587, secure: false, auth: null }],
    ['smtps://u:p@mail.example.org/', { host: 'mail.example.org', port: 465, secure: true, auth: { user: 'u', pass: 'p' } }],
    ['smtp://[::1]:25', { host: '::1', port: 25, secure: false, auth: null }],
  ])('reads SMTP_URL %s', (url, smtp) => {
    expect(loadConfig({ SMTP_URL: url, PUBLIC_URL: 'https://drafts.example.org' }).mail).toEqual({ smtp, from: 'Draftroom <no-reply@localhost>' });
  });

  it.each(['drafts@example.org', 'Drafts <drafts@example.org>', '"Draft, room" <drafts@example.org>'])('takes MAIL_FROM %s', (from) => {
    expect(loadConfig({ SMTP_URL: 'smtp://localhost:25', PUBLIC_URL: 'https://drafts.example.org', MAIL_FROM: from }).mail?.from).toBe(from);
  });

  it('refuses SMTP_URL without PUBLIC_URL: links in mail never follow the host a request names', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.org' })).toThrowError(/^SMTP_URL needs PUBLIC_URL/);
  });

  it.each([
    'smtp://user:s3cret-value@',
    'smtp://user:s3cret-value@host:99999',
    'http://user:s3cret-value@host',
    'smtp://user:s3cret-value@host/path',
    'smtp://user:s3cret-value@host?secure=true',
    'smtp://:s3cret-value@host',
    'smtp://user:s3cret-value%zz@host',
    'smtp://user:s3cret-value@host:0',
  ])('refuses SMTP_URL %s, naming the variable and never the password', (url) => {
    expect(() => loadConfig({ SMTP_URL: url })).toThrowError(/^SMTP_URL /);
    try {
      loadConfig({ SMTP_URL: url });
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret');
    }
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
    [{ MAIL_FROM: 'no address here' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'Evil <a@b>\r\nBcc: x@y' }, 'MAIL_FROM'],
  ])('refuses %o with a message naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrowError(ConfigError);
    expect(() => loadConfig(env)).toThrowError(new RegExp(`^${name} `));
  });
});
