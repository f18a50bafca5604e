// Connection failures against a real PostgreSQL server and real files: each gives one clear
// paragraph with host/port/database/user and the likely cause, and never the password.
import fs from 'node:fs';
import path from 'node:path';
import { parseDatabaseUrl, type PostgresLocation, type SqliteLocation } from '../../src/db/database-url.js';
import { connectPostgres, diagnoseConnectError } from '../../src/db/postgres-connect.js';
import { freePort } from '../../src/db/throwaway/free-port.js';
import { openSqlite } from '../../src/db/sqlite-open.js';
import { ConnectionError, formatError, SqliteFileError } from '../../src/errors.js';
import { adminUrl } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const PASSWORD = 'Wr0ng-Horse_Battery';
const admin = parseDatabaseUrl(adminUrl(), { input: 'test' }) as PostgresLocation;
const input = "input 'target-url'";

async function failure(location: PostgresLocation, attempts = 1): Promise<{ error: unknown; text: string; retries: string[] }> {
  const retries: string[] = [];
  try {
    const client = await connectPostgres(location, { input, attempts, backoffMs: 10, connectTimeoutMs: 2000, onRetry: (m) => retries.push(m) });
    await client.end();
  } catch (error) {
    return { error, text: formatError(error), retries };
  }
  throw new Error('expected the connection to fail');
}


describe('connectPostgres', () => {
  test('connects and reports nothing secret', async () => {
    const client = await connectPostgres(admin, { input });
    const { rows } = await client.query('SELECT current_setting($1) AS name', ['application_name']);
    expect(rows[0].name).toBe('cutover');
    await client.end();
  });

  test('wrong password: auth cause, no retry, no password', async () => {
    const { error, text, retries } = await failure({ ...admin, password: PASSWORD }, 3);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(text).toContain(`Could not connect to ${input} (host ${admin.host}, port ${admin.port}, database "${admin.database}", user "${admin.user}"`);
    expect(text).toMatch(/authentication failed.*SQLSTATE 28P01.*Fix: check the user name and password/);
    expect(retries).toEqual([]);
    expect(text).not.toContain(PASSWORD);
  });

  test('database does not exist: says so and how to create it', async () => {
    const { text } = await failure({ ...admin, database: 'no_such_db_here' });
    expect(text).toMatch(/database "no_such_db_here" does not exist.*CREATE DATABASE "no_such_db_here"/);
  });

  test('nothing listening: refused, retried with backoff', async () => {
    const port = await freePort();
    const { text, retries } = await failure({ ...admin, port, password: PASSWORD }, 3);
    expect(text).toMatch(new RegExp(`port ${port}.* after 3 attempts: the connection was refused`));
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatch(/retrying in 10 ms \(attempt 2 of 3\)/);
    expect(`${text}${retries.join()}`).not.toContain(PASSWORD);
  });

  test('unknown host: DNS', async () => {
    const { text } = await failure({ ...admin, host: 'db.does-not-exist.invalid' });
    expect(text).toMatch(/"db\.does-not-exist\.invalid" could not be resolved \(DNS\)/);
  });

  test('sslmode=require against a server without TLS: SSL cause and the fix', async () => {
    const { text } = await failure({ ...admin, sslmode: 'require' });
    expect(text).toMatch(/SSL negotiation failed.*does not support SSL.*sslmode=disable/);
  });

  test('channel_binding=require over a connection that is not encrypted is refused, not downgraded', async () => {
    const { error, text } = await failure({ ...admin, sslmode: 'prefer', params: { ...admin.params, channel_binding: 'require' } });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(text).toMatch(/channel_binding=require, but the connection is not encrypted.*Fix: set sslmode=require or verify-full/);
  });

  test('sslmode=prefer falls back to plain when the server has no TLS', async () => {
    const client = await connectPostgres({ ...admin, sslmode: 'prefer' }, { input });
    expect((await client.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await client.end();
  });
});

describe('diagnosing failures on a Supabase direct host (IPv6-only, unreachable from GitHub runners)', () => {
  const direct = { ...admin, host: 'db.abcdefghijklmnop.supabase.co' };
  test.each([
    ['ENOTFOUND', 'dns'],
    ['ENETUNREACH', 'network'],
    ['ETIMEDOUT', 'timeout'],
  ])('%s → %s, with the session pooler as the fix', (code, kind) => {
    const error = Object.assign(new Error(`connect ${code} db.abcdefghijklmnop.supabase.co`), { code });
    const diagnosis = diagnoseConnectError(error, direct, input);
    expect(diagnosis.kind).toBe(kind);
    expect(diagnosis.fix).toContain('postgresql://postgres.abcdefghijklmnop:PASSWORD@aws-0-<region>.pooler.supabase.com:5432/postgres');
  });

  test('the same failures on another host do not mention Supabase', () => {
    const error = Object.assign(new Error('connect ENOTFOUND db.example.com'), { code: 'ENOTFOUND' });
    expect(diagnoseConnectError(error, { ...admin, host: 'db.example.com' }, input).fix).not.toMatch(/supabase/i);
  });
});

describe('openSqlite', () => {
  const dir = makeTempDir();
  const sqlite = (file: string): SqliteLocation => ({ kind: 'sqlite', path: path.join(dir, file) });

  async function sqliteFailure(location: SqliteLocation): Promise<string> {
    try {
      (await openSqlite(location, { input: "input 'source-url'", readonly: true })).close();
    } catch (error) {
      expect(error).toBeInstanceOf(SqliteFileError);
      return formatError(error);
    }
    throw new Error('expected openSqlite to fail');
  }

  test('missing file', async () => {
    expect(await sqliteFailure(sqlite('missing.db'))).toMatch(/missing\.db given as input 'source-url' does not exist/);
  });

  test('a directory', async () => {
    fs.mkdirSync(path.join(dir, 'folder.db'));
    expect(await sqliteFailure(sqlite('folder.db'))).toMatch(/which is a directory, not a SQLite file/);
  });

  test('not a SQLite file', async () => {
    fs.writeFileSync(path.join(dir, 'dump.db'), 'CREATE TABLE t (id int);\n');
    expect(await sqliteFailure(sqlite('dump.db'))).toMatch(/is not a SQLite database: its header is not "SQLite format 3"/);
  });

  test('a corrupt SQLite file', async () => {
    const good = fs.readFileSync('test/fixtures/real/pgloader_type-mismatch.db');
    const corrupt = Buffer.from(good);
    corrupt.fill(0xff, 100, corrupt.length); // keep the header, destroy the pages
    fs.writeFileSync(path.join(dir, 'corrupt.db'), corrupt);
    expect(await sqliteFailure(sqlite('corrupt.db'))).toMatch(/cannot be read as a SQLite database.*PRAGMA integrity_check/);
  });

  test('a SQLite file locked by a writer is reported as locked, not as corrupt', async () => {
    const { loadSqlite } = await import('../../src/db/sqlite-driver.js');
    const Database = await loadSqlite();
    fs.copyFileSync('test/fixtures/real/pgloader_type-mismatch.db', path.join(dir, 'locked.db'));
    const writer = new Database(path.join(dir, 'locked.db'));
    writer.exec('BEGIN EXCLUSIVE');
    const { BUSY_TIMEOUT_MS } = await import('../../src/db/sqlite-open.js');
    try {
      const text = await sqliteFailure(sqlite('locked.db'));
      expect(text).toMatch(new RegExp(`is locked by another process that is writing to it; cutover waited ${BUSY_TIMEOUT_MS / 1000} s.*Fix: stop the application`));
      expect(text).not.toMatch(/corrupt/);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  }, 30_000);

  test('create: true makes a new local database', async () => {
    const db = await openSqlite(sqlite('new.db'), { input: 'x', readonly: false, create: true });
    db.close();
    expect(fs.existsSync(path.join(dir, 'new.db'))).toBe(true);
  });
});

describe('connection report', () => {
  test('says where it connected and whether the connection is encrypted', async () => {
    const messages: string[] = [];
    const client = await connectPostgres({ ...admin, sslmode: 'prefer' }, { input, onConnected: (m) => messages.push(m) });
    await client.end();
    expect(messages).toEqual([
      `Connected to ${input} (host ${admin.host}, port ${admin.port}, database "${admin.database}", user "${admin.user}") with sslmode=prefer (encrypted if the server offers it, certificate not verified); the connection is not encrypted.`,
    ]);
  });
});
