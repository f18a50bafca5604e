// Turns what can go wrong while loading tables into a CopyError that names the table, the side that
// failed (source or target) and the fix that fits this case; pg's code/detail/hint travel along
// through `cause` (describePgError). Every load error is raised inside the load transactions, which
// are then rolled back, so "the target was left as it was" is true whenever one of these is thrown.
import { ConnectionError, CopyError, describeCause, isPgError, type PgErrorFields } from '../../errors.js';
import type { IfTargetNotEmpty } from '../../settings.js';
import { displayName, type TablePlan } from '../plan/copy-plan.js';
import { truncateValue } from './rejects-file.js';
import type { RowFailure } from '../read/sqlite-row-source.js';

export interface LoadErrorContext {
  sourceKind: 'sqlite' | 'postgres';
  /** Keys (schema.name) of every target table this copy fills. */
  copied: Set<string>;
  ifTargetNotEmpty: IfTargetNotEmpty;
  /** The failing table was empty when its load started (a key built after the load found the duplicate). */
  targetWasEmpty?: boolean;
}

/** Errors raised by the source's side of a COPY pipe carry this mark (see copy-table.ts). */
export const SOURCE_SIDE = Symbol('cutover.sourceSide');

export function markSourceSide(error: unknown): void {
  if (error && typeof error === 'object') (error as { [SOURCE_SIDE]?: boolean })[SOURCE_SIDE] = true;
}

function fromSource(error: unknown): boolean {
  return Boolean(error && typeof error === 'object' && (error as { [SOURCE_SIDE]?: boolean })[SOURCE_SIDE]);
}

/** `declaredBySqlite`: a length or scale create-tables kept from the SQLite declaration (never enforced there). */
export function conversionError(table: string, failure: RowFailure, targetType: string, declaredBySqlite = false): CopyError {
  const fix = declaredBySqlite
    ? `SQLite does not enforce the length or scale it declares, so the value is valid there: shorten or round it in the source; or set create-tables-lengths: drop to create such columns as text and numeric (as pgloader does); or create ${table} yourself (e.g. a migration) with a wider column before the copy (create-tables creates only missing tables); or set on-error: skip to copy everything else and write such rows to the rejects file.`
    : 'correct that value in the source, or set on-error: skip to copy everything else and write such rows to the rejects file.';
  return new CopyError(
    `Cannot copy ${table}: the row with ${failure.key}, column "${failure.column}" (${targetType}): value ${truncateValue(failure.value)} ${failure.reason}. Nothing was written to the target.`,
    { fix },
  );
}

const LEFT_AS_IT_WAS = 'The target was left as it was (the load is rolled back).';

function foreignKeyFix(error: PgErrorFields, tables: TablePlan[], ctx: LoadErrorContext): string {
  const fk = tables.flatMap((t) => t.target.foreignKeys.map((k) => ({ table: t, k }))).find(({ k }) => k.name === error.constraint);
  if (fk && !ctx.copied.has(`${fk.k.refSchema}.${fk.k.refTable}`)) {
    const parent = displayName(fk.k.refSchema, fk.k.refTable);
    return `${fk.table.display} references ${parent} (constraint ${fk.k.name}), which this copy does not fill (left out by include/exclude or the default scope), and the target's ${parent} lacks those parent rows: include ${parent} in the copy, or load it into the target first.`;
  }
  return ctx.sourceKind === 'sqlite'
    ? 'the source has rows whose parent row does not exist (SQLite does not enforce foreign keys unless PRAGMA foreign_keys is on): fix or delete those rows in the source, or exclude the table.'
    : 'the source has rows whose parent row does not exist in what was copied: check the detail above in the source, fix those rows there, or exclude the table.';
}

function uniqueFix(ctx: LoadErrorContext): string {
  if (ctx.ifTargetNotEmpty === 'append' && !ctx.targetWasEmpty) return 'the target already holds rows with these keys: use if-target-not-empty: truncate to replace them, or exclude the table.';
  // The table was empty (or truncated) before the load: both rows came from the source.
  return ctx.sourceKind === 'sqlite'
    ? 'the source itself holds two rows with this key (SQLite lets a column without a UNIQUE or PRIMARY KEY constraint, or with mixed types such as 1 and \'1\', hold duplicates that the target\'s constraint refuses): remove the duplicates in the source, or relax the constraint in the target.'
    : 'the source itself holds two rows with this key (its table lacks the constraint the target has, or compares differently, e.g. another collation): remove the duplicates in the source, or align the target constraint.';
}

const ROW_SECURITY_FIX = 'row-level security on the target table refuses COPY for this role: copy as the table owner (cutover lifts FORCE ROW LEVEL SECURITY for the load inside its transaction) or as a role with BYPASSRLS, or disable row-level security on the table for the cutover.';

function targetFix(code: string | undefined, error: PgErrorFields, tables: TablePlan[], ctx: LoadErrorContext): string | undefined {
  switch (code) {
    case '23505':
      return uniqueFix(ctx);
    case '23P01':
      return ctx.ifTargetNotEmpty === 'append' && !ctx.targetWasEmpty
        ? 'a copied row conflicts with a row already in the target under an exclusion constraint: use if-target-not-empty: truncate, or remove the conflicting rows.'
        : 'two source rows conflict under an exclusion constraint of the target (e.g. overlapping ranges): fix those rows in the source, or change the constraint in a migration.';
    case '23503':
      return foreignKeyFix(error, tables, ctx);
    case '23502':
      return 'the source has NULLs in a column that is NOT NULL in the target: fill them in the source or relax the target column.';
    case '23514':
      return 'a source row breaks a CHECK constraint of the target: fix the row in the source or change the constraint in a migration.';
    case '42501':
      return /row-level security/i.test((error as Error).message ?? '')
        ? ROW_SECURITY_FIX
        : 'grant the target role INSERT (and TRUNCATE for if-target-not-empty: truncate) on the table and USAGE/UPDATE on its sequences, or copy as the table owner.';
    case '22001':
      return 'a value is longer than the target column allows: widen the column in a migration.';
    case '55P03':
      return "another session (the application, say) held a lock the load needed (on a table it writes, or a row or table its foreign keys check) for longer than lock-timeout: stop the application's use of the target's tables for the copy, or raise lock-timeout.";
    case '0A000':
      if (/row-level security/i.test((error as Error).message ?? '')) return ROW_SECURITY_FIX;
      return /truncate/i.test((error as Error).message ?? '')
        ? 'TRUNCATE fails when a table that is not copied references this one: include the referencing table, or use if-target-not-empty: append.'
        : undefined;
    default:
      return undefined;
  }
}

/** The server ended the session (terminated backend, shutdown, failover) or the socket broke. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  if (/^08/.test(code) || ['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  return error instanceof Error && /Connection terminated|connection (was )?closed|socket hang up/i.test(error.message);
}

export function connectionLost(side: 'source' | 'target', cause: unknown): ConnectionError {
  return new ConnectionError(`The connection to the ${side} was lost during the copy: ${describeCause(cause)}. Nothing was committed: the target is as it was.`, {
    cause,
    fix: `check the ${side} server (a restart, a failover, a pooler that closed the connection, or a backend ended by pg_terminate_backend) and run the copy again; a rerun starts from a clean slate.`,
  });
}

export function loadError(table: string, cause: unknown, ctx?: LoadErrorContext, tables: TablePlan[] = []): CopyError | ConnectionError {
  if (cause instanceof CopyError || cause instanceof ConnectionError) return cause;
  if (isConnectionFailure(cause)) return connectionLost(fromSource(cause) ? 'source' : 'target', cause);
  const code = isPgError(cause) ? cause.code : undefined;
  if (fromSource(cause)) {
    const fix = code === '42501'
      ? 'grant the source role SELECT on the table (and USAGE on its schema), or read the source as its owner.'
      : 'check the source database and its logs, then run the copy again; a rerun starts from a clean slate.';
    return new CopyError(`Reading ${table} from the source failed: ${describeCause(cause)}. ${LEFT_AS_IT_WAS}`, { cause, fix });
  }
  const fix = (ctx && isPgError(cause) ? targetFix(code, cause, tables, ctx) : undefined) ?? 'fix the cause above and run the copy again; a rerun starts from a clean slate.';
  return new CopyError(`Loading ${table} into the target failed: ${describeCause(cause)}. ${LEFT_AS_IT_WAS}`, { cause, fix });
}
