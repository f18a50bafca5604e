// One point in time for a SQLite source. The main connection opens a read transaction before the
// first table is read and keeps it until the copy (and its verification) ends, so every table it
// reads shows the same committed state. In rollback-journal mode that read lock also keeps writers
// from committing meanwhile (they wait, then get "database is locked"); in WAL mode writers go on
// and this connection keeps its snapshot. Worker threads read through their own connections, which
// in WAL mode could see a later commit: a second connection watches PRAGMA data_version (it changes
// when any other connection commits), and a copy that used workers while the file changed is refused
// before COMMIT.
import type { SqliteDatabase } from '../../db/sqlite-driver.js';
import { loadSqlite } from '../../db/sqlite-driver.js';
import { CopyError } from '../../errors.js';

export class SqliteSnapshot {
  private readonly db: SqliteDatabase;
  private readonly watcher: SqliteDatabase;
  private readonly startVersion: number;
  readonly journalMode: string;

  private constructor(db: SqliteDatabase, watcher: SqliteDatabase, startVersion: number, journalMode: string) {
    this.db = db;
    this.watcher = watcher;
    this.startVersion = startVersion;
    this.journalMode = journalMode;
  }

  static async begin(db: SqliteDatabase): Promise<SqliteSnapshot> {
    const Database = await loadSqlite();
    const watcher = new Database(db.name, { readonly: true, fileMustExist: true });
    const startVersion = Number(watcher.pragma('data_version', { simple: true }));
    const journalMode = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
    db.exec('BEGIN');
    // BEGIN is deferred: the snapshot starts with the first read.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return new SqliteSnapshot(db, watcher, startVersion, journalMode);
  }

  /** True when another connection committed to the file since the snapshot began. */
  changed(): boolean {
    return Number(this.watcher.pragma('data_version', { simple: true })) !== this.startVersion;
  }

  /**
   * Before COMMIT: if worker threads (their own connections) read while the file changed, the tables
   * may come from different points in time.
   */
  assertConsistent(usedWorkers: boolean, file: string): void {
    if (!usedWorkers || !this.changed()) return;
    throw new CopyError(`The SQLite source ${file} was written to by another process during the copy, and some tables were read by worker threads that may have seen the newer state, so the copied tables might not come from one point in time. Nothing was committed: the target is as it was.`, {
      fix: 'stop the application writing to the SQLite file during the copy (a cutover normally does), or set CUTOVER_COPY_THREADS=1 to read every table through one snapshot; then run again.',
    });
  }

  /** A sentence for the log when the file changed but every table came from the snapshot. */
  changeNote(file: string): string | undefined {
    if (!this.changed()) return undefined;
    return `The SQLite source ${file} was written to by another process during the copy; every table was read from one snapshot taken when the copy started, so those later writes are not in the target.`;
  }

  end(): void {
    try {
      if (this.db.inTransaction) this.db.exec('COMMIT');
    } catch {
      // the connection is closing anyway
    }
    this.watcher.close();
  }
}
