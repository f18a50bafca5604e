// The Runtime interface on top of @actions/core. Only main.ts and post.ts use this file; the engine
// sees nothing but the Runtime interface.
import * as core from '@actions/core';
import { onSecret, onWeakPassword, redact, weakPasswordNotice } from './redact.js';
import { redacting, type Annotation, type Runtime } from './runtime.js';
import { actionsCommandRunner } from './tools/command/actions-command-runner.js';

function properties(annotation?: Annotation): core.AnnotationProperties | undefined {
  if (!annotation) return undefined;
  return {
    ...(annotation.title ? { title: annotation.title } : {}),
    ...(annotation.file ? { file: annotation.file } : {}),
    ...(annotation.line ? { startLine: annotation.line } : {}),
  };
}

export interface ActionsRuntime extends Runtime {
  /** Whether this exact error was already written as an annotation (so it is not written twice). */
  alreadyReported(message: string): boolean;
}

export function actionsRuntime(): ActionsRuntime {
  const reported = new Set<string>();
  // Mask every form of every password as soon as cutover learns it, also in raw log lines we do not format.
  // Only distinctive passwords reach onSecret: core.setSecret('postgres') would garble the whole job log.
  onSecret((secret) => core.setSecret(secret));
  onWeakPassword((notice) => core.info(weakPasswordNotice(notice, 'job log')));
  const runtime = redacting({
    info: (message) => core.info(message),
    debug: (message) => core.debug(message),
    notice: (message, annotation) => core.notice(message, properties(annotation)),
    warning: (message, annotation) => core.warning(message, properties(annotation)),
    error: (message, annotation) => {
      reported.add(message);
      core.error(message, properties(annotation));
    },
    group: (title, fn) => core.group(title, fn),
    setOutput: (name, value) => core.setOutput(name, value),
    appendSummary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    saveState: (name, value) => core.saveState(name, value),
    // migrate-command's output goes to the job log through @actions/exec, masked by the runner.
    commandRunner: actionsCommandRunner(),
  });
  return { ...runtime, alreadyReported: (message) => reported.has(redact(message)) };
}
