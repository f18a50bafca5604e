// The phases of a dry run on the throwaway database, in the order production sees them (see
// dry-run-order.ts): (a) the base state, (b) the source data loaded into it and verified before
// commit, (c) the PR's new migrations on top of the data, one at a time and measured, (d) what can
// still be compared after them. The fallback order (no base commit) applies everything, then copies.
import type { PostgresLocation } from '../db/database-url.js';
import { applyCopyStep, copyOptions } from '../engine/data-modes.js';
import { applyMigrationStep, migrationOptions } from '../engine/migration-mode.js';
import type { MigrationOptions, MigrationOutcome } from '../migrate/run-migrations.js';
import { readMigrationFiles } from '../migrate/migration-files.js';
import type { RunResult } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import type { Settings } from '../settings.js';
import type { DryRunOrder } from './dry-run-report.js';
import { planOrder, type OrderPlan } from './dry-run-order.js';
import { runMeasuredPhase } from './measured-phase.js';
import { MigrationLedger } from './migration-ledger.js';

export interface DryRunContext {
  settings: Settings;
  runtime: Runtime;
  result: RunResult;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  location: PostgresLocation;
}

const THROWAWAY = 'the throwaway database';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Runs the migration runner on the throwaway and records what it did in the ledger (also when it fails). */
async function migrate(ctx: DryRunContext, ledger: MigrationLedger, fresh: Set<string> | undefined, extra: Partial<MigrationOptions> = {}, mode: MigrationOptions['mode'] = 'migrate'): Promise<MigrationOutcome> {
  const options = { ...migrationOptions(ctx.settings, ctx.runtime, mode, ctx.location, THROWAWAY, ctx.signal), ...extra };
  try {
    const outcome = await applyMigrationStep(options, ctx.result);
    // In status entries `applied` means applied before: nothing this dry run did.
    ledger.absorb(mode === 'status' ? outcome.entries.map((e) => (e.status === 'applied' ? { ...e, status: 'already-applied' as const } : e)) : outcome.entries);
    return outcome;
  } catch (error) {
    ledger.absorb((error as { outcome?: MigrationOutcome }).outcome?.entries);
    throw error;
  } finally {
    ctx.result.migrations = ledger.entries(fresh);
  }
}

/** Production's tables have a home in the base state; a source table that does not (a development
 *  database ahead of the base commit) cannot be loaded before the new migrations, and is left out. */
export const NOT_IN_BASE = "not in the base state's schema, so its rows cannot be loaded before the new migrations";

async function copySource(ctx: DryRunContext, atBase: boolean): Promise<void> {
  if (!ctx.settings.source) return;
  const options = copyOptions(ctx.settings, ctx.runtime, ctx.location, { ifTargetNotEmpty: 'fail' }, ctx.signal);
  await ctx.runtime.group('Copy the source data', () => applyCopyStep(atBase ? { ...options, leaveOutMissing: NOT_IN_BASE } : options, ctx.result));
}

/** The pending migrations after the base state, up to `to` when given: the ones production would run next. */
async function pendingNames(ctx: DryRunContext, ledger: MigrationLedger, fresh: Set<string> | undefined): Promise<string[]> {
  const status = await migrate(ctx, ledger, fresh, {}, 'status');
  const pending = status.pending;
  const to = ctx.settings.to?.trim();
  if (!to) return pending;
  const index = pending.findIndex((name) => name === to || name.startsWith(`${to}_`));
  return index < 0 ? pending : pending.slice(0, index + 1);
}

export async function runDryRunPhases(ctx: DryRunContext): Promise<void> {
  const { settings, runtime, result } = ctx;
  const files = readMigrationFiles(settings.migrationsDir, { requireMigrations: true });
  const plan: OrderPlan = await planOrder(settings, runtime, ctx.env, files.map((f) => f.name), result.warnings);
  const ledger = new MigrationLedger();

  if (plan.kind === 'fallback') {
    runtime.warning(plan.reason);
    result.warnings.push(plan.reason);
    result.dryRun = { order: { kind: 'fallback', reason: plan.reason }, migrations: [], timeoutMs: settings.dryRun.timeoutMs, ...(settings.source && settings.copy.sampleRows ? { sampleRows: settings.copy.sampleRows } : {}) };
    await runtime.group('Apply migrations', () => migrate(ctx, ledger, undefined));
    if (settings.source) runtime.info('Copying the source data through the migrations.');
    await copySource(ctx, false);
    return;
  }

  const fresh = plan.fresh;
  // The base came from the pull_request event: the command that reproduces this run names it.
  if (plan.baseCommit && !settings.dryRun.baseRef && result.reproduce) result.reproduce += ` --base-ref ${plan.baseCommit}`;
  if (plan.kind === 'base-then-new' && plan.baseNames && plan.baseNames.size > 0) {
    const only = plan.baseNames;
    await runtime.group(`Apply the base commit's ${plural(only.size, 'migration')}`, () => migrate(ctx, ledger, fresh, { only }));
  }
  if (plan.kind === 'base-then-new') await copySource(ctx, true);

  const names = await pendingNames(ctx, ledger, fresh);
  const order: DryRunOrder =
    plan.kind === 'new-then-data'
      ? { kind: 'new-then-data', baseCommit: plan.baseCommit, newMigrations: names }
      : {
          kind: 'base-then-new',
          ...(plan.baseCommit ? { baseCommit: plan.baseCommit } : {}),
          schemaFrom: settings.dryRun.schemaFrom,
          baseMigrations: ctx.result.history?.length ?? 0,
          newMigrations: names,
        };
  result.dryRun = { order, migrations: [], timeoutMs: settings.dryRun.timeoutMs, ...(settings.source && settings.copy.sampleRows ? { sampleRows: settings.copy.sampleRows } : {}) };

  const report = result.dryRun;
  const { mode: _mode, ...runnerOptions } = migrationOptions(settings, runtime, 'migrate', ctx.location, THROWAWAY, ctx.signal);
  await runMeasuredPhase(ctx, {
    title: `Apply the ${plural(names.length, 'new migration')}, measured`,
    names,
    files,
    report,
    runnerOptions,
    compareData: plan.kind === 'base-then-new',
    apply: async (name, observer) => void (await migrate(ctx, ledger, fresh, { only: new Set([name]), observer })),
  });
  if (plan.kind === 'new-then-data') await copySource(ctx, false);
}
