// Everything the engine does to the outside world besides databases goes through this interface:
// the Action adapter (src/runtime-actions.ts) maps it onto @actions/core, the CLI onto the terminal,
// and tests onto a recorder. Every implementation is wrapped by `redacting` so no secret leaves.
import { redact } from './redact.js';
import type { CommandRunner } from './tools/command/command-runner.js';

export interface Annotation {
  title?: string;
  file?: string;
  line?: number;
}

export interface Runtime {
  info(message: string): void;
  debug(message: string): void;
  notice(message: string, annotation?: Annotation): void;
  warning(message: string, annotation?: Annotation): void;
  error(message: string, annotation?: Annotation): void;
  /** A collapsible log section (core.group in the Action). */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  setOutput(name: string, value: string): void;
  /** Append Markdown to the job's step summary (no-op where there is none). */
  appendSummary(markdown: string): Promise<void>;
  /** Hand a value to the Action's `post` step (cleanup of throwaway databases); no-op elsewhere. */
  saveState(name: string, value: string): void;
  /** Runs other tools' commands (migrate-command); absent: the Node runner, which logs through info. */
  commandRunner?: CommandRunner;
}

function cleanAnnotation(annotation?: Annotation): Annotation | undefined {
  if (!annotation) return undefined;
  return { ...annotation, ...(annotation.title ? { title: redact(annotation.title) } : {}) };
}

/** Wraps a runtime so that every text passing through it is redacted. */
export function redacting(inner: Runtime): Runtime {
  return {
    info: (m) => inner.info(redact(m)),
    debug: (m) => inner.debug(redact(m)),
    notice: (m, a) => inner.notice(redact(m), cleanAnnotation(a)),
    warning: (m, a) => inner.warning(redact(m), cleanAnnotation(a)),
    error: (m, a) => inner.error(redact(m), cleanAnnotation(a)),
    group: (title, fn) => inner.group(redact(title), fn),
    setOutput: (name, value) => inner.setOutput(name, redact(value)),
    appendSummary: (markdown) => inner.appendSummary(redact(markdown)),
    saveState: (name, value) => inner.saveState(name, value),
    ...(inner.commandRunner ? { commandRunner: inner.commandRunner } : {}),
  };
}

function annotationSuffix(annotation?: Annotation): string {
  if (!annotation?.file) return '';
  return ` (${annotation.file}${annotation.line ? `:${annotation.line}` : ''})`;
}

/** Terminal runtime for the CLI: logs to stderr, outputs to stdout as name=value lines when asked. */
export function consoleRuntime(options: { verbose?: boolean; printOutputs?: boolean; stream?: NodeJS.WritableStream } = {}): Runtime {
  const out = options.stream ?? process.stderr;
  const write = (line: string) => out.write(`${line}\n`);
  const outputs: Record<string, string> = {};
  return {
    info: write,
    debug: (m) => options.verbose && write(`debug: ${m}`),
    notice: (m, a) => write(`notice${annotationSuffix(a)}: ${m}`),
    warning: (m, a) => write(`warning${annotationSuffix(a)}: ${m}`),
    error: (m, a) => write(`error${annotationSuffix(a)}: ${m}`),
    group: async (title, fn) => {
      write(`▸ ${title}`);
      return fn();
    },
    setOutput: (name, value) => {
      outputs[name] = value;
      if (options.printOutputs) process.stdout.write(`${name}=${value}\n`);
    },
    appendSummary: async () => undefined,
    saveState: () => undefined,
  };
}

export interface RecordedRuntime extends Runtime {
  logs: Array<{ level: 'info' | 'debug' | 'notice' | 'warning' | 'error'; message: string; annotation?: Annotation }>;
  outputs: Record<string, string>;
  summary: string[];
  groups: string[];
  state: Record<string, string>;
}

/** In-memory runtime for tests. */
export function recordingRuntime(): RecordedRuntime {
  const runtime: RecordedRuntime = {
    logs: [],
    outputs: {},
    summary: [],
    groups: [],
    state: {},
    info: (message) => runtime.logs.push({ level: 'info', message }),
    debug: (message) => runtime.logs.push({ level: 'debug', message }),
    notice: (message, annotation) => runtime.logs.push({ level: 'notice', message, annotation }),
    warning: (message, annotation) => runtime.logs.push({ level: 'warning', message, annotation }),
    error: (message, annotation) => runtime.logs.push({ level: 'error', message, annotation }),
    group: async (title, fn) => {
      runtime.groups.push(title);
      return fn();
    },
    setOutput: (name, value) => {
      runtime.outputs[name] = value;
    },
    appendSummary: async (markdown) => {
      runtime.summary.push(markdown);
    },
    saveState: (name, value) => {
      runtime.state[name] = value;
    },
  };
  return runtime;
}
