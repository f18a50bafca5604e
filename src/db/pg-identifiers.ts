// Identifier and literal quoting for SQL we build ourselves. Real schemas have tables named
// `Order`, `Order Details` and `user`: every identifier is quoted, always.

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** schema.table, both quoted. */
export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
