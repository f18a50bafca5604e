// create-tables: the indexes, CHECK constraints, defaults and sequence positions of the tables this
// load created, built after their rows are in. Each runs in a savepoint inside the load transaction:
// when Postgres refuses one (a translated expression it rejects, rows a translated CHECK does not
// accept, values that differ only in case beyond ASCII under a lower() unique index), it is rolled
// back alone and the report lists it, with Postgres' message, as not created. Nothing is silent.
import type pg from 'pg';
import { describeCause, isPgError } from '../../errors.js';
import type { TablePlan } from '../plan/copy-plan.js';
import { isConnectionFailure } from './load-errors.js';

export async function createOptionalObjects(client: pg.ClientBase, tables: TablePlan[], signal: AbortSignal): Promise<void> {
  for (const table of tables) {
    for (const object of table.ddl?.optional ?? []) {
      signal.throwIfAborted();
      await client.query('SAVEPOINT cutover_schema_object');
      try {
        await client.query(object.sql!);
        await client.query('RELEASE SAVEPOINT cutover_schema_object');
      } catch (error) {
        if (!isPgError(error) || isConnectionFailure(error) || signal.aborted) throw error;
        await client.query('ROLLBACK TO SAVEPOINT cutover_schema_object');
        await client.query('RELEASE SAVEPOINT cutover_schema_object');
        object.refused = `Postgres refused it: ${describeCause(error)}`;
      }
    }
  }
}
