// The few warning rules of a dry run, each grounded in something measured on the throwaway (not in
// the text of the SQL), and each only for tables that exist before the new migrations (production's
// tables) and hold rows: a table created by the same pull request has no traffic to block yet.
// The README's "What a dry run measures" table mirrors RULES; a unit test keeps them in step.
import type { Finding, FindingRule, LockTaken, MeasuredStatement, SchemaChanges } from '../dry-run-report.js';
import { lockStrength } from './lock-modes.js';

export interface Rule {
  title: string;
  why: string;
  instead: string;
}

export const RULES: Record<FindingRule, Rule> = {
  'index-blocks-writes': {
    title: 'Index built without CONCURRENTLY',
    why: 'CREATE INDEX holds a SHARE lock on the table for the whole build: every INSERT, UPDATE and DELETE on it waits, and the queries queued behind them too.',
    instead: 'CREATE INDEX CONCURRENTLY in a migration of its own marked `-- cutover:no-transaction` (for a unique constraint: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX).',
  },
  'table-rewrite': {
    title: 'Table rewritten',
    why: 'The whole table is copied under ACCESS EXCLUSIVE: nothing reads or writes it until the migration commits, and the time grows with the table.',
    instead: 'Add a new column, backfill it in batches, switch the application over, then drop the old column; change types in ways that need no rewrite (varchar(n) to a larger n or text, numeric to a larger precision).',
  },
  'validation-scan': {
    title: 'Constraint checked by a full scan under a blocking lock',
    why: 'SET NOT NULL, or a CHECK or FOREIGN KEY added valid, reads every row while the table lock blocks writes (ALTER TABLE: reads too).',
    instead: 'ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later migration (it blocks neither reads nor writes); for NOT NULL, a validated CHECK (col IS NOT NULL) first lets SET NOT NULL skip the scan.',
  },
  'long-exclusive-lock': {
    title: 'ACCESS EXCLUSIVE held 1 s or longer',
    why: 'While it is held every query on the table waits, and they pile up behind it: the application stalls for that long (longer on production-sized data).',
    instead: 'Keep the transaction that takes it short: move backfills and index builds out of it, split the migration, and keep migration-lock-timeout so it never queues behind the application either.',
  },
  'drops-data': {
    title: 'Drops data',
    why: 'The values of a dropped table or column are gone for good, and application code that still reads it fails once this is deployed.',
    instead: 'Stop reading and writing it in a release first (and keep a backup if it may be needed), then drop it in a later migration.',
  },
};

/** An ACCESS EXCLUSIVE lock held at least this long (measured on the throwaway) is a finding. */
export const LONG_LOCK_MS = 1_000;

export interface RuleContext {
  migration: string;
  /** schema.name of the tables that existed before the new migrations. */
  baseTables: Set<string>;
}

/**
 * The strongest lock on each table while each statement runs: inside a transaction, what earlier
 * statements took is still held (PostgreSQL releases table locks at commit); a no-transaction
 * statement holds only its own.
 */
export function locksHeld(statements: MeasuredStatement[]): Array<Map<string, LockTaken & { since: number }>> {
  const held = new Map<string, LockTaken & { since: number }>();
  return statements.map((statement) => {
    const own = new Map<string, LockTaken & { since: number }>();
    const into = statement.inTransaction ? held : own;
    for (const lock of statement.locks) {
      const known = into.get(lock.relation);
      if (!known || lockStrength(lock.mode) > lockStrength(known.mode)) into.set(lock.relation, { ...lock, since: statement.line });
    }
    return new Map(into);
  });
}

/** Findings of one migration from its measured statements, in statement order. */
export function statementFindings(statements: MeasuredStatement[], context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const inBase = (table: string) => context.baseTables.has(table);
  const held = locksHeld(statements);
  statements.forEach((statement, position) => {
    const at = { migration: context.migration, line: statement.line };
    for (const index of statement.indexesBuilt) {
      if (index.concurrently || index.rows === 0 || !inBase(index.table)) continue;
      const lock = held[position].get(index.table);
      findings.push({ rule: 'index-blocks-writes', ...at, table: index.table, rows: index.rows, durationMs: statement.durationMs, detail: index.index, ...(lock ? { mode: lock.mode } : {}) });
    }
    for (const rewrite of statement.rewrites) {
      if (rewrite.rows === 0 || !inBase(rewrite.table)) continue;
      findings.push({ rule: 'table-rewrite', ...at, table: rewrite.table, rows: rewrite.rows, durationMs: statement.durationMs });
    }
    for (const validation of statement.validations) {
      const lock = held[position].get(validation.table);
      if (validation.rows === 0 || !inBase(validation.table) || !lock || lock.blocks === 'nothing') continue;
      findings.push({ rule: 'validation-scan', ...at, table: validation.table, rows: validation.rows, durationMs: statement.durationMs, detail: validation.what, mode: lock.mode });
    }
    for (const lock of statement.locks) {
      if (lock.mode !== 'AccessExclusiveLock' || !inBase(lock.relation)) continue;
      // Held until the migration's transaction ends; a no-transaction statement holds it only while it runs.
      const held = statement.inTransaction
        ? statements.slice(position).filter((s) => s.inTransaction).reduce((sum, s) => sum + s.durationMs, 0)
        : statement.durationMs;
      if (held >= LONG_LOCK_MS) findings.push({ rule: 'long-exclusive-lock', ...at, table: lock.relation, durationMs: held, mode: lock.mode });
    }
  });
  return findings;
}

/** drops-data: dropped tables and columns that held data on the throwaway, attributed to `migration`. */
export function dropFindings(changes: SchemaChanges, migration: string): Finding[] {
  const findings: Finding[] = [];
  for (const table of changes.tables) {
    if (table.change === 'dropped') {
      if (table.rows) findings.push({ rule: 'drops-data', migration, table: table.table, rows: table.rows });
      continue;
    }
    for (const item of table.items) {
      if (item.kind === 'column' && item.change === 'dropped' && item.rows) findings.push({ rule: 'drops-data', migration, table: table.table, rows: item.rows, detail: `column ${item.name}` });
    }
  }
  return findings;
}
