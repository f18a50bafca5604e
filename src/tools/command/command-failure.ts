// The one paragraph for a command that did not succeed: its exit code (or that it was stopped), what
// it changed before that according to the tool's history table, the tail of its output (redacted),
// and the fix that fits: a tool missing from the job (exit 127, a Python module not found), a
// timeout, or the tool's own error.
import { CommandError } from '../../errors.js';
import type { ToolReport } from '../tool-status.js';
import { programOf, toolOfCommand, TOOL_COMMANDS } from '../tool-commands.js';
import type { ToolCommandRun } from './run-tool-command.js';

export interface FailureContext {
  inputName: string;
  command: string;
  cwd: string;
  timeoutMs: number;
  reports: ToolReport[];
  mode: 'migrate' | 'rollback' | 'status';
}

const TAIL_SHOWN = 12;

function changedSentence(context: FailureContext): string {
  if (context.mode === 'status') return '';
  const verb = context.mode === 'rollback' ? 'rolled back' : 'applied';
  const changed = context.reports.flatMap((r) => r.changed.map((name) => `${name} (${r.label})`));
  if (context.reports.length === 0) return 'No migration history table of a known tool was found, so cutover cannot say what it changed.';
  return changed.length ? `Before that it ${verb}, by its history table: ${changed.join(', ')}.` : `By its history table it ${verb} nothing.`;
}

function tailText(run: ToolCommandRun): string {
  if (run.tail.length === 0) return 'It printed nothing.';
  const shown = run.tail.slice(-TAIL_SHOWN);
  return `Its last ${shown.length === 1 ? 'line' : `${shown.length} lines`}: ${shown.map((l) => l.trim()).filter(Boolean).join(' ⏎ ')}`;
}

/** exit 127 and Python's ModuleNotFoundError: the job lacks the tool or the project's dependencies. */
function missingTool(run: ToolCommandRun, command: string): string | undefined {
  const program = programOf(command);
  const tool = toolOfCommand(command);
  const install = tool ? TOOL_COMMANDS[tool]?.install : undefined;
  const notFound = run.tail.find((l) => /command not found|No such file or directory/.test(l));
  if (run.exitCode === 127 && program) {
    const missing = notFound?.match(/(?:bash: (?:line \d+: )?)?([^\s:]+): command not found/)?.[1] ?? program;
    return `${missing} is not installed in this job (exit 127: command not found): add a setup step that installs it before cutover's step${install && missing === program ? `, e.g. ${install}` : ''}.`;
  }
  const module = run.tail.map((l) => /ModuleNotFoundError: No module named '([^']+)'/.exec(l)?.[1]).find(Boolean);
  if (module) return `the Python module ${module} is not installed in this job: add a setup step that installs the project's dependencies before cutover's step, e.g. actions/setup-python, then \`pip install -r requirements.txt\`.`;
  return undefined;
}

export function commandFailure(run: ToolCommandRun, context: FailureContext): CommandError {
  const name = `${context.inputName} \`${context.command}\``;
  const what = run.stopped === 'timeout'
    ? `${name} was still running after ${Math.round(context.timeoutMs / 1000)} s (migrate-command-timeout) and was stopped (SIGTERM to its process group, SIGKILL to what was still running 5 s later); the migration lock was released.`
    : `${name} failed with exit code ${run.exitCode} (in ${context.cwd}).`;
  const fix = run.stopped === 'timeout'
    ? 'find what it waited for (a lock held by the application shows in pg_stat_activity; a prompt for input never gets an answer, so pass the tool\'s non-interactive flag), or raise migrate-command-timeout.'
    : missingTool(run, context.command) ??
      `read the tool's error above (the whole output is in the log group "${context.inputName}: ${context.command}"), fix it and run again${context.mode === 'migrate' ? '; migrations the tool applied before the failure stay applied (a tool that runs each migration in a transaction leaves none half-applied)' : ''}.`;
  const entries = context.reports.flatMap((r) => r.entries);
  const history = context.reports.flatMap((r) => r.history);
  return new CommandError([what, changedSentence(context), tailText(run)].filter(Boolean).join(' '), {
    ...(run.stopped ? {} : { exitCode: run.exitCode }),
    tail: run.tail,
    fix,
    outcome: { entries, history },
  });
}
