// The measuring hook of the runner. Without an observer nothing changes. With one (dry runs on
// PostgreSQL), every unit of a migration runs through `observe`: each SQL statement on its own, also
// inside the migration's transaction, and a JS migration as one unit, so that the observer can read
// what the unit did (time, locks, rewrites, rows) while the migration's transaction is still open.
import type { MigrationDatabase } from './migration-database.js';

export interface ObservedUnit {
  /** Migration name, e.g. 005_add_slug. */
  migration: string;
  direction: 'up' | 'down';
  /** 0-based position in the migration; `total` units in all. */
  index: number;
  total: number;
  /** The statement's text; undefined for a JS migration (measured as a whole). */
  sql?: string;
  /** File and 1-based line where the unit's code starts. */
  path: string;
  line: number;
  /** False for `-- cutover:no-transaction` files and modules: the unit is its own transaction. */
  inTransaction: boolean;
  /** The connection the unit runs on. */
  database: MigrationDatabase;
}

export interface MigrationObserver {
  /**
   * Runs `execute` exactly once (it sends the unit to the database and resolves to the driver's
   * result) and returns what it returned, or rethrows what it threw. May throw on its own before
   * `execute` (e.g. a time limit), which fails the migration like a failing statement.
   */
  observe(unit: ObservedUnit, execute: () => Promise<unknown>): Promise<unknown>;
}
