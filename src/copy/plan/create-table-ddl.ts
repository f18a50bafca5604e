// DDL for create-tables: one CREATE TABLE per SQLite table (types from sqlite-type-mapping.ts,
// NOT NULL, INTEGER PRIMARY KEY as an identity), and everything else as separate statements that
// run AFTER the data is loaded, as pgloader does (one bulk check or index build instead of work per
// row): primary keys and UNIQUE first, then foreign keys with their actions, then indexes, checks and
// defaults (schema-objects-ddl.ts). Everything runs inside the load transaction.
import type { PgColumn, PgForeignKey, PgTable } from '../../db/pg-introspect.js';
import { qualifiedName, quoteIdent } from '../../db/pg-identifiers.js';
import type { SqliteForeignKey, SqliteTable } from '../../db/sqlite-introspect.js';
import { classifyPgType } from '../cast/target-kind.js';
import { displayName } from './display-name.js';
import { assignIdentifiers } from './long-identifiers.js';
import { SchemaNames, type NotTranslated, type SchemaObject, type SchemaRename } from './schema-objects.js';
import { checkObjects, defaultObjects, indexObjects, sequenceStart } from './schema-objects-ddl.js';
import { mapSqliteType, type TypeMappingOptions } from './sqlite-type-mapping.js';

export interface TableDdl {
  create: string;
  /** ALTER TABLE … ADD PRIMARY KEY / UNIQUE, CREATE UNIQUE INDEX: after the load, PRIMARY KEYs first. */
  constraints: string[];
  /** ALTER TABLE … ADD FOREIGN KEY: after every table's constraints (they may reference a UNIQUE). */
  foreignKeys: string[];
  /** Created after the load in a savepoint each; Postgres may refuse one (then it is reported). */
  optional: SchemaObject[];
  /** What the target table will look like (for planning before it exists). */
  table: PgTable;
  /** SQLite column name → target column name. */
  columnNames: Map<string, string>;
  /** Everything created, for the report (optional objects Postgres refused are marked `refused`). */
  objects: SchemaObject[];
  notTranslated: NotTranslated[];
  renames: SchemaRename[];
}

export interface CreateTableContext {
  schema: string;
  /** Tables this copy creates, by lower-case SQLite name, with their target names. */
  creating: Map<string, { sqlite: SqliteTable; name: string }>;
  /** Target tables that exist already. */
  existing: PgTable[];
  relationNames: SchemaNames;
  types: TypeMappingOptions;
}

/** Target column names of a SQLite table (deterministic: the same for the table and its children's FKs). */
export function targetColumnNames(table: SqliteTable): ReturnType<typeof assignIdentifiers> {
  return assignIdentifiers(table.columns.map((c) => c.name));
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((c) => b.some((d) => d.toLowerCase() === c.toLowerCase()));
const list = (names: string[]) => names.map(quoteIdent).join(', ');

/** Columns a foreign key may reference in a table being created: its primary key or a plain UNIQUE. */
function referenceableKeys(parent: SqliteTable): string[][] {
  const keys = parent.pkHasNulls || parent.primaryKey.length === 0 ? [] : [parent.primaryKey];
  for (const index of parent.indexes) {
    if (index.unique && index.origin !== 'pk' && !index.where && index.columns.every((c) => c.name && c.name !== 'rowid' && c.collation !== 'NOCASE')) keys.push(index.columns.map((c) => c.name!));
  }
  return keys;
}

const ACTIONS = new Set(['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT']);

function foreignKeyClause(fk: SqliteForeignKey): string {
  const parts: string[] = [];
  if (ACTIONS.has(fk.onDelete.toUpperCase())) parts.push(`ON DELETE ${fk.onDelete.toUpperCase()}`);
  if (ACTIONS.has(fk.onUpdate.toUpperCase())) parts.push(`ON UPDATE ${fk.onUpdate.toUpperCase()}`);
  if (fk.deferrable === 'deferred') parts.push('DEFERRABLE INITIALLY DEFERRED');
  if (fk.deferrable === 'immediate') parts.push('DEFERRABLE INITIALLY IMMEDIATE');
  return parts.join(' ');
}

function sqliteForeignKeyText(fk: SqliteForeignKey): string {
  return fk.sql ?? `FOREIGN KEY (${fk.columns.join(', ')}) REFERENCES ${fk.refTable}${fk.refColumns.length ? ` (${fk.refColumns.join(', ')})` : ''}`;
}

interface ResolvedParent { schema: string; name: string; columns: string[] }

function resolveParent(fk: SqliteForeignKey, ctx: CreateTableContext): ResolvedParent | { reason: string } {
  const created = ctx.creating.get(fk.refTable.toLowerCase());
  if (created) {
    const parent = created.sqlite;
    const refColumns = fk.refColumns.length > 0 ? fk.refColumns : parent.primaryKey;
    if (refColumns.length !== fk.columns.length) return { reason: `${fk.refTable} has no primary key of ${fk.columns.length} column${fk.columns.length === 1 ? '' : 's'} to reference` };
    if (!referenceableKeys(parent).some((key) => sameSet(key, refColumns))) {
      return { reason: `Postgres needs a primary key or UNIQUE constraint on ${fk.refTable} (${refColumns.join(', ')}), and the SQLite table has none that can be created` };
    }
    const names = targetColumnNames(parent).names;
    const actual = refColumns.map((c) => parent.columns.find((p) => p.name.toLowerCase() === c.toLowerCase())?.name);
    if (actual.some((c) => c === undefined)) return { reason: `${fk.refTable} has no column ${refColumns.join(', ')}` };
    return { schema: ctx.schema, name: created.name, columns: actual.map((c) => names.get(c!)!) };
  }
  const existing = ctx.existing.find((t) => t.schema === ctx.schema && t.name.toLowerCase() === fk.refTable.toLowerCase());
  if (existing) {
    const refColumns = fk.refColumns.length > 0 ? fk.refColumns : existing.primaryKey;
    if (!sameSet(refColumns, existing.primaryKey)) return { reason: `${displayName(existing.schema, existing.name)} exists in the target, and cutover references only its primary key` };
    return { schema: existing.schema, name: existing.name, columns: refColumns.map((c) => existing.columns.find((p) => p.name.toLowerCase() === c.toLowerCase())!.name) };
  }
  return { reason: `${fk.refTable} is neither copied by this run nor in the target` };
}

export function createTableDdl(table: SqliteTable, targetName: string, ctx: CreateTableContext): TableDdl {
  const target = qualifiedName(ctx.schema, targetName);
  const { names: columnNames, renames: columnRenames } = targetColumnNames(table);
  const objects: SchemaObject[] = [];
  const notTranslated: NotTranslated[] = [];
  const renames: SchemaRename[] = columnRenames.map((r) => ({ ...r, kind: 'column' as const }));
  // Constraint names are unique per table; those backed by an index (PRIMARY KEY, UNIQUE) per schema.
  const constraintNames = new SchemaNames([]);
  const claimConstraint = (wanted: string, given: boolean, relation: boolean): string => {
    const claimed = (relation ? ctx.relationNames : constraintNames).claim(wanted);
    constraintNames.reserve(claimed.name);
    if (given && claimed.rename) renames.push({ ...claimed.rename, kind: relation ? 'index' : 'constraint' });
    return claimed.name;
  };
  const col = (name: string) => columnNames.get(name) ?? columnNames.get(table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.name ?? '') ?? name;

  const columns: PgColumn[] = [];
  const lines: string[] = [];
  for (const column of table.columns) {
    const identity = table.rowidAlias === column.name;
    const mapped = identity ? { typname: 'int8', sql: 'bigint' } : mapSqliteType(column.declaredType, ctx.types);
    const parts = [quoteIdent(col(column.name)), mapped.sql];
    // INTEGER PRIMARY KEY is SQLite's rowid: an identity that still accepts the copied values.
    if (identity) parts.push('GENERATED BY DEFAULT AS IDENTITY');
    const notNull = column.notNull || (column.pkPosition > 0 && !table.pkHasNulls);
    if (notNull) parts.push('NOT NULL');
    lines.push(parts.join(' '));
    const type = classifyPgType(mapped.typname, mapped.sql);
    if ('strict' in mapped && mapped.strict) type.strict = true;
    columns.push({ name: col(column.name), type, notNull, hasDefault: identity || column.defaultSql !== null, identity: identity ? 'd' : '', generated: false });
    if (identity) objects.push({ kind: 'identity', definition: `${quoteIdent(col(column.name))} bigint GENERATED BY DEFAULT AS IDENTITY`, sqlite: `${column.name} INTEGER PRIMARY KEY${table.autoincrement ? ' AUTOINCREMENT' : ''}`, note: 'sequence set after the load' });
  }

  const constraints: string[] = [];
  const primaryKey = table.pkHasNulls ? [] : table.primaryKey.map(col);
  if (table.pkHasNulls) {
    notTranslated.push({ kind: 'primary key', sqlite: `PRIMARY KEY (${table.primaryKey.join(', ')})`, reason: 'SQLite holds NULLs in it (a legacy quirk allows them in non-INTEGER keys); Postgres refuses NULLs in a primary key' });
  } else if (primaryKey.length > 0) {
    const name = claimConstraint(table.primaryKeyName ?? `${targetName}_pkey`, table.primaryKeyName !== undefined, true);
    const sql = `ALTER TABLE ${target} ADD CONSTRAINT ${quoteIdent(name)} PRIMARY KEY (${list(primaryKey)})`;
    constraints.push(sql);
    objects.push({ kind: 'primary key', name, definition: `(${list(primaryKey)})`, sql, stage: 'constraint', sqlite: `PRIMARY KEY (${table.primaryKey.join(', ')})` });
  }

  const indexes = indexObjects(table, { target, targetName, col, claimRelation: (wanted, given) => claimConstraint(wanted, given, true), columns });
  for (const object of indexes.objects) if (object.stage === 'constraint') constraints.push(object.sql!);
  objects.push(...indexes.objects);
  notTranslated.push(...indexes.notTranslated);

  const foreignKeys: string[] = [];
  const plannedForeignKeys: PgForeignKey[] = [];
  for (const fk of table.foreignKeys) {
    const parent = resolveParent(fk, ctx);
    if ('reason' in parent) {
      notTranslated.push({ kind: 'foreign key', sqlite: sqliteForeignKeyText(fk), reason: parent.reason });
      continue;
    }
    const childColumns = fk.columns.map(col);
    const name = claimConstraint(fk.name ?? `${targetName}_${childColumns.join('_')}_fkey`, fk.name !== undefined, false);
    const clause = foreignKeyClause(fk);
    const sql = `ALTER TABLE ${target} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${list(childColumns)}) REFERENCES ${qualifiedName(parent.schema, parent.name)} (${list(parent.columns)})${clause ? ` ${clause}` : ''}`;
    foreignKeys.push(sql);
    objects.push({ kind: 'foreign key', name, definition: `(${list(childColumns)}) → ${displayName(parent.schema, parent.name)} (${list(parent.columns)})${clause ? ` ${clause}` : ''}`, sql, stage: 'foreign key', sqlite: sqliteForeignKeyText(fk) });
    // Created after the load: the load order never waits for it (hence deferrable for planning).
    plannedForeignKeys.push({ name, columns: childColumns, refSchema: parent.schema, refTable: parent.name, refColumns: parent.columns, deferrable: true });
  }

  const checks = checkObjects(table, { target, targetName, col, claimConstraint: (wanted, given) => claimConstraint(wanted, given, false), columns });
  const defaults = defaultObjects(table, { target, col, columns });
  const sequence = sequenceStart(table, { target, col });
  objects.push(...checks.objects, ...defaults.objects, ...(sequence ? [sequence] : []));
  notTranslated.push(...checks.notTranslated, ...defaults.notTranslated);
  for (const column of table.columns.filter((c) => c.collation === 'NOCASE' || c.collation === 'RTRIM')) {
    notTranslated.push({ kind: 'collation', sqlite: `${column.name} … COLLATE ${column.collation}`, reason: `Postgres has no ${column.collation} collation: comparisons on ${quoteIdent(col(column.name))} ${column.collation === 'NOCASE' ? 'become case-sensitive (compare lower() values, or use citext)' : 'keep trailing spaces'}` });
  }
  for (const generated of table.generatedColumns) {
    notTranslated.push({ kind: 'generated column', sqlite: generated.sql, reason: 'generated columns are computed, not copied, and cutover does not translate their expressions' });
  }
  if (table.unreadable) notTranslated.push({ kind: 'table', sqlite: table.sql, reason: `its CREATE TABLE text could not be read (${table.unreadable}), so CHECK constraints and collations are unknown` });

  return {
    create: `CREATE TABLE ${target} (\n  ${lines.join(',\n  ')}\n)`,
    constraints: [...constraints.filter((s) => s.includes(' PRIMARY KEY (')), ...constraints.filter((s) => !s.includes(' PRIMARY KEY ('))],
    foreignKeys,
    optional: objects.filter((o) => o.stage === 'optional'),
    // Created by this run's role: owned, no row-level security, no triggers.
    table: { schema: ctx.schema, name: targetName, columns, primaryKey, foreignKeys: plannedForeignKeys, owned: true, rowSecurity: false, forceRowSecurity: false, rowSecurityApplies: false, userTriggers: [], privileges: { select: true, insert: true, truncate: true } },
    columnNames,
    objects,
    notTranslated,
    renames,
  };
}
