// How a blocking session's query is shown in errors: no string literals (user data), one line, short.
import { describeBlocker, redactQuery } from '../../src/db/lock-blockers.js';

test('string literals and dollar-quoted bodies are hidden, whitespace folded', () => {
  expect(redactQuery("UPDATE users\n   SET email = 'x@example.com', note = 'it''s'\n WHERE id = 1")).toBe("UPDATE users SET email = '…', note = '…' WHERE id = 1");
  expect(redactQuery('DO $body$ BEGIN PERFORM secret(); END $body$')).toBe('DO $$…$$');
});

test('long queries are shortened', () => {
  const shown = redactQuery(`SELECT ${'a, '.repeat(200)}b FROM t`);
  expect(shown.length).toBe(160);
  expect(shown.endsWith('…')).toBe(true);
});

test('a blocker is described with pid, application_name, state, transaction age and query', () => {
  expect(describeBlocker({ pid: 42, applicationName: 'shop', user: 'app', state: 'idle in transaction', query: 'SELECT 1', transactionMs: 12_345 })).toBe(
    "backend pid 42 (application_name 'shop'; user app; state idle in transaction; in a transaction open for 12 s, holding the lock until it ends; last query: SELECT 1)",
  );
});

test("a blocker whose state and query the role may not see says so, instead of Postgres' placeholder", () => {
  expect(describeBlocker({ pid: 7, applicationName: 'psql', user: 'postgres', state: null, query: '<insufficient privilege>', transactionMs: null })).toBe(
    "backend pid 7 (application_name 'psql'; user postgres; its state and query are hidden from this role (pg_read_all_stats would show them))",
  );
});
