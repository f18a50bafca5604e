// Exact row counts of the application's tables on the throwaway, and per column how many values are
// not null, in one scan per table. Taken before the new migrations (what a dropped table or column
// held; what must still be there afterwards) and after them.
import type pg from 'pg';
import { displayName } from '../copy/plan/display-name.js';
import { quoteIdent } from '../db/pg-identifiers.js';
import { HISTORY_TABLE } from '../migrate/history-table.js';

export interface TableCount {
  oid: number;
  rows: number;
  /** Column name → values that are not null. */
  columns: Map<string, number>;
}

/** Display name (public.users) → counts, for every ordinary and partitioned table outside the system schemas. */
export async function countTables(client: pg.Client, options: { columns: boolean }): Promise<Map<string, TableCount>> {
  const { rows: tables } = await client.query<{ oid: number; schema: string; name: string; columns: string[] }>(`
    SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name,
           coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attnum > 0), '{}') AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' AND c.relname <> '${HISTORY_TABLE}'
     GROUP BY c.oid, n.nspname, c.relname ORDER BY 2, 3`);
  const counts = new Map<string, TableCount>();
  for (const table of tables) {
    const columns = options.columns ? table.columns : [];
    const select = ['count(*) AS "rows"', ...columns.map((column, i) => `count(${quoteIdent(column)}) AS c${i}`)].join(', ');
    const { rows } = await client.query(`SELECT ${select} FROM ${quoteIdent(table.schema)}.${quoteIdent(table.name)}`);
    const row = rows[0] as Record<string, string>;
    counts.set(displayName(table.schema, table.name), { oid: Number(table.oid), rows: Number(row.rows), columns: new Map(columns.map((column, i) => [column, Number(row[`c${i}`])])) });
  }
  return counts;
}
