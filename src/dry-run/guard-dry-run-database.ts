// Before a dry run writes into a database the user gave by URL: it must not be the target (nor a
// Postgres source), and it must be empty unless dry-run-database-reset declares it disposable.
// Both checks run before anything is written anywhere.
import type { PostgresLocation } from '../db/database-url.js';
import { connectPostgres } from '../db/postgres-connect.js';
import { ConfigError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { inputLabel, type Settings } from '../settings.js';
import { describeContents, holdsAnything, holdsData, inspectContents } from './dry-run-database-contents.js';
import { resetDryRunDatabase } from './reset-dry-run-database.js';
import { compareDatabases } from './same-database.js';

function elsewhere(origin: Settings['origin']): string {
  const [name, pick] = origin === 'action' ? ['dry-run-database', 'dry-run-database: local or docker'] : ['--dry-run-database', '--dry-run-database local or docker'];
  return `point ${name} at a database that is only for dry runs (a services: postgres container, or another database on the same server), or use ${pick}`;
}

async function refuseIfSameAs(settings: Settings, runtime: Runtime, throwaway: PostgresLocation, side: 'target-url' | 'source-url'): Promise<void> {
  const other = side === 'target-url' ? settings.target : settings.source;
  if (other?.kind !== 'postgres') return;
  const dryInput = inputLabel(settings.origin, 'dry-run-database');
  const otherInput = inputLabel(settings.origin, side);
  const sameness = await compareDatabases(throwaway, other, { probeInput: dryInput, otherInput, connectTimeoutMs: Math.min(settings.connectTimeoutMs, 10_000) });
  const refuse = (how: string) => {
    const what = side === 'target-url' ? 'the dry run would apply the migrations to the real target' : 'the dry run would write into the database it copies from';
    return new ConfigError(`${dryInput} is the same database as ${otherInput} (database "${other.database}"; ${how}): ${what}. Nothing was written.`, { fix: `${elsewhere(settings.origin)}.` });
  };
  if (sameness.same === true) throw refuse(sameness.how);
  if (sameness.same === false) {
    runtime.info(`${dryInput} is not the database of ${otherInput} (${sameness.how}).`);
    return;
  }
  if (sameness.urlsMatch) throw refuse(`${otherInput} could not be reached to compare them on the server, and their URLs name the same host, port and database`);
  runtime.info(`${otherInput} could not be reached to compare it with ${dryInput} (${sameness.reason}); their URLs name different servers or databases, so the dry run goes on.`);
}

/** Refuses a dry-run database that is the target or the source, or that holds data it may not drop. */
export async function guardDryRunDatabase(settings: Settings, runtime: Runtime, throwaway: PostgresLocation): Promise<void> {
  await refuseIfSameAs(settings, runtime, throwaway, 'target-url');
  await refuseIfSameAs(settings, runtime, throwaway, 'source-url');

  const input = inputLabel(settings.origin, 'dry-run-database');
  const client = await connectPostgres(throwaway, { input, attempts: settings.connectAttempts, connectTimeoutMs: settings.connectTimeoutMs });
  try {
    const contents = await inspectContents(client);
    if (!settings.dryRun.reset) {
      if (!holdsData(contents)) return;
      throw new ConfigError(`${input} (database "${contents.database}") is not empty: it has ${describeContents(contents)}. A dry run applies every migration to it, so it must be a database nobody needs.`, {
        fix: `give a database used only for dry runs, or ${settings.origin === 'action' ? 'set dry-run-database-reset: true' : 'pass --dry-run-database-reset'} if everything in it may be dropped.`,
      });
    }
    if (!holdsAnything(contents)) return;
    const schemas = await resetDryRunDatabase(client, input);
    const what = describeContents(contents);
    runtime.info(
      `dry-run-database-reset: dropped everything in database "${contents.database}" outside the system schemas: ` +
        `schema${schemas.length === 1 ? '' : 's'} ${schemas.join(', ')}${what ? `, with ${what}` : ''}` +
        `${schemas.includes('public') ? '; public was created again with its owner, privileges and comment' : ''}.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
