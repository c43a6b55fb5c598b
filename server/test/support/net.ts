import net from 'node:net';

/** A TCP port that was free a moment ago on 127.0.0.1 (for servers a test starts itself). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
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
