// status: what every migration tool of the database records (its history table, read-only) and what
// is pending (from the tool's files, when they can be listed), cutover's own migrations included.
// A migrations-dir holding another tool's files (Alembic's .py revisions) is named as such instead of
// "no migrations found".
import fs from 'node:fs';
import path from 'node:path';
import type { RunResult } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import { inputLabel, type Settings } from '../settings.js';
import { inspectHistories } from '../tools/inspect-history.js';
import { foreignToolOfDir } from '../tools/tool-migration-files.js';
import { applyToolReports, reportTools } from '../tools/tool-reports.js';
import { applyMigrationStep, migrationOptions } from './migration-mode.js';
import { NATIVE_TOOLS } from './native-tools.js';
import { runStatusCommand } from './command-mode.js';

export async function runStatusMode(settings: Settings, runtime: Runtime, result: RunResult, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  const target = settings.target!;
  const snapshot = await inspectHistories(target, {
    input: inputLabel(settings.origin, 'target-url'),
    connectAttempts: settings.connectAttempts,
    connectTimeoutMs: settings.connectTimeoutMs,
    runtime,
    runLabel: `cutover/${settings.mode}/${settings.runId}`,
  });
  const dirTool = foreignToolOfDir(settings.migrationsDir);
  // A Supabase CLI directory as migrations-dir is cutover's own (without a migrate-command that runs the CLI).
  const native = dirTool && (NATIVE_TOOLS as readonly string[]).includes(dirTool) && !settings.command.migrate ? [dirTool] : [];
  const reports = reportTools({
    after: snapshot,
    mode: 'status',
    migrationsDir: settings.migrationsDir,
    projectDir: settings.command.dir,
    baseDir: settings.workingDirectory,
    ...(settings.command.migrate ? { command: settings.command.migrate } : {}),
    native,
  });
  const ownTable = snapshot.histories.some((h) => h.tool === 'cutover');
  const dirIsAnotherTools = (dirTool !== undefined && !native.includes(dirTool)) || reports.some((r) => r.filesDir && path.resolve(r.filesDir) === path.resolve(settings.migrationsDir));
  // cutover's own status: for its own files, or its own table; and as before when nothing else is there.
  if (!dirIsAnotherTools && (fs.existsSync(settings.migrationsDir) || ownTable || reports.length === 0)) {
    await applyMigrationStep(migrationOptions(settings, runtime, 'status', target, undefined, signal), result);
  }
  applyToolReports(result, reports, snapshot, runtime);
  if (settings.command.status) await runStatusCommand(settings, runtime, result, env, signal);
  const pending = result.migrations.filter((m) => m.status === 'pending').length;
  result.notes.push(`${pending} migration${pending === 1 ? '' : 's'} pending.`);
}
