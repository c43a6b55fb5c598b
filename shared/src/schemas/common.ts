import { Type } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const Timestamp = Type.String({ format: 'date-time' });
export const RoleSchema = Type.Union([Type.Literal('chair'), Type.Literal('editor'), Type.Literal('member'), Type.Literal('observer')], {
  description: 'Role inside a working group',
});
