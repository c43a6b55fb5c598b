import net from 'node:net';

/** A TCP port that was free a moment ago on 127.0.0.1 (for servers a test starts itself). */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/**
 * `count` different ports free a moment ago: all are held at once before any is let go (two calls to
 * freePort may be given the same port — the HTTP server and its embedded PostgreSQL once were).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** A JSON client for a server listening at `base()` (read when each request is made), sent from its own origin. */
export function jsonClient(base: () => string) {
  return async (pathname: string, init: { method?: string; cookie?: string; body?: object } = {}) => {
    const response = await fetch(`${base()}${pathname}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.body && { 'content-type': 'application/json' }), origin: base(), ...(init.cookie && { cookie: init.cookie }) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: response.status, headers: response.headers, json: (await response.json().catch(() => null)) as Record<string, unknown> | null };
  };
}
