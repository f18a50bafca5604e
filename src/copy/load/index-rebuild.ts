// Load, then build. Postgres maintains every index row by row during a COPY, which costs it about
// twice what building the same index once afterwards does (sorted, in bulk, with parallel workers).
// So, inside the load transaction and only for tables the role owns that are empty when their load
// starts (if-target-not-empty: fail, truncate, or an append into an empty table): the secondary
// indexes and the primary-key, unique and exclusion constraints are dropped before the COPY and
// re-created afterwards from their exact definitions (pg_get_indexdef / pg_get_constraintdef, names
// included) with what hangs on them (comments, CLUSTER, REPLICA IDENTITY, per-column statistics).
// The transaction makes it invisible to others and atomic: a failure, a rollback or a killed process
// leaves the schema exactly as it was. Foreign keys are dropped and re-added by fk-bulk-check.ts.
import type pg from 'pg';
import { qualifiedName, quoteIdent, quoteLiteral } from '../../db/pg-identifiers.js';
import { isPgError } from '../../errors.js';
import type { TableEntry } from '../../run-result.js';
import type { Runtime } from '../../runtime.js';
import type { TablePlan } from '../plan/copy-plan.js';
import { loadError, type LoadErrorContext } from './load-errors.js';

export interface HeldIndex {
  /** The table's plan (for error messages). */
  plan: TablePlan;
  /** Quoted schema.table. */
  table: string;
  /** Index name (a constraint's index has the constraint's name). */
  name: string;
  /** Primary key, unique or exclusion constraint ('p' | 'u' | 'x'), or a plain index. */
  constraint: 'p' | 'u' | 'x' | null;
  unique: boolean;
  /** Re-creates it exactly: CREATE INDEX … or ALTER TABLE … ADD CONSTRAINT …. */
  create: string;
  /** What hung on the index and goes back right after it: comments, CLUSTER ON, REPLICA IDENTITY, statistics. */
  after: string[];
}

export interface IndexHold {
  held: HeldIndex[];
  /** One line per table for the log: what is rebuilt and what is kept (and why). */
  notes: string[];
}

interface IndexRow {
  name: string;
  index_def: string;
  contype: 'p' | 'u' | 'x' | null;
  conname: string | null;
  con_def: string | null;
  index_comment: string | null;
  con_comment: string | null;
  clustered: boolean;
  replident: boolean;
  valid: boolean;
  unique: boolean;
  deferrable: boolean | null;
  deferred: boolean | null;
  /** Storage parameters of the index, as WITH (…) takes them. */
  options: string | null;
  tablespace: string | null;
  tablespace_create: boolean;
  stats: Array<{ n: number; v: number }> | null;
  referenced_by: string[] | null;
}

// Everything about a table's indexes that a drop would lose. Foreign keys still referencing an index
// at this point come from tables whose keys are not dropped for this load (not copied, or not owned).
const INDEX_SQL = `
  SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS index_def,
         c.contype, c.conname, CASE WHEN c.oid IS NOT NULL THEN pg_get_constraintdef(c.oid) END AS con_def,
         obj_description(i.indexrelid, 'pg_class') AS index_comment,
         CASE WHEN c.oid IS NOT NULL THEN obj_description(c.oid, 'pg_constraint') END AS con_comment,
         i.indisclustered AS clustered, i.indisreplident AS replident, i.indisvalid AND i.indisready AS valid,
         i.indisunique AS unique, c.condeferrable AS deferrable, c.condeferred AS deferred,
         (SELECT string_agg(quote_ident(split_part(o, '=', 1)) || '=' || quote_literal(substr(o, strpos(o, '=') + 1)), ', ')
            FROM unnest(ic.reloptions) AS o) AS options,
         (SELECT spcname FROM pg_tablespace WHERE oid = ic.reltablespace) AS tablespace,
         ic.reltablespace = 0 OR has_tablespace_privilege(ic.reltablespace, 'CREATE') AS tablespace_create,
         (SELECT json_agg(json_build_object('n', a.attnum, 'v', a.attstattarget) ORDER BY a.attnum)
            FROM pg_attribute a WHERE a.attrelid = i.indexrelid AND coalesce(a.attstattarget, -1) >= 0) AS stats,
         (SELECT array_agg(format('%s on %s', quote_ident(f.conname), f.conrelid::regclass) ORDER BY f.conname)
            FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid) AS referenced_by
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
   WHERE i.indrelid = $1::regclass
   ORDER BY c.contype = 'p' DESC NULLS LAST, ic.relname`;

/**
 * The constraint's definition with what pg_get_constraintdef leaves out (it prints WITH and USING
 * INDEX TABLESPACE only for Postgres' internal use): put back before DEFERRABLE, where the grammar
 * wants them. Null when that cannot be done safely (an exclusion constraint, whose WHERE comes last).
 */
function constraintDefinition(row: IndexRow): string | null {
  const extra = `${row.options ? ` WITH (${row.options})` : ''}${row.tablespace ? ` USING INDEX TABLESPACE ${quoteIdent(row.tablespace)}` : ''}`;
  if (!extra) return row.con_def;
  const suffix = `${row.deferrable ? ' DEFERRABLE' : ''}${row.deferred ? ' INITIALLY DEFERRED' : ''}`;
  if (row.contype === 'x' || !row.con_def!.endsWith(suffix)) return null;
  return `${row.con_def!.slice(0, row.con_def!.length - suffix.length)}${extra}${suffix}`;
}

/** Why an index stays in place during the load (maintained row by row), or null when it can be rebuilt. */
function reasonToKeep(row: IndexRow): string | null {
  if (row.referenced_by?.length) return `referenced by foreign key ${row.referenced_by.join(', ')}, which this load does not drop`;
  if (!row.valid) return 'invalid (left by a failed CREATE INDEX CONCURRENTLY): rebuilding it would change it';
  if (row.tablespace && !row.contype) return `in tablespace ${row.tablespace}, which its definition does not carry`;
  if (row.tablespace && !row.tablespace_create) return `in tablespace ${row.tablespace}, where the role may not create`;
  if (row.contype && constraintDefinition(row) === null) return 'an exclusion constraint with storage parameters or a tablespace, which its definition does not carry';
  return null;
}

function heldIndex(plan: TablePlan, table: string, row: IndexRow): HeldIndex {
  const after: string[] = [];
  if (row.contype && row.con_comment !== null) after.push(`COMMENT ON CONSTRAINT ${quoteIdent(row.conname!)} ON ${table} IS ${quoteLiteral(row.con_comment)}`);
  if (row.index_comment !== null) after.push(`COMMENT ON INDEX ${qualifiedName(plan.target.schema, row.name)} IS ${quoteLiteral(row.index_comment)}`);
  for (const { n, v } of row.stats ?? []) after.push(`ALTER INDEX ${qualifiedName(plan.target.schema, row.name)} ALTER COLUMN ${n} SET STATISTICS ${v}`);
  if (row.clustered) after.push(`ALTER TABLE ${table} CLUSTER ON ${quoteIdent(row.name)}`);
  if (row.replident) after.push(`ALTER TABLE ${table} REPLICA IDENTITY USING INDEX ${quoteIdent(row.name)}`);
  return {
    plan,
    table,
    name: row.name,
    constraint: row.contype,
    unique: row.unique,
    create: row.contype ? `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(row.conname!)} ${constraintDefinition(row)}` : row.index_def,
    after,
  };
}

/** Runs `sql` in a savepoint: false (and nothing changed) when Postgres refuses it. */
async function tryInSavepoint(client: pg.ClientBase, sql: string): Promise<{ ok: true } | { ok: false; error: unknown }> {
  await client.query('SAVEPOINT cutover_index_drop');
  try {
    await client.query(sql);
    await client.query('RELEASE SAVEPOINT cutover_index_drop');
    return { ok: true };
  } catch (error) {
    if (!isPgError(error)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT cutover_index_drop');
    await client.query('RELEASE SAVEPOINT cutover_index_drop');
    return { ok: false, error };
  }
}

/**
 * Drops the indexes and key constraints of the given tables for the load, inside the caller's open
 * transaction (the foreign keys touching them must already be dropped). Tables the role does not
 * own, partitioned tables and tables that hold rows keep everything.
 */
export async function dropIndexesForLoad(client: pg.ClientBase, tables: TablePlan[]): Promise<IndexHold> {
  const hold: IndexHold = { held: [], notes: [] };
  for (const plan of tables) {
    const table = qualifiedName(plan.target.schema, plan.target.name);
    const { rows: [info] } = await client.query<{ owned: boolean; kind: string; partition: boolean; create: boolean; schema: string }>(
      `SELECT pg_has_role(c.relowner, 'USAGE') AS owned, c.relkind AS kind, c.relispartition AS partition,
              has_schema_privilege(c.relnamespace, 'CREATE') AS create, n.nspname AS schema
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::regclass`,
      [table],
    );
    if (!info.owned) continue;
    if (info.kind !== 'r' || info.partition) {
      hold.notes.push(`${plan.display}: indexes kept during the load (partitioned table: its partitions' index names would not survive a rebuild).`);
      continue;
    }
    // Creating an index needs CREATE on its schema, which an owner may lack (PostgreSQL 15's public).
    if (!info.create) {
      hold.notes.push(`${plan.display}: indexes kept during the load and maintained row by row (the role may not create in schema ${info.schema}, so it could not build them again afterwards).`);
      continue;
    }
    // The lock a DROP INDEX takes anyway, taken first so that the table cannot fill between the check and the drops.
    await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const { rows: [filled] } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS any`);
    const { rows } = await client.query<IndexRow>(INDEX_SQL, [table]);
    if (rows.length === 0) continue;
    if (filled.any) {
      hold.notes.push(`${plan.display}: indexes kept during the load (the table already holds rows).`);
      continue;
    }
    const dropped: string[] = [];
    const kept: string[] = [];
    for (const row of rows) {
      let why = reasonToKeep(row);
      if (!why) {
        const drop = row.contype ? `ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(row.conname!)}` : `DROP INDEX ${qualifiedName(plan.target.schema, row.name)}`;
        const outcome = await tryInSavepoint(client, drop);
        if (outcome.ok) {
          hold.held.push(heldIndex(plan, table, row));
          dropped.push(row.name);
          continue;
        }
        why = `Postgres refused to drop it (${(outcome.error as Error).message})`;
      }
      kept.push(`${row.name}: ${why}`);
    }
    const parts = [];
    if (dropped.length) parts.push(`${dropped.length === 1 ? '1 index' : `${dropped.length} indexes`} (keys included) dropped for the load and built after it: ${dropped.join(', ')}`);
    if (kept.length) parts.push(`kept and maintained row by row: ${kept.join('; ')}`);
    hold.notes.push(`${plan.display}: ${parts.join('; ')}.`);
  }
  return hold;
}

/**
 * Builds order: primary keys, unique and exclusion constraints first (the foreign keys re-added after
 * them need them), then the other indexes; within each, the biggest table first. Every build is one
 * statement, so Postgres can give each btree its parallel maintenance workers.
 */
export function buildOrder(held: HeldIndex[], rowsOf: (plan: TablePlan) => number): HeldIndex[] {
  const rank = (h: HeldIndex) => (h.constraint === 'p' ? 0 : h.constraint ? 1 : 2);
  return [...held].sort((a, b) => rank(a) - rank(b) || rowsOf(b.plan) - rowsOf(a.plan));
}

/** Re-creates what dropIndexesForLoad dropped, in buildOrder, and says how long it took. */
export async function buildAfterLoad(client: pg.ClientBase, held: HeldIndex[], ctx: BuildContext): Promise<void> {
  if (held.length === 0) return;
  const started = Date.now();
  const rowsOf = (plan: TablePlan) => ctx.entries.get(plan.key)?.copiedRows ?? 0;
  for (const index of buildOrder(held, rowsOf)) {
    try {
      await client.query(index.create);
      for (const sql of index.after) await client.query(sql);
    } catch (error) {
      // The table was empty before its load: a duplicate found now is in what was copied (the source).
      throw loadError(index.plan.display, error, { ...ctx.errorContext, targetWasEmpty: true }, [index.plan]);
    }
  }
  const tables = new Set(held.map((h) => h.plan.display));
  ctx.runtime.info(`Built ${held.length === 1 ? '1 index' : `${held.length} indexes`} and keys on ${[...tables].join(', ')} after the load in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

export interface BuildContext {
  runtime: Runtime;
  entries: Map<string, TableEntry>;
  errorContext: LoadErrorContext;
}
