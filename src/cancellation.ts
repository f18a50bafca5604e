// How a run gets cancelled, in the process that runs the engine. The first SIGINT, SIGTERM or SIGHUP
// (a closed terminal; some runners cancel with it) aborts the run's AbortSignal: the engine stops, rolls back, releases its locks and reports what state the
// target is in (src/engine/cancellation-line.ts). A second signal of the same kind exits at once (an
// impatient Ctrl-C). When this process is the engine child re-spawned by src/heap-flags.ts, the end
// of its parent, however it ended (even SIGKILL, which nobody can forward), closes the IPC channel:
// that cancels the run too, and as no second signal can come any more, a deadline ends the process
// if the orderly stop takes too long. Nothing here imports @actions/core: the entries pass writers.
import { CancelledError } from './errors.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type CancelSignal = (typeof SIGNALS)[number];
export type CancelCause = CancelSignal | 'parent-exit';

/** Shell convention, 128 + the signal's number; SIGHUP's 129 also for "the process that started us went away". */
export const CANCEL_EXIT_CODES: Record<CancelCause, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, 'parent-exit': 129 };

/** Long enough for a rollback and the release of locks; short enough that no orphan writes for long. */
export const ORPHAN_DEADLINE_MS = 5000;

const CAUSE_TEXT: Record<CancelCause, string> = {
  SIGINT: 'SIGINT',
  SIGTERM: 'SIGTERM',
  SIGHUP: 'SIGHUP',
  'parent-exit': 'the process that started cutover ended',
};

const UNFINISHED =
  'work not yet committed is rolled back by the database as the connections close; cutover cannot tell whether a commit was under way, so check the target before rerunning.';

export interface Cancellation {
  /** Aborted with a CancelledError whose message is "Cancelled (<cause>)". */
  readonly signal: AbortSignal;
  /** What cancelled the run; undefined while it is not cancelled. */
  readonly cause: CancelCause | undefined;
  /** 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP, parent ended); undefined while not cancelled. */
  readonly exitCode: number | undefined;
  /** Removes the signal handlers and timers (the process then dies of a signal again by default). */
  dispose(): void;
}

export interface CancellationOptions {
  /** Told once, when the first cancellation arrives, what happens next (entries log it at debug level). */
  onCancel?: (message: string) => void;
  /** The one line printed when the process exits without completing the orderly stop. */
  writeLine?: (line: string) => void;
}

export function listenForCancellation(options: CancellationOptions = {}): Cancellation {
  const controller = new AbortController();
  const writeLine = options.writeLine ?? ((line: string) => process.stderr.write(`${line}\n`));
  let cause: CancelCause | undefined;
  let deadline: NodeJS.Timeout | undefined;

  const cancel = (next: CancelCause) => {
    if (cause) return;
    cause = next;
    // The terminal or the parent's pipe readers may be gone: a failed write must not crash a rollback.
    if (next === 'SIGHUP' || next === 'parent-exit') for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
    options.onCancel?.(
      next === 'parent-exit'
        ? `Cancelling (parent-exit): stopping the run, or ending this process in ${ORPHAN_DEADLINE_MS / 1000} s.`
        : `Cancelling (${next}): stopping the run; a second ${next} stops at once.`,
    );
    controller.abort(new CancelledError(`Cancelled (${CAUSE_TEXT[next]})`));
  };
  const handlers = SIGNALS.map((name) => {
    const handler = () => {
      if (cause !== name) return cancel(name);
      writeLine(`Stopped at once on a second ${name}: ${UNFINISHED}`);
      process.exit(CANCEL_EXIT_CODES[name]);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });

  const onParentGone = () => {
    cancel('parent-exit');
    deadline ??= setTimeout(() => {
      writeLine(`Stopped: the process that started cutover ended and the run did not stop within ${ORPHAN_DEADLINE_MS / 1000} s; ${UNFINISHED}`);
      process.exit(CANCEL_EXIT_CODES['parent-exit']);
    }, ORPHAN_DEADLINE_MS);
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
