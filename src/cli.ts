import { isMainThread } from 'node:worker_threads';
import { respawnWithHeapFlags } from './heap-flags.js';

// Entry of the CLI bundle; see src/index.ts for why it dispatches and re-spawns.
if (!isMainThread) {
  const { isSqliteCopyWorker, runSqliteCopyWorker } = await import('./copy/read/sqlite-copy-worker.js');
  if (isSqliteCopyWorker()) await runSqliteCopyWorker();
} else {
  const code = await respawnWithHeapFlags();
  process.exitCode = code ?? (await (await import('./cli-main.js')).main(process.argv.slice(2)));
}
