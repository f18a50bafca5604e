// The all-or-nothing load. Tables connected by foreign keys (a component) load in one target
// transaction, parents first; components are spread over at most `jobs` connections, each holding
// ONE transaction for all its components (TRUNCATE, COPY, create-tables constraints and sequence
// resets all inside it). No transaction commits until every connection has finished its work; if any
// fails, all roll back and the target is exactly as before. A process killed mid-copy leaves only
// open transactions, which Postgres rolls back when the connection drops, so a rerun starts clean.
import type pg from 'pg';
import { qualifiedName, quoteIdent, quoteLiteral } from '../../db/pg-identifiers.js';
import { prepareCopySession } from '../../db/pg-session.js';
import type { SqliteDatabase } from '../../db/sqlite-driver.js';
import { CopyError } from '../../errors.js';
import type { TableEntry } from '../../run-result.js';
import type { Runtime } from '../../runtime.js';
import type { CopySettings } from '../../settings.js';
import { pgTotals, type Totals } from '../../verify/pg-checksums.js';
import { HashSum } from '../../verify/row-hash.js';
import type { TablePlan } from '../plan/copy-plan.js';
import { copyPgTable, copySqliteTable } from './copy-table.js';
import { dropForeignKeysForLoad, restoreForeignKeys } from './fk-bulk-check.js';
import { conversionError, loadError } from './load-errors.js';
import type { PgSnapshot } from '../read/pg-snapshot.js';
import { TableProgress } from './progress-reporter.js';
import type { RejectsFile } from './rejects-file.js';
import { targetCanonical } from '../plan/plan-canonical.js';

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
  signal?: AbortSignal;
}

async function resetSequences(client: pg.ClientBase, table: TablePlan): Promise<void> {
  const target = qualifiedName(table.target.schema, table.target.name);
  for (const column of table.target.columns) {
    if (!column.sequence && column.identity === '') continue;
    const sequence = column.sequence ? quoteLiteral(column.sequence) : `pg_get_serial_sequence(${quoteLiteral(target)}, ${quoteLiteral(column.name)})`;
    await client.query(`SELECT setval(${sequence}, max(${quoteIdent(column.name)})::bigint) FROM ${target} HAVING max(${quoteIdent(column.name)}) IS NOT NULL`);
  }
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
          const type = table.columns.find((c) => c.source === failure.column)?.target.type.sql ?? '?';
          if (ctx.copy.onError === 'fail') throw conversionError(table.display, failure, type);
          ctx.rejects.write({ table: table.display, key: failure.keyValues, column: failure.column, reason: failure.reason, value: failure.value });
        },
      });
      Object.assign(entry, { sourceRows: result.rowsRead, copiedRows: result.copied, rejectedRows: result.rejected });
      noteSkipped(ctx, table, result.skipped);
    } else {
      const result = await copyPgTable(client, reader!, table, { ...(ctx.copy.sampleRows !== undefined ? { limit: ctx.copy.sampleRows } : {}), signal, onRows: (rows) => progress.update(rows) });
      Object.assign(entry, { sourceRows: result.rowsRead, copiedRows: result.copied, rejectedRows: 0 });
      noteSkipped(ctx, table, result.skipped);
    }
    progress.done(entry.copiedRows ?? 0);
  } catch (error) {
    throw signal.aborted && !(error instanceof CopyError) ? signal.reason : loadError(table.display, error);
  } finally {
    entry.durationMs = Date.now() - started;
  }
}

async function loadComponent(client: pg.ClientBase, reader: pg.ClientBase | undefined, tables: TablePlan[], ctx: LoadContext, signal: AbortSignal): Promise<void> {
  for (const table of tables) if (table.ddl) await client.query(table.ddl.create);
  const existing = tables.filter((t) => !t.ddl);
  if (ctx.copy.ifTargetNotEmpty === 'truncate' && existing.length > 0) {
    // One statement for the whole component: truncating a parent alone fails while a child references it.
    try {
      await client.query(`TRUNCATE ${existing.map((t) => qualifiedName(t.target.schema, t.target.name)).join(', ')}`);
    } catch (error) {
      throw loadError(existing.map((t) => t.display).join(', '), error);
    }
  }
  if (ctx.copy.ifTargetNotEmpty === 'append') {
    for (const table of existing) ctx.baselines.set(table.key, await pgTotals(client, targetCanonical(table), ctx.copy.checksums));
  }
  // Samples filter child rows by their parents in SQL, which needs no dropped keys; otherwise bulk checks.
  const held = ctx.copy.sampleRows === undefined ? await dropForeignKeysForLoad(client, existing) : [];
  for (const table of tables) await loadTable(client, reader, table, ctx, signal);
  try {
    await restoreForeignKeys(client, held);
  } catch (error) {
    throw loadError(tables.map((t) => t.display).join(', '), error);
  }
  // create-tables: keys after the data (one bulk check each), primary keys before the FKs that need them.
  const constraints = tables.flatMap((t) => t.ddl?.constraints ?? []);
  for (const sql of [...constraints.filter((s) => s.includes('PRIMARY KEY')), ...constraints.filter((s) => !s.includes('PRIMARY KEY'))]) {
    try {
      await client.query(sql);
    } catch (error) {
      throw loadError(tables.map((t) => t.display).join(', '), error);
    }
  }
  for (const table of tables) await resetSequences(client, table);
}

/** Runs every group in its own transaction and commits them only when all succeeded. */
export async function loadAllOrNothing(groups: TablePlan[][][], ctx: LoadContext): Promise<void> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(ctx.signal?.reason ?? new CopyError('The copy was cancelled.'));
  ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const clients: pg.Client[] = [];
  try {
    const results = await Promise.allSettled(
      groups.map(async (components) => {
        try {
          const client = await ctx.connectTarget();
          clients.push(client);
          await prepareCopySession(client);
          const reader = ctx.snapshot ? await ctx.snapshot.reader() : undefined;
          await client.query('BEGIN');
          // Deferrable FKs (the only way to load a cycle) are checked at COMMIT.
          await client.query('SET CONSTRAINTS ALL DEFERRED');
          for (const tables of components) await loadComponent(client, reader, tables, ctx, controller.signal);
        } catch (error) {
          if (!controller.signal.aborted) controller.abort(error);
          throw error;
        }
      }),
    );
    if (results.some((r) => r.status === 'rejected')) {
      for (const client of clients) await client.query('ROLLBACK').catch(() => undefined);
      throw controller.signal.reason;
    }
    for (const [index, client] of clients.entries()) {
      try {
        await client.query('COMMIT');
      } catch (error) {
        for (const rest of clients.slice(index + 1)) await rest.query('ROLLBACK').catch(() => undefined);
        throw index === 0
          ? loadError('the target (at COMMIT)', error)
          : new CopyError(`COMMIT failed on connection ${index + 1} of ${clients.length} after the others committed: some tables were copied and others not.`, {
              cause: error,
              fix: 'rerun the copy with if-target-not-empty: truncate to load every table again.',
            });
      }
    }
  } finally {
    ctx.signal?.removeEventListener('abort', onOuterAbort);
    for (const client of clients) await client.end().catch(() => undefined);
  }
}
