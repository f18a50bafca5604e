// Opens SQLite files with checks that turn SQLite's terse errors into ones that name the file and fix.
import fs from 'node:fs';
import path from 'node:path';
import { SqliteFileError } from '../errors.js';
import type { SqliteLocation } from './database-url.js';
import { loadSqlite, type SqliteDatabase } from './sqlite-driver.js';

/** How long a read waits for another process's write lock before giving up. */
export const BUSY_TIMEOUT_MS = 10_000;

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface OpenSqliteOptions {
  /** Input the path came from, for messages. */
  input: string;
  readonly: boolean;
  /** Create the file when it does not exist (migrations on a new local database). */
  create?: boolean;
}

export async function openSqlite(location: SqliteLocation, options: OpenSqliteOptions): Promise<SqliteDatabase> {
  const file = location.path;
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    const dirExists = fs.existsSync(path.dirname(file));
    if (!options.create || !dirExists) {
      throw new SqliteFileError(`The SQLite file ${file} given as ${options.input} does not exist.`, {
        fix: dirExists
          ? `check the path (relative paths are resolved from ${process.cwd()}), or check out / download the database file in an earlier step.`
          : `the directory ${path.dirname(file)} does not exist either: check the path.`,
      });
    }
  } else if (stat.isDirectory()) {
    throw new SqliteFileError(`${options.input} points at ${file}, which is a directory, not a SQLite file.`, {
      fix: `give the path of the database file inside it, e.g. sqlite:${path.join(file, 'app.db')}.`,
    });
  } else if (stat.size > 0) {
    const header = Buffer.alloc(HEADER.length);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, header, 0, HEADER.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (!header.equals(HEADER)) {
      throw new SqliteFileError(`${file} (${options.input}) is not a SQLite database: its header is not "SQLite format 3".`, {
        fix: `check that the path points at the database file itself (not a dump, a zip or a Git LFS pointer); a .sql dump must be loaded with sqlite3 first.`,
      });
    }
  }

  const Database = await loadSqlite();
  let db: SqliteDatabase;
  try {
    db = new Database(file, { readonly: options.readonly, fileMustExist: !options.create });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Touch the schema so corruption is reported here, not halfway through a copy.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (cause) {
    if (/^SQLITE_(BUSY|LOCKED)/.test(String((cause as { code?: string }).code ?? ''))) {
      throw new SqliteFileError(`The SQLite file ${file} (${options.input}) is locked by another process that is writing to it; cutover waited ${BUSY_TIMEOUT_MS / 1000} s for the lock.`, {
        cause,
        fix: 'stop the application (or the tool with a transaction open on the file) while cutover reads it, then run again.',
      });
    }
    throw new SqliteFileError(`${file} (${options.input}) cannot be read as a SQLite database: ${(cause as Error).message}.`, {
      cause,
      fix: `the file may be corrupt or truncated; check it with \`sqlite3 ${file} 'PRAGMA integrity_check'\` or restore it from a backup.`,
    });
  }
  return db;
}
