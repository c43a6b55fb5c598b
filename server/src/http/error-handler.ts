import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorBody, ErrorCode, ErrorDetail } from '@draftroom/shared';
import { isDatabaseUnavailable } from '../db/database.ts';
import { AppError } from '../errors.ts';

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Fastify's own client errors, by code, mapped onto ours. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Send the body as application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_input', message: 'Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The body is not valid JSON' },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_input', message: 'The URL is malformed' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'invalid_input', message: 'The request is malformed' },
};

function validationDetails(error: FastifyError): ErrorDetail[] {
  return (error.validation ?? []).map((issue) => {
    const params = issue.params as Record<string, unknown> | undefined;
    let path = issue.instancePath || '';
    // Name the field itself for "missing" and "not allowed" errors, which Ajv reports on the parent.
    if (typeof params?.missingProperty === 'string') path += `/${params.missingProperty}`;
    if (typeof params?.additionalProperty === 'string') path += `/${params.additionalProperty}`;
    const where = error.validationContext ?? 'body';
    const prefix = where === 'body' ? '' : `/${where}`;
    return { path: `${prefix}${path}` || '/', message: issue.message ?? 'is invalid' };
  });
}

/** SQLSTATE class 22 ("data exception"), e.g. 22021 invalid byte sequence, 22P05 untranslatable character. */
function isPostgresDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code) && 'severity' in (error as object);
}

/** Seconds a client should wait before trying again while the database is out of reach. */
export const UNAVAILABLE_RETRY_AFTER = 5;

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return reply
        .code(error.statusCode)
        .headers(error.headers)
        .send(body(error.code, error.message, error.details));
    }
    if (error.validation) {
      const details = validationDetails(error);
      const fields = details.map((d) => d.path).join(', ');
      return reply.code(400).send(body('invalid_input', `Invalid input: ${fields}`, details));
    }
    const known = error.code ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
    if (known) return reply.code(known.status).send(body(known.code, known.message));
    if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON') {
      return reply.code(400).send(body('malformed_json', 'The body is not valid JSON'));
    }
    if (error.statusCode === 429) {
      return reply.code(429).send(body('rate_limited', error.message));
    }
    if (isPostgresDataError(error)) {
      // A value PostgreSQL cannot store (a NUL byte, an out-of-range number): the client's input is at fault.
      return reply.code(400).send(body('invalid_input', 'The input contains a value that cannot be stored'));
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .code(503)
        .header('retry-after', String(UNAVAILABLE_RETRY_AFTER))
        .send(body('unavailable', 'Storage is unavailable for the moment; nothing was changed. Try again shortly'));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      request.log.info({ err: error }, 'client error');
      return reply.code(status).send(body(status === 404 ? 'not_found' : 'invalid_input', error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(body('internal', 'Something went wrong on our side; it has been logged'));
  });
}
