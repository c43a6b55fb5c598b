import { ErrorBody } from '@draftroom/shared';

/** Response schemas for the error statuses a route can answer with, for OpenAPI. */
export function errors(...statuses: number[]): Record<number, typeof ErrorBody> {
  const out: Record<number, typeof ErrorBody> = {};
  for (const status of [400, 429, ...statuses]) out[status] = ErrorBody;
  return out;
}
