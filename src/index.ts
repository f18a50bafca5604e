import { isMainThread } from 'node:worker_threads';
import { respawnWithHeapFlags } from './heap-flags.js';

// The one bundle in dist/ (scripts/build-dist.mjs) has three entry files that share it: dist/index.js
// (the Action's main step), dist/post/index.js (its post step) and dist/cli/index.js (the CLI from a
// clone); the last two set globalThis.cutoverEntry before importing this. The bundle is also the code
// of the copy's worker threads (see src/copy/read/parallel-sqlite-source.ts). Each part is imported
// lazily so that the parent of the re-spawned child stays small.
type Entry = 'action' | 'post' | 'cli';
const entry: Entry = (globalThis as { cutoverEntry?: Entry }).cutoverEntry ?? 'action';

if (!isMainThread) {
  const { isSqliteCopyWorker, runSqliteCopyWorker } = await import('./copy/read/sqlite-copy-worker.js');
  if (isSqliteCopyWorker()) await runSqliteCopyWorker();
} else if (entry === 'post') {
  await import('./post.js');
} else {
  const code = await respawnWithHeapFlags();
  if (code !== undefined) process.exitCode = code;
  else if (entry === 'cli') process.exitCode = await (await import('./cli-main.js')).main(process.argv.slice(2));
  else await (await import('./main.js')).run();
}
