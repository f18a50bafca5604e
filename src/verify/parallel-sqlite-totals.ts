// Verification's SQLite side on several cores: a big table's rowid slices are hashed by worker threads
// (the copy's worker, in totals-only mode: no COPY text), and their sums added up. The checksum is an
// order-independent sum, so slices combine exactly.
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../copy/read/parallel-sqlite-source.js';
import { SQLITE_COPY_WORKER, type SqliteCopyWorkerData, type WorkerMessage } from '../copy/read/sqlite-copy-worker.js';
import type { SqliteReadSpec } from '../copy/read/sqlite-row-source.js';
import { HashSum } from './row-hash.js';
import type { SqliteTotals } from './sqlite-checksums.js';

function sliceTotals(file: string, spec: SqliteReadSpec, range: [bigint, bigint]): Promise<{ rows: number; rejected: number; hashTotal: string; hashCount: number }> {
  const entry = workerEntry();
  const workerData: SqliteCopyWorkerData = { kind: SQLITE_COPY_WORKER, file, spec: { ...spec, rowidRange: range }, checksums: true, totalsOnly: true };
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry.url, { workerData, execArgv: entry.execArgv });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'done') settle(() => resolve({ rows: message.rows, rejected: message.rejected, hashTotal: message.hashTotal ?? '0', hashCount: message.hashCount ?? 0 }));
      else if (message.type === 'error') settle(() => reject(Object.assign(new Error(message.message), message.stack ? { stack: message.stack } : {})));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`a verification worker thread exited with code ${code} before it finished`))));
  });
}

export async function parallelSqliteTotals(file: string, spec: SqliteReadSpec, slices: Array<[bigint, bigint]>): Promise<SqliteTotals> {
  const parts = await Promise.all(slices.map((range) => sliceTotals(file, spec, range)));
  const sum = new HashSum();
  for (const part of parts) sum.addTotal(part.hashTotal, part.hashCount);
  return { rows: parts.reduce((n, p) => n + p.rows, 0), checksum: sum.value(), unconvertible: parts.reduce((n, p) => n + p.rejected, 0), readByWorkers: true };
}
