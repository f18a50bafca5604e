// Which source table goes into which target table, column by column, and every problem that can
// be found before writing anything (the preflight): missing target table or column, a NOT NULL
// target column nothing fills, a cast no rule can do, row-level security in the way. Problems are
// collected, then reported at once; the scope (table-scope.ts) and source row security are checked
// first and throw, since nothing else is worth reporting when the set of tables is wrong.
import type { DatabaseLocation } from '../../db/database-url.js';
import type { IfTargetNotEmpty } from '../../settings.js';
import type { PgColumn, PgTable } from '../../db/pg-introspect.js';
import { pgTableKey } from '../../db/pg-introspect.js';
import type { SqliteTable } from '../../db/sqlite-introspect.js';
import { findCastRule } from '../cast/cast-rules.js';
import { createTableDdl, type TableDdl } from './create-table-ddl.js';
import { assignIdentifiers, findTargetByName } from './long-identifiers.js';
import { SchemaNames } from './schema-objects.js';
import { displayIdentifier, displayName } from './display-name.js';
import type { FkEdge } from './fk-order.js';
import { mapSqliteType, type TypeMappingOptions } from './sqlite-type-mapping.js';
import { privilegeProblems } from './privilege-preflight.js';
import { checkSourceRowSecurity, targetAccessFindings } from './row-security-preflight.js';
import { resolveScope, type LeftOutTable } from './table-scope.js';

export interface ColumnPlan {
  source: string;
  target: PgColumn;
  /** Postgres source: the source column's type (format_type), when it differs from the target's. */
  sourceType?: string;
  /** Postgres source: the sequence behind the source column (serial, identity, nextval default). */
  sourceSequence?: string;
}

export interface TablePlan {
  /** schema.name of the target table (map key). */
  key: string;
  /** For people: public."Order Details". */
  display: string;
  sourceName: string;
  sourceSchema?: string;
  target: PgTable;
  columns: ColumnPlan[];
  /** Primary key as (source name, target column) pairs; empty when the target has none. */
  keyColumns: ColumnPlan[];
  sqlite?: SqliteTable;
  /** Set when create-tables will create this table. */
  ddl?: TableDdl;
}

export interface CopyPlan {
  tables: TablePlan[];
  edges: FkEdge[];
  /** Pairs of tables that must load in one transaction although no FK joins them (see below). */
  links: Array<[string, string]>;
  problems: string[];
  warnings: string[];
  /** Selected source tables with no target table (and not being created). */
  missingTables: Array<{ display: string; sourceName: string; sourceSchema?: string }>;
  /** Source tables not copied or verified, and why (sorted by name). */
  leftOut: LeftOutTable[];
}

export { displayName };

export type SourceSchema = { kind: 'sqlite'; tables: SqliteTable[] } | { kind: 'postgres'; tables: PgTable[] };

export interface PlanOptions {
  include: string[];
  exclude: string[];
  createTables: boolean;
  /** Where unqualified tables live in the target (current_schema()). */
  targetSchema: string;
  /** For messages, e.g. "input 'source-url'". */
  sourceInput?: string;
  sourceLocation?: DatabaseLocation;
  /** copy: whether TRUNCATE privilege is needed too. */
  ifTargetNotEmpty?: IfTargetNotEmpty;
  /** create-tables: names of every relation (tables, indexes, sequences …) in the target schema. */
  targetRelations?: string[];
  /** create-tables: keep declared lengths (varchar(n), numeric(p,s)) or not. */
  typeMapping?: TypeMappingOptions;
  /** Source tables the target lacks are left out with this reason instead of failing the preflight. */
  leaveOutMissing?: string;
}

const findByName = findTargetByName;

/** Declared SQLite storage class that is certain enough to check against the target type. */
function declaredClass(declaredType: string): 'integer' | 'real' | 'blob' | null {
  const typname = mapSqliteType(declaredType).typname;
  if (typname === 'int2' || typname === 'int8') return 'integer';
  if (typname === 'float8') return 'real';
  if (typname === 'bytea') return 'blob';
  return null;
}

interface SourceTableView {
  schema?: string;
  name: string;
  columns: Array<{ name: string; declaredType?: string; pgType?: string; sequence?: string }>;
  sqlite?: SqliteTable;
  pg?: PgTable;
  extension?: string;
}

function sourceViews(source: SourceSchema, targetSchema: string): SourceTableView[] {
  if (source.kind === 'sqlite') {
    // SQLite has no schemas: its tables go to the target's current schema.
    return source.tables.map((t) => ({ schema: targetSchema, name: t.name, columns: t.columns.map((c) => ({ name: c.name, declaredType: c.declaredType })), sqlite: t }));
  }
  return source.tables.map((t) => ({ schema: t.schema, name: t.name, columns: t.columns.filter((c) => !c.generated).map((c) => ({ name: c.name, pgType: c.type.sql, ...(c.sequence ? { sequence: c.sequence } : {}) })), pg: t, ...(t.extension ? { extension: t.extension } : {}) }));
}

export function buildCopyPlan(source: SourceSchema, targetTables: PgTable[], options: PlanOptions): CopyPlan {
  const problems: string[] = [];
  const warnings: string[] = [];
  const { selected: views, leftOut, warnings: scopeWarnings } = resolveScope(sourceViews(source, options.targetSchema), {
    include: options.include,
    exclude: options.exclude,
    sourceKind: source.kind,
    ...(options.sourceInput ? { sourceInput: options.sourceInput } : {}),
    ...(options.sourceLocation ? { sourceLocation: options.sourceLocation } : {}),
    display: (t) => displayName(t.schema ?? options.targetSchema, t.name),
  });
  warnings.push(...scopeWarnings);
  checkSourceRowSecurity(views.flatMap((v) => (v.pg ? [v.pg] : [])), options);
  const targetSchemas = new Set(targetTables.map((t) => t.schema));
  const toCreate: SqliteTable[] = [];
  const missingTables: CopyPlan['missingTables'] = [];
  const plans: TablePlan[] = [];
  for (const view of views) {
    const schema = view.schema ?? options.targetSchema;
    let target = findByName(targetTables.filter((t) => t.schema === schema), view.name);
    if (!target && options.createTables && view.sqlite) {
      toCreate.push(view.sqlite);
    } else if (!target && options.leaveOutMissing) {
      leftOut.push({ table: displayName(schema, view.name), reason: options.leaveOutMissing });
      continue;
    } else if (!target) {
      missingTables.push({ display: displayName(schema, view.name), sourceName: view.name, ...(view.schema ? { sourceSchema: view.schema } : {}) });
      const hint = source.kind === 'sqlite' ? ' (use create-tables to create it from the SQLite schema, or run the migrations first)' : targetSchemas.has(schema) ? '' : ` (the target has no tables in schema ${displayIdentifier(schema)})`;
      problems.push(`table ${displayName(schema, view.name)} does not exist in the target${hint}`);
      continue;
    }
    plans.push({ key: target ? pgTableKey(target.schema, target.name) : pgTableKey(schema, view.name), display: displayName(schema, target?.name ?? view.name), sourceName: view.name, ...(source.kind === 'postgres' ? { sourceSchema: view.schema } : {}), target: target!, columns: [], keyColumns: [], ...(view.sqlite ? { sqlite: view.sqlite } : {}) });
  }
  if (toCreate.length > 0) {
    // Table names (long ones cut or hashed) first: foreign keys and index names depend on them.
    const existingNames = targetTables.filter((t) => t.schema === options.targetSchema).map((t) => t.name);
    const taken = new Set([...(options.targetRelations ?? []), ...existingNames]);
    const tableNames = assignIdentifiers(toCreate.map((t) => t.name), taken);
    const relationNames = new SchemaNames([...taken, ...tableNames.names.values()]);
    const creating = new Map(toCreate.map((t) => [t.name.toLowerCase(), { sqlite: t, name: tableNames.names.get(t.name)! }]));
    const context = { schema: options.targetSchema, creating, existing: targetTables, relationNames, types: options.typeMapping ?? { keepLengths: true } };
    for (const plan of plans) {
      if (plan.target) continue;
      const name = tableNames.names.get(plan.sqlite!.name)!;
      plan.ddl = createTableDdl(plan.sqlite!, name, context);
      const rename = tableNames.renames.find((r) => r.from === plan.sqlite!.name);
      if (rename) plan.ddl.renames.unshift({ ...rename, kind: 'table' });
      plan.target = plan.ddl.table;
      plan.key = pgTableKey(options.targetSchema, name);
      plan.display = displayName(options.targetSchema, name);
    }
  }

  for (const plan of plans) {
    const view = views.find((v) => v.name === plan.sourceName && (plan.sourceSchema === undefined || v.schema === plan.sourceSchema))!;
    const used = new Set<PgColumn>();
    for (const column of view.columns) {
      const created = plan.ddl?.columnNames.get(column.name);
      const target = created !== undefined ? plan.target.columns.find((c) => c.name === created) : findByName(plan.target.columns, column.name);
      if (!target) {
        problems.push(`column ${plan.display}.${column.name} exists in the source but not in the target table`);
        continue;
      }
      used.add(target);
      if (target.generated) continue; // computed by Postgres from the other columns
      const declared = column.declaredType !== undefined ? declaredClass(column.declaredType) : null;
      if (declared && findCastRule(target.type.kind, declared).target === '*') {
        problems.push(`column ${plan.display}.${target.name}: SQLite declares ${column.declaredType}, which cannot convert to ${target.type.sql}`);
      }
      plan.columns.push({ source: column.name, target, ...(column.pgType && column.pgType !== target.type.sql ? { sourceType: column.pgType } : {}), ...(column.sequence ? { sourceSequence: column.sequence } : {}) });
    }
    for (const column of plan.target.columns) {
      if (!used.has(column) && column.notNull && !column.hasDefault && !column.generated) {
        problems.push(`column ${plan.display}.${column.name} is NOT NULL without a default, and the source has no such column`);
      }
    }
    plan.keyColumns = plan.target.primaryKey.map((name) => plan.columns.find((c) => c.target.name === name)).filter((c): c is ColumnPlan => c !== undefined);
    if (plan.keyColumns.length !== plan.target.primaryKey.length) plan.keyColumns = [];
  }

  const access = targetAccessFindings(plans);
  problems.push(...access.problems);
  const sourceTables = new Map(plans.flatMap((p) => {
    const view = views.find((v) => v.name === p.sourceName && v.schema === p.sourceSchema && v.pg);
    return view?.pg ? [[p, view.pg] as const] : [];
  }));
  problems.push(...privilegeProblems(plans, sourceTables, options.ifTargetNotEmpty));
  warnings.push(...access.warnings);

  const keys = new Set(plans.map((p) => p.key));
  const edges: FkEdge[] = [];
  // Adding a foreign key locks its parent SHARE ROW EXCLUSIVE until COMMIT: two created tables whose
  // keys reference one table outside the copy, loading in two transactions, would wait on each other.
  const outsideParents = new Map<string, string[]>();
  for (const plan of plans) {
    for (const fk of plan.target.foreignKeys) {
      const parent = pgTableKey(fk.refSchema, fk.refTable);
      if (keys.has(parent)) edges.push({ child: plan.key, parent, deferrable: fk.deferrable });
      else if (plan.ddl) outsideParents.set(parent, [...(outsideParents.get(parent) ?? []), plan.key]);
    }
  }
  const links = [...outsideParents.values()].flatMap((children) => children.slice(1).map((child, i): [string, string] => [children[i], child]));
  return { tables: plans, edges, links, problems, warnings, missingTables, leftOut };
}
