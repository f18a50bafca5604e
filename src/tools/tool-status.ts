// Turns a tool's history (and its files, when they could be listed) into report entries and one line
// saying what the tool records: for status, and before/after a migrate-command or rollback-command
// (what the command applied or rolled back is the difference between the two readings).
import path from 'node:path';
import type { MigrationEntry, MigrationStatus } from '../run-result.js';
import { appliedRevisions } from './alembic-revisions.js';
import { layoutOf, type ToolId } from './history-layouts.js';
import type { RecordedMigration, ToolHistory, ToolProblem } from './read-tool-history.js';
import { recordKey, type ToolFileSet } from './tool-migration-files.js';

export interface ToolReport {
  tool: ToolId;
  label: string;
  /** The history table, when the database has one. */
  table?: string;
  /** Where the tool's files were found. */
  filesDir?: string;
  entries: MigrationEntry[];
  /** One sentence for the report's notes. */
  summary: string;
  problems: ToolProblem[];
  /** Keys applied by the command (migrate-command) or rolled back (rollback-command). */
  changed: string[];
  pending: string[];
  /** Names recorded as applied after the run, in run order. */
  history: string[];
}

/** The keys the history says are applied, with the tool's semantics (Alembic heads, golang-migrate's one version). */
export function appliedKeys(history: ToolHistory | undefined, files: ToolFileSet | undefined): { applied: Set<string>; failed: Map<string, RecordedMigration>; unknown: string[] } {
  const failed = new Map<string, RecordedMigration>();
  if (!history) return { applied: new Set(), failed, unknown: [] };
  const tool = history.tool;
  for (const record of history.records) if (record.state === 'failed' || record.state === 'dirty') failed.set(recordKey(tool, record.id), record);
  const live = history.records.filter((r) => r.state === 'applied');
  if (tool === 'alembic' && files?.alembic) {
    const { applied, unknown } = appliedRevisions(files.alembic, live.map((r) => r.id));
    // A head no file defines stays in the report (as a file that is missing).
    return { applied: new Set([...applied, ...unknown]), failed, unknown };
  }
  if (tool === 'golang-migrate') {
    // Only the latest version is stored: every file up to it counts as applied (a dirty one is failed).
    const versions = history.records.map((r) => BigInt(recordKey(tool, r.id)));
    const top = versions.length ? versions.reduce((a, b) => (a > b ? a : b)) : undefined;
    const applied = new Set<string>();
    for (const file of files?.files ?? []) if (top !== undefined && BigInt(file.key) <= top && !failed.has(file.key)) applied.add(file.key);
    for (const record of live) applied.add(recordKey(tool, record.id));
    return { applied, failed, unknown: [] };
  }
  return { applied: new Set(live.map((r) => recordKey(tool, r.id))), failed, unknown: [] };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function recordedLine(tool: ToolId, history: ToolHistory): string {
  const live = history.records.filter((r) => r.state !== 'rolled-back');
  if (live.length === 0) return `${history.table.display} is empty`;
  switch (tool) {
    case 'alembic':
      return `${history.table.display} records ${live.length === 1 ? 'head' : 'heads'} ${live.map((r) => r.id).join(', ')}`;
    case 'golang-migrate':
      return `${history.table.display} records version ${live.map((r) => `${r.id}${r.state === 'dirty' ? ' (dirty)' : ''}`).join(', ')}`;
    default:
      return `${history.table.display} records ${plural(live.length, 'migration')} (last: ${live[live.length - 1].id})`;
  }
}

export interface ReportInput {
  tool: ToolId;
  /** Before the command; undefined in status (nothing ran). */
  before?: ToolHistory;
  /** The history now; undefined when the database has no table of this tool. */
  after?: ToolHistory;
  files?: ToolFileSet;
  /** Files shown relative to this directory. */
  baseDir: string;
  /** status: applied means recorded; migrate/rollback: applied means by this run. */
  mode: 'status' | 'migrate' | 'rollback';
}

export function toolReport(input: ReportInput): ToolReport {
  const { tool, before, after, files, mode } = input;
  const layout = layoutOf(tool);
  const now = appliedKeys(after, files);
  const then = mode === 'status' ? now : appliedKeys(before, files);
  const records = new Map((after?.records ?? []).map((r) => [recordKey(tool, r.id), r]));
  const problems: ToolProblem[] = [...(after?.problems ?? [])];
  if (now.unknown.length > 0) {
    problems.push({
      message: `${after!.table.display} records ${now.unknown.join(', ')}, which no revision file in ${path.relative(input.baseDir, files!.dir) || '.'} defines (a revision from another branch, or a deleted file).`,
      fix: 'check out the branch that has the revision file, or, if the database really is at another revision, set it with `alembic stamp <revision>`.',
    });
  }

  const statusOf = (key: string): MigrationStatus => {
    if (now.failed.has(key)) return 'failed';
    const isNow = now.applied.has(key);
    const wasThen = then.applied.has(key);
    if (mode === 'status') return isNow ? 'applied' : 'pending';
    if (isNow && !wasThen) return 'applied';
    if (!isNow && wasThen) return 'rolled-back';
    return isNow ? 'already-applied' : 'pending';
  };
  const entryOf = (key: string, name: string): MigrationEntry => {
    const entry: MigrationEntry = { name, status: statusOf(key) };
    const record = records.get(key);
    if (record?.appliedAt && entry.status !== 'pending' && entry.status !== 'rolled-back') entry.appliedAt = record.appliedAt;
    if (record?.durationMs !== undefined) entry.durationMs = record.durationMs;
    const failed = now.failed.get(key);
    if (failed) entry.error = { message: failed.state === 'dirty' ? `dirty: ${layout.label} stopped part-way through this migration` : `${layout.label} records this migration as failed` };
    return entry;
  };

  const entries: MigrationEntry[] = [];
  const seen = new Set<string>();
  for (const file of files?.files ?? []) {
    seen.add(file.key);
    entries.push(entryOf(file.key, file.name));
  }
  // Recorded but no file: Django's packaged apps (auth, contenttypes…), or a file that is gone.
  const keys = new Set([...now.applied, ...then.applied, ...now.failed.keys()]);
  for (const key of keys) {
    if (seen.has(key) || (tool === 'golang-migrate' && files)) continue;
    const entry = entryOf(key, key);
    if (files && tool !== 'django' && entry.status !== 'failed') entry.status = 'missing-file';
    entries.push(entry);
  }

  const changed = entries.filter((e) => (mode === 'migrate' ? e.status === 'applied' : mode === 'rollback' ? e.status === 'rolled-back' : false)).map((e) => e.name);
  const pending = entries.filter((e) => e.status === 'pending').map((e) => e.name);
  const history = entries.filter((e) => ['applied', 'already-applied', 'missing-file'].includes(e.status)).map((e) => e.name);

  const where = !files ? undefined : tool === 'django' ? "the project's migrations directories" : path.relative(input.baseDir, files.dir) || '.';
  const count = files ? `${where} ${tool === 'django' ? 'have' : 'has'} ${plural(files.files.length, tool === 'alembic' ? 'revision' : 'migration')}, ${pending.length} pending` : 'its migration files were not found, so what is pending is not known (set migrations-dir to their directory)';
  const summary = after
    ? `Managed by ${layout.label}: ${recordedLine(tool, after)}; ${count}.`
    : `${tool === 'django' && files ? "The project's migrations directories hold" : `${where ?? 'The project'} holds`} ${layout.label} migrations, and the database has no ${layout.table} table: none is applied${files ? ` (${files.files.length} pending)` : ''}.`;
  return {
    tool,
    label: layout.label,
    ...(after ? { table: after.table.display } : {}),
    ...(files ? { filesDir: files.dir } : {}),
    entries,
    summary,
    problems,
    changed,
    pending,
    history,
  };
}
