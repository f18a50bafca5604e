// What a given dry-run database already holds. A dry run writes migrations and data into it, so it
// must be a database nobody needs: one with tables (or a migration history) is refused unless the user
// declares it disposable. Objects that belong to an extension (PostGIS' spatial_ref_sys, views of
// pg_stat_statements) come with the server image and do not count.
import type pg from 'pg';
import { quoteIdent } from '../db/pg-identifiers.js';
import { HISTORY_TABLE } from '../migrate/history-table.js';

// Schemas of the system: pg_catalog, pg_toast, pg_temp_N, … (names starting pg_ are reserved) and information_schema.
export const USER_SCHEMAS = `nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'`;

export interface DatabaseContents {
  database: string;
  /** Schema-qualified tables, views, materialized views, foreign tables and free-standing sequences. */
  relations: string[];
  /** Whether every one of them is a table (for the wording). */
  onlyTables: boolean;
  /** The migration history table, with how many migrations it records. */
  history?: { table: string; applied: number };
  /** Non-system schemas other than public. */
  schemas: string[];
  /** Anything at all in public (functions, types, extensions … included). */
  publicObjects: number;
}

export async function inspectContents(client: pg.Client): Promise<DatabaseContents> {
  const database = (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db;
  const relations = await client.query<{ schema: string; name: string; table: boolean }>(`
    SELECT n.nspname AS schema, c.relname AS name, c.relkind IN ('r', 'p', 'f') AS table
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_SCHEMAS.replace(/nspname/g, 'n.nspname')}
       AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       -- members of an extension
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
       -- sequences owned by a column (serial, identity) go with their table
       AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
     ORDER BY 1, 2`);
  const schemas = await client.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE ${USER_SCHEMAS} AND nspname <> 'public' ORDER BY 1`);
  // Everything created in a schema records a dependency on it.
  const inPublic = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_depend WHERE refclassid = 'pg_namespace'::regclass AND refobjid = (SELECT oid FROM pg_namespace WHERE nspname = 'public')`,
  );
  let history: DatabaseContents['history'];
  const names: string[] = [];
  let onlyTables = true;
  for (const row of relations.rows) {
    const qualified = `${row.schema}.${row.name}`;
    if (row.name === HISTORY_TABLE && !history) {
      const count = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(row.schema)}.${quoteIdent(row.name)}`).catch(() => ({ rows: [{ n: -1 }] }));
      history = { table: qualified, applied: count.rows[0].n };
    } else {
      names.push(qualified);
      onlyTables &&= row.table;
    }
  }
  return { database, relations: names, onlyTables, ...(history ? { history } : {}), schemas: schemas.rows.map((r) => r.name), publicObjects: inPublic.rows[0].n };
}

/** Nothing a dry run could clash with or that anyone could need. */
export function holdsData(contents: DatabaseContents): boolean {
  return contents.relations.length > 0 || contents.history !== undefined;
}

/** Anything at all that a reset would drop. */
export function holdsAnything(contents: DatabaseContents): boolean {
  return holdsData(contents) || contents.schemas.length > 0 || contents.publicObjects > 0;
}

function listed(names: string[], max = 5): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … ${names.length - max} more`;
}

/** "2 tables (app.customers, public.notes) and a migration history (public.cutover_migrations, 4 applied)" */
export function describeContents(contents: DatabaseContents): string {
  const parts: string[] = [];
  if (contents.relations.length) {
    const one = contents.relations.length === 1;
    const noun = contents.onlyTables ? (one ? 'table' : 'tables') : one ? 'table, view or sequence' : 'tables, views or sequences';
    parts.push(`${contents.relations.length} ${noun} (${listed(contents.relations)})`);
  }
  if (contents.history) {
    const applied = contents.history.applied >= 0 ? `, ${contents.history.applied} applied` : '';
    parts.push(`a migration history (${contents.history.table}${applied})`);
  }
  return parts.join(' and ');
}
