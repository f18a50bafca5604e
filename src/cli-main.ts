// The cutover CLI (entry: src/cli.ts): the same settings and engine as the Action, driven from argv and the terminal.
// Logs go to stderr; the Markdown report (or --json result) goes to stdout.
import fs from 'node:fs';
import path from 'node:path';
import { listenForCancellation } from './cancellation.js';
import { HELP, parseCliArgs, type CliArgs } from './cli-args.js';
import { finalCancellationLine } from './engine/cancellation-line.js';
import { runMode } from './engine/run-mode.js';
import { formatError } from './errors.js';
import { scaffoldMigration } from './migrate/scaffold-migration.js';
import { onWeakPassword, redact, weakPasswordNotice } from './redact.js';
import { renderReport } from './report/render-report.js';
import { consoleRuntime, redacting } from './runtime.js';
import { buildSettings, INPUT_DEFAULTS } from './settings.js';
import { VERSION } from './version.js';

function fail(message: string, code: number): number {
  process.stderr.write(`cutover: ${redact(message)}\n`);
  return code;
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    return fail(formatError(error), 2);
  }
  if (args.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (args.help || !args.command) {
    process.stdout.write(HELP);
    return args.help ? 0 : 2;
  }
  if (args.command === 'new') {
    const name = args.positional[0];
    if (!name) return fail('`cutover new` needs a name, e.g. `cutover new add_orders_index`.', 2);
    try {
      const created = scaffoldMigration(path.resolve(args.raw['migrations-dir'] || INPUT_DEFAULTS['migrations-dir']), name);
      process.stdout.write(`${created.upFile}\n${created.downFile}\n`);
      return 0;
    } catch (error) {
      return fail(formatError(error), 1);
    }
  }

  let settings;
  try {
    settings = buildSettings({ ...args.raw, mode: args.command }, { origin: 'cli' });
  } catch (error) {
    return fail(formatError(error), 2);
  }
  const runtime = redacting(consoleRuntime({ verbose: args.verbose }));
  onWeakPassword((notice) => runtime.info(weakPasswordNotice(notice, 'output')));
  runtime.debug(`node ${process.version} ${process.execArgv.join(' ')}`.trim());
  // Ctrl-C (SIGINT) or SIGTERM stops the run: it rolls back, says what state the target is in, and
  // exits 130 / 143; a second Ctrl-C exits at once.
  const cancellation = listenForCancellation({
    onCancel: (message) => runtime.debug(message),
  });
  try {
    const result = await runMode(settings, runtime, process.env, cancellation.signal);
    if (args.json) {
      process.stdout.write(`${redact(JSON.stringify(result, null, 2))}\n`);
    } else {
      const markdown = redact(renderReport(result, {}));
      process.stdout.write(`${markdown}\n`);
      if (args.raw['report-path']) fs.writeFileSync(settings.report.path, markdown);
    }
    if (cancellation.exitCode !== undefined) {
      fail(finalCancellationLine(result, cancellation.signal.reason), cancellation.exitCode);
      // Work abandoned on the cancel (a read-only query) must not keep the process alive.
      process.exit(cancellation.exitCode);
    }
    if (!result.ok) return fail(result.error ?? `${settings.mode} failed`, 1);
    return 0;
  } finally {
    cancellation.dispose();
  }
}
