// include/exclude inputs: comma-separated glob patterns with * and ?, matched case-insensitively
// against a table's name, or against schema.name when the pattern itself contains a dot.
import { CUTOVER_TABLES } from './managed-schemas.js';

export interface NamedTable {
  schema?: string;
  name: string;
}

/** Tables no copy or verify ever touches: cutover's own tables and SQLite's bookkeeping. */
export function isAlwaysExcluded(table: NamedTable): boolean {
  return CUTOVER_TABLES.has(table.name) || /^sqlite_/i.test(table.name);
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function splitPattern(pattern: string): { schema?: string; name: string } {
  const unquoted = pattern.replace(/"/g, '');
  const dot = unquoted.indexOf('.');
  return dot >= 0 ? { schema: unquoted.slice(0, dot), name: unquoted.slice(dot + 1) } : { name: unquoted };
}

export function patternMatches(table: NamedTable, pattern: string): boolean {
  const parts = splitPattern(pattern);
  if (parts.schema !== undefined && table.schema !== undefined && !globToRegExp(parts.schema).test(table.schema)) return false;
  return globToRegExp(parts.name).test(table.name);
}

export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** The pattern names the table's schema without wildcards (`auth.users`, `auth.*`): an explicit choice. */
export function namesSchemaOf(pattern: string, table: NamedTable): boolean {
  const { schema } = splitPattern(pattern);
  return schema !== undefined && table.schema !== undefined && !hasWildcard(schema) && schema.toLowerCase() === table.schema.toLowerCase();
}

export function isTableSelected(table: NamedTable, include: string[], exclude: string[]): boolean {
  if (isAlwaysExcluded(table)) return false;
  if (include.length > 0 && !include.some((pattern) => patternMatches(table, pattern))) return false;
  return !exclude.some((pattern) => patternMatches(table, pattern));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** Up to three tables whose name (or schema.name, for a qualified entry) is a small typo away. */
export function similarTables<T extends NamedTable>(pattern: string, tables: T[]): T[] {
  const parts = splitPattern(pattern);
  const wanted = (parts.schema !== undefined ? `${parts.schema}.${parts.name}` : parts.name).toLowerCase();
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  return tables
    .map((table) => ({ table, distance: editDistance(wanted, (parts.schema !== undefined && table.schema !== undefined ? `${table.schema}.${table.name}` : table.name).toLowerCase()) }))
    .filter((c) => c.distance <= allowed)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map((c) => c.table);
}
