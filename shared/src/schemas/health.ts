import { Type, type Static } from 'typebox';

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Union([Type.Literal('embedded'), Type.Literal('external')]),
  version: Type.String(),
});
export type Health = Static<typeof Health>;
