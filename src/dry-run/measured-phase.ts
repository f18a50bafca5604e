// Step (c) and after of a dry run: the new migrations, one runner call each, measured statement by
// statement (measure/statement-meter.ts); the schema and the row counts before them and after each;
// then the schema diff, the warning rules, what can still be compared with the source (tables-after.ts)
// and the down check. A migration that fails keeps what was measured up to its failing statement.
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { connectPostgres } from '../db/postgres-connect.js';
import { describeCause, isPgError, MigrationError, VerifyError } from '../errors.js';
import type { MigrationFile } from '../migrate/migration-files.js';
import type { MigrationOptions } from '../migrate/run-migrations.js';
import { readSqlFile } from '../migrate/sql-file-body.js';
import { explainDataFailure } from './data-failure-example.js';
import { checkDowns, hasDown } from './down-check.js';
import type { DryRunReport, MeasuredMigration } from './dry-run-report.js';
import { dropFindings, statementFindings } from './measure/impact-rules.js';
import { DryRunTimeout, StatementMeter } from './measure/statement-meter.js';
import { diffSchemas } from './schema/schema-diff.js';
import { readSchema, type SchemaSnapshot } from './schema/schema-snapshot.js';
import { countTables } from './table-counts.js';
import { tablesAfter, unexplainedChanges } from './tables-after.js';
import type { DryRunContext } from './dry-run-phases.js';

const SOURCE_LINES = 80;

function sourceOf(file: MigrationFile): MeasuredMigration['source'] {
  const text = (file.kind === 'sql' ? readSqlFile(file.upPath) : fs.readFileSync(file.upPath, 'utf8')).replace(/\r\n/g, '\n').replace(/\s+$/, '');
  const lines = text.split('\n');
  const clipped = lines.length > SOURCE_LINES ? lines.length - SOURCE_LINES : 0;
  return { file: path.basename(file.upPath), text: clipped ? lines.slice(0, SOURCE_LINES).join('\n') : text, language: file.kind, ...(clipped ? { clippedLines: clipped } : {}) };
}

export interface MeasuredPhaseInput {
  /** Of the log group the migrations run in. */
  title: string;
  names: string[];
  files: MigrationFile[];
  report: DryRunReport;
  /** Applies one migration through the runner (records it in the report's migrations). */
  apply(name: string, observer: StatementMeter): Promise<void>;
  /** Options of a runner call on the throwaway, for the down check. */
  runnerOptions: Omit<MigrationOptions, 'mode'>;
  /** Step (d): the data was loaded before the new migrations and can be compared after them. */
  compareData: boolean;
}

async function connectMonitor(ctx: DryRunContext): Promise<pg.Client> {
  const { settings } = ctx;
  return connectPostgres(ctx.location, { input: 'the throwaway database', attempts: settings.connectAttempts, connectTimeoutMs: settings.connectTimeoutMs, applicationName: `cutover/${settings.mode}/${settings.runId} measure` });
}

/** Why a new migration failed, told as the dry run knows it: a time limit, or the data it met. */
async function explainFailure(error: unknown, migration: MeasuredMigration | undefined, meter: StatementMeter, monitor: pg.Client, timeoutMs: number): Promise<unknown> {
  if (!(error instanceof MigrationError) || !migration) return error;
  const failed = migration.statements.find((s) => s.failed);
  const statement = failed?.sql ? ` (\`${failed.sql.split('\n')[0].slice(0, 120)}\`)` : '';
  const where = failed ? `line ${failed.line}${statement}` : 'its first statement';
  const measured = migration.statements.filter((s) => !s.failed).length;
  const sofar = `${measured} statement${measured === 1 ? ' was' : 's were'} measured before it (see the report)`;
  const details = { migration: error.migration, ...(error.file ? { file: error.file } : {}), ...(error.line ? { line: error.line } : {}), ...(error.outcome ? { outcome: error.outcome } : {}) };
  if (meter.timedOut.has(migration.name) || error.cause instanceof DryRunTimeout) {
    migration.timedOut = true;
    return new MigrationError(`Migration ${migration.name} ran longer than dry-run-timeout (${Math.round(timeoutMs / 1000)} s) on the throwaway database and was stopped at ${where}; its transaction was rolled back. ${sofar}.`, {
      ...details,
      fix: 'make the migration faster on data of this size (batches, CONCURRENTLY, no rewrite), or raise dry-run-timeout if this duration is acceptable in production.',
    });
  }
  const cause = error.cause;
  if (!failed?.sql || !isPgError(cause) || !/^2[23]/.test(cause.code ?? '')) return error;
  const found = await explainDataFailure(monitor, failed.sql, cause).catch(() => ({}) as Awaited<ReturnType<typeof explainDataFailure>>);
  // A statement that touches no table (SELECT 1/0) did not fail on the data.
  if (!found.table) return error;
  const file = error.file ? `${error.file}, ` : '';
  const column = found.column ? `, column ${found.column}` : '';
  const example = found.example ? ` For example ${found.example}.` : '';
  return new MigrationError(
    `Migration ${migration.name} failed on the data (${file}line ${failed.line}${statement}) on table ${found.table}${column}: ${describeCause(cause)}.${example} The rows were copied from the source and matched it before the new migrations ran: this is the migration meeting that data, not bad source data. Its transaction was rolled back. ${sofar}.`,
    { ...details, cause, fix: 'make the migration handle these rows (clean or convert them first, e.g. an UPDATE before the type change, or a USING clause), or keep the column as it is.' },
  );
}

export async function runMeasuredPhase(ctx: DryRunContext, input: MeasuredPhaseInput): Promise<void> {
  const { names, report } = input;
  const { settings, runtime } = ctx;
  const files = new Map(input.files.map((f) => [f.name, f]));
  const monitor = await connectMonitor(ctx);
  try {
    const base = await readSchema(monitor);
    const before = await countTables(monitor, { columns: true });
    const baseTables = new Set(before.keys());
    const meter = new StatementMeter({ monitor, timeoutMs: settings.dryRun.timeoutMs });
    const after: SchemaSnapshot[] = [];
    let failure: unknown;
    await runtime.group(input.title, async () => {
      if (names.length === 0) runtime.info('No new migration to apply.');
      for (const name of names) {
        try {
          await input.apply(name, meter);
        } catch (error) {
          failure = error;
          return;
        }
        after.push(await readSchema(monitor));
      }
    });

    report.migrations = [];
    // Per table (by its name before the new migrations), the migrations that changed its schema.
    const changedBy = new Map<string, string[]>();
    for (const [i, name] of names.entries()) {
      const file = files.get(name)!;
      const statements = meter.measured.get(name) ?? [];
      const status = i < after.length ? 'applied' : i === after.length && failure ? 'failed' : 'not-run';
      const entry = ctx.result.migrations.find((m) => m.name === name);
      const measured: MeasuredMigration = {
        name,
        status,
        ...(status !== 'not-run' && entry?.durationMs !== undefined ? { durationMs: entry.durationMs } : {}),
        statements,
        ...(status === 'failed' && meter.notRun.get(name) ? { notRun: meter.notRun.get(name) } : {}),
        findings: statementFindings(statements, { migration: name, baseTables }),
        source: sourceOf(file),
        hasDown: await hasDown(file),
      };
      if (status === 'applied') {
        const own = diffSchemas(i === 0 ? base : after[i - 1], after[i], before);
        measured.findings.push(...dropFindings(own, name));
        for (const table of own.tables) if (table.change !== 'added') changedBy.set(table.from ?? table.table, [...(changedBy.get(table.from ?? table.table) ?? []), name]);
      }
      report.migrations.push(measured);
    }
    report.schemaChanges = diffSchemas(base, after.at(-1) ?? base, before);

    if (failure) {
      const failed = report.migrations.find((m) => m.status === 'failed');
      throw await explainFailure(failure, failed, meter, monitor, settings.dryRun.timeoutMs);
    }

    let mismatched: ReturnType<typeof unexplainedChanges> = [];
    if (input.compareData && ctx.result.tables.length > 0) {
      const counts = await countTables(monitor, { columns: false });
      report.tablesAfter = tablesAfter(ctx.result.tables.map((t) => t.table), before, counts, changedBy, meter.written);
      mismatched = unexplainedChanges(report.tablesAfter);
    }
    if (after.length > 0) {
      report.downCheck = await runtime.group('Check the downs of the new migrations', () =>
        checkDowns({ applied: names.slice(0, after.length), after, base, files, options: input.runnerOptions, monitor, runtime }),
      );
    }
    if (mismatched.length > 0) {
      ctx.result.verified = false;
      const list = mismatched.map((t) => `${t.table} (${t.rowsBefore} rows copied, ${t.rowsAfter ?? 0} after the new migrations)`).join(', ');
      throw new VerifyError(`After the new migrations, ${list} no longer ${mismatched.length === 1 ? 'holds' : 'hold'} as many rows as were copied from the source, although no new migration wrote rows to ${mismatched.length === 1 ? 'it' : 'them'} (no INSERT, UPDATE, DELETE or TRUNCATE was seen).`, {
        fix: 'look for what the new migrations did to these tables that cutover could not see (e.g. a function that writes through another connection) and run the dry run again.',
      });
    }
  } finally {
    await monitor.end().catch(() => undefined);
  }
}
