// The `local` throwaway provider for real: this machine's PostgreSQL server binaries (as the
// postgres user when the tests run as root), a real connection, and nothing left afterwards.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PostgresLocation } from '../../src/db/database-url.js';
import { findPostgresBinaries } from '../../src/db/throwaway/local-binaries.js';
import { isAlive } from '../../src/db/throwaway/local-postgres.js';
import { provisionThrowawayPostgres, teardownFromStateFile } from '../../src/db/throwaway/provision-throwaway.js';
import { readState, type LocalState } from '../../src/db/throwaway/state-file.js';
import { ProvisionError } from '../../src/errors.js';
import { cleanupThrowaway } from '../../src/post-cleanup.js';
import { recordingRuntime } from '../../src/runtime.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function query<T extends pg.QueryResultRow>(location: PostgresLocation, sql: string): Promise<T[]> {
  const client = new pg.Client({ host: location.host, port: location.port, user: location.user, database: location.database });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function localState(stateFile: string): LocalState {
  const state = readState(stateFile);
  if (state?.provider !== 'local') throw new Error(`no local state in ${stateFile}`);
  return state;
}

let hasBinaries = false;
beforeAll(async () => {
  hasBinaries = (await findPostgresBinaries()).length > 0;
  if (!hasBinaries) console.warn('No PostgreSQL server binaries here: the local provider tests are skipped.');
});

describe('local throwaway Postgres', () => {
  test('provision, connect, create a table, tear down: no process, no directory left', async () => {
    if (!hasBinaries) return;
    const runtime = recordingRuntime();
    const db = await provisionThrowawayPostgres({ kind: 'local', postgresVersion: '17', runtime });
    const state = localState(db.stateFile);
    try {
      expect(db.provider).toBe('local');
      expect(db.serverVersion).toMatch(/^\d+\.\d+/);
      expect(db.location).toMatchObject({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
      expect(path.dirname(db.stateFile)).toBe(state.dir);
      expect(state.pid && isAlive(state.pid)).toBe(true);
      if (process.getuid?.() === 0) expect(state.runAs).toBe('postgres');

      await query(db.location, 'CREATE TABLE orders (id bigint PRIMARY KEY, total_cents bigint NOT NULL)');
      await query(db.location, 'INSERT INTO orders SELECT g, g * 100 FROM generate_series(1, 1000) g');
      expect(await query<{ n: string }>(db.location, 'SELECT count(*) AS n FROM orders')).toEqual([{ n: '1000' }]);
      const [{ encoding }] = await query<{ encoding: string }>(db.location, "SELECT current_setting('server_encoding') AS encoding");
      expect(encoding).toBe('UTF8');
      // Only 127.0.0.1, socket inside the temp dir.
      const [{ listen }] = await query<{ listen: string }>(db.location, "SELECT current_setting('listen_addresses') AS listen");
      expect(listen).toBe('127.0.0.1');
      expect(fs.readdirSync(state.dir)).toEqual(expect.arrayContaining([`.s.PGSQL.${db.location.port}`, 'data', 'postgres.log']));
    } finally {
      await db.teardown();
    }
    expect(isAlive(state.pid!)).toBe(false);
    expect(fs.existsSync(state.dir)).toBe(false);
    await expect(query(db.location, 'SELECT 1')).rejects.toThrow();
    // A second teardown (e.g. the post step after a clean run) finds nothing to do.
    await expect(db.teardown()).resolves.toBeUndefined();
    expect(await teardownFromStateFile(db.stateFile)).toBe(false);
  });

  test('the post step cleans up after a main step that was killed', async () => {
    if (!hasBinaries) return;
    const script = `
      import { provisionThrowawayPostgres } from '${root}/src/db/throwaway/provision-throwaway.ts';
      import { recordingRuntime } from '${root}/src/runtime.ts';
      const db = await provisionThrowawayPostgres({ kind: 'local', postgresVersion: '15', runtime: recordingRuntime() });
      process.stdout.write(db.stateFile + '\\n');
      setInterval(() => undefined, 1000); // "still migrating" when the job is cancelled
    `;
    const child = spawn(process.execPath, ['--import', path.join(root, 'scripts/register-ts.mjs'), '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const stateFile = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.on('exit', (code) => reject(new Error(`child exited with ${code} before provisioning`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));

    const state = localState(stateFile);
    expect(isAlive(state.pid!)).toBe(true); // the server outlives the killed main step
    expect(await cleanupThrowaway({ STATE_throwaway: stateFile })).toBe(true);
    expect(isAlive(state.pid!)).toBe(false);
    expect(fs.existsSync(state.dir)).toBe(false);
    expect(await cleanupThrowaway({ STATE_throwaway: stateFile })).toBe(false);
    expect(await cleanupThrowaway({})).toBe(false);
  });

  test('auto falls back to local binaries when no Docker engine answers', async () => {
    if (!hasBinaries) return;
    const runtime = recordingRuntime();
    const db = await provisionThrowawayPostgres({ kind: 'auto', postgresVersion: '15', runtime });
    try {
      expect(['local', 'docker']).toContain(db.provider);
      expect(await query<{ one: number }>(db.location, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await db.teardown();
    }
  });

  test('docker without an engine is a ProvisionError that lists the three ways', async () => {
    const { dockerAvailable } = await import('../../src/db/throwaway/docker-postgres.js');
    if (await dockerAvailable()) return;
    const error = await provisionThrowawayPostgres({ kind: 'docker', postgresVersion: '17', runtime: recordingRuntime() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionError);
    expect((error as ProvisionError).fix).toMatch(/postgresql:\/\/ URL.*Docker engine.*server binaries/s);
  });
});
