// The dry run's migrations when migrate-command is set: on the throwaway database, the base commit's
// state first (the command run in a temporary worktree of the PR's base commit), then the source
// data, then the PR's run (the command in the workspace), as production will see them. What the
// second run applies is what the PR adds: marked new, timed (as a whole; per migration when it
// applied one) and measured from the outside (command-impact.ts: schema diff, rewrites, sampled
// locks). With schema-from: target the target's schema and its tools' history rows are already
// there, so only the PR's run is needed. Without a base state the data comes after the migrations.
// Called by src/dry-run/run-dry-run.ts in place of cutover's own migration step.
import type { PostgresLocation } from '../../db/database-url.js';
import { CommandError } from '../../errors.js';
import { applyCommandStep, recordCommandStep } from '../../engine/command-mode.js';
import { pullRequestFromEvent } from '../../report/pull-request-event.js';
import type { MigrationEntry, RunResult } from '../../run-result.js';
import type { Runtime } from '../../runtime.js';
import type { Settings } from '../../settings.js';
import { inBase, withBaseWorktree } from './base-worktree.js';
import { copyToolHistoryRows } from './copy-tool-history.js';
import { measureCommand } from './command-impact.js';
import { NOT_IN_BASE } from '../../dry-run/dry-run-phases.js';
import { applyCopyStep, copyOptions } from '../../engine/data-modes.js';
import fs from 'node:fs';

const THROWAWAY = 'the throwaway database';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Entries of the PR's run, for the dry run's report: everything ends up applied on the throwaway;
 * new = applied by the PR's run (when the base state was applied first). Timed per migration only
 * when the PR's command applied exactly one.
 */
function markNew(entries: MigrationEntry[], baseRan: boolean, prDurationMs: number): void {
  const fresh = entries.filter((e) => e.status === 'applied');
  for (const entry of entries) {
    if (baseRan) entry.isNew = entry.status === 'applied';
    if (entry.status === 'already-applied') entry.status = 'applied';
  }
  if (baseRan && fresh.length === 1) fresh[0].durationMs = prDurationMs;
}

/** Returns whether the source data was copied (before the PR's run); the caller copies it otherwise. */
export async function applyMigrationsWithCommand(settings: Settings, runtime: Runtime, throwaway: PostgresLocation, result: RunResult, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<{ copied: boolean }> {
  const baseRef = settings.dryRun.baseRef ?? (env.GITHUB_EVENT_PATH ? pullRequestFromEvent(env.GITHUB_EVENT_PATH)?.baseSha : undefined);
  const common = { mode: 'migrate' as const, target: throwaway, input: THROWAWAY, env, ...(signal ? { signal } : {}) };
  let baseNote: string | undefined;
  let baseRan = false;

  if (settings.dryRun.schemaFrom === 'target') {
    // The schema came from the target (src/dry-run/copy-target-schema.ts); its tools' history rows too.
    if (settings.target?.kind === 'postgres') await copyToolHistoryRows(settings.target, throwaway, settings, runtime);
    baseRan = true;
    baseNote = "the real target's schema and migration history";
  } else if (baseRef) {
    const base = await withBaseWorktree(baseRef, settings.workingDirectory, runtime, async (checkout) => {
      const cwd = inBase(checkout, settings.command.dir);
      if (!fs.existsSync(cwd)) {
        runtime.info(`The base commit ${checkout.commit.slice(0, 7)} has no ${cwd}: nothing to apply before the PR's migrations.`);
        return { durationMs: 0, commit: checkout.commit };
      }
      try {
        const step = await applyCommandStep(settings, runtime, { ...common, cwd, label: `base commit ${checkout.commit.slice(0, 7)}` });
        return { durationMs: step.run.durationMs, commit: checkout.commit };
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        throw new CommandError(`The base commit's migrations failed on the empty throwaway database, before the PR's were run: ${error.message}`, { cause: error, ...(error.exitCode !== undefined ? { exitCode: error.exitCode } : {}), tail: error.tail, ...(error.fix ? { fix: error.fix } : {}) });
      }
    });
    if (base) {
      baseRan = true;
      baseNote = `the base commit ${base.commit.slice(0, 7)}'s migrations (applied in ${seconds(base.durationMs)})`;
    }
  } else {
    runtime.info('No base commit (not a pull request, and base-ref is empty): migrate-command runs once, and no migration is marked new.');
  }

  // The data goes into the base state, and the PR's run meets it (as it will meet production's).
  const copied = baseRan && settings.source !== undefined;
  if (copied) await runtime.group('Copy the source data', () => applyCopyStep({ ...copyOptions(settings, runtime, throwaway, { ifTargetNotEmpty: 'fail' }, signal), leaveOutMissing: NOT_IN_BASE }, result));

  const measured = baseRan ? await measureCommand(throwaway, settings, () => applyCommandStep(settings, runtime, common)) : undefined;
  const report = (newMigrations: string[]) => {
    if (!measured) return;
    const label = newMigrations.length === 1 ? newMigrations[0] : "the PR's migrate-command";
    for (const finding of measured.impact.findings) finding.migration = label;
    result.dryRun = {
      order: { kind: 'command', base: baseNote!, data: copied, newMigrations },
      migrations: [],
      schemaChanges: measured.impact.schemaChanges,
      commandImpact: measured.impact,
      timeoutMs: settings.dryRun.timeoutMs,
      ...(copied && settings.copy.sampleRows ? { sampleRows: settings.copy.sampleRows } : {}),
    };
  };
  let step;
  try {
    if (measured?.error !== undefined) throw measured.error;
    step = measured ? measured.value! : await applyCommandStep(settings, runtime, common);
  } catch (error) {
    const outcome = (error as { outcome?: { entries: MigrationEntry[] } }).outcome;
    if (outcome && baseRan) for (const entry of outcome.entries) entry.isNew = entry.status !== 'already-applied';
    report((outcome?.entries ?? []).filter((e) => e.isNew).map((e) => e.name));
    throw error;
  }
  const before = result.migrations.length;
  recordCommandStep(result, runtime, settings, 'migrate', step);
  markNew(result.migrations.slice(before), baseRan, step.run.durationMs);
  report(result.migrations.filter((m) => m.isNew).map((m) => m.name));
  const fresh = result.migrations.filter((m) => m.isNew).length;
  result.notes.push(
    baseRan
      ? `On the throwaway database ${baseNote} came first${copied ? ', then the source data' : ''}; then the PR's migrate-command applied ${fresh} new migration${fresh === 1 ? '' : 's'} in ${seconds(step.run.durationMs)}.`
      : `On the throwaway database migrate-command applied every migration once, in ${seconds(step.run.durationMs)}.`,
  );
  return { copied };
}
