// Postgres side of verification, entirely in SQL (no row leaves the server): row count and the sum
// of 64-bit canonical row hashes per table, and per hash bucket of the primary key to narrow down a
// mismatch. Works on the target, and on a Postgres source inside its snapshot transaction.
import type pg from 'pg';
import { qualifiedName, quoteIdent } from '../db/pg-identifiers.js';
import { canonicalRowSql, rowHashSql, type CanonicalColumn } from './canonical-form.js';

export const BUCKETS = 1024;

export interface PgChecksumTarget {
  schema: string;
  name: string;
  columns: CanonicalColumn[];
  /** Key columns (a subset of `columns`, in key order); empty = the whole row is the key. */
  keyColumns: CanonicalColumn[];
  /** Extra SQL after FROM (sampling: ORDER BY … LIMIT n). */
  limit?: { orderBy: string[]; rows: number };
}

export interface Totals {
  rows: number;
  checksum?: string;
}

function fromClause(t: PgChecksumTarget, select: string[]): string {
  const table = qualifiedName(t.schema, t.name);
  if (!t.limit) return table;
  const order = t.limit.orderBy.length ? ` ORDER BY ${t.limit.orderBy.map(quoteIdent).join(', ')}` : '';
  return `(SELECT ${select.map(quoteIdent).join(', ')} FROM ${table}${order} LIMIT ${t.limit.rows}) AS sampled`;
}

export async function pgTotals(client: pg.ClientBase, t: PgChecksumTarget, checksums: boolean): Promise<Totals> {
  const from = fromClause(t, t.columns.map((c) => c.name));
  if (!checksums) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${from}`);
    return { rows: Number(rows[0].n) };
  }
  const hash = t.columns.length ? rowHashSql(t.columns) : '0::bigint';
  const { rows } = await client.query<{ n: string; s: string }>(`SELECT count(*) AS n, coalesce(sum(${hash}), 0)::text AS s FROM ${from}`);
  return { rows: Number(rows[0].n), checksum: rows[0].s };
}

function keySql(t: PgChecksumTarget): string {
  return t.keyColumns.length ? canonicalRowSql(t.keyColumns) : canonicalRowSql(t.columns);
}

export async function pgBucketTotals(client: pg.ClientBase, t: PgChecksumTarget): Promise<Map<number, { rows: number; sum: string }>> {
  const { rows } = await client.query<{ b: number; n: string; s: string }>(
    `SELECT (hashtextextended(${keySql(t)}, 0) & ${BUCKETS - 1})::int AS b, count(*) AS n, sum(${rowHashSql(t.columns)})::text AS s
       FROM ${fromClause(t, t.columns.map((c) => c.name))} GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.b, { rows: Number(r.n), sum: r.s }]));
}

/** `${keyCanon}\u0003${hash}` → { display, hash, count } for the rows in the given buckets (count > 1: repeated rows of a table without a key). */
export async function pgRowsInBuckets(client: pg.ClientBase, t: PgChecksumTarget, buckets: number[]): Promise<Map<string, { display: string; hash: string; count: number }>> {
  const keys = t.keyColumns.length ? t.keyColumns : [];
  const display = keys.length
    ? `concat_ws(', ', ${keys.map((k) => `${quoteLiteralSql(`${k.name}=`)} || coalesce(${quoteIdent(k.name)}::text, 'NULL')`).join(', ')})`
    : `left(${canonicalRowSql(t.columns)}, 120)`;
  const { rows } = await client.query<{ k: string; d: string; h: string }>(
    `SELECT ${keySql(t)} AS k, ${display} AS d, ${rowHashSql(t.columns)}::text AS h
       FROM ${fromClause(t, t.columns.map((c) => c.name))}
      WHERE (hashtextextended(${keySql(t)}, 0) & ${BUCKETS - 1}) = ANY($1::int[])`,
    [buckets],
  );
  const result = new Map<string, { display: string; hash: string; count: number }>();
  for (const row of rows) {
    const id = `${row.k}\u0003${row.h}`;
    const seen = result.get(id);
    if (seen) seen.count++;
    else result.set(id, { display: row.d, hash: row.h, count: 1 });
  }
  return result;
}

function quoteLiteralSql(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
