import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';
import { poolOf } from './database.ts';
import { literal, PreparedStatement, runStatements } from './statements.ts';

describe('literals for multi-statement queries', () => {
  const t = useTestApp();
  const readBack = async (sqlLiteral: string, standardStrings = true) => {
    const client = await poolOf(t.db).connect();
    try {
      // Old-style strings (backslash escapes in '' literals) must not change what a literal means.
      const [, rows] = await runStatements(client, [`set standard_conforming_strings = ${standardStrings ? 'on' : 'off'}`, `select ${sqlLiteral} as v`]);
      return rows![0]!.v;
    } finally {
      client.release(true);
    }
  };

  it.each([
    ['quotes', `it's "quoted" ''twice''`],
    ['backslashes', 'C:\\path\\n is not a newline \\'],
    ['an injection attempt', `'); drop table users; --`],
    ['a backslash before a quote', `\\'); drop table users; --`],
    ['placeholders and dollar quotes', '$1 $$ $tag$ body $tag$'],
    ['newlines, tabs and unicode', 'line 1\nline 2\t✓ 💥 \u202e'],
    ['an empty string', ''],
  ])('reads %s back unchanged', async (_label, value) => {
    for (const standardStrings of [true, false]) {
      expect(await readBack(literal.text(value), standardStrings)).toBe(value);
      expect(await readBack(literal.jsonb({ value, list: [value] }), standardStrings)).toEqual({ value, list: [value] });
    }
  });

  it('reads the other types back as themselves', async () => {
    const at = new Date('2026-11-27T16:20:13.123Z');
    expect(await readBack(literal.timestamptz(at))).toEqual(at);
    expect(await readBack(literal.int(-42))).toBe(-42);
    expect(await readBack(literal.bool(false))).toBe(false);
    expect(await readBack(literal.uuid('0b0e7f1e-6a4c-4bb5-9c2b-0d8a3c1f2e4d'))).toBe('0b0e7f1e-6a4c-4bb5-9c2b-0d8a3c1f2e4d');
    expect(await readBack(literal.text(null))).toBeNull();
    expect(await readBack(literal.uuid(null))).toBeNull();
    expect(await readBack(literal.jsonb(null))).toBeNull();
  });

  it('refuses values it cannot quote safely instead of passing them on', () => {
    expect(() => literal.text('nul\u0000byte')).toThrow(TypeError);
    expect(() => literal.text(42 as unknown as string)).toThrow(TypeError);
    expect(() => literal.uuid(`x'; drop table users; --`)).toThrow(TypeError);
    expect(() => literal.int(1.5)).toThrow(TypeError);
    expect(() => literal.int(Number.MAX_SAFE_INTEGER + 2)).toThrow(TypeError);
    expect(() => literal.bool('true' as unknown as boolean)).toThrow(TypeError);
    expect(() => literal.timestamptz(new Date('nonsense'))).toThrow(TypeError);
  });

  it('runs a prepared statement by name with array arguments, empty ones included', async () => {
    const echo = new PreparedStatement(
      'draftroom_test_echo',
      ['text[]', 'uuid[]'],
      'select t, (select count(*) from unnest($2)) as ids from unnest($1) with ordinality as x(t, n) order by n',
      (texts: string[], ids: string[]) => [literal.array(texts, literal.text, 'text'), literal.array(ids, literal.uuid, 'uuid')],
    );
    const texts = [`it's`, 'back\\slash', `'); drop table users; --`];
    const client = await poolOf(t.db).connect();
    try {
      const [, rows, empty] = await runStatements(client, [
        echo.definition,
        echo.execute(texts, ['0b0e7f1e-6a4c-4bb5-9c2b-0d8a3c1f2e4d']),
        echo.execute([], []),
      ]);
      expect(rows).toEqual(texts.map((text) => ({ t: text, ids: 1 })));
      expect(empty).toEqual([]);
      expect(() => echo.execute(texts, ['not-a-uuid'])).toThrow(TypeError);
    } finally {
      client.release(true);
    }
  });

  it('returns each statement’s rows, and stops at the first failing statement', async () => {
    const client = await poolOf(t.db).connect();
    try {
      expect(await runStatements(client, ['select 1 as a', 'select 2 as b union all select 3'])).toEqual([[{ a: 1 }], [{ b: 2 }, { b: 3 }]]);
      await expect(
        runStatements(client, ['begin', 'create temporary table half_done (x int)', 'select no_such_column from half_done', 'commit']),
      ).rejects.toThrow(/no_such_column/);
      await client.query('rollback');
      expect((await client.query(`select to_regclass('pg_temp.half_done') as t`)).rows[0].t).toBeNull();
    } finally {
      client.release();
    }
  });
});
