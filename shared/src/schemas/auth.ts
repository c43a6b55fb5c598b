import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './common.ts';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Surrounding spaces are tolerated (pasted addresses); the server trims and lower-cases. The domain is
 * dot-separated labels that contain no dot, so every character can match in one way only: the pattern
 * runs in linear time (`[^\\s@]+\\.[^\\s@]+` let "a@" + 64,000 dots + "@" block the server for 12 s).
 */
export const EMAIL_PATTERN = '^\\s*[^\\s@]+@[^\\s@.]+(?:\\.[^\\s@.]+)+\\s*$';
const Email = Type.String({ pattern: EMAIL_PATTERN, minLength: 3, maxLength: 254, description: 'e-mail address' });
const Password = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });
/** Printable text with at least one visible character: no control characters (NUL included). */
export const PRINTABLE_LINE = '^(?=.*\\S)[^\\u0000-\\u001F\\u007F]+$';
export const DisplayName = Type.String({ minLength: 1, maxLength: 80, pattern: PRINTABLE_LINE });

export const RegisterBody = Type.Object({ email: Email, displayName: DisplayName, password: Password }, { additionalProperties: false });
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
    newPassword: Password,
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  displayName: Type.String(),
  createdAt: Timestamp,
});
export type User = Static<typeof User>;

export const MeResponse = Type.Object({ user: User });
export type MeResponse = Static<typeof MeResponse>;

/**
 * The answer to a registration when the server sends mail: the same whether the address is new (a
 * confirmation link is on its way) or already has an account (a notice is), so it reveals neither.
 */
export const RegistrationPending = Type.Object(
  { status: Type.Literal('confirmation_sent'), email: Type.String({ description: 'the address, normalized' }) },
  { description: 'Check your email: the link in it confirms the address and signs in' },
);
export type RegistrationPending = Static<typeof RegistrationPending>;

/** Hours a confirmation link stays valid. */
export const CONFIRMATION_VALID_HOURS = 24;

export const ConfirmBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 128, description: 'the token from the confirmation link' }) },
  { additionalProperties: false },
);
export type ConfirmBody = Static<typeof ConfirmBody>;
