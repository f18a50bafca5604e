// Keys, indexes and foreign keys of a schema, read two independent ways for comparison: from a
// SQLite file through its pragmas (what the source has), and from a Postgres schema's catalogs (what
// was created). Names are lower-cased: pgloader folds them, cutover keeps them.
import pg from 'pg';
import { loadSqlite } from '../../src/db/sqlite-driver.js';

export interface KeySpec {
  table: string;
  columns: string[];
}
export interface IndexSpec extends KeySpec {
  name: string;
  unique: boolean;
  /** SQLite: the index has COLLATE NOCASE terms, partial WHERE or expression terms. */
  nocase?: boolean;
  partial?: boolean;
  expression?: boolean;
}
export interface ForeignKeySpec extends KeySpec {
  refTable: string;
  refColumns: string[];
  onDelete: string;
  onUpdate: string;
}
export interface SchemaSpec {
  primaryKeys: KeySpec[];
  indexes: IndexSpec[];
  foreignKeys: ForeignKeySpec[];
}

const lower = (s: string) => s.toLowerCase();

export async function sqliteSchemaSpec(file: string): Promise<SchemaSpec & { pkWithNulls: string[] }> {
  const Database = await loadSqlite();
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    const spec: SchemaSpec & { pkWithNulls: string[] } = { primaryKeys: [], indexes: [], foreignKeys: [], pkWithNulls: [] };
    for (const table of tables) {
      const info = db.prepare('SELECT name, pk FROM pragma_table_info(?) ORDER BY pk').all(table) as Array<{ name: string; pk: number }>;
      const pk = info.filter((c) => c.pk > 0).map((c) => c.name);
      if (pk.length > 0) {
        const nulls = db.prepare(`SELECT 1 FROM "${table}" WHERE ${pk.map((c) => `"${c}" IS NULL`).join(' OR ')} LIMIT 1`).get();
        if (nulls) spec.pkWithNulls.push(lower(table));
        else spec.primaryKeys.push({ table: lower(table), columns: pk.map(lower) });
      }
      for (const index of db.prepare('SELECT name, "unique" AS u, origin, partial FROM pragma_index_list(?)').all(table) as Array<{ name: string; u: number; origin: string; partial: number }>) {
        if (index.origin === 'pk') continue;
        const terms = db.prepare('SELECT name, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno').all(index.name) as Array<{ name: string | null; coll: string }>;
        spec.indexes.push({
          table: lower(table), name: lower(index.name), unique: index.u === 1, columns: terms.map((t) => lower(t.name ?? '(expression)')),
          nocase: terms.some((t) => t.coll?.toUpperCase() === 'NOCASE'), partial: index.partial === 1, expression: terms.some((t) => t.name === null),
        });
      }
      const fks = new Map<number, ForeignKeySpec>();
      for (const row of db.prepare('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(table) as Array<{ id: number; table: string; from: string; to: string | null; on_delete: string; on_update: string }>) {
        const fk = fks.get(row.id) ?? { table: lower(table), columns: [], refTable: lower(row.table), refColumns: [], onDelete: row.on_delete, onUpdate: row.on_update };
        fk.columns.push(lower(row.from));
        if (row.to) fk.refColumns.push(lower(row.to));
        fks.set(row.id, fk);
      }
      for (const fk of fks.values()) {
        if (fk.refColumns.length === 0) fk.refColumns = (db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').all(fk.refTable) as Array<{ name: string }>).map((r) => lower(r.name));
        spec.foreignKeys.push(fk);
      }
    }
    return spec;
  } finally {
    db.close();
  }
}

const ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

export async function pgSchemaSpec(url: string, schema = 'public'): Promise<SchemaSpec & { indexDefinitions: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const pks = await client.query<{ t: string; cols: string[] }>(
      `SELECT c.conrelid::regclass::text AS t, array_agg(a.attname::text ORDER BY k.ord) AS cols
         FROM pg_constraint c CROSS JOIN unnest(c.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.contype = 'p' AND c.connamespace = $1::regnamespace GROUP BY c.oid`, [schema]);
    const indexes = await client.query<{ t: string; name: string; unique: boolean; cols: string[]; def: string; partial: boolean }>(
      `SELECT i.indrelid::regclass::text AS t, ic.relname AS name, i.indisunique AS unique, pg_get_indexdef(i.indexrelid) AS def, i.indpred IS NOT NULL AS partial,
              array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k) AS cols
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE ic.relnamespace = $1::regnamespace`, [schema]);
    const fks = await client.query<{ t: string; cols: string[]; rt: string; rcols: string[]; del: string; upd: string }>(
      `SELECT c.conrelid::regclass::text AS t, c.confrelid::regclass::text AS rt, c.confdeltype AS del, c.confupdtype AS upd,
              array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
              array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS rcols
         FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = $1::regnamespace`, [schema]);
    const table = (t: string) => lower(t.replace(/^"|"$/g, '').replace(/""/g, '"'));
    const column = (c: string) => lower(c.replace(/^"(.*)"$/, '$1'));
    return {
      primaryKeys: pks.rows.map((r) => ({ table: table(r.t), columns: r.cols.map(lower) })),
      indexes: indexes.rows.map((r) => ({ table: table(r.t), name: lower(r.name), unique: r.unique, columns: r.cols.map(column), partial: r.partial })),
      foreignKeys: fks.rows.map((r) => ({ table: table(r.t), columns: r.cols.map(lower), refTable: table(r.rt), refColumns: r.rcols.map(lower), onDelete: ACTIONS[r.del], onUpdate: ACTIONS[r.upd] })),
      indexDefinitions: indexes.rows.map((r) => r.def),
    };
  } finally {
    await client.end();
  }
}
