// Independent evidence for "identical" and "as it was": an md5 of every row of a table in a stable
// order, computed by Postgres from the rows' text form (not by cutover's checksum code).
import type { TestDatabase } from './postgres.js';

export async function tableDigest(db: Pick<TestDatabase, 'query'>, table: string): Promise<{ rows: number; md5: string | null }> {
  const { rows } = await db.query<{ n: number; md5: string | null }>(`SELECT count(*)::int AS n, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM ${table} t`);
  return { rows: rows[0].n, md5: rows[0].md5 };
}

/** Digest of every listed table, for before/after comparisons. */
export async function digestAll(db: Pick<TestDatabase, 'query'>, tables: string[]): Promise<Record<string, { rows: number; md5: string | null }>> {
  const result: Record<string, { rows: number; md5: string | null }> = {};
  for (const table of tables) result[table] = await tableDigest(db, table);
  return result;
}
