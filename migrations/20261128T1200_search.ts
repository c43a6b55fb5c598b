import { sql, type Kysely } from 'kysely';

/**
 * Full-text search: a `search` tsvector on every table whose text people look for, kept by
 * PostgreSQL itself (a stored generated column is computed in the statement that writes the row, so
 * it is never a delayed copy), with a GIN index each. Existing rows get theirs when the column is
 * added. The English configuration stems ("training" finds "trained"); the two-argument
 * `to_tsvector` is immutable, as a generated column requires.
 *
 * - `clauses`: the plain-text mirror of the live text (written with every commit, text/mirror.ts);
 * - `version_clauses`: published text (adding a column rewrites the table without firing the
 *   triggers that keep versions immutable, and nothing updates these rows afterwards);
 * - `comments`: the Markdown each comment was written in;
 * - `amendments`: the proposed wording, then the rationale (weighted lower);
 * - `ballots`: the title, then the clause text the ballot froze when it opened — never votes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const columns: [table: string, expression: string][] = [
    ['clauses', `to_tsvector('english'::regconfig, text)`],
    ['version_clauses', `to_tsvector('english'::regconfig, text)`],
    ['comments', `to_tsvector('english'::regconfig, body)`],
    ['amendments', `setweight(to_tsvector('english'::regconfig, proposed_text), 'A') || setweight(to_tsvector('english'::regconfig, rationale), 'B')`],
    ['ballots', `setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(subject_text, '')), 'B')`],
  ];
  for (const [table, expression] of columns) {
    await sql`alter table ${sql.table(table)} add column search tsvector generated always as (${sql.raw(expression)}) stored`.execute(db);
    await sql`create index ${sql.raw(`${table}_search`)} on ${sql.table(table)} using gin (search)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['clauses', 'version_clauses', 'comments', 'amendments', 'ballots']) {
    await sql`alter table ${sql.table(table)} drop column search`.execute(db);
  }
}
