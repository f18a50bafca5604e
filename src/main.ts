// Action glue: inputs → engine → report and outputs → exit status. The only catch that fails the step.
import * as core from '@actions/core';
import { listenForCancellation } from './cancellation.js';
import { finalCancellationLine } from './engine/cancellation-line.js';
import { runMode } from './engine/run-mode.js';
import { formatError } from './errors.js';
import { readActionInputs } from './inputs.js';
import { publishReport } from './report/publish-report.js';
import { actionsRuntime } from './runtime-actions.js';

export async function run(): Promise<void> {
  const runtime = actionsRuntime();
  // GitHub cancels a job with SIGINT, then SIGTERM about 7.5 s later, then SIGKILL: the first stops
  // the run, the report still goes out, and the step ends 130 (SIGINT) or 143 (SIGTERM).
  const cancellation = listenForCancellation({
    onCancel: (message) => runtime.debug(message),
    writeLine: (line) => core.error(line),
  });
  try {
    const settings = readActionInputs();
    const result = await runMode(settings, runtime, process.env, cancellation.signal);
    if (cancellation.exitCode !== undefined) {
      // The line first: the runner's SIGKILL may come before the report is out.
      const line = finalCancellationLine(result, cancellation.signal.reason);
      if (result.ok) core.warning(line);
      else core.error(line);
      await publishReport(result, settings, runtime, process.env);
      // Work abandoned on the cancel (a read-only query) must not keep the process alive.
      process.exit(cancellation.exitCode);
    }
    await publishReport(result, settings, runtime, process.env);
    if (result.ok) return;
    // A failed migration was already annotated on its file; a second, file-less copy adds noise.
    const message = result.error ?? `cutover ${settings.mode} failed`;
    if (runtime.alreadyReported(message)) process.exitCode = 1;
    else core.setFailed(message);
  } catch (error) {
    core.setFailed(formatError(error));
  } finally {
    cancellation.dispose();
  }
}
