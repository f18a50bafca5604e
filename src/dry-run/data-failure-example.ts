// A new migration that fails on the data (a varchar shrunk below existing values, SET NOT NULL over
// NULLs, …) is the migration meeting production's rows, not bad source data: the rows were copied and
// verified before it ran. PostgreSQL's error often names neither the table nor a row, so after the
// migration was rolled back this finds the table and one offending row, with a time limit:
// for ALTER COLUMN … TYPE, rows are cast the way ALTER TABLE casts them (assignment to the new type,
// through USING when given) batch by batch, and a failing batch is halved down to one row.
import type pg from 'pg';
import { displayName } from '../copy/plan/display-name.js';
import { quoteIdent } from '../db/pg-identifiers.js';
import type { PgErrorFields } from '../errors.js';

export interface DataFailure {
  /** Display name of the table, when it could be told. */
  table?: string;
  column?: string;
  /** e.g. "id=42 has title = 'A very long…' (27 characters)". */
  example?: string;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const NAME = String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const PROBE_MS = 20_000;
const BATCH = 2_000;
const SHOWN = 60;

function tableInStatement(sql: string): string | undefined {
  const pattern = new RegExp(String.raw`^\s*(?:ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?|UPDATE\s+(?:ONLY\s+)?|INSERT\s+INTO\s+|DELETE\s+FROM\s+(?:ONLY\s+)?|CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:${IDENT}\s+)?ON\s+(?:ONLY\s+)?)${NAME}`, 'i');
  return pattern.exec(sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, ''))?.[1];
}

/** The first `ALTER [COLUMN] c [SET DATA] TYPE t [USING e]` of the statement. */
function typeChange(sql: string): { column: string; type: string; using?: string } | undefined {
  const match = new RegExp(String.raw`ALTER\s+(?:COLUMN\s+)?(${IDENT})\s+(?:SET\s+DATA\s+)?TYPE\s+([\s\S]+?)(?:\s+COLLATE\s+\S+)?(?:\s+USING\s+([\s\S]+?))?\s*(?:,\s*(?:ALTER|ADD|DROP|RENAME|SET|VALIDATE)\b|;?\s*$)`, 'i').exec(sql);
  if (!match) return undefined;
  return { column: match[1], type: match[2].trim(), ...(match[3] ? { using: match[3].trim() } : {}) };
}

async function resolveTable(client: pg.Client, name: string): Promise<{ oid: number; display: string; sql: string } | undefined> {
  const { rows } = await client.query<{ oid: string | null; schema: string; name: string }>(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`,
    [name],
  );
  if (!rows[0]?.oid) return undefined;
  return { oid: Number(rows[0].oid), display: displayName(rows[0].schema, rows[0].name), sql: `${quoteIdent(rows[0].schema)}.${quoteIdent(rows[0].name)}` };
}

async function keyOf(client: pg.Client, table: { oid: number; sql: string }, ctid: string): Promise<string> {
  const { rows: key } = await client.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1 AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [table.oid],
  );
  if (key.length === 0) return `the row at ctid ${ctid}`;
  const { rows } = await client.query(`SELECT ${key.map((k, i) => `${quoteIdent(k.name)}::text AS k${i}`).join(', ')} FROM ${table.sql} WHERE ctid = $1::tid`, [ctid]);
  return key.map((k, i) => `${k.name}=${rows[0]?.[`k${i}`] ?? '?'}`).join(', ');
}

function shown(value: string | null): string {
  if (value === null) return 'NULL';
  const clipped = value.length > SHOWN ? `${value.slice(0, SHOWN - 1)}…` : value;
  return `'${clipped.replace(/'/g, "''")}' (${[...value].length} characters)`;
}

/** Bisects rows in ctid order until one fails the cast the type change would make; its ctid. */
async function firstFailingRow(client: pg.Client, table: { sql: string }, change: { column: string; type: string; using?: string }): Promise<string | undefined> {
  const expression = change.using ?? change.column;
  const fails = async (ctids: string[]) => {
    await client.query('SAVEPOINT cutover_probe');
    try {
      await client.query(`INSERT INTO pg_temp.cutover_probe SELECT ${expression} FROM ${table.sql} WHERE ctid = ANY($1::tid[])`, [ctids]);
      return false;
    } catch {
      return true;
    } finally {
      await client.query('ROLLBACK TO SAVEPOINT cutover_probe');
    }
  };
  await client.query(`CREATE TEMP TABLE cutover_probe (v ${change.type}) ON COMMIT DROP`);
  let after = '(0,0)';
  for (;;) {
    const { rows } = await client.query<{ ctid: string }>(`SELECT ctid::text AS ctid FROM ${table.sql} WHERE ctid > $1::tid ORDER BY ctid LIMIT ${BATCH}`, [after]);
    if (rows.length === 0) return undefined;
    let batch = rows.map((r) => r.ctid);
    if (await fails(batch)) {
      while (batch.length > 1) {
        const half = batch.slice(0, Math.ceil(batch.length / 2));
        batch = (await fails(half)) ? half : batch.slice(half.length);
      }
      return batch[0];
    }
    after = batch[batch.length - 1];
  }
}

/** Table, column and one offending row of a migration statement that failed on the data; best effort. */
export async function explainDataFailure(client: pg.Client, sql: string, error: PgErrorFields): Promise<DataFailure> {
  const named = error.table ? `${quoteIdent(error.schema ?? 'public')}.${quoteIdent(error.table)}` : tableInStatement(sql);
  if (!named) return {};
  const table = await resolveTable(client, named).catch(() => undefined);
  if (!table) return {};
  const failure: DataFailure = { table: table.display };
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL statement_timeout = ${PROBE_MS}`);
    const change = error.code?.startsWith('22') ? typeChange(sql) : undefined;
    if (change) {
      failure.column = change.column.replace(/^"|"$/g, '');
      const ctid = await firstFailingRow(client, table, change);
      if (ctid) {
        const { rows } = await client.query<{ v: string | null }>(`SELECT (${change.column})::text AS v FROM ${table.sql} WHERE ctid = $1::tid`, [ctid]);
        failure.example = `${await keyOf(client, table, ctid)} has ${failure.column} = ${shown(rows[0]?.v ?? null)}`;
      }
    } else if (error.code === '23502' && error.column) {
      failure.column = error.column;
      const { rows } = await client.query<{ ctid: string }>(`SELECT ctid::text AS ctid FROM ${table.sql} WHERE ${quoteIdent(error.column)} IS NULL LIMIT 1`);
      if (rows[0]) failure.example = `${await keyOf(client, table, rows[0].ctid)} has ${error.column} = NULL`;
    }
  } catch {
    // No example within the time limit (or the statement could not be read): the table is still named.
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
  return failure;
}
