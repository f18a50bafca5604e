// One writer per target: copy, cutover and dry-run copies take a session advisory lock on the
// target (a key distinct from the migration lock's) before their preflight, and hold it until they
// end. A second run waits up to lock-timeout, naming the holder, and then finds the target filled
// (its preflight refuses if-target-not-empty: fail) — two copies never write the same tables at once.
import type pg from 'pg';
import { describeHolder, findAdvisoryLockHolder, pollAdvisoryLock, type AdvisoryKey } from '../../db/advisory-lock.js';
import { LockTimeoutError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';

/** 'cutv' and 2 (= copies); the migration lock is ('cutv', 1). */
export const COPY_LOCK_KEY: AdvisoryKey = [0x63757476, 2];

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export async function lockTargetForCopy(client: pg.ClientBase, options: { timeoutMs: number; runtime: Runtime; input: string; signal?: AbortSignal }): Promise<void> {
  const taken = await pollAdvisoryLock(client, COPY_LOCK_KEY, {
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    onWait: (holder, waited) =>
      options.runtime.info(
        waited === 0
          ? `Another copy is writing to ${options.input} (${holder ? describeHolder(holder) : 'another session'}); waiting up to ${seconds(options.timeoutMs)} for it to finish.`
          : `Still waiting for the copy lock on ${options.input} after ${Math.round(waited / 1000)} s (held by ${holder ? describeHolder(holder) : 'another session'}).`,
      ),
  });
  if (taken) return;
  if (options.signal?.aborted) throw options.signal.reason;
  const holder = await findAdvisoryLockHolder(client, COPY_LOCK_KEY);
  throw new LockTimeoutError(
    `Timed out after ${seconds(options.timeoutMs)} waiting for the copy lock on ${options.input}: ${holder ? `it is held by ${describeHolder(holder)}` : 'another session held it'}, probably another cutover run copying into the same database. Nothing was written.`,
    {
      fix: holder
        ? `wait for that run to finish and retry, raise lock-timeout, or if that session is stuck end it with SELECT pg_terminate_backend(${holder.pid});`
        : 'retry the run, or raise lock-timeout.',
    },
  );
}
