import { isMainThread } from 'node:worker_threads';
import { respawnWithHeapFlags } from './heap-flags.js';

// The bundle is also the code of the copy's worker threads (see src/copy/read/parallel-sqlite-source.ts).
// The engine is imported lazily so that the parent of the re-spawned child stays small.
if (!isMainThread) {
  const { isSqliteCopyWorker, runSqliteCopyWorker } = await import('./copy/read/sqlite-copy-worker.js');
  if (isSqliteCopyWorker()) await runSqliteCopyWorker();
} else {
  const code = await respawnWithHeapFlags();
  if (code !== undefined) process.exitCode = code;
  else await (await import('./main.js')).run();
}
