import net from 'node:net';

/**
 * A TCP proxy between the app and PostgreSQL, so a test can make the database go away (every
 * connection cut, new ones refused) and come back, without touching the server other tests use.
 */
export class CuttableProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = 0): Promise<number> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Cuts every connection and stops listening: connecting is refused until restore(). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    if (!this.server) await this.start(this.port);
  }
}

/**
 * A TCP load balancer for tests of several server processes: each new connection goes to the next
 * backend in turn, and to the one after it when that one refuses (it was killed) — like a reverse proxy
 * in front of several instances, without sticky sessions.
 */
export class RoundRobinProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private next = 0;
  port = 0;
  /** Which backend each accepted connection went to, in order (index into `backends`). */
  readonly routed: number[] = [];

  constructor(readonly backends: number[]) {}

  async start(): Promise<number> {
    const server = net.createServer((client) => {
      this.track(client);
      client.pause();
      const attempt = (tries: number) => {
        const index = this.next++ % this.backends.length;
        const upstream = net.connect(this.backends[index]!, '127.0.0.1');
        upstream.once('error', () => {
          upstream.destroy();
          if (tries + 1 < this.backends.length && !client.destroyed) attempt(tries + 1);
          else client.destroy();
        });
        upstream.once('connect', () => {
          this.routed.push(index);
          this.track(upstream);
          upstream.on('error', () => upstream.destroy());
          client.pipe(upstream);
          upstream.pipe(client);
          client.resume();
          client.on('close', () => upstream.destroy());
          upstream.on('close', () => client.destroy());
        });
      };
      attempt(0);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
