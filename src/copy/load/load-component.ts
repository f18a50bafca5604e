// Loads one component (tables linked by foreign keys, parents first) inside its group's open
// transaction: create-tables DDL, TRUNCATE, owner-only guards lifted (user triggers, FORCE RLS),
// foreign keys between its owned tables dropped for one bulk check afterwards, indexes of empty owned
// tables dropped for a build after the load (index-rebuild.ts), COPY per table, deferrable constraints
// checked, keys rebuilt and re-added, sequences set (sequence-positions.ts). Nothing here commits;
// see load-groups.ts.
import type pg from 'pg';
import { qualifiedName } from '../../db/pg-identifiers.js';
import { CopyError } from '../../errors.js';
import type { TableEntry } from '../../run-result.js';
import type { Runtime } from '../../runtime.js';
import type { CopySettings } from '../../settings.js';
import type { SqliteDatabase } from '../../db/sqlite-driver.js';
import { pgTotals, type Totals } from '../../verify/pg-checksums.js';
import { HashSum } from '../../verify/row-hash.js';
import type { TablePlan } from '../plan/copy-plan.js';
import { targetCanonical } from '../plan/plan-canonical.js';
import type { PgSnapshot } from '../read/pg-snapshot.js';
import { copyPgTable, copySqliteTable } from './copy-table.js';
import { createOptionalObjects } from './create-schema-objects.js';
import { readSequenceStates, type JournalEntry } from './copy-journal.js';
import { resetSequences, sequenceNames, sourcePositions, type SequenceSet } from './sequence-positions.js';
import { pendingDeferrableConstraints } from './deferred-checks.js';
import { dropForeignKeysForLoad, restoreForeignKeys } from './fk-bulk-check.js';
import { buildAfterLoad, dropIndexesForLoad } from './index-rebuild.js';
import { conversionError, loadError, type LoadErrorContext } from './load-errors.js';
import { liftGuards, readTableGuards, type TableGuards } from './owned-table-guards.js';
import { TableProgress } from './progress-reporter.js';
import type { RejectsFile } from './rejects-file.js';
import type { SourceSequence } from './standalone-sequences.js';
import type { TableLockTimes } from './table-locks.js';

export interface LoadContext {
  copy: CopySettings;
  runtime: Runtime;
  connectTarget: () => Promise<pg.Client>;
  sqlite?: SqliteDatabase;
  snapshot?: PgSnapshot;
  rejects: RejectsFile;
  entries: Map<string, TableEntry>;
  /** SQLite sources: the inline checksum of the rows sent, per table key. */
  hashes: Map<string, HashSum>;
  /** append: the target's totals before the load, per table key. */
  baselines: Map<string, Totals>;
  expectedRows: Map<string, number>;
  /** Samples: rows per table left out because their parents are outside the sample. */
  sampleSkipped: Map<string, number>;
  /** For error messages: which tables the copy leaves out, and whether targets were empty. */
  errorContext: LoadErrorContext;
  /** Several transactions commit one after another: record sequence positions for the journal. */
  journaling: boolean;
  /** Postgres source: sequences no copied column uses, set in the first transaction (standalone-sequences.ts). */
  standaloneSequences?: SourceSequence[];
  /** How the load waits for its target tables' locks (table-locks.ts). */
  tableLocks: TableLockTimes;
  /** Set when a SQLite table was read by worker threads (see sqlite-snapshot.ts). */
  readByWorkers?: boolean;
  signal?: AbortSignal;
}

/** What a group's transaction changed that must be put back or recorded before COMMIT. */
export interface GroupChanges {
  guards: TableGuards[];
  journal: JournalEntry[];
  /** setval of sequences the role does not own, run in the commit phase (sequence-positions.ts). */
  sequencesAtCommit: SequenceSet[];
}

/** Samples: rows left out for foreign keys make the sample's checksum incomparable (see verify). */
function noteSkipped(ctx: LoadContext, table: TablePlan, skipped: number | undefined): void {
  if (!skipped) return;
  ctx.sampleSkipped.set(table.key, skipped);
  ctx.hashes.delete(table.key);
}

async function loadTable(client: pg.ClientBase, reader: pg.ClientBase | undefined, table: TablePlan, ctx: LoadContext, signal: AbortSignal): Promise<void> {
  const entry = ctx.entries.get(table.key)!;
  const progress = new TableProgress(ctx.runtime, table.display, ctx.expectedRows.get(table.key));
  const started = Date.now();
  try {
    if (ctx.sqlite) {
      const hash = ctx.copy.checksums ? new HashSum() : null;
      if (hash) ctx.hashes.set(table.key, hash);
      const result = await copySqliteTable(client, ctx.sqlite, table, {
        hash,
        jobs: ctx.copy.jobs,
        log: (message) => ctx.runtime.info(message),
        ...(ctx.copy.sampleRows !== undefined ? { limit: ctx.copy.sampleRows } : {}),
        signal,
        onRows: (rows) => progress.update(rows),
        onFailure: (failure) => {
          const type = table.columns.find((c) => c.source === failure.column)?.target.type;
          if (ctx.copy.onError === 'fail') throw conversionError(table.display, failure, type?.sql ?? '?', type?.strict);
          ctx.rejects.write({ table: table.display, key: failure.keyValues, column: failure.column, reason: failure.reason, value: failure.value });
        },
      });
      Object.assign(entry, { sourceRows: result.rowsRead, copiedRows: result.copied, rejectedRows: result.rejected });
      if (result.parallel) ctx.readByWorkers = true;
      noteSkipped(ctx, table, result.skipped);
    } else {
      const result = await copyPgTable(client, reader!, table, { ...(ctx.copy.sampleRows !== undefined ? { limit: ctx.copy.sampleRows } : {}), signal, onRows: (rows) => progress.update(rows) });
      Object.assign(entry, { sourceRows: result.rowsRead, copiedRows: result.copied, rejectedRows: 0 });
      noteSkipped(ctx, table, result.skipped);
    }
    progress.done(entry.copiedRows ?? 0);
  } catch (error) {
    throw signal.aborted && !(error instanceof CopyError) ? signal.reason : loadError(table.display, error, ctx.errorContext, [table]);
  } finally {
    entry.durationMs = Date.now() - started;
  }
}

export async function loadComponent(client: pg.ClientBase, reader: pg.ClientBase | undefined, tables: TablePlan[], ctx: LoadContext, signal: AbortSignal, changes: GroupChanges): Promise<void> {
  const names = tables.map((t) => t.display).join(', ');
  for (const table of tables) if (table.ddl) await client.query(table.ddl.create);
  const existing = tables.filter((t) => !t.ddl);
  for (const table of tables) {
    changes.journal.push({ table: qualifiedName(table.target.schema, table.target.name), display: table.display, created: Boolean(table.ddl), rows: 0, sequences: table.ddl || !ctx.journaling ? [] : await readSequenceStates(client, await sequenceNames(client, table)) });
  }
  // Before TRUNCATE: it fires ON TRUNCATE user triggers too.
  for (const table of existing) {
    const guards = await readTableGuards(client, table.target.schema, table.target.name);
    // Tables the role does not own keep their triggers (the preflight warned); verification catches them.
    changes.guards.push(await liftGuards(client, guards));
  }
  if (ctx.copy.ifTargetNotEmpty === 'truncate' && existing.length > 0) {
    // One statement for the whole component: truncating a parent alone fails while a child references it.
    try {
      await client.query(`TRUNCATE ${existing.map((t) => qualifiedName(t.target.schema, t.target.name)).join(', ')}`);
    } catch (error) {
      throw loadError(existing.map((t) => t.display).join(', '), error, ctx.errorContext, existing);
    }
  }
  if (ctx.copy.ifTargetNotEmpty === 'append') {
    for (const table of existing) ctx.baselines.set(table.key, await pgTotals(client, targetCanonical(table), ctx.copy.checksums));
  }
  // Samples filter child rows by their parents in SQL, which needs no dropped keys; otherwise bulk checks.
  const held = ctx.copy.sampleRows === undefined ? await dropForeignKeysForLoad(client, existing, tables) : [];
  // Then the indexes and keys of tables that start empty: built once after the load (index-rebuild.ts).
  const indexes = ctx.copy.sampleRows === undefined ? await dropIndexesForLoad(client, existing) : { held: [], notes: [] };
  for (const note of indexes.notes) ctx.runtime.info(note);
  for (const table of tables) await loadTable(client, reader, table, ctx, signal);
  const checkNow = await pendingDeferrableConstraints(client, existing);
  if (checkNow.length > 0) {
    try {
      await client.query(`SET CONSTRAINTS ${checkNow.join(', ')} IMMEDIATE`);
    } catch (error) {
      throw loadError(names, error, ctx.errorContext, tables);
    }
  }
  await buildAfterLoad(client, indexes.held, ctx);
  const keysStarted = Date.now();
  try {
    await restoreForeignKeys(client, held);
  } catch (error) {
    throw loadError(names, error, ctx.errorContext, tables);
  }
  if (held.length > 0) ctx.runtime.info(`Re-added ${held.length === 1 ? '1 foreign key' : `${held.length} foreign keys`} on ${names} (one check each) in ${((Date.now() - keysStarted) / 1000).toFixed(1)} s.`);
  // create-tables: keys after the data (one bulk check each), primary keys and UNIQUE before the FKs that need them.
  const constraints = tables.flatMap((t) => t.ddl?.constraints ?? []);
  const foreignKeys = tables.flatMap((t) => t.ddl?.foreignKeys ?? []);
  for (const sql of [...constraints.filter((s) => s.includes('PRIMARY KEY')), ...constraints.filter((s) => !s.includes('PRIMARY KEY')), ...foreignKeys]) {
    try {
      await client.query(sql);
    } catch (error) {
      throw loadError(names, error, ctx.errorContext, tables);
    }
  }
  for (const table of tables) await resetSequences(client, table, await sourcePositions(reader, table, ctx.runtime), changes.sequencesAtCommit);
  await createOptionalObjects(client, tables, signal);
  for (const table of tables) {
    const journal = changes.journal.find((j) => j.display === table.display);
    if (journal) journal.rows = ctx.entries.get(table.key)?.copiedRows ?? 0;
  }
}
