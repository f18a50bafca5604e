// Which source table goes into which target table, column by column, and every problem that can
// be found before writing anything (the preflight): missing target table or column, a NOT NULL
// target column nothing fills, a cast no rule can do. Problems are collected, then reported at once.
import type { PgColumn, PgTable } from '../../db/pg-introspect.js';
import { pgTableKey } from '../../db/pg-introspect.js';
import type { SqliteTable } from '../../db/sqlite-introspect.js';
import { findCastRule } from '../cast/cast-rules.js';
import { createTableDdl, type TableDdl } from './create-table-ddl.js';
import type { FkEdge } from './fk-order.js';
import { mapSqliteType } from './sqlite-type-mapping.js';
import { isTableSelected } from './table-patterns.js';

export interface ColumnPlan {
  source: string;
  target: PgColumn;
  /** Postgres source: the source column's type (format_type), when it differs from the target's. */
  sourceType?: string;
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
  problems: string[];
  warnings: string[];
  /** Selected source tables with no target table (and not being created). */
  missingTables: Array<{ display: string; sourceName: string; sourceSchema?: string }>;
}

export type SourceSchema = { kind: 'sqlite'; tables: SqliteTable[] } | { kind: 'postgres'; tables: PgTable[] };

export interface PlanOptions {
  include: string[];
  exclude: string[];
  createTables: boolean;
  /** Where unqualified tables live in the target (current_schema()). */
  targetSchema: string;
}

// Keywords that cannot stand unquoted as a table name (so the display name stays valid SQL).
const KEYWORDS = new Set(('all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast char character check coalesce collate collation column concurrently constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user dec decimal default deferrable desc distinct do double else end except exists extract false fetch float for foreign freeze from full grant greatest group grouping having ilike in initially inner inout int integer intersect interval into is isnull join lateral leading least left like limit localtime localtimestamp national natural nchar none normalize not notnull null nullif numeric offset on only or order out outer overlaps overlay placing position precision primary real references returning right row select session_user setof similar smallint some substring symmetric table tablesample then time timestamp to trailing treat trim true union unique user using values varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable').split(' '));

export function displayName(schema: string, name: string): string {
  const show = (part: string) => (/^[a-z_][a-z0-9_$]*$/.test(part) && !KEYWORDS.has(part) ? part : `"${part.replace(/"/g, '""')}"`);
  return `${show(schema)}.${show(name)}`;
}

function findByName<T extends { name: string }>(items: T[], name: string): T | undefined {
  return items.find((i) => i.name === name) ?? items.find((i) => i.name.toLowerCase() === name.toLowerCase());
}

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
  columns: Array<{ name: string; declaredType?: string; pgType?: string }>;
  sqlite?: SqliteTable;
}

function sourceViews(source: SourceSchema, targetSchema: string): SourceTableView[] {
  if (source.kind === 'sqlite') {
    return source.tables.map((t) => ({ schema: targetSchema, name: t.name, columns: t.columns.map((c) => ({ name: c.name, declaredType: c.declaredType })), sqlite: t }));
  }
  return source.tables.map((t) => ({ schema: t.schema, name: t.name, columns: t.columns.filter((c) => !c.generated).map((c) => ({ name: c.name, pgType: c.type.sql })) }));
}

export function buildCopyPlan(source: SourceSchema, targetTables: PgTable[], options: PlanOptions): CopyPlan {
  const problems: string[] = [];
  const warnings: string[] = [];
  const qualifiedPatterns = options.include.some((p) => p.includes('.'));
  const views = sourceViews(source, options.targetSchema).filter((t) =>
    isTableSelected(t, options.include, options.exclude) && (qualifiedPatterns || t.schema === options.targetSchema || source.kind === 'sqlite'),
  );
  const creating = new Map<string, SqliteTable>();
  const missingTables: CopyPlan['missingTables'] = [];
  const plans: TablePlan[] = [];
  for (const view of views) {
    const schema = view.schema ?? options.targetSchema;
    let target = findByName(targetTables.filter((t) => t.schema === schema), view.name);
    if (!target && options.createTables && view.sqlite) {
      creating.set(view.sqlite.name.toLowerCase(), view.sqlite);
    } else if (!target) {
      missingTables.push({ display: displayName(schema, view.name), sourceName: view.name, ...(view.schema ? { sourceSchema: view.schema } : {}) });
      problems.push(`table ${displayName(schema, view.name)} does not exist in the target${source.kind === 'sqlite' ? ' (use create-tables to create it from the SQLite schema, or run the migrations first)' : ''}`);
      continue;
    }
    plans.push({ key: target ? pgTableKey(target.schema, target.name) : pgTableKey(schema, view.name), display: displayName(schema, target?.name ?? view.name), sourceName: view.name, ...(source.kind === 'postgres' ? { sourceSchema: view.schema } : {}), target: target!, columns: [], keyColumns: [], ...(view.sqlite ? { sqlite: view.sqlite } : {}) });
  }
  for (const plan of plans) {
    if (plan.target) continue;
    plan.ddl = createTableDdl(plan.sqlite!, options.targetSchema, creating);
    plan.target = plan.ddl.table;
    warnings.push(...plan.ddl.warnings);
  }

  for (const plan of plans) {
    const view = views.find((v) => v.name === plan.sourceName && (plan.sourceSchema === undefined || v.schema === plan.sourceSchema))!;
    const used = new Set<PgColumn>();
    for (const column of view.columns) {
      const target = findByName(plan.target.columns, column.name);
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
      plan.columns.push({ source: column.name, target, ...(column.pgType && column.pgType !== target.type.sql ? { sourceType: column.pgType } : {}) });
    }
    for (const column of plan.target.columns) {
      if (!used.has(column) && column.notNull && !column.hasDefault && !column.generated) {
        problems.push(`column ${plan.display}.${column.name} is NOT NULL without a default, and the source has no such column`);
      }
    }
    plan.keyColumns = plan.target.primaryKey.map((name) => plan.columns.find((c) => c.target.name === name)).filter((c): c is ColumnPlan => c !== undefined);
    if (plan.keyColumns.length !== plan.target.primaryKey.length) plan.keyColumns = [];
  }

  const keys = new Set(plans.map((p) => p.key));
  const edges: FkEdge[] = [];
  for (const plan of plans) {
    for (const fk of plan.target.foreignKeys) {
      const parent = pgTableKey(fk.refSchema, fk.refTable);
      if (keys.has(parent)) edges.push({ child: plan.key, parent, deferrable: fk.deferrable });
    }
  }
  return { tables: plans, edges, problems, warnings, missingTables };
}
