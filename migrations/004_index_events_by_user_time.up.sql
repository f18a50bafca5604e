-- cutover:no-transaction
-- CREATE INDEX CONCURRENTLY does not block writes to events while it builds, but it cannot run
-- inside a transaction block, hence the marker above. IF NOT EXISTS makes a retry after a crash safe.
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_user_id_occurred_at_idx ON events (user_id, occurred_at DESC);
