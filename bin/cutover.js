#!/usr/bin/env node
// The CLI entry users run (`npx cutover …` in a clone, or `node bin/cutover.js …`): the bundled engine.
import '../dist/cli/index.js';
