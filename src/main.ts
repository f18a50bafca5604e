// Action glue: inputs → engine → report and outputs → exit status. The only catch that fails the step.
import * as core from '@actions/core';
import { runMode } from './engine/run-mode.js';
import { formatError } from './errors.js';
import { readActionInputs } from './inputs.js';
import { publishReport } from './report/publish-report.js';
import { actionsRuntime } from './runtime-actions.js';

export async function run(): Promise<void> {
  const runtime = actionsRuntime();
  try {
    const settings = readActionInputs();
    const result = await runMode(settings, runtime, process.env);
    await publishReport(result, settings, runtime, process.env);
    if (result.ok) return;
    // A failed migration was already annotated on its file; a second, file-less copy adds noise.
    const message = result.error ?? `cutover ${settings.mode} failed`;
    if (runtime.alreadyReported(message)) process.exitCode = 1;
    else core.setFailed(message);
  } catch (error) {
    core.setFailed(formatError(error));
  }
}
