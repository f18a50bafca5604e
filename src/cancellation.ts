// How a run gets cancelled, in the process that runs the engine. The first SIGINT or SIGTERM aborts
// the run's AbortSignal: the engine stops, rolls back, releases its locks and reports what state the
// target is in (src/engine/cancellation-line.ts). A second signal of the same kind exits at once (an
// impatient Ctrl-C). When this process is the engine child re-spawned by src/heap-flags.ts, the end
// of its parent, however it ended (even SIGKILL, which nobody can forward), closes the IPC channel:
// that cancels the run too, and as no second signal can come any more, a deadline ends the process
// if the orderly stop takes too long. Nothing here imports @actions/core: the entries pass writers.
import { CancelledError } from './errors.js';

export type CancelCause = 'SIGINT' | 'SIGTERM' | 'parent-exit';

/** Shell convention, 128 + the signal's number; 129 (SIGHUP's) for "the controlling process went away". */
export const CANCEL_EXIT_CODES: Record<CancelCause, number> = { SIGINT: 130, SIGTERM: 143, 'parent-exit': 129 };

/** Long enough for a rollback and the release of locks; short enough that no orphan writes for long. */
export const ORPHAN_DEADLINE_MS = 5000;

const CAUSE_TEXT: Record<CancelCause, string> = {
  SIGINT: 'SIGINT',
  SIGTERM: 'SIGTERM',
  'parent-exit': 'the process that started cutover ended',
};

const UNFINISHED =
  'work not yet committed is rolled back by the database as the connections close; cutover cannot tell whether a commit was under way, so check the target before rerunning.';

export interface Cancellation {
  /** Aborted with a CancelledError whose message is "Cancelled (<cause>)". */
  readonly signal: AbortSignal;
  /** What cancelled the run; undefined while it is not cancelled. */
  readonly cause: CancelCause | undefined;
  /** 130 (SIGINT), 143 (SIGTERM) or 129 (parent ended); undefined while not cancelled. */
  readonly exitCode: number | undefined;
  /** Removes the signal handlers and timers (the process then dies of a signal again by default). */
  dispose(): void;
}

export interface CancellationOptions {
  /** Told once, when the first cancellation arrives (entries log it at debug level). */
  onCancel?: (cause: CancelCause) => void;
  /** The one line printed when the process exits without completing the orderly stop. */
  writeLine?: (line: string) => void;
  orphanDeadlineMs?: number;
  /** For tests; the real one ends the process. */
  exit?: (code: number) => void;
}

export function listenForCancellation(options: CancellationOptions = {}): Cancellation {
  const controller = new AbortController();
  const writeLine = options.writeLine ?? ((line: string) => process.stderr.write(`${line}\n`));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let cause: CancelCause | undefined;
  let deadline: NodeJS.Timeout | undefined;

  const cancel = (next: CancelCause) => {
    if (cause) return;
    cause = next;
    options.onCancel?.(next);
    controller.abort(new CancelledError(`Cancelled (${CAUSE_TEXT[next]})`));
  };
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => () => {
    if (cause !== name) return cancel(name);
    writeLine(`Stopped at once on a second ${name}: ${UNFINISHED}`);
    exit(CANCEL_EXIT_CODES[name]);
  };
  const handlers = [['SIGINT', onSignal('SIGINT')], ['SIGTERM', onSignal('SIGTERM')]] as const;
  for (const [name, handler] of handlers) process.on(name, handler);

  const onParentGone = () => {
    // The parent's stdout/stderr readers may be gone too: a failed write must not crash a rollback.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
    cancel('parent-exit');
    deadline ??= setTimeout(() => {
      writeLine(`Stopped: the process that started cutover ended and the run did not stop within ${Math.round((options.orphanDeadlineMs ?? ORPHAN_DEADLINE_MS) / 1000)} s; ${UNFINISHED}`);
      exit(CANCEL_EXIT_CODES['parent-exit']);
    }, options.orphanDeadlineMs ?? ORPHAN_DEADLINE_MS);
    // Only a process that something keeps alive needs it; an orderly stop just ends.
    deadline.unref();
  };
  const hasParentChannel = process.channel !== undefined;
  if (hasParentChannel) {
    process.on('disconnect', onParentGone);
    // The parent may have ended while this process was still loading.
    if (!process.connected) onParentGone();
  }

  return {
    signal: controller.signal,
    get cause() {
      return cause;
    },
    get exitCode() {
      return cause ? CANCEL_EXIT_CODES[cause] : undefined;
    },
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
      if (hasParentChannel) process.off('disconnect', onParentGone);
      // The deadline stays: a process whose parent is gone must still end if something keeps it alive.
    },
  };
}
