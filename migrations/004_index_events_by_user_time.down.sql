-- cutover:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS events_user_id_occurred_at_idx;
