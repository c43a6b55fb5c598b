import fp from 'fastify-plugin';
import '@fastify/websocket';
import type { WebSocket } from 'ws';
import { LIVE_CLOSE_CODES, LIVE_PATH } from '@draftroom/shared';
import { poolOf } from '../db/database.ts';
import { socketOriginAllowed } from '../http/origin.ts';
import { LiveConnection } from './connection.ts';
import { LiveHub } from './hub.ts';
import { PgLiveSource, type LiveSource } from './source.ts';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub;
  }
}

export interface LiveRoutesOptions {
  /** Where committed changes come from; PostgreSQL's LISTEN/NOTIFY unless another is given. */
  source?: LiveSource;
}

/**
 * The live channel: GET /api/live, a WebSocket of JSON text frames (shared/src/schemas/live.ts).
 * The session cookie is optional: anonymous readers follow public topics only. A page of another
 * origin is refused like on the document socket.
 */
export const liveRoutes = fp<LiveRoutesOptions>(
  async (app, options) => {
    const log = app.log.child({ module: 'live' });
    const source = options.source ?? new PgLiveSource({ connection: poolOf(app.db).options, log });
    const hub = new LiveHub({ db: app.db, source, bus: app.bus, sessions: app.sessions, log });
    app.decorate('live', hub);
    // Listening before the first request: a change made once the app is ready reaches its followers.
    app.addHook('onReady', async () => source.start());
    app.addHook('preClose', async () => hub.close());
    app.addHook('onClose', async () => source.close());

    app.get(LIVE_PATH, { websocket: true, schema: { hide: true } }, (socket: WebSocket, request) => {
      if (!socketOriginAllowed(request, app.config.publicOrigin)) {
        socket.close(LIVE_CLOSE_CODES.forbidden, 'cross-origin socket');
        return;
      }
      hub.attach(new LiveConnection(socket, request.actor, request.sessionId, hub, log));
    });
  },
  { name: 'live', dependencies: ['services', 'auth'] },
);
