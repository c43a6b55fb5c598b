import path from 'node:path';

/** Everything the process reads from its environment, parsed once at start-up. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL server to use; null means start the embedded one in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  /** Port of the embedded PostgreSQL; null: the one remembered in dataDir (a free one for a new dataDir). */
  embeddedPgPort: number | null;
  /** Public origin (scheme://host[:port]) used for CSRF checks and secure cookies; null = the request's own host. */
  publicOrigin: string | null;
  secureCookies: boolean;
  trustProxy: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Folder with the built web client; null to serve the API only. */
  clientDir: string | null;
  /** Seed the demo group into an empty embedded database (never into an external one). */
  seedDemo: boolean;
  /** brotli/gzip for responses above 1 kB (`COMPRESSION=off` for a proxy that compresses, or to compare). */
  compression: boolean;
  rateLimits: RateLimits;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  collab: CollabConfig;
  /**
   * Keys the HMAC that stands in for voters on secret ballots; kept out of the database so an export
   * cannot link people to positions. null: main.ts keeps one in DATA_DIR (embedded) or makes one up.
   */
  ballotSecret: string | null;
  /**
   * Where account and invitation mail goes out (SMTP_URL, MAIL_FROM). null: no mail, so addresses
   * cannot be confirmed: registration signs in at once and adding a member needs an existing account.
   */
  mail: MailConfig | null;
  notifications: NotificationsConfig;
  /**
   * Redis shared by several instances of one deployment (REDIS_URL, redis:// or rediss://): domain
   * events (sign-outs, role changes) reach every instance. null: one instance, all in process.
   */
  redisUrl: string | null;
}

export interface NotificationsConfig {
  /** The hour (UTC) each day's digest mail goes out. */
  digestHourUtc: number;
  /** Without SMTP_URL, write notification mail to the log instead (development: NODE_ENV is not production). */
  logMailWithoutSmtp: boolean;
}

export interface MailConfig {
  smtp: SmtpConfig;
  /** The From header, e.g. `Draftroom <no-reply@drafts.example.org>`. */
  from: string;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** smtps:// (TLS from the first byte); smtp:// upgrades with STARTTLS when the server offers it. */
  secure: boolean;
  auth: { user: string; pass: string } | null;
}

export interface CollabConfig {
  /** Largest single WebSocket message; larger ones close the socket with 1009. */
  maxMessageBytes: number;
  /** Largest document; an update that would grow it further closes the socket with 4413. */
  maxDocumentBytes: number;
  /** Most bytes a participant may have waiting for updates the server does not have; more closes with 1008. */
  maxHeldBytes: number;
  /** How long a document with nobody connected stays in memory. */
  idleUnloadMs: number;
  /** Extra batching wait before a commit (0: group commit, no added delay). */
  flushDelayMs: number;
}

export interface RateLimits {
  /** Requests per minute per IP across the whole API. */
  apiPerMinute: number;
  /** Sign-in attempts per 15 minutes per IP. */
  loginPerIp: number;
  /** Sign-in attempts per 15 minutes per email address. */
  loginPerEmail: number;
  /** Registrations per hour per IP. */
  registerPerIp: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function databaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got ${url.protocol}//`);
  }
  return raw;
}

function redisUrl(env: Env): string | null {
  const raw = env.REDIS_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL is not a valid URL (expected redis://host:port)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got ${url.protocol}//`);
  return raw;
}

function publicOrigin(env: Env): string | null {
  const raw = env.PUBLIC_URL;
  if (raw === undefined || raw === '') return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url.origin;
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an http(s) URL such as https://draftroom.example.org, got "${raw}"`);
  }
}

const SMTP_URL_SHAPE = 'smtp://user:password@host:port or smtps://user:password@host:port';

/** Parses SMTP_URL; messages never repeat the value, which may hold a password. */
function smtp(env: Env): SmtpConfig | null {
  const raw = env.SMTP_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`SMTP_URL is not a valid URL (expected ${SMTP_URL_SHAPE})`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, got ${url.protocol}//`);
  }
  if (url.hostname === '') throw new ConfigError(`SMTP_URL names no host (expected ${SMTP_URL_SHAPE})`);
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
    throw new ConfigError(`SMTP_URL takes no path, query or fragment (expected ${SMTP_URL_SHAPE})`);
  }
  const secure = url.protocol === 'smtps:';
  const port = url.port === '' ? (secure ? 465 : 587) : Number(url.port);
  if (port === 0) throw new ConfigError('SMTP_URL must name a port between 1 and 65535');
  let auth: SmtpConfig['auth'] = null;
  if (url.username !== '' || url.password !== '') {
    try {
      auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
    } catch {
      throw new ConfigError('SMTP_URL has a malformed %-escape in its user name or password');
    }
    if (auth.user === '') throw new ConfigError(`SMTP_URL has a password but no user name (expected ${SMTP_URL_SHAPE})`);
  }
  // IPv6 literals come bracketed from URL; the socket wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, secure, auth };
}

const DEFAULT_MAIL_FROM = 'Draftroom <no-reply@localhost>';

function mailFrom(env: Env): string {
  const raw = env.MAIL_FROM;
  if (raw === undefined || raw === '') return DEFAULT_MAIL_FROM;
  const value = raw.trim();
  const bare = /^[^\s@<>]+@[^\s@<>]+$/;
  const named = /^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/;
  const control = [...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
  if (control || (!bare.test(value) && !named.test(value))) {
    throw new ConfigError(`MAIL_FROM must be an address such as no-reply@example.org or "Draftroom <no-reply@example.org>", got "${raw}"`);
  }
  return value;
}

function mail(env: Env): MailConfig | null {
  const from = mailFrom(env);
  const transport = smtp(env);
  return transport ? { smtp: transport, from } : null;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const origin = publicOrigin(env);
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const dbUrl = databaseUrl(env);
  const outgoing = mail(env);
  if (outgoing && !origin) {
    // Links in mail must not follow the Host header: anyone can name any host, and a confirmation
    // link pointing at their server would hand them the token.
    throw new ConfigError(
      'SMTP_URL needs PUBLIC_URL too: links in mail (confirmation, invitations) point at the public address, never at the host a request names',
    );
  }
  const sharedRedis = redisUrl(env);
  if (sharedRedis && !env.BALLOT_SECRET) {
    // Without it each instance makes up its own key: votes sealed on one could not be read on another,
    // and links in mail sealed by one would be refused by the next.
    throw new ConfigError('REDIS_URL (several instances) needs BALLOT_SECRET too: every instance must seal ballots and mail links with the same key');
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl: dbUrl,
    dataDir: path.resolve(cwd, env.DATA_DIR || 'data'),
    embeddedPgPort: env.EMBEDDED_PG_PORT ? integer(env, 'EMBEDDED_PG_PORT', 0, 1024, 65535) : null,
    publicOrigin: origin,
    secureCookies: boolean(env, 'COOKIE_SECURE', origin?.startsWith('https:') ?? false),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    logLevel: logLevel as Config['logLevel'],
    clientDir: env.CLIENT_DIR === '' ? null : path.resolve(cwd, env.CLIENT_DIR || 'client/dist'),
    seedDemo: boolean(env, 'SEED_DEMO', true),
    compression: boolean(env, 'COMPRESSION', true),
    rateLimits: {
      apiPerMinute: integer(env, 'RATE_LIMIT_API_PER_MINUTE', 600, 1, 1_000_000),
      loginPerIp: integer(env, 'RATE_LIMIT_LOGIN_PER_IP', 30, 1, 1_000_000),
      loginPerEmail: integer(env, 'RATE_LIMIT_LOGIN_PER_EMAIL', 10, 1, 1_000_000),
      registerPerIp: integer(env, 'RATE_LIMIT_REGISTER_PER_IP', 20, 1, 1_000_000),
    },
    argon2: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    ballotSecret: env.BALLOT_SECRET || null,
    mail: outgoing,
    redisUrl: sharedRedis,
    notifications: {
      digestHourUtc: integer(env, 'MAIL_DIGEST_HOUR_UTC', 7, 0, 23),
      logMailWithoutSmtp: env.NODE_ENV !== 'production',
    },
    collab: {
      maxMessageBytes: integer(env, 'COLLAB_MAX_MESSAGE_BYTES', 2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
      maxDocumentBytes: integer(env, 'COLLAB_MAX_DOCUMENT_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxHeldBytes: integer(env, 'COLLAB_MAX_HELD_BYTES', 64 * 1024, 1024, 64 * 1024 * 1024),
      idleUnloadMs: integer(env, 'COLLAB_IDLE_UNLOAD_MS', 30_000, 0, 3_600_000),
      flushDelayMs: integer(env, 'COLLAB_FLUSH_MS', 0, 0, 50),
    },
  };
}
