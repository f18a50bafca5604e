// Turns what can go wrong while loading one table into a CopyError that names the table and says
// what to do; pg's code/detail/hint travel along through `cause` (describePgError).
import { CopyError, describeCause, isPgError } from '../../errors.js';
import { truncateValue } from './rejects-file.js';
import type { RowFailure } from '../read/sqlite-row-source.js';

export function conversionError(table: string, failure: RowFailure, targetType: string): CopyError {
  return new CopyError(
    `Cannot copy ${table}: the row with ${failure.key}, column "${failure.column}" (${targetType}): value ${truncateValue(failure.value)} ${failure.reason}. Nothing was written to the target.`,
    { fix: 'correct that value in the source, or set on-error: skip to copy everything else and write such rows to the rejects file.' },
  );
}

const FIXES: Record<string, string> = {
  '23505': 'the target already holds rows with these keys: use if-target-not-empty: truncate to replace them, or exclude the table.',
  '23503': 'the source has rows whose parent row does not exist (SQLite does not enforce foreign keys by default): fix or delete those rows in the source, or exclude the table.',
  '23502': 'the source has NULLs in a column that is NOT NULL in the target: fill them in the source or relax the target column.',
  '42501': 'grant the target user INSERT (and TRUNCATE for if-target-not-empty: truncate) on the table, and USAGE/UPDATE on its sequences.',
  '22001': 'a value is longer than the target column allows: widen the column in a migration.',
  '0A000': 'TRUNCATE fails when a table that is not copied references this one: include the referencing table, or use if-target-not-empty: append.',
};

export function loadError(table: string, cause: unknown): CopyError {
  if (cause instanceof CopyError) return cause;
  const code = isPgError(cause) ? cause.code : undefined;
  return new CopyError(`Loading ${table} into the target failed: ${describeCause(cause)}. The target was left as it was (the load is rolled back).`, {
    cause,
    fix: (code && FIXES[code]) ?? 'fix the cause above and run the copy again; a rerun starts from a clean slate.',
  });
}
