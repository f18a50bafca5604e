// Runs inside a worker thread: reads one rowid slice of a SQLite table, converts it to COPY text
// and posts 64 KB chunks to the main thread, which writes them to the target's COPY stream. Reading
// and converting rows is the CPU-bound part of a SQLite copy; slices in parallel use every core.
// Flow control: at most WINDOW chunks are unacknowledged, so memory stays flat.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from '../../db/sqlite-open.js';
import { HashSum } from '../../verify/row-hash.js';
import { SqliteRowSource, type RowFailure, type SqliteReadSpec } from './sqlite-row-source.js';

export const SQLITE_COPY_WORKER = 'cutover:sqlite-copy';
const WINDOW = 4;

export interface SqliteCopyWorkerData {
  kind: typeof SQLITE_COPY_WORKER;
  file: string;
  spec: SqliteReadSpec;
  checksums: boolean;
  /** Verification: only the slice's row count and checksum, no COPY text. */
  totalsOnly?: boolean;
}

export type WorkerMessage =
  | { type: 'chunk'; data: ArrayBuffer; rows: number }
  | { type: 'failure'; failure: RowFailure }
  | { type: 'done'; rows: number; copied: number; rejected: number; hashTotal?: string; hashCount?: number }
  | { type: 'error'; message: string; stack?: string };

export function isSqliteCopyWorker(): boolean {
  return (workerData as Partial<SqliteCopyWorkerData> | null)?.kind === SQLITE_COPY_WORKER;
}

export async function runSqliteCopyWorker(): Promise<void> {
  const port = parentPort!;
  const data = workerData as SqliteCopyWorkerData;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  port.on('message', (message) => {
    if (message === 'ack') {
      inFlight--;
      wake?.();
    }
  });
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const db = await openSqlite({ kind: 'sqlite', path: data.file }, { input: 'source-url', readonly: true });
  try {
    const hash = data.checksums ? new HashSum() : null;
    // A value that cannot convert is skipped here; the main thread decides whether that fails the copy.
    const onFailure = (failure: RowFailure) => post({ type: 'failure', failure });
    const source = data.totalsOnly
      ? new SqliteRowSource(db, data.spec, { hash, copyText: false, onFailure })
      : new SqliteRowSource(db, data.spec, { hash, onFailure });
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (data.totalsOnly) continue;
      while (inFlight >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
      const copy = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.length) as ArrayBuffer;
      inFlight++;
      post({ type: 'chunk', data: copy, rows: source.rows }, [copy]);
    }
    post({ type: 'done', rows: source.rows, copied: source.copied, rejected: source.rejected, ...(hash ? { hashTotal: hash.value(), hashCount: hash.count } : {}) });
  } catch (error) {
    post({ type: 'error', message: (error as Error).message, ...((error as Error).stack ? { stack: (error as Error).stack } : {}) });
  } finally {
    db.close();
    port.close();
  }
}
