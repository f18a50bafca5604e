#!/usr/bin/env node
// The CLI entry (`npx cutover …`). The npm package runs the compiled sources in lib/, with the
// dependencies npm installed; a clone of the repository (no lib/: `npm pack` builds it and removes it
// again) runs the Action's bundle in dist/. Either entry checks the Node version before it loads
// the SQLite driver (src/node-runtime.ts).
import fs from 'node:fs';

const lib = new URL('../lib/cli.js', import.meta.url);
await import(fs.existsSync(lib) ? lib.href : new URL('../dist/cli/index.js', import.meta.url).href);
