import { randomBytes, randomUUID } from 'node:crypto';
import { constants as zlibConstants } from 'node:zlib';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import authPlugin from './auth/plugin.ts';
import { PasswordHasher } from './auth/passwords.ts';
import { authRoutes } from './auth/routes.ts';
import { DEFAULT_SESSION_CACHE, SessionCache } from './auth/session-cache.ts';
import { LocalChannel } from './collab/channel.ts';
import { RedisStreamChannel } from './collab/redis-channel.ts';
import { SessionExpiry } from './auth/expiry.ts';
import { DocumentRegistry } from './collab/registry.ts';
import { FoldWorker } from './collab/fold-worker.ts';
import { clauseRoutes } from './definitions/clause-routes.ts';
import { definitionDocumentAccess } from './definitions/document-access.ts';
import { collabRoutes } from './collab/routes.ts';
import { liveRoutes } from './live/routes.ts';
import { TextChangeHints } from './live/text-hints.ts';
import { Bus } from './events/bus.ts';
import { RedisBus } from './events/redis-bus.ts';
import { sharedRedis } from './http/shared-redis.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { rateLimited } from './errors.ts';
import { definitionRoutes } from './definitions/routes.ts';
import { eventRoutes } from './events/routes.ts';
import { versionRoutes } from './versions/routes.ts';
import { historyRoutes } from './history/routes.ts';
import { amendmentRoutes } from './amendments/routes.ts';
import { ballotRoutes } from './ballots/routes.ts';
import { exportRoutes } from './exports/routes.ts';
import { provenanceRoutes } from './provenance/routes.ts';
import { languageRoutes } from './language/routes.ts';
import { importRoutes } from './imports/routes.ts';
import { dispositionRoutes } from './dispositions/routes.ts';
import { commentRoutes } from './comments/routes.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { invitationRoutes } from './groups/invitation-routes.ts';
import { groupRoutes } from './groups/routes.ts';
import { conformanceRoutes } from './conformance/routes.ts';
import { endorsementRoutes } from './endorsements/routes.ts';
import { publicRoutes } from './public/routes.ts';
import { searchRoutes } from './search/routes.ts';
import { registerClient } from './http/client.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { healthRoutes } from './http/health.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { servicesPlugin, type DatabaseKind } from './http/services.ts';
import { logTransport, Outbox, redactLinks, smtpTransport, type MailTransport } from './mail/outbox.ts';
import { mailPlugin, notificationWorkerPlugin } from './mail/plugin.ts';
import { MailSeal } from './mail/seal.ts';
import type { OutboxWorker } from './mail/worker.ts';
import { createNotificationWorker, type NotificationWorkerOptions } from './notifications/background.ts';
import { unsubscribeRoutes } from './notifications/unsubscribe-routes.ts';
import { validatorCompiler } from './http/validation.ts';
import { APP_VERSION } from './version.ts';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppDependencies {
  db: Db;
  databaseKind: DatabaseKind;
  /** Where logs go; defaults to stdout. Tests pass a stream to inspect them. */
  logStream?: NodeJS.WritableStream;
  /** How mail leaves when `config.mail` is set; defaults to SMTP as configured. */
  mailTransport?: MailTransport;
  /** The notification worker's clock (reminders, digests, retries); tests pass a fake one. */
  clock?: () => Date;
  /** Time between the notification worker's rounds; null: only when `app.notificationWorker.runOnce()` is called. */
  notificationIntervalMs?: number | null;
  /** Time between checks for sessions ended by inactivity (default 5 min); null: only `app.sessionExpiry.runOnce()`. */
  sessionSweepIntervalMs?: number | null;
}

/** Builds the whole application without listening; main.ts listens, tests use app.inject(). */
export async function buildApp(inputConfig: Config, deps: AppDependencies): Promise<FastifyInstance> {
  // Without a configured key, secret-ballot tokens only stay valid for this process (tests, bench).
  const config = { ...inputConfig, ballotSecret: inputConfig.ballotSecret ?? randomBytes(32).toString('base64url') };
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(deps.logStream && { stream: deps.logStream }),
      // Secrets never reach the log: session cookies, credentials and anything shaped like a password.
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.currentPassword', '*.newPassword', '*.token'],
        censor: '[redacted]',
      },
      // Unsubscribe links carry their token in the path: it never reaches the log.
      serializers: {
        req: (request: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
          method: request.method,
          url: redactLinks(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }),
      },
    },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler());
  // JSON only: Fastify's built-in text/plain parser would let form-like bodies reach validation.
  app.removeContentTypeParser('text/plain');
  registerErrorHandler(app);
  // brotli/gzip for API JSON and the client's assets above 1 kB. WebSocket upgrades are hijacked, so never compressed.
  // Brotli quality 5: most of 11's gain at a fraction of its CPU per response.
  if (config.compression) {
    await app.register(compress, {
      global: true,
      threshold: 1024,
      encodings: ['br', 'gzip'],
      brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } },
    });
  }
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Several instances (REDIS_URL) share their domain events; one instance keeps them in process.
  const bus = config.redisUrl ? new RedisBus(config.redisUrl, app.log.child({ module: 'bus' })) : new Bus();
  // Counters several instances share (rate limits, the sign-in throttle).
  const counters = config.redisUrl ? sharedRedis(config.redisUrl, app.log.child({ module: 'counters' })) : null;
  if (counters) app.addHook('onClose', async () => void counters.disconnect());
  if (bus instanceof RedisBus) app.addHook('onClose', async () => bus.close());
  // Live documents too: what one instance commits reaches the others' clients (Redis Streams).
  const channel = config.redisUrl ? new RedisStreamChannel(config.redisUrl, app.log.child({ module: 'documents' })) : new LocalChannel();
  // After preClose has stored and closed every document.
  if (channel instanceof RedisStreamChannel) app.addHook('onClose', async () => channel.close());
  // Committed text reaches the live channel as a hint (throttled), so derived views follow the draft.
  const textHints = new TextChangeHints({ db: deps.db, log: app.log.child({ module: 'live' }) });
  app.addHook('onClose', async () => textHints.stop());
  // Compactions fold update logs in a worker thread (stopped after every document is stored).
  const folder = new FoldWorker();
  app.addHook('onClose', async () => folder.close());
  const registry = new DocumentRegistry({
    db: deps.db,
    access: definitionDocumentAccess(deps.db),
    bus,
    channel,
    idleUnloadMs: config.collab.idleUnloadMs,
    limits: {
      maxDocumentBytes: config.collab.maxDocumentBytes,
      maxHeldBytes: config.collab.maxHeldBytes,
      flushDelayMs: config.collab.flushDelayMs,
      compactEvery: 1000,
      maxAwarenessClients: 8,
      maxAwarenessStateBytes: 8 * 1024,
    },
    log: app.log.child({ module: 'collab' }),
    onTextCommitted: (definitionId) => textHints.touch(definitionId),
    fold: (updates) => folder.fold(updates),
  });
  await app.register(servicesPlugin, {
    config,
    db: deps.db,
    databaseKind: deps.databaseKind,
    passwords: new PasswordHasher(config.argon2),
    bus,
    registry,
    sessions: new SessionCache(DEFAULT_SESSION_CACHE, bus),
    counters,
  });
  // Store and close every open document before the database goes away.
  app.addHook('preClose', async () => registry.closeAll());
  // One worker sends every mail from the outbox table: account mail (sealed with a key from the server
  // secret) and notification mail, with reminders and digests before each round.
  const seal = new MailSeal(config.ballotSecret);
  const worker = createNotificationWorker({ ...notificationWorkerOptions(config, deps, app.log), seal });
  // Registered first, closed first: mail being written reaches the table before the worker stops.
  await app.register(mailPlugin, { outbox: createOutbox(config, deps, app.log, worker, seal) });
  await app.register(notificationWorkerPlugin, { worker });
  await app.register(cookie);
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies,
  });
  // Several instances count together in Redis: a limit holds however requests are spread. While Redis is
  // unreachable requests are not limited rather than refused (availability over counting).
  await app.register(rateLimit, {
    ...(counters && { redis: counters, nameSpace: 'draftroom:rate:', skipOnError: true }),
    global: true,
    max: config.rateLimits.apiPerMinute,
    timeWindow: 60_000,
    allowList: (request) => !request.url.startsWith('/api/'),
    // request.ip is undefined once the client has hung up (the plugin's own key generator then throws).
    keyGenerator: (request) => request.ip ?? request.socket?.remoteAddress ?? 'disconnected',
    errorResponseBuilder: (_request, context) => rateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Draftroom API',
        version: APP_VERSION,
        description:
          'Working groups draft definitions together. Every error has the body {"error":{"code","message","details"}}. ' +
          'Authenticate with the session cookie set by /api/auth/login; state-changing requests must carry a matching Origin header.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'draftroom_session' } } },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Over plain http (local use) an upgrade directive would send the page's own assets to https.
    transformStaticCSP: (header) => (config.secureCookies ? header : header.replace(/upgrade-insecure-requests;?/, '')),
    uiConfig: { validatorUrl: null },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(websocket, {
    options: { maxPayload: config.collab.maxMessageBytes },
    // A frame that breaks the WebSocket protocol (too large, bad UTF-8, bad opcode…) is the client's fault:
    // ws has already closed the socket with the matching code (1009, 1007, 1002), so log it as such.
    errorHandler: (error, socket, request) => {
      const code = (error as Error & { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
        request.log.info({ err: error }, 'websocket client sent an invalid frame');
        return;
      }
      request.log.error({ err: error }, 'websocket failed');
      socket.terminate();
    },
  });
  await app.register(authPlugin);
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(groupRoutes);
  await app.register(invitationRoutes);
  await app.register(eventRoutes);
  await app.register(definitionRoutes);
  await app.register(collabRoutes);
  await app.register(liveRoutes);
  // A socket never outlives its session: sessions idle past the limit are closed like a sign-out.
  const sessionExpiry = new SessionExpiry({
    db: deps.db,
    bus,
    log: app.log.child({ module: 'sessions' }),
    openSessions: function* () {
      yield* app.live.openSessions();
      yield* registry.openSessions();
    },
    intervalMs: deps.sessionSweepIntervalMs === undefined ? 5 * 60_000 : deps.sessionSweepIntervalMs,
  });
  app.decorate('sessionExpiry', sessionExpiry);
  // Events published while this instance's bus subscription was away are lost to it: what they would
  // have done is found in PostgreSQL instead (ended sessions close, rights are re-checked).
  if (bus instanceof RedisBus) {
    bus.onReconnected(() => {
      void sessionExpiry.runOnce();
      void registry.recheckAll();
    });
  }
  app.addHook('onReady', async () => sessionExpiry.start());
  app.addHook('preClose', async () => sessionExpiry.stop());
  await app.register(clauseRoutes);
  await app.register(versionRoutes);
  await app.register(historyRoutes);
  await app.register(amendmentRoutes);
  await app.register(commentRoutes);
  await app.register(notificationRoutes);
  await app.register(unsubscribeRoutes);
  await app.register(ballotRoutes);
  await app.register(exportRoutes);
  await app.register(provenanceRoutes);
  await app.register(languageRoutes);
  await app.register(importRoutes);
  await app.register(dispositionRoutes);
  await app.register(publicRoutes);
  await app.register(searchRoutes);
  await app.register(conformanceRoutes);
  await app.register(endorsementRoutes);
  await registerClient(app, config.clientDir, config.compression);
  return app;
}

/**
 * Notification mail goes out through SMTP when SMTP_URL is set; without it, in development, it is written
 * to the log; in production (NODE_ENV=production) without it, it is not sent at all.
 */
function notificationWorkerOptions(config: Config, deps: AppDependencies, log: FastifyBaseLogger): NotificationWorkerOptions {
  const workerLog = log.child({ module: 'notifications' });
  const transport = config.mail
    ? (deps.mailTransport ?? smtpTransport(config.mail.smtp))
    : config.notifications.logMailWithoutSmtp
      ? (deps.mailTransport ?? logTransport(workerLog))
      : null;
  const auth = config.mail?.smtp.auth;
  return {
    db: deps.db,
    config,
    transport,
    log: workerLog,
    ...(deps.clock && { clock: deps.clock }),
    ...(deps.notificationIntervalMs !== undefined && { intervalMs: deps.notificationIntervalMs }),
    // The password, and the user name unless it is too short to scrub from messages without mangling them.
    secrets: auth ? [auth.pass, ...(auth.user.length >= 3 ? [auth.user] : [])] : [],
  };
}

function createOutbox(config: Config, deps: AppDependencies, log: FastifyBaseLogger, worker: OutboxWorker, seal: MailSeal): Outbox | null {
  if (!config.mail) return null;
  const { smtp, from } = config.mail;
  const where = `${smtp.secure ? 'smtps' : 'smtp'}://${smtp.host}:${smtp.port}`;
  log.info({ mail: where, from }, 'mail goes out through SMTP; registrations and invitations are confirmed by email');
  return new Outbox({ db: deps.db, seal, worker, log: log.child({ module: 'mail' }) });
}
