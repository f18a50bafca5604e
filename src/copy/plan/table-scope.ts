// Which source tables a copy or verify covers, and why each other one is left out. Default: every
// table the source lists (system schemas are never listed, see pg-introspect.ts) except managed
// schemas and extension-owned tables (managed-schemas.ts), cutover's own tables, and every migration
// tool's history table (src/tools/history-layouts.ts: alembic_version, django_migrations, …, found
// by name and columns); include and exclude narrow it down. An include entry that selects nothing, and an empty scope, are errors:
// a copy that quietly covers less than the user asked for would still report "verified".
import fs from 'node:fs';
import type { DatabaseLocation } from '../../db/database-url.js';
import { ScopeError } from '../../errors.js';
import type { LeftOutEntry } from '../../run-result.js';
import { historyReason, matchHistoryTable } from '../../tools/history-layouts.js';
import { CUTOVER_TABLES, managedSchemaReason } from './managed-schemas.js';
import { hasWildcard, namesSchemaOf, patternMatches, similarTables } from './table-patterns.js';

/** e.g. { table: 'auth.users', reason: 'Supabase platform schema' }, 'extension-owned (postgis)', "excluded by exclude pattern 'tmp_*'". */
export type LeftOutTable = LeftOutEntry;

export interface ScopeCandidate {
  /** Source schema; for SQLite sources the target schema the table goes to. */
  schema?: string;
  name: string;
  /** Postgres sources: the extension owning the table or its schema. */
  extension?: string;
  /** Its columns: what tells a tool's history table from an application table of the same name. */
  columns?: ReadonlyArray<{ name: string }>;
}

export interface ScopeOptions {
  include: string[];
  exclude: string[];
  sourceKind: 'sqlite' | 'postgres';
  /** e.g. "input 'source-url'", for messages. */
  sourceInput?: string;
  sourceLocation?: DatabaseLocation;
  display: (table: ScopeCandidate) => string;
}

export interface Scope<T extends ScopeCandidate> {
  selected: T[];
  leftOut: LeftOutTable[];
  /** Selected tables named like a tool's history whose columns fit no tool's layout. */
  warnings: string[];
}

const SHOWN = 10;

function listNames(names: string[], limit = SHOWN): string {
  return names.length > limit ? `${names.slice(0, limit).join(', ')} and ${names.length - limit} more` : names.join(', ');
}

/** Left out whatever include says: cutover's own tables. */
function alwaysLeftOut(table: ScopeCandidate): string | undefined {
  return CUTOVER_TABLES.get(table.name);
}

function historyMatch(table: ScopeCandidate, options: ScopeOptions) {
  if (!table.columns) return undefined;
  return matchHistoryTable(options.sourceKind === 'postgres' ? table.schema : undefined, table.name, table.columns.map((c) => c.name));
}

/** Another tool's migration history: left out unless an include entry names it without wildcards. */
function historyTableReason(table: ScopeCandidate, options: ScopeOptions): string | undefined {
  const match = historyMatch(table, options);
  return match?.kind === 'known' ? historyReason(match.layout) : undefined;
}

/** Left out unless an include entry names the schema literally. */
function managedReason(table: ScopeCandidate, options: ScopeOptions): string | undefined {
  if (options.sourceKind !== 'postgres' || table.schema === undefined) return undefined;
  return managedSchemaReason(table.schema) ?? (table.extension ? `extension-owned (${table.extension})` : undefined);
}

function leftOutReason(table: ScopeCandidate, options: ScopeOptions): string | undefined {
  const always = alwaysLeftOut(table);
  if (always) return always;
  const hits = options.include.filter((p) => patternMatches(table, p));
  const history = historyTableReason(table, options);
  if (history && !hits.some((p) => !hasWildcard(p))) return history;
  const managed = managedReason(table, options);
  if (managed && !hits.some((p) => namesSchemaOf(p, table))) return managed;
  if (options.include.length > 0 && hits.length === 0) return 'not matched by include';
  const excluded = options.exclude.find((p) => patternMatches(table, p));
  return excluded !== undefined ? `excluded by exclude pattern '${excluded}'` : undefined;
}

function includeProblems<T extends ScopeCandidate>(tables: T[], reasons: Map<T, string | undefined>, options: ScopeOptions): string[] {
  const unknown: string[] = [];
  const unusable: string[] = [];
  // What to suggest: the application's tables, not the platform's.
  const ordinary = tables.filter((t) => !alwaysLeftOut(t) && !managedReason(t, options));
  for (const pattern of options.include) {
    const hits = tables.filter((t) => patternMatches(t, pattern));
    if (hits.length === 0) {
      const similar = hasWildcard(pattern) ? [] : similarTables(pattern, ordinary.length ? ordinary : tables);
      const known = (ordinary.length ? ordinary : tables).map(options.display).sort();
      unknown.push(similar.length
        ? `'${pattern}' (did you mean ${similar.map(options.display).join(' or ')}?)`
        : `'${pattern}' (matches no table; the source has ${known.length ? listNames(known) : 'no tables'})`);
    } else if (hits.every((t) => reasons.get(t) !== undefined)) {
      const why = hits.map((t) => {
        const reason = reasons.get(t)!;
        const hint = alwaysLeftOut(t)
          ? 'never copied'
          : historyTableReason(t, options) === reason
            ? `name it without wildcards, e.g. ${options.display(t)}, to include it`
            : managedReason(t, options) === reason
              ? `name it with its schema, e.g. ${options.display(t)}, to include it`
              : undefined;
        return `${options.display(t)}, left out: ${reason}${hint ? ` (${hint})` : ''}`;
      });
      unusable.push(`'${pattern}' matches only ${why.slice(0, 3).join('; ')}${why.length > 3 ? ` and ${why.length - 3} more` : ''}`);
    }
  }
  const problems: string[] = [];
  if (unknown.length) problems.push(`include names ${unknown.length === 1 ? 'a table' : 'tables'} the source does not have: ${unknown.join(', ')}.`);
  if (unusable.length) problems.push(`include selects nothing that is copied: ${unusable.join('; ')}.`);
  return problems;
}

function sourceLabel(options: ScopeOptions): string {
  return `The source${options.sourceInput ? ` (${options.sourceInput})` : ''}`;
}

function emptySourceError(options: ScopeOptions): ScopeError {
  const input = options.sourceInput ?? 'the source URL';
  let what = 'it has no tables outside the system schemas';
  if (options.sourceLocation?.kind === 'sqlite') {
    const file = options.sourceLocation.path;
    what = fs.statSync(file, { throwIfNoEntry: false })?.size === 0
      ? `the SQLite file ${file} is empty (0 bytes)`
      : `the SQLite file ${file} holds no tables (views and sqlite_* tables are not copied)`;
  }
  return new ScopeError(`${sourceLabel(options)} has no tables: ${what}. There is nothing to copy or verify.`, {
    fix: `check that ${input} points at the database file or database that holds the data (not an empty placeholder or a freshly created file); relative paths are resolved from ${process.cwd()}.`,
  });
}

/** Splits the source's tables into those in scope and those left out (with why); throws ScopeError. */
export function resolveScope<T extends ScopeCandidate>(tables: T[], options: ScopeOptions): Scope<T> {
  if (tables.length === 0) throw emptySourceError(options);
  const reasons = new Map(tables.map((t) => [t, leftOutReason(t, options)] as const));
  const problems = includeProblems(tables, reasons, options);
  if (problems.length) {
    throw new ScopeError(problems.join(' '), {
      fix: 'correct or remove the include entries named here (names or patterns with * and ?, matched case-insensitively; schema-qualified, e.g. billing.invoices or auth.*, to pick a schema).',
    });
  }
  const selected = tables.filter((t) => reasons.get(t) === undefined);
  const leftOut = tables
    .filter((t) => reasons.get(t) !== undefined)
    .map((t) => ({ table: options.display(t), reason: reasons.get(t)! }))
    .sort((a, b) => a.table.localeCompare(b.table));
  const warnings = selected.flatMap((t) => {
    const match = historyMatch(t, options);
    if (match?.kind !== 'unknown') return [];
    const tools = match.expected.map((l) => `${l.label} (${l.columns.join(', ')})`).join(' or ');
    return [`${options.display(t)} is named like the migration history of ${tools}, but its columns (${t.columns!.map((c) => c.name).join(', ')}) fit no such layout: it is copied and verified like any other table. If it is a migration history, leave it out with exclude.`];
  });
  if (selected.length === 0) {
    throw new ScopeError(`Every table of the source was left out, so there is nothing to copy or verify: ${describeLeftOut(leftOut).replace(/\.$/, '')}.`, {
      fix: 'name the tables to copy in include (schema-qualified for a platform schema, e.g. auth.users), or narrow exclude.',
    });
  }
  return { selected, leftOut, warnings };
}

/** One line for the log: "Left out 3 tables — Supabase platform schema: auth.users, storage.objects; …". */
export function describeLeftOut(leftOut: LeftOutTable[]): string {
  const byReason = new Map<string, string[]>();
  for (const { table, reason } of leftOut) byReason.set(reason, [...(byReason.get(reason) ?? []), table]);
  const groups = [...byReason].map(([reason, names]) => `${reason}: ${listNames(names, 5)}`);
  return `Left out ${leftOut.length} table${leftOut.length === 1 ? '' : 's'} — ${groups.join('; ')}.`;
}
