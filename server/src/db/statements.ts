import type pg from 'pg';
import { isUuid } from '@draftroom/shared';

/**
 * Several statements in one round trip. PostgreSQL's simple query protocol takes a string of
 * statements separated by semicolons, but no parameters, so the values go in as literals made here
 * — and only here: every value passes through one of these functions, each of which accepts exactly
 * one type and quotes it (strings as escapeLiteral in pg does: quotes doubled, and backslashes in an E'' string).
 *
 * Used where round trips dominate (the group commit of votes); everything else uses parameters.
 */
export const literal = {
  text(value: string | null): string {
    if (value === null) return 'null';
    if (typeof value !== 'string') throw new TypeError('literal.text takes a string');
    // PostgreSQL text cannot hold NUL; input validation refuses it, this keeps it out of the statement.
    if (value.includes('\u0000')) throw new TypeError('literal.text: NUL cannot be stored');
    // What pg's escapeLiteral does (quotes doubled; with a backslash, an E'' string with backslashes
    // doubled), without its character-by-character loop: a batch's JSON runs to kilobytes.
    const quoted = value.replaceAll("'", "''");
    return value.includes('\\') ? `E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
  },
  uuid(value: string | null): string {
    if (value === null) return 'null::uuid';
    if (typeof value !== 'string' || !isUuid(value)) throw new TypeError('literal.uuid takes a UUID');
    return `'${value}'::uuid`;
  },
  int(value: number): string {
    if (!Number.isSafeInteger(value)) throw new TypeError('literal.int takes a safe integer');
    return String(value);
  },
  bool(value: boolean): string {
    if (typeof value !== 'boolean') throw new TypeError('literal.bool takes a boolean');
    return value ? 'true' : 'false';
  },
  /** Any JSON value (null stays SQL null); objects are sent as their JSON text. */
  jsonb(value: unknown): string {
    if (value === null || value === undefined) return 'null::jsonb';
    return `${literal.text(JSON.stringify(value))}::jsonb`;
  },
  /** An array of one type, each item made by `each` (one of the functions above). */
  array<T>(items: readonly T[], each: (item: T) => string, type: 'uuid' | 'text' | 'bigint' | 'boolean' | 'jsonb' | 'timestamptz'): string {
    return `array[${items.map(each).join(', ')}]::${type}[]`;
  },
  /** Milliseconds survive: PostgreSQL keeps microseconds. */
  timestamptz(value: Date): string {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError('literal.timestamptz takes a valid Date');
    return `'${value.toISOString()}'::timestamptz`;
  },
};

/**
 * A statement prepared once per connection (SQL PREPARE) and run by name (EXECUTE) with literal
 * arguments: no parsing or planning per run, and it still fits in a multi-statement round trip.
 * Connections that prepared statements must not go back to the shared pool (see VoteBatcher).
 */
export class PreparedStatement<A extends unknown[]> {
  constructor(
    readonly name: string,
    private readonly parameterTypes: string[],
    private readonly body: string,
    private readonly toArguments: (...args: A) => string[],
  ) {}

  get definition(): string {
    return `prepare ${this.name} (${this.parameterTypes.join(', ')}) as ${this.body}`;
  }

  execute(...args: A): string {
    const values = this.toArguments(...args);
    if (values.length !== this.parameterTypes.length) throw new Error(`${this.name} takes ${this.parameterTypes.length} arguments, got ${values.length}`);
    return `execute ${this.name} (${values.join(', ')})`;
  }
}

/**
 * Sends the statements as one simple query and returns each statement's rows. A failure in any
 * statement skips the rest; inside a transaction the caller must then roll back.
 */
// biome-ignore lint/suspicious/noExplicitAny: rows of arbitrary statements; each caller names the columns it reads
export async function runStatements(client: pg.PoolClient | pg.Client, statements: string[]): Promise<Record<string, any>[][]> {
  const result = (await client.query(statements.join(';\n'))) as pg.QueryResult | pg.QueryResult[];
  const results = Array.isArray(result) ? result : [result];
  if (results.length !== statements.length) throw new Error(`expected ${statements.length} results, got ${results.length}`);
  return results.map((r) => r.rows);
}
