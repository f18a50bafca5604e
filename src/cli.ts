import { isMainThread } from 'node:worker_threads';
import { respawnWithHeapFlags } from './heap-flags.js';

// Entry of the CLI in the npm package (lib/cli.js, compiled by tsc); dist/cli/index.js runs the
// Action bundle instead (src/index.ts), which dispatches and re-spawns the same way.
if (!isMainThread) {
  const { isSqliteCopyWorker, runSqliteCopyWorker } = await import('./copy/read/sqlite-copy-worker.js');
  if (isSqliteCopyWorker()) await runSqliteCopyWorker();
} else {
  const code = await respawnWithHeapFlags();
  process.exitCode = code ?? (await (await import('./cli-main.js')).main(process.argv.slice(2)));
}
