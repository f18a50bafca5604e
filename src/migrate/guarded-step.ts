// Runs a migration step on PostgreSQL so that it cannot block the application for long and can be
// stopped: every step runs with lock_timeout (migration-lock-timeout) and statement_timeout
// (migration-statement-timeout); a step whose transaction timed out waiting for a lock is rolled back
// and retried with backoff a bounded number of times; while it runs, the run's lock connection
// watches who blocks it (to name them when giving up) and, on cancel, cancels its backend.
//
// Without lock_timeout an ALTER TABLE queued behind an application transaction makes every later
// query on that table queue behind the ALTER: the classic migration outage.
import type pg from 'pg';
import { secondsText } from '../seconds-text.js';
import { pause } from '../abortable-pause.js';
import type { Runtime } from '../runtime.js';
import { describeWait, watchBlockers } from '../db/lock-blockers.js';
import type { MigrationFile } from './migration-files.js';
import { runMigrationStep, StepFailure, type Direction, type MigrationRunContext, type StepResult } from './migration-step.js';

export interface GuardSettings {
  /** lock_timeout of every migration statement; 0 = no limit (and no retries). */
  lockTimeoutMs: number;
  /** statement_timeout of every migration statement; 0 = no limit. */
  statementTimeoutMs: number;
  /** How many times a step that timed out waiting for a lock is tried again. */
  lockRetries: number;
  /** Pause before the first retry; doubles for each further one. */
  retryDelayMs: number;
  signal?: AbortSignal;
  runtime: Runtime;
}

export interface StepGuard {
  run(file: MigrationFile, direction: Direction, context: MigrationRunContext): Promise<StepResult>;
}

/** SQLite: no server to cancel and no lock_timeout (writers wait busy_timeout for the file lock). */
export const plainGuard: StepGuard = { run: runMigrationStep };

/**
 * `client` runs the migrations; `monitor` is the run's lock connection, idle while migrations run,
 * which only ever runs short catalog queries (it must never hold a snapshot for long: a
 * CREATE INDEX CONCURRENTLY on `client` would wait for it).
 */
export async function postgresGuard(client: pg.Client, monitor: pg.Client, settings: GuardSettings): Promise<StepGuard> {
  const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
  const pid = Number(rows[0].pid);
  const { lockTimeoutMs, statementTimeoutMs, lockRetries, retryDelayMs, signal, runtime } = settings;
  const watchEveryMs = lockTimeoutMs > 0 ? Math.max(50, Math.min(250, Math.floor(lockTimeoutMs / 4))) : 250;

  return {
    async run(file, direction, context) {
      for (let attempt = 1; ; attempt++) {
        // Set before every step, so that a migration changing them does not carry that into the next.
        await client.query(`SET lock_timeout = ${Math.floor(lockTimeoutMs)}`);
        await client.query(`SET statement_timeout = ${Math.floor(statementTimeoutMs)}`);
        const watch = watchBlockers(monitor, pid, watchEveryMs);
        let cancelling: Promise<unknown> = Promise.resolve();
        // Only while the migration's own code runs: never during its COMMIT, whose outcome we report.
        const onAbort = () => {
          if (context.control.phase === 'body') cancelling = monitor.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          return await runMigrationStep(file, direction, context);
        } catch (error) {
          const wait = await watch.stop();
          if (!(error instanceof StepFailure) || (error.error as { code?: string })?.code !== '55P03') throw error;
          error.lock = { attempts: attempt, lockTimeoutMs, ...(wait ? { wait } : {}) };
          // A no-transaction step may have done part of its work: running it again is not safe.
          if (!error.inTransaction || attempt > lockRetries || lockTimeoutMs === 0 || signal?.aborted) throw error;
          const delay = retryDelayMs * 2 ** (attempt - 1);
          runtime.warning(
            `${file.name} could not get a lock within migration-lock-timeout (${secondsText(lockTimeoutMs)}): ${wait ? describeWait(wait) : 'the session holding the lock was not seen'}. ` +
              `Its transaction was rolled back (nothing it did remains); retry ${attempt} of ${lockRetries} in ${secondsText(delay)}.`,
          );
          await pause(delay, signal);
          if (signal?.aborted) throw error;
        } finally {
          signal?.removeEventListener('abort', onAbort);
          await watch.stop();
          await cancelling;
        }
      }
    },
  };
}
