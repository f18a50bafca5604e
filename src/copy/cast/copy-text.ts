// PostgreSQL COPY text format: one line per row, fields separated by tabs, NULL as \N, and
// backslash, newline, carriage return and tab escaped with a backslash (bytea's '\x…' therefore
// travels as '\\x…'). See https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2.

const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export const COPY_NULL = '\\N';

export function escapeCopyField(value: string | null): string {
  if (value === null) return COPY_NULL;
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (ch) => ESCAPES[ch]) : value;
}
