// One consistent view of a Postgres source across all tables and all parallel readers: a
// REPEATABLE READ READ ONLY transaction exports its snapshot, and every reader connection imports it
// with SET TRANSACTION SNAPSHOT. The exporting transaction stays open until the readers are done.
import type pg from 'pg';
import { CopyError } from '../../errors.js';
import type { PostgresLocation } from '../../db/database-url.js';
import { closeClient, destroyClient } from '../../db/pg-client-lifecycle.js';
import { prepareSourceReadSession } from '../../db/pg-session.js';

export type Connect = (location: PostgresLocation, purpose: string) => Promise<pg.Client>;

export class PgSnapshot {
  readonly coordinator: pg.Client;
  readonly id: string;
  private readonly readers: pg.Client[] = [];
  private readonly connect: () => Promise<pg.Client>;

  private constructor(coordinator: pg.Client, id: string, connect: () => Promise<pg.Client>) {
    this.coordinator = coordinator;
    this.id = id;
    this.connect = connect;
  }

  /** `purpose` names the connection in application_name (two snapshots of one run must differ: same-database.ts). */
  static async open(location: PostgresLocation, connect: Connect, purpose = 'snapshot'): Promise<PgSnapshot> {
    const client = await connect(location, purpose);
    try {
      await prepareSourceReadSession(client);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      return new PgSnapshot(client, rows[0].id, () => connect(location, 'reader'));
    } catch (cause) {
      await client.end().catch(() => undefined);
      throw new CopyError('Could not take a consistent snapshot of the source database.', {
        cause,
        fix: 'connect to the primary (not a hot standby older than Postgres 10) and not through a transaction pooler (port 6543); use a session-mode URL.',
      });
    }
  }

  /** A connection that sees exactly the snapshot (in a read-only transaction). */
  async reader(): Promise<pg.Client> {
    const client = await this.connect();
    this.readers.push(client);
    await prepareSourceReadSession(client);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET TRANSACTION SNAPSHOT '${this.id.replace(/'/g, "''")}'`);
    return client;
  }

  /**
   * Ends the snapshot. After a failure a reader may be stuck in a COPY nobody reads any more (the
   * server blocks sending rows, and would never answer a ROLLBACK): then every connection is destroyed,
   * which ends the read-only transactions at once instead of leaving them idle in transaction.
   */
  /** Destroys every connection at once (a cancellation before the load started). */
  abort(): void {
    for (const client of [...this.readers, this.coordinator]) destroyClient(client);
  }

  async close(failed = false): Promise<void> {
    for (const client of [...this.readers, this.coordinator]) {
      if (failed) destroyClient(client);
      else await closeClient(client);
    }
  }
}
