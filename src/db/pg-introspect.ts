// Reads a PostgreSQL database's tables, columns (with type, identity, generated), primary keys,
// foreign keys, the sequences behind serial/identity columns, and what the connected role may do
// with each table (ownership, row-level security, user triggers), in five catalog queries.
import type pg from 'pg';
import { classifyPgType, type TargetType } from '../copy/cast/target-kind.js';
import { qualifiedName } from './pg-identifiers.js';

export interface PgColumn {
  name: string;
  type: TargetType;
  notNull: boolean;
  hasDefault: boolean;
  /** 'a' = GENERATED ALWAYS AS IDENTITY, 'd' = BY DEFAULT, '' = not an identity. */
  identity: '' | 'a' | 'd';
  /** GENERATED ALWAYS AS (expr) STORED: computed by Postgres, never copied. */
  generated: boolean;
  /** Qualified sequence name when serial/identity/nextval default. */
  sequence?: string;
}

export interface PgForeignKey {
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
  deferrable: boolean;
}

export interface PgTrigger {
  name: string;
  /** 'BEFORE' | 'AFTER' | 'INSTEAD OF'. */
  timing: string;
  /** 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE', in that order. */
  events: string[];
  /** FOR EACH ROW (false: FOR EACH STATEMENT). */
  forEachRow: boolean;
  /** Fires in an ordinary session (tgenabled 'O' or 'A'; 'R' fires only under session_replication_role = replica). */
  enabled: boolean;
}

export interface PgTable {
  schema: string;
  name: string;
  columns: PgColumn[];
  primaryKey: string[];
  foreignKeys: PgForeignKey[];
  /** The connected role owns the table (member of its owner role, or superuser): it may ALTER it,
   *  e.g. DISABLE TRIGGER USER or NO FORCE ROW LEVEL SECURITY, inside a transaction. */
  owned: boolean;
  /** ENABLE ROW LEVEL SECURITY. */
  rowSecurity: boolean;
  /** FORCE ROW LEVEL SECURITY (policies apply to the owner too). */
  forceRowSecurity: boolean;
  /** Policies filter this table for the connected role (Postgres' row_security_active): RLS is on and
   *  the role is not superuser, has no BYPASSRLS, and is not the owner or FORCE is set. Reads then
   *  see only the rows the policies allow, and COPY FROM is refused. */
  rowSecurityApplies: boolean;
  /** Triggers that are not internal (not the ones behind foreign keys), in name order. */
  userTriggers: PgTrigger[];
  /** The extension the table, or its schema, belongs to (pg_depend deptype 'e'), e.g. postgis. */
  extension?: string;
  /** What the connected role may do with the table (and may reach its schema). */
  privileges: { select: boolean; insert: boolean; truncate: boolean };
}

/** The connected role's attributes that decide what row-level security it sees. */
export interface PgRole {
  name: string;
  superuser: boolean;
  bypassRls: boolean;
}

export async function readPgRole(client: pg.ClientBase): Promise<PgRole> {
  const { rows } = await client.query<PgRole>(
    `SELECT current_user AS name, rolsuper AS superuser, rolbypassrls AS "bypassRls" FROM pg_roles WHERE rolname = current_user`,
  );
  return rows[0];
}

export function pgTableKey(schema: string, name: string): string {
  return `${schema}.${name}`;
}

export function pgTableSql(table: { schema: string; name: string }): string {
  return qualifiedName(table.schema, table.name);
}

const SYSTEM_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

export async function listPgTables(client: pg.ClientBase): Promise<PgTable[]> {
  const tables = await client.query<{ oid: number; schema: string; name: string; owned: boolean; rls: boolean; force: boolean; applies: boolean; extension: string | null; sel: boolean; ins: boolean; trunc: boolean }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, pg_has_role(c.relowner, 'USAGE') AS owned,
            has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT') AS sel,
            has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'INSERT') AS ins,
            has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'TRUNCATE') AS trunc,
            c.relrowsecurity AS rls, c.relforcerowsecurity AS force, row_security_active(c.oid) AS applies,
            (SELECT e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
              WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
                AND ((d.classid = 'pg_class'::regclass AND d.objid = c.oid) OR (d.classid = 'pg_namespace'::regclass AND d.objid = n.oid))
              ORDER BY d.classid = 'pg_class'::regclass DESC LIMIT 1) AS extension
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${SYSTEM_SCHEMAS}
      ORDER BY n.nspname, c.relname`,
  );
  const byOid = new Map<number, PgTable>();
  for (const row of tables.rows) {
    byOid.set(row.oid, {
      schema: row.schema, name: row.name, columns: [], primaryKey: [], foreignKeys: [],
      owned: row.owned, rowSecurity: row.rls, forceRowSecurity: row.force, rowSecurityApplies: row.applies, userTriggers: [],
      ...(row.extension ? { extension: row.extension } : {}),
      privileges: { select: row.sel, insert: row.ins, truncate: row.trunc },
    });
  }
  if (byOid.size === 0) return [];
  const oids = [...byOid.keys()];

  const columns = await client.query<{ oid: number; name: string; typname: string; formatted: string; notnull: boolean; hasdef: boolean; identity: string; generated: string; sequence: string | null }>(
    `SELECT a.attrelid::int AS oid, a.attname AS name, coalesce(bt.typname, t.typname) AS typname,
            format_type(coalesce(bt.oid, t.oid), CASE WHEN bt.oid IS NULL THEN a.atttypmod ELSE t.typtypmod END) AS formatted,
            a.attnotnull AS notnull, a.atthasdef AS hasdef, a.attidentity AS identity, a.attgenerated AS generated,
            coalesce(pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname),
                     substring(pg_get_expr(d.adbin, d.adrelid) from $re$^nextval\\('(.*)'::regclass\\)$$re$)) AS sequence
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  for (const row of columns.rows) {
    byOid.get(row.oid)!.columns.push({
      name: row.name,
      type: classifyPgType(row.typname, row.formatted),
      notNull: row.notnull,
      hasDefault: row.hasdef || row.identity !== '',
      identity: row.identity as PgColumn['identity'],
      generated: row.generated !== '',
      ...(row.sequence ? { sequence: row.sequence } : {}),
    });
  }

  const constraints = await client.query<{ oid: number; contype: string; name: string; cols: string[]; refschema: string | null; reftable: string | null; refcols: string[] | null; deferrable: boolean }>(
    `SELECT c.conrelid::int AS oid, c.contype, c.conname AS name, c.condeferrable AS deferrable,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS cols,
            rn.nspname AS refschema, rc.relname AS reftable,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS refcols
       FROM pg_constraint c
       LEFT JOIN pg_class rc ON rc.oid = c.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      WHERE c.conrelid = ANY($1::oid[]) AND c.contype IN ('p', 'f')
      ORDER BY c.conname`,
    [oids],
  );
  for (const row of constraints.rows) {
    const table = byOid.get(row.oid)!;
    if (row.contype === 'p') table.primaryKey = row.cols;
    else table.foreignKeys.push({ name: row.name, columns: row.cols, refSchema: row.refschema!, refTable: row.reftable!, refColumns: row.refcols ?? [], deferrable: row.deferrable });
  }

  const triggers = await client.query<{ oid: number; name: string; type: number; enabled: string }>(
    `SELECT tgrelid::int AS oid, tgname AS name, tgtype::int AS type, tgenabled AS enabled
       FROM pg_trigger WHERE tgrelid = ANY($1::oid[]) AND NOT tgisinternal ORDER BY tgname`,
    [oids],
  );
  for (const row of triggers.rows) byOid.get(row.oid)!.userTriggers.push(describeTrigger(row));
  return [...byOid.values()];
}

// pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
const ROW = 1, BEFORE = 2, INSERT = 4, DELETE = 8, UPDATE = 16, TRUNCATE = 32, INSTEAD = 64;

function describeTrigger(row: { name: string; type: number; enabled: string }): PgTrigger {
  const events = ([[INSERT, 'INSERT'], [UPDATE, 'UPDATE'], [DELETE, 'DELETE'], [TRUNCATE, 'TRUNCATE']] as const).filter(([bit]) => row.type & bit).map(([, event]) => event);
  return {
    name: row.name,
    timing: row.type & INSTEAD ? 'INSTEAD OF' : row.type & BEFORE ? 'BEFORE' : 'AFTER',
    events,
    forEachRow: (row.type & ROW) !== 0,
    enabled: row.enabled === 'O' || row.enabled === 'A',
  };
}

export async function pgTableIsEmpty(client: pg.ClientBase, table: { schema: string; name: string }): Promise<boolean> {
  const result = await client.query(`SELECT 1 FROM ${pgTableSql(table)} LIMIT 1`);
  return result.rowCount === 0;
}
