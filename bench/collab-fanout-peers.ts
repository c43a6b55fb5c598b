/**
 * The peers of bench/collab-fanout, each run in its own child process so its CPU time can be read
 * on its own:
 *
 *   node --import tsx bench/collab-fanout-peers.ts bare         # @y/websocket-server 0.1.1, in memory, no auth
 *   node --import tsx bench/collab-fanout-peers.ts hocuspocus   # @hocuspocus/server 4.x Server, default in-memory
 *   REDIS_URL=redis://127.0.0.1:6379 node --import tsx bench/collab-fanout-peers.ts hocuspocus
 *                                  # the same with @hocuspocus/extension-redis: one of several instances
 *
 * Listens on 127.0.0.1 (a free port), prints `LISTENING <port>` on stdout once ready, and stops on
 * SIGTERM/SIGINT or when its parent goes away (stdin closes).
 */
import http from 'node:http';
import type net from 'node:net';
import type { Extension } from '@hocuspocus/server';

const kind = process.argv[2];

function ready(port: number): void {
  process.stdout.write(`LISTENING ${port}\n`);
}

let stop: () => Promise<void> = async () => {};
let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(0), 3000);
  force.unref();
  try {
    await stop();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
// The parent keeps our stdin open; if it dies without telling us, do not linger.
process.stdin.on('end', () => void shutdown());
process.stdin.on('error', () => void shutdown());
process.stdin.resume();

if (kind === 'bare') {
  const { WebSocketServer } = await import('ws');
  const { setupWSConnection } = await import('@y/websocket-server/utils');
  const server = http.createServer((_request, response) => {
    response.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (socket, request) => setupWSConnection(socket, request));
  server.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stop = async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  };
  ready((server.address() as net.AddressInfo).port);
} else if (kind === 'hocuspocus') {
  const { Server } = await import('@hocuspocus/server');
  const extensions: Extension[] = [];
  if (process.env.REDIS_URL) {
    // Several instances: updates and awareness go through Redis pub/sub to the others.
    const { Redis } = await import('@hocuspocus/extension-redis');
    const redis = new URL(process.env.REDIS_URL);
    extensions.push(new Redis({ host: redis.hostname, port: Number(redis.port || 6379) }));
  }
  // Hocuspocus 4 terminates a connection that has sent nothing for `timeout` (60 s). With presence off a
  // reader sends nothing at all while the bench drives the other servers (over a minute while the later
  // ones start), so that check is pushed out of the way; with presence, awareness renewals keep it quiet.
  const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false, timeout: 3_600_000, extensions });
  await server.listen();
  stop = () => server.destroy();
  ready(server.address.port);
} else {
  process.stderr.write(`collab-fanout-peers: unknown peer "${kind}" (expected bare or hocuspocus)\n`);
  process.exit(2);
}
