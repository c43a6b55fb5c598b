import { Type, type Static } from 'typebox';

/** Every error the API returns carries one of these codes; clients branch on the code, never the message. */
export const ERROR_CODES = [
  'invalid_input',
  'malformed_json',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'csrf_rejected',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  /** The database is out of reach for now (503 with Retry-After); nothing was changed. */
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorDetail = Type.Object({
  path: Type.String({ description: 'JSON pointer of the failing field, e.g. /email' }),
  message: Type.String(),
});
export type ErrorDetail = Static<typeof ErrorDetail>;

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: 'The one shape of every error response' },
);
export type ErrorBody = Static<typeof ErrorBody>;
