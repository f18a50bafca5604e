// include/exclude inputs: comma-separated glob patterns with * and ?, matched case-insensitively
// against a table's name, or against schema.name when the pattern itself contains a dot.

export interface NamedTable {
  schema?: string;
  name: string;
}

/** Tables no copy or verify ever touches: cutover's own history and SQLite's bookkeeping. */
export function isAlwaysExcluded(table: NamedTable): boolean {
  return table.name === 'cutover_migrations' || table.name === 'cutover_copy_journal' || /^sqlite_/i.test(table.name);
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function matches(table: NamedTable, pattern: string): boolean {
  const unquoted = pattern.replace(/"/g, '');
  const dot = unquoted.indexOf('.');
  if (dot >= 0 && table.schema !== undefined) {
    return globToRegExp(unquoted.slice(0, dot)).test(table.schema) && globToRegExp(unquoted.slice(dot + 1)).test(table.name);
  }
  return globToRegExp(dot >= 0 ? unquoted.slice(dot + 1) : unquoted).test(table.name);
}

export function isTableSelected(table: NamedTable, include: string[], exclude: string[]): boolean {
  if (isAlwaysExcluded(table)) return false;
  if (include.length > 0 && !include.some((pattern) => matches(table, pattern))) return false;
  return !exclude.some((pattern) => matches(table, pattern));
}

