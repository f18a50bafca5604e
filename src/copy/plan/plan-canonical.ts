// The canonical column lists checksums use for a planned table: the target side reads the target
// columns; a Postgres source reads its own columns, cast to the target type where the types differ.
import type { PgChecksumTarget } from '../../verify/pg-checksums.js';
import type { TablePlan } from './copy-plan.js';
import type { SqliteReadSpec } from '../read/sqlite-row-source.js';

export function targetCanonical(table: TablePlan): PgChecksumTarget {
  const columns = table.columns.map((c) => ({ name: c.target.name, type: c.target.type }));
  return { schema: table.target.schema, name: table.target.name, columns, keyColumns: table.keyColumns.map((k) => ({ name: k.target.name, type: k.target.type })) };
}

export function pgSourceCanonical(table: TablePlan, sampleRows?: number): PgChecksumTarget {
  const columns = table.columns.map((c) => ({ name: c.source, type: c.target.type, ...(c.sourceType ? { castTo: c.target.type.sql } : {}) }));
  const keyColumns = table.keyColumns.map((k) => ({ name: k.source, type: k.target.type, ...(k.sourceType ? { castTo: k.target.type.sql } : {}) }));
  return {
    schema: table.sourceSchema!,
    name: table.sourceName,
    columns,
    keyColumns,
    ...(sampleRows !== undefined ? { limit: { orderBy: table.keyColumns.map((k) => k.source), rows: sampleRows } } : {}),
  };
}

/** How a SQLite table is read, for the copy and for its verification alike. */
export function sqliteReadSpec(table: TablePlan, limit?: number): SqliteReadSpec {
  return {
    table: table.sourceName,
    columns: table.columns.map((c) => ({ source: c.source, type: c.target.type })),
    keyColumns: table.keyColumns.length ? table.keyColumns.map((c) => c.source) : table.sqlite?.primaryKey ?? [],
    hasRowid: table.sqlite?.hasRowid ?? true,
    ...(limit !== undefined ? { limit } : {}),
  };
}
