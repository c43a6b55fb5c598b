import type { ErrorCode } from '@draftroom/shared';

/** A failure the client caused or may act on; the one error handler turns it into the standard body. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const invalidInput = (message: string, details?: unknown) => new AppError(400, 'invalid_input', message, details);
export const unauthenticated = (message = 'Sign in to do this') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'You are not allowed to do this') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'resource') => new AppError(404, 'not_found', `No such ${what}`);

/** Runs `work`; a 404 from it (a parent the actor may not see) becomes "no such `what`", anything else passes through. */
export async function hiddenAs<T>(work: Promise<T>, what: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) throw notFound(what);
    throw error;
  }
}
export const conflict = (message: string, details?: unknown) => new AppError(409, 'conflict', message, details);
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(
    429,
    'rate_limited',
    `Too many requests; try again in ${retryAfterSeconds} s`,
    { retryAfterSeconds },
    {
      'retry-after': String(retryAfterSeconds),
    },
  );
