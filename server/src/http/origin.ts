import type { FastifyRequest } from 'fastify';

/**
 * Same rule as the CSRF check, for WebSocket upgrades (which a browser sends with the cookie from any
 * page): a browser connecting from another origin is refused. Clients that are not browsers send no Origin.
 */
export function socketOriginAllowed(request: FastifyRequest, publicOrigin: string | null): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    const expected = publicOrigin ?? new URL(`${request.protocol}://${request.host}`).origin;
    return new URL(origin).origin === expected;
  } catch {
    return false;
  }
}
