// Worker-thread entry when running from the TypeScript sources (the bundles in dist/ dispatch from
// their own entry instead: see src/index.ts and src/cli.ts).
import { runSqliteCopyWorker } from './sqlite-copy-worker.js';

await runSqliteCopyWorker();
