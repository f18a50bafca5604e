// Pure parts of the throwaway providers. The docker provider cannot run here (no Docker engine), so
// its argv, port parsing and readiness loop are what is tested of it.
import fs from 'node:fs';
import path from 'node:path';
import { dockerImage, dockerRunArgs, parseDockerPort } from '../../src/db/throwaway/docker-postgres.js';
import { findPostgresBinaries, parsePostgresVersion } from '../../src/db/throwaway/local-binaries.js';
import { initdbArgs, serverOptions } from '../../src/db/throwaway/local-postgres.js';
import { asUser } from '../../src/db/throwaway/run-command.js';
import { readState, removeThrowawayDir } from '../../src/db/throwaway/state-file.js';
import { waitUntilReady } from '../../src/db/throwaway/wait-ready.js';
import { ProvisionError } from '../../src/errors.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';

describe('docker provider (not run here: no Docker engine)', () => {
  test('image from postgres-version', () => {
    expect(dockerImage('17')).toBe('postgres:17');
    expect(dockerImage(' 16.4 ')).toBe('postgres:16.4');
    expect(dockerImage('17-alpine')).toBe('postgres:17-alpine');
    expect(dockerImage('ghcr.io/acme/postgres:17')).toBe('ghcr.io/acme/postgres:17');
    expect(() => dockerImage('17; rm -rf /')).toThrow(ProvisionError);
  });

  test('docker run argv: detached, removed on stop, random port on 127.0.0.1 only, password from the environment', () => {
    const argv = dockerRunArgs({ image: 'postgres:17', containerName: 'cutover-dry-run-abcd' });
    expect(argv).toEqual([
      'run', '-d', '--rm', '--name', 'cutover-dry-run-abcd', '--label', 'cutover.throwaway=true',
      '-e', 'POSTGRES_PASSWORD', '-p', '127.0.0.1::5432', 'postgres:17',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    ]);
    expect(argv.join(' ')).not.toMatch(/POSTGRES_PASSWORD=/);
  });

  test('published port parsing', () => {
    expect(parseDockerPort('127.0.0.1:49153\n')).toBe(49153);
    expect(parseDockerPort('0.0.0.0:32768\n[::]:32768\n')).toBe(32768);
    expect(parseDockerPort('')).toBeUndefined();
    expect(parseDockerPort('Error: No public port')).toBeUndefined();
  });
});

describe('waitUntilReady', () => {
  function clock() {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms), elapsed: () => t };
  }

  test('retries until the probe succeeds', async () => {
    const c = clock();
    let calls = 0;
    const outcome = await waitUntilReady({
      probe: async () => {
        calls += 1;
        if (calls < 4) throw new Error('ECONNREFUSED');
        return true;
      },
      timeoutMs: 10_000,
      ...c,
    });
    expect(outcome).toEqual({ ready: true, attempts: 4 });
  });

  test('gives up at the timeout with the last error', async () => {
    const c = clock();
    const outcome = await waitUntilReady({ probe: async () => Promise.reject(new Error('the database system is starting up')), timeoutMs: 5_000, ...c });
    expect(outcome).toMatchObject({ ready: false, reason: 'timeout', lastError: 'the database system is starting up' });
    expect(c.elapsed()).toBeGreaterThanOrEqual(5_000);
    expect(c.elapsed()).toBeLessThan(7_000);
  });

  test('stops early when the container died', async () => {
    const c = clock();
    let alive = 2;
    const outcome = await waitUntilReady({ probe: async () => false, alive: async () => (alive -= 1) > 0, timeoutMs: 60_000, ...c });
    expect(outcome).toMatchObject({ ready: false, reason: 'died', attempts: 2 });
    expect(c.elapsed()).toBeLessThan(2_000);
  });
});

describe('local provider building blocks', () => {
  test('initdb and server options', () => {
    expect(initdbArgs('/usr/lib/postgresql/15/bin', '/tmp/x/data', 'C.UTF-8')).toEqual([
      '/usr/lib/postgresql/15/bin/initdb', '-D', '/tmp/x/data', '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync',
    ]);
    expect(serverOptions(5433, "/tmp/it's")).toBe("-p 5433 -k '/tmp/it'\\''s' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
  });

  test('running as another user', () => {
    expect(asUser(['initdb', '-D', 'd'], undefined)).toEqual(['initdb', '-D', 'd']);
    expect(asUser(['initdb', '-D', 'd'], 'postgres', '/usr/sbin/runuser')).toEqual(['/usr/sbin/runuser', '-u', 'postgres', '--', 'initdb', '-D', 'd']);
    expect(asUser(['pg_ctl', '-o', '-p 5 -k /tmp/a b'], 'postgres', null)).toEqual(['su', 'postgres', '-s', '/bin/sh', '-c', "pg_ctl -o '-p 5 -k /tmp/a b'"]);
  });

  test('postgres --version parsing', () => {
    expect(parsePostgresVersion('postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)')).toEqual({ major: 15, version: '15.14' });
    expect(parsePostgresVersion('postgres (PostgreSQL) 18beta1')).toEqual({ major: 18, version: '18' });
    expect(parsePostgresVersion('nope')).toBeUndefined();
  });

  test('binaries: the requested major first, else the highest', async () => {
    const root = makeTempDir('cutover-fake-pg-');
    try {
      for (const major of ['14', '16']) {
        writeFiles(root, {
          [`${major}/bin/postgres`]: `#!/bin/sh\necho "postgres (PostgreSQL) ${major}.2"\n`,
          [`${major}/bin/initdb`]: '#!/bin/sh\n',
          [`${major}/bin/pg_ctl`]: '#!/bin/sh\n',
        });
        for (const name of ['postgres', 'initdb', 'pg_ctl']) fs.chmodSync(path.join(root, major, 'bin', name), 0o755);
      }
      writeFiles(root, { '9.6/bin/initdb': '' }); // incomplete: ignored
      const env = { PATH: '' };
      const fake = (list: Awaited<ReturnType<typeof findPostgresBinaries>>) => list.filter((b) => b.bindir.startsWith(root)).map((b) => b.major);
      expect(fake(await findPostgresBinaries({ debianRoot: root, env }))).toEqual([16, 14]);
      expect((await findPostgresBinaries({ debianRoot: root, env, preferredMajor: 14 }))[0]).toMatchObject({ major: 14, version: '14.2', bindir: path.join(root, '14/bin') });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('state files', () => {
  test('only cutover throwaway directories are ever removed', () => {
    const dir = makeTempDir('not-ours-');
    try {
      expect(() => removeThrowawayDir(dir)).toThrow(/refusing/);
      expect(() => removeThrowawayDir('/')).toThrow(/refusing/);
      expect(fs.existsSync(dir)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing or foreign state file reads as nothing to clean', () => {
    const dir = makeTempDir('cutover-state-');
    try {
      expect(readState(path.join(dir, 'missing.json'))).toBeUndefined();
      writeFiles(dir, { 'other.json': '{"provider":"local","dir":"/"}' });
      expect(readState(path.join(dir, 'other.json'))).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
