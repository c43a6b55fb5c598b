import { Type } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });

/** A UUID in its text form, either case (PostgreSQL writes lowercase, and reads both). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
export const Timestamp = Type.String({ format: 'date-time' });
export const RoleSchema = Type.Union([Type.Literal('chair'), Type.Literal('editor'), Type.Literal('member'), Type.Literal('observer')], {
  description: 'Role inside a working group',
});
