// Several runs racing for cutover's migration lock while the holder builds an index CONCURRENTLY.
// CREATE INDEX CONCURRENTLY waits for every older snapshot in the database; a waiter that sat in
// `SELECT pg_advisory_lock(…)` held one, so holder and waiters deadlocked (undetected by Postgres)
// until the waiters' lock-timeout. Waiters must poll with nothing open in between.
import { LOCK_KEY } from '../../src/migrate/migration-lock.js';
import { formatError } from '../../src/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { fixture, historyNames, resetSchema, run } from './migrate-helpers.js';

const NAMES = ['001_create_items', '002_pause', '003_index_items_sku', '004_insert_once'];
const RUNS = 5;
const ROUNDS = 3;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('migrate_contention');
});
afterAll(async () => {
  await db?.drop();
});

/**
 * Sessions blocked inside a statement that waits for cutover's lock (what the old waiters did), and
 * sessions idle in a transaction while the index is being built (a snapshot it would wait for).
 */
async function snapshotHolders(): Promise<{ blocked: number; idleInTransaction: number }> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = $1::int4::oid AND objid = $2::int4::oid AND objsubid = 2) AS blocked,
            (SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'
                AND EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%CREATE INDEX CONCURRENTLY%' AND pid <> pg_backend_pid())) AS idle_in_transaction`,
    [LOCK_KEY[0], LOCK_KEY[1]],
  );
  return { blocked: rows[0].blocked, idleInTransaction: rows[0].idle_in_transaction };
}

test(`${RUNS} concurrent migrate runs with a CREATE INDEX CONCURRENTLY migration: each migration applied exactly once, no deadlock (${ROUNDS} rounds)`, async () => {
  for (let round = 1; round <= ROUNDS; round++) {
    await resetSchema(db);
    let settled = false;
    // lock-timeout is far longer than a round needs: a deadlock shows up as LockTimeoutError.
    const runs = Promise.allSettled(Array.from({ length: RUNS }, () => run(db.location, fixture('migrations-concurrent-index'), { lockTimeoutMs: 12_000 })));
    void runs.then(() => (settled = true));
    const seen = { blocked: 0, idleInTransaction: 0 };
    while (!settled) {
      const now = await snapshotHolders();
      seen.blocked = Math.max(seen.blocked, now.blocked);
      seen.idleInTransaction = Math.max(seen.idleInTransaction, now.idleInTransaction);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const results = await runs;
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [formatError(r.reason)] : []));
    expect({ round, failures }).toEqual({ round, failures: [] });
    const applied = results.map((r) => (r.status === 'fulfilled' ? r.value.applied : []));
    expect(applied.flat().sort()).toEqual(NAMES);
    expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
    expect(await historyNames(db)).toEqual(NAMES);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM items WHERE sku = 'inserted by 004'`);
    expect(rows[0].n).toBe(1);
    const index = await db.query(`SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'items_sku_idx'`);
    expect(index.rows).toEqual([{ indisvalid: true }]);
    // No waiter ever sat in a statement waiting for the lock, and no session of any run sat idle in a transaction.
    expect({ round, seen }).toEqual({ round, seen: { blocked: 0, idleInTransaction: 0 } });
  }
}, 60_000);
