// The main-thread side of a parallel SQLite read: splits a table into rowid slices, starts one
// worker per slice (src/copy/read/sqlite-copy-worker.ts) and merges their COPY text chunks into one
// Readable for the target's COPY stream. COPY does not care about row order, and the checksum is an
// order-independent sum, so slices can arrive interleaved. Same counters as SqliteRowSource.
import fs from 'node:fs';
import os from 'node:os';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from '../../db/sqlite-driver.js';
import { quoteIdent } from '../../db/pg-identifiers.js';
import type { HashSum } from '../../verify/row-hash.js';
import { SQLITE_COPY_WORKER, type SqliteCopyWorkerData, type WorkerMessage } from './sqlite-copy-worker.js';
import type { RowFailure, SqliteReadSpec } from './sqlite-row-source.js';

/** Below this many rows, starting workers costs more than it saves. */
const MIN_ROWS_FOR_WORKERS = 50_000;

/**
 * Where a worker's code is: the bundle itself when running from dist/ (its entry dispatches on
 * isMainThread), the compiled worker module in the npm package's lib/, or the TypeScript source with
 * the loader hook when running from src/ (tests, bench).
 */
export function workerEntry(): { url: URL; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { url: new URL('./sqlite-copy-worker-main.ts', here), execArgv: ['--import', new URL('../../../scripts/register-ts.mjs', here).href] };
  }
  // The npm package's lib/ (compiled, not bundled): the worker module sits next to this one.
  const compiled = new URL('./sqlite-copy-worker-main.js', here);
  if (fs.existsSync(fileURLToPath(compiled))) return { url: compiled, execArgv: [] };
  // In a bundle this module may sit in a chunk next to the entry: start the entry, index.js.
  return { url: new URL('./index.js', here), execArgv: [] };
}

/**
 * Slices per table: the `jobs` setting, capped by the cores left once Postgres' COPY backend has
 * one. On a 2-core machine that is 1 (no workers): measured there, two workers did not shorten the
 * copy (the CPU was already shared with Postgres) and raised peak RSS from ~150 to ~250 MB.
 */
export function workerCount(jobs: number, cores = os.availableParallelism(), env: NodeJS.ProcessEnv = process.env): number {
  // CUTOVER_COPY_THREADS overrides the choice (tuning, and tests of the worker path on small machines).
  const forced = Number(env.CUTOVER_COPY_THREADS);
  if (Number.isInteger(forced) && forced >= 1) return Math.min(forced, 16);
  return Math.max(1, Math.min(jobs, cores - 1));
}

/**
 * Threads for verification's SQLite side: Postgres computes the other side's checksums in SQL at the
 * same time, but does not need a core for the whole time as a COPY backend does: every core may hash.
 */
export function verifyThreadCount(jobs: number, cores = os.availableParallelism(), env: NodeJS.ProcessEnv = process.env): number {
  const forced = Number(env.CUTOVER_COPY_THREADS);
  if (Number.isInteger(forced) && forced >= 1) return Math.min(forced, 16);
  return Math.max(1, Math.min(jobs, cores));
}

/** Rowid slices for `slices` workers, or undefined when the table should be read on one thread. */
export function planSlices(db: SqliteDatabase, spec: SqliteReadSpec, slices: number): Array<[bigint, bigint]> | undefined {
  if (slices < 2 || !spec.hasRowid || spec.limit !== undefined || db.memory || !db.name) return undefined;
  const stats = db.prepare(`SELECT min(_rowid_) AS lo, max(_rowid_) AS hi, count(*) AS n FROM ${quoteIdent(spec.table)}`).safeIntegers(true).get() as { lo: bigint | null; hi: bigint | null; n: bigint };
  if (stats.lo === null || stats.hi === null || stats.n < BigInt(MIN_ROWS_FOR_WORKERS)) return undefined;
  const span = stats.hi - stats.lo + 1n;
  const ranges: Array<[bigint, bigint]> = [];
  for (let i = 0n; i < BigInt(slices); i++) {
    const first = stats.lo + (span * i) / BigInt(slices);
    const last = i === BigInt(slices) - 1n ? stats.hi : stats.lo + (span * (i + 1n)) / BigInt(slices) - 1n;
    if (first <= last) ranges.push([first, last]);
  }
  return ranges;
}

export interface ParallelSourceOptions {
  hash: HashSum | null;
  onFailure: (failure: RowFailure) => void;
  onRows?: (rowsSoFar: number) => void;
}

export class ParallelSqliteSource extends Readable {
  rows = 0;
  copied = 0;
  rejected = 0;
  private readonly workers: Worker[] = [];
  private readonly rowsPerWorker: number[];
  private readonly awaitingAck: Worker[] = [];
  private running: number;
  private readonly options: ParallelSourceOptions;

  constructor(file: string, spec: SqliteReadSpec, slices: Array<[bigint, bigint]>, options: ParallelSourceOptions) {
    super({ highWaterMark: 4 * 64 * 1024 });
    this.options = options;
    const entry = workerEntry();
    this.rowsPerWorker = slices.map(() => 0);
    this.running = slices.length;
    slices.forEach((range, index) => {
      const workerData: SqliteCopyWorkerData = { kind: SQLITE_COPY_WORKER, file, spec: { ...spec, rowidRange: range }, checksums: options.hash !== null };
      const worker = new Worker(entry.url, { workerData, execArgv: entry.execArgv });
      worker.on('message', (message: WorkerMessage) => this.onMessage(worker, index, message));
      worker.on('error', (error) => this.destroy(error));
      this.workers.push(worker);
    });
  }

  private onMessage(worker: Worker, index: number, message: WorkerMessage): void {
    if (this.destroyed) return;
    try {
      switch (message.type) {
        case 'chunk':
          this.rowsPerWorker[index] = message.rows;
          this.options.onRows?.(this.rowsPerWorker.reduce((a, b) => a + b, 0));
          if (this.push(Buffer.from(message.data))) worker.postMessage('ack');
          else this.awaitingAck.push(worker);
          return;
        case 'failure':
          this.options.onFailure(message.failure);
          return;
        case 'done':
          this.rows += message.rows;
          this.copied += message.copied;
          this.rejected += message.rejected;
          if (message.hashTotal !== undefined) this.options.hash?.addTotal(message.hashTotal, message.hashCount ?? 0);
          if (--this.running === 0) this.push(null);
          return;
        case 'error':
          throw Object.assign(new Error(message.message), message.stack ? { stack: message.stack } : {});
      }
    } catch (error) {
      this.destroy(error as Error);
    }
  }

  override _read(): void {
    for (const worker of this.awaitingAck.splice(0)) worker.postMessage('ack');
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    Promise.all(this.workers.map((worker) => worker.terminate())).then(
      () => callback(error),
      () => callback(error),
    );
  }
}
