// The wording of a cancelled migration run, from the runner's entries (or their absence).
import { cancellationLine, migrationsSentence } from '../../src/engine/cancellation-line.js';
import { CancelledError, MigrationError } from '../../src/errors.js';
import { emptyResult, type MigrationEntry } from '../../src/run-result.js';

const entries: MigrationEntry[] = [
  { name: '001_users', status: 'already-applied' },
  { name: '002_orders', status: 'applied' },
  { name: '003_events', status: 'failed', error: { message: 'canceling statement due to user request.' } },
  { name: '004_index', status: 'pending' },
];

test('migrate: what this run applied stays, the interrupted one is named, nothing is claimed without entries', () => {
  expect(migrationsSentence('migrate', entries)).toBe('the 1 migration this run applied (002_orders) stays applied; 003_events did not complete (canceling statement due to user request).');
  expect(migrationsSentence('migrate', entries.filter((e) => e.status !== 'applied'))).toBe('this run applied no migration; 003_events did not complete (canceling statement due to user request).');
  expect(migrationsSentence('rollback', [{ name: '004_index', status: 'rolled-back' }])).toBe('the 1 migration this run rolled back (004_index) stays rolled back.');
  expect(migrationsSentence('migrate', undefined)).toMatch(/^cutover cannot tell which migrations this run had applied before it stopped/);
});

test('the line: the mode wraps its state; a bare cancellation or another error says what it knows', () => {
  const reason = new CancelledError('Cancelled (SIGINT)');
  const result = emptyResult('migrate');
  expect(cancellationLine(reason, result, new CancelledError('this run applied no migration.'))).toBe('Cancelled (SIGINT): this run applied no migration.');
  expect(cancellationLine(reason, result, reason)).toBe('Cancelled (SIGINT): cutover cannot tell what the run had written before it stopped; check the target before rerunning.');
  expect(cancellationLine(reason, result, new MigrationError('Migration 003_events failed: boom.', { migration: '003_events' }))).toBe('Cancelled (SIGINT), and the run ended with an error: Migration 003_events failed: boom.');
  expect(cancellationLine(reason, emptyResult('status'), undefined)).toBe('Cancelled (SIGINT): status only reads; nothing was written.');
});
