import { isMainThread } from 'node:worker_threads';
import { isSqliteCopyWorker, runSqliteCopyWorker } from './copy/sqlite-copy-worker.js';
import { run } from './main.js';

// The bundle is also the code of the copy's worker threads (see src/copy/parallel-sqlite-source.ts).
if (isMainThread) await run();
else if (isSqliteCopyWorker()) await runSqliteCopyWorker();
