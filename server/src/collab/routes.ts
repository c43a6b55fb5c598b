import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import '@fastify/websocket';
import type { WebSocket } from 'ws';
import { CLOSE_CODES } from '@draftroom/shared';
import { AppError } from '../errors.ts';
import { socketOriginAllowed } from '../http/origin.ts';
import { closeFor, type CollabDocument, type Participant } from './document.ts';
import { isUuid } from '@draftroom/shared';

function closeCodeFor(error: unknown): { code: number; reason: string } {
  if (error instanceof AppError) {
    if (error.statusCode === 401) return { code: CLOSE_CODES.unauthenticated, reason: 'sign in first' };
    if (error.statusCode === 404) return { code: CLOSE_CODES.notFound, reason: 'no such definition' };
    return { code: CLOSE_CODES.forbidden, reason: error.message.slice(0, 120) };
  }
  const [code, reason] = closeFor(error);
  return { code, reason };
}

/**
 * The live-editing socket: GET /api/collab/:definitionId, the y-websocket protocol. The upgrade is
 * accepted first so refusals can carry a close code the client understands (4401/4403/4404).
 */
export const collabRoutes: FastifyPluginAsync = async (app) => {
  const { registry, config } = app;

  app.get('/api/collab/:definitionId', { websocket: true, schema: { hide: true } }, (socket: WebSocket, request) => {
    const { definitionId } = request.params as { definitionId: string };
    const queue: Uint8Array[] = [];
    let document: CollabDocument | null = null;
    let participant: Participant | null = null;
    let pumping = false;
    let closed = false;

    const close = (code: number, reason: string) => {
      if (closed) return;
      closed = true;
      socket.close(code, reason);
    };

    const pump = async () => {
      if (pumping || !document || !participant) return;
      pumping = true;
      try {
        while (queue.length > 0 && !closed) {
          const frame = queue.shift()!;
          try {
            await document.handleMessage(participant, frame);
          } catch (error) {
            const { code, reason } = closeCodeFor(error);
            if (code === CLOSE_CODES.loadFailed) request.log.error({ err: error, definitionId }, 'collab message failed');
            else request.log.info({ definitionId, code, reason }, 'collab socket refused a message');
            close(code, reason);
          }
        }
      } finally {
        pumping = false;
      }
    };

    // Frames that arrive while the document loads wait here, and are answered from the full document.
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      queue.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      void pump();
    });
    socket.on('close', () => {
      closed = true;
      if (document && participant) {
        document.leave(participant);
        registry.release(definitionId);
      }
    });
    socket.on('error', () => {});

    void (async () => {
      try {
        if (!socketOriginAllowed(request, config.publicOrigin)) throw new AppError(403, 'forbidden', 'cross-origin socket');
        if (!isUuid(definitionId)) throw new AppError(404, 'not_found', 'No such definition');
        const access = await registry.access.open(request.actor, definitionId);
        const loaded = await registry.acquire(definitionId, access.groupId);
        if (closed) {
          registry.release(definitionId);
          return;
        }
        document = loaded;
        const joined: Participant = {
          id: randomUUID(),
          userId: request.user!.id,
          displayName: request.user!.displayName,
          sessionId: request.sessionId,
          canWrite: access.canWrite,
          awarenessClients: new Set(),
          send: (message) => {
            if (socket.readyState === socket.OPEN) socket.send(message);
          },
          close,
        };
        participant = joined;
        loaded.join(joined);
        await pump();
      } catch (error) {
        const { code, reason } = closeCodeFor(error);
        if (code === CLOSE_CODES.loadFailed) request.log.error({ err: error, definitionId }, 'could not open the document');
        close(code, reason);
      }
    })();
  });
};
