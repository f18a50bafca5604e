// Set-up shared by the tests that drive the engine's front door (runMode) as the CLI does: a
// generated example-app SQLite source, databases dropped after the file, settings from raw inputs.
import path from 'node:path';
// @ts-expect-error plain ESM script without types
import { writeExampleAppDb } from '../../scripts/example-app-db.mjs';
import { buildSettings, type RawInputs, type Settings } from '../../src/settings.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { makeTempDir } from './temp-dir.js';

export interface EngineRun {
  dir: string;
  /** The example app's SQLite database (120 users, 300 orders, 450 events). */
  source: string;
  /** A fresh test database, dropped in afterAll. */
  database(prefix: string): Promise<TestDatabase>;
  settings(raw: RawInputs): Settings;
}

/** Call at the top level of a test file (it registers an afterAll). */
export function engineRun(prefix: string): EngineRun {
  const dir = makeTempDir(prefix);
  const source = path.join(dir, 'app.db');
  writeExampleAppDb(source, { users: 120, orders: 300, events: 450 });
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });
  return {
    dir,
    source,
    async database(name) {
      const db = await createTestDatabase(name);
      databases.push(db);
      return db;
    },
    settings: (raw) => buildSettings({ 'migrations-dir': 'migrations', ...raw }, { origin: 'cli', env: { RUNNER_TEMP: dir }, cwd: process.cwd() }),
  };
}
