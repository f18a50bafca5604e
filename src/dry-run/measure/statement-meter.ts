// Measures each statement of the new migrations on the throwaway (the runner's observer, see
// src/migrate/migration-observer.ts). Inside a transaction the locks are read from pg_locks for the
// migration's own backend right after the statement, while its transaction is still open (PostgreSQL
// holds table locks until commit); a no-transaction statement (CREATE INDEX CONCURRENTLY …) ends its
// own transaction with it, so its locks are sampled from a second connection while it runs, and the
// report says how many samples that took. Rewrites are seen as a new relfilenode, validations as a
// NOT NULL or a valid CHECK/FOREIGN KEY that was not there before. The per-migration time limit
// (dry-run-timeout) is enforced here too: between statements, and by cancelling the running one.
import type pg from 'pg';
import type { MigrationObserver, ObservedUnit } from '../../migrate/migration-observer.js';
import { describeCause } from '../../errors.js';
import type { LockMode, LockTaken, MeasuredStatement } from '../dry-run-report.js';
import { countRows, isOwnRelation, qualifiedName, readCatalogState, relationLocks, sampleLocks, type CatalogState, type RelationState } from './catalog-state.js';
import { blocksOf, lockStrength } from './lock-modes.js';

/** Relations whose locks matter to the application (indexes are locked with their table). */
const LOCKED_KINDS = new Set(['r', 'p', 'm', 'v', 'f', 'S']);
const SQL_SHOWN = 400;
const SAMPLE_EVERY_MS = 2;

/** A new migration ran longer than dry-run-timeout on the throwaway. */
export class DryRunTimeout extends Error {
  readonly migration: string;
  readonly timeoutMs: number;
  constructor(migration: string, timeoutMs: number) {
    super(`${migration} ran longer than dry-run-timeout (${Math.round(timeoutMs / 1000)} s) on the throwaway database and was stopped`);
    this.migration = migration;
    this.timeoutMs = timeoutMs;
  }
}

function statementText(sql: string): string {
  const code = sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').replace(/;\s*$/, '').trim();
  return code.length <= SQL_SHOWN ? code : `${code.slice(0, SQL_SHOWN - 1)}…`;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface MeterOptions {
  /** A connection of its own to the throwaway: samples locks and cancels a statement that runs too long. */
  monitor: pg.Client;
  /** dry-run-timeout per migration; 0 = none. */
  timeoutMs: number;
}

export class StatementMeter implements MigrationObserver {
  /** Per migration, the statements measured (the failing one included). */
  readonly measured = new Map<string, MeasuredStatement[]>();
  /** Per migration, the relations (oids) it wrote rows to (ROW EXCLUSIVE) or emptied (TRUNCATE). */
  readonly written = new Map<string, Set<number>>();
  /** Per migration, statements that did not run after a failing one. */
  readonly notRun = new Map<string, number>();
  readonly timedOut = new Set<string>();
  /** Every relation seen by name, also after it was dropped (oid → schema.name). */
  readonly names = new Map<number, string>();
  private readonly pids = new WeakMap<object, number>();
  private readonly deadlines = new Map<string, number>();

  private readonly options: MeterOptions;

  constructor(options: MeterOptions) {
    this.options = options;
  }

  private async pidOf(client: pg.Client): Promise<number> {
    let pid = this.pids.get(client);
    if (pid === undefined) {
      pid = Number((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);
      this.pids.set(client, pid);
    }
    return pid;
  }

  private record(migration: string, statement: MeasuredStatement): void {
    this.measured.set(migration, [...(this.measured.get(migration) ?? []), statement]);
  }

  async observe(unit: ObservedUnit, execute: () => Promise<unknown>): Promise<unknown> {
    const client = unit.database.raw as pg.Client;
    const { timeoutMs, monitor } = this.options;
    if (unit.index === 0) {
      this.measured.delete(unit.migration);
      this.written.delete(unit.migration);
      this.deadlines.set(unit.migration, Date.now() + timeoutMs);
    }
    const deadline = this.deadlines.get(unit.migration) ?? Infinity;
    if (timeoutMs > 0 && Date.now() >= deadline) {
      this.timedOut.add(unit.migration);
      this.notRun.set(unit.migration, unit.total - unit.index);
      throw new DryRunTimeout(unit.migration, timeoutMs);
    }

    const pid = await this.pidOf(client);
    const before = await readCatalogState(client);
    for (const relation of before.relations.values()) this.names.set(relation.oid, qualifiedName(relation));
    const locksBefore = unit.inTransaction ? await relationLocks(client) : [];
    const statement: MeasuredStatement = {
      index: unit.index,
      line: unit.line,
      ...(unit.sql !== undefined ? { sql: statementText(unit.sql) } : {}),
      inTransaction: unit.inTransaction,
      durationMs: 0,
      locks: [],
      rewrites: [],
      indexesBuilt: [],
      validations: [],
    };

    // A no-transaction statement's locks end with it: sample them while it runs.
    const sampled = new Map<string, { oid: number; mode: LockMode }>();
    let sampling = !unit.inTransaction;
    let samples = 0;
    const sampler = (async () => {
      while (sampling) {
        const locks = await sampleLocks(monitor, pid).catch(() => undefined);
        if (!sampling) break;
        if (locks) {
          samples += 1;
          for (const lock of locks) sampled.set(`${lock.oid}:${lock.mode}`, lock);
        }
        await pause(SAMPLE_EVERY_MS);
      }
    })();
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            this.timedOut.add(unit.migration);
            monitor.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
          }, Math.max(0, deadline - Date.now()))
        : undefined;

    const started = performance.now();
    let result: unknown;
    try {
      result = await execute();
    } catch (error) {
      statement.durationMs = Math.round(performance.now() - started);
      statement.failed = true;
      statement.error = describeCause(error);
      sampling = false;
      await sampler;
      if (!unit.inTransaction) statement.locks = this.locksTaken(before, [...sampled.values()]);
      if (!unit.inTransaction) statement.lockSamples = samples;
      this.notRun.set(unit.migration, unit.total - unit.index - 1);
      this.record(unit.migration, statement);
      throw error;
    } finally {
      if (timer) clearTimeout(timer);
    }
    statement.durationMs = Math.round(performance.now() - started);
    sampling = false;
    await sampler;

    const held = unit.inTransaction ? await relationLocks(client) : [...sampled.values()];
    const taken = held.filter((lock) => !locksBefore.some((b) => b.oid === lock.oid && b.mode === lock.mode));
    statement.locks = this.locksTaken(before, taken);
    if (!unit.inTransaction) statement.lockSamples = samples;
    const command = (result as { command?: string } | undefined)?.command;
    const rowCount = (result as { rowCount?: number | null } | undefined)?.rowCount;
    if (command && ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(command) && typeof rowCount === 'number') statement.rows = { command, count: rowCount };

    const after = await readCatalogState(client);
    for (const relation of after.relations.values()) this.names.set(relation.oid, qualifiedName(relation));
    await this.compare(client, unit, statement, before, after, taken);
    this.record(unit.migration, statement);
    return result;
  }

  /** Strongest lock per relation that existed before the statement (new relations block no one). */
  private locksTaken(before: CatalogState, locks: Array<{ oid: number; mode: LockMode }>): LockTaken[] {
    const strongest = new Map<number, LockMode>();
    for (const lock of locks) {
      const relation = before.relations.get(lock.oid);
      if (!relation || !LOCKED_KINDS.has(relation.relkind) || isOwnRelation(relation)) continue;
      const known = strongest.get(lock.oid);
      if (!known || lockStrength(lock.mode) > lockStrength(known)) strongest.set(lock.oid, lock.mode);
    }
    return [...strongest].map(([oid, mode]) => {
      const relation = before.relations.get(oid)!;
      return { relation: qualifiedName(relation), relkind: relation.relkind, mode, blocks: blocksOf(mode) };
    });
  }

  private async compare(client: pg.Client, unit: ObservedUnit, statement: MeasuredStatement, before: CatalogState, after: CatalogState, taken: Array<{ oid: number; mode: LockMode }>): Promise<void> {
    const counts = new Map<number, number>();
    const rowsOf = async (relation: RelationState) => {
      if (!counts.has(relation.oid)) counts.set(relation.oid, await countRows(client, relation));
      return counts.get(relation.oid)!;
    };
    const written = this.written.get(unit.migration) ?? new Set<number>();
    for (const lock of taken) if (lock.mode === 'RowExclusiveLock' && before.relations.has(lock.oid)) written.add(lock.oid);

    for (const [oid, old] of before.relations) {
      const now = after.relations.get(oid);
      if (!now || !['r', 'm'].includes(old.relkind) || isOwnRelation(old)) continue;
      if (old.relfilenode !== 0 && now.relfilenode !== 0 && old.relfilenode !== now.relfilenode) {
        const rows = await rowsOf(now);
        statement.rewrites.push({ table: qualifiedName(old), rows });
        // A rewrite keeps the rows (ALTER COLUMN TYPE); new storage that is empty is a TRUNCATE.
        if (rows === 0) written.add(oid);
      }
    }
    const tableLock = (oid: number) => statement.locks.find((l) => l.relation === this.names.get(oid));
    for (const [oid, index] of after.relations) {
      if (index.relkind !== 'i' || before.relations.has(oid) || index.table === undefined) continue;
      const table = before.relations.get(index.table);
      if (!table || isOwnRelation(table)) continue;
      const lock = tableLock(index.table);
      // CONCURRENTLY: outside a transaction, and the table lock seen (if any was seen) blocks nothing.
      const concurrently = !unit.inTransaction && (lock ? lock.blocks === 'nothing' : /\bconcurrently\b/i.test(unit.sql ?? ''));
      statement.indexesBuilt.push({ index: qualifiedName(index), table: qualifiedName(table), rows: await rowsOf(after.relations.get(index.table) ?? table), concurrently });
    }
    for (const [key, column] of after.notNull) {
      if (before.notNull.has(key)) continue;
      const [rel, num] = key.split(':').map(Number);
      const table = before.relations.get(rel);
      // A column added by this statement (numbered above the old highest) needed no scan of old rows.
      if (!table || num > table.columns) continue;
      statement.validations.push({ what: `NOT NULL on column ${column}`, table: qualifiedName(table), rows: await rowsOf(after.relations.get(rel) ?? table) });
    }
    for (const [oid, constraint] of after.constraints) {
      const old = before.constraints.get(oid);
      if (old || !constraint.validated) continue;
      const table = before.relations.get(constraint.table);
      if (!table) continue;
      // Recreated under the same name (ALTER COLUMN TYPE rebuilds constraints): part of that rewrite.
      if ([...before.constraints.values()].some((c) => c.table === constraint.table && c.name === constraint.name)) continue;
      statement.validations.push({ what: `${constraint.type === 'c' ? 'CHECK' : 'FOREIGN KEY'} ${constraint.name}`, table: qualifiedName(table), rows: await rowsOf(after.relations.get(constraint.table) ?? table) });
    }
    this.written.set(unit.migration, written);
  }
}
