// Which tools a run reports on, and how their reports go into the run's result: every tool whose
// history table the database has, plus the tool the project evidently uses (its files in
// migrations-dir, or its migrate-command) even before it has created its table.
import type { RunResult } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import { describeUnknown } from './find-history-tables.js';
import type { ToolId } from './history-layouts.js';
import type { HistorySnapshot } from './inspect-history.js';
import { toolOfCommand } from './tool-commands.js';
import { findToolFiles, foreignToolOfDir } from './tool-migration-files.js';
import { toolReport, type ToolReport } from './tool-status.js';

export interface ReportsOptions {
  after: HistorySnapshot;
  /** The reading before migrate-command / rollback-command ran. */
  before?: HistorySnapshot;
  mode: 'status' | 'migrate' | 'rollback';
  migrationsDir: string;
  /** Where the tool runs (migrate-command-dir), for its conventional file locations. */
  projectDir: string;
  /** Paths in the report are relative to it. */
  baseDir: string;
  command?: string;
  /** Tools cutover's own runner covers, so they get no separate report (Supabase CLI directories). */
  native?: ToolId[];
}

export function reportTools(options: ReportsOptions): ToolReport[] {
  const tools: ToolId[] = [];
  const add = (tool: ToolId | undefined) => {
    if (tool && tool !== 'cutover' && !options.native?.includes(tool) && !tools.includes(tool)) tools.push(tool);
  };
  for (const history of [...(options.before?.histories ?? []), ...options.after.histories]) add(history.tool);
  add(foreignToolOfDir(options.migrationsDir));
  if (options.command) add(toolOfCommand(options.command));
  return tools.map((tool) => {
    const before = options.before?.histories.find((h) => h.tool === tool);
    const after = options.after.histories.find((h) => h.tool === tool);
    const files = findToolFiles(tool, { migrationsDir: options.migrationsDir, projectDir: options.projectDir });
    return toolReport({ tool, ...(before ? { before } : {}), ...(after ? { after } : {}), ...(files ? { files } : {}), baseDir: options.baseDir, mode: options.mode });
  });
}

/** Entries, notes, warnings (with the tool's fix) and the history of each report, onto the result. */
export function applyToolReports(result: RunResult, reports: ToolReport[], snapshot: HistorySnapshot, runtime: Runtime): void {
  const warn = (message: string) => {
    result.warnings.push(message);
    runtime.warning(message);
  };
  for (const report of reports) {
    result.migrations.push(...report.entries);
    result.notes.push(report.summary);
    runtime.info(report.summary);
    for (const problem of report.problems) warn(`${problem.message} Fix: ${problem.fix}`);
    result.history = [...(result.history ?? []), ...report.history];
  }
  for (const unknown of snapshot.unknown) {
    warn(`${describeUnknown(unknown)}: cutover does not know what it records and leaves it alone (it is not read, and copy and verify do not treat it as a history table).`);
  }
  if (reports.length > 0) result.histories = reports.map(({ tool, label, table, filesDir, pending, changed }) => ({ tool, label, ...(table ? { table } : {}), ...(filesDir ? { filesDir } : {}), pending, changed }));
}
