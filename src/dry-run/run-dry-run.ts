// dry-run: prove a PR's new migrations on production-shaped data on a throwaway Postgres, in the
// order production sees them (dry-run-phases.ts). The real target is never written: it is at most read
// (its server version, and its schema with schema-from: target), and a dry-run-database URL that is
// the target is refused. The throwaway database is always torn down, and the Action's post step
// removes it too if this process is killed (state saved under 'throwaway').
import type { PostgresLocation } from '../db/database-url.js';
import { provisionThrowawayPostgres } from '../db/throwaway/provision-throwaway.js';
import { CancelledError, ProvisionError } from '../errors.js';
import { applyCopyStep, copyOptions } from '../engine/data-modes.js';
import { absorbPartialOutcome } from '../engine/partial-outcome.js';
import type { RunResult } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import { inputLabel, type Settings } from '../settings.js';
import { copyTargetSchema } from './copy-target-schema.js';
import { runDryRunPhases } from './dry-run-phases.js';
import { guardDryRunDatabase } from './guard-dry-run-database.js';
import { serverMajorVersion } from './server-version.js';
import { applyMigrationsWithCommand } from '../tools/command/dry-run-command.js';

interface ThrowawayDatabase {
  location: PostgresLocation;
  provider: string;
  serverVersion?: string;
  teardown(): Promise<void>;
}

async function targetMajor(settings: Settings, runtime: Runtime): Promise<number | undefined> {
  if (settings.target?.kind !== 'postgres') return undefined;
  try {
    return await serverMajorVersion(settings.target, inputLabel(settings.origin, 'target-url'), Math.min(settings.connectTimeoutMs, 5000));
  } catch (error) {
    runtime.info(`The target could not be asked for its server version (${(error as Error).message}); using postgres-version ${settings.dryRun.postgresVersion}.`);
    return undefined;
  }
}

async function provision(settings: Settings, runtime: Runtime, major: number | undefined, env: NodeJS.ProcessEnv): Promise<ThrowawayDatabase> {
  const choice = settings.dryRun.database;
  if (choice.kind === 'url') {
    await guardDryRunDatabase(settings, runtime, choice.location);
    return { location: choice.location, provider: 'url', teardown: async () => undefined };
  }
  const handle = await provisionThrowawayPostgres({
    kind: choice.kind,
    postgresVersion: major ? String(major) : settings.dryRun.postgresVersion,
    runtime,
    // The runner empties RUNNER_TEMP after every job: a second line of defence after teardown and the
    // post step. As root the server runs as another user, who may not be able to enter RUNNER_TEMP.
    ...(env.RUNNER_TEMP && process.getuid?.() !== 0 ? { baseDir: env.RUNNER_TEMP } : {}),
  });
  runtime.saveState('throwaway', handle.stateFile);
  return handle;
}

export async function runDryRun(settings: Settings, runtime: Runtime, result: RunResult, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  // The real target's major version picks the throwaway server's, and gates pg_dump for
  // schema-from: target; a given URL database needs neither (the target is then only contacted by
  // guardDryRunDatabase, to make sure it is not the same database).
  const needsTargetVersion = settings.dryRun.database.kind !== 'url' || settings.dryRun.schemaFrom === 'target';
  const major = needsTargetVersion ? await targetMajor(settings, runtime) : undefined;
  const throwaway = await runtime.group('Provision a throwaway Postgres', () => provision(settings, runtime, major, env));
  result.throwaway = { provider: throwaway.provider, ...(throwaway.serverVersion ? { serverVersion: throwaway.serverVersion } : {}) };
  try {
    if (settings.dryRun.schemaFrom === 'target') {
      if (settings.target?.kind !== 'postgres') {
        throw new ProvisionError('schema-from: target needs a PostgreSQL target-url to read the schema from.', { fix: 'pass target-url, or use schema-from: migrations.' });
      }
      await runtime.group("Copy the target's schema (read-only)", () => copyTargetSchema(settings.target as PostgresLocation, throwaway.location, major ?? 0, 'public.cutover_migrations'));
    }
    if (settings.command.migrate) {
      // Another tool's migrations: its base and PR runs mark what is new (src/tools/command/dry-run-command.ts);
      // the measured, statement-by-statement phases apply to cutover's own migrations.
      let copied = false;
      try {
        ({ copied } = await applyMigrationsWithCommand(settings, runtime, throwaway.location, result, env, signal));
      } catch (error) {
        absorbPartialOutcome(result, error);
        throw error;
      }
      if (settings.source && !copied) {
        runtime.info('Copying the source data through the migrations.');
        await applyCopyStep(copyOptions(settings, runtime, throwaway.location, { ifTargetNotEmpty: 'fail' }, signal), result);
      }
    } else {
      await runDryRunPhases({ settings, runtime, result, env, location: throwaway.location, ...(signal ? { signal } : {}) });
    }
  } catch (error) {
    // The modes' sentences speak of "the target"; here that is the throwaway, which goes away anyway.
    if (error instanceof CancelledError) {
      throw new CancelledError(`the dry run stopped before its end and its ${throwaway.provider === 'url' ? 'dry-run database keeps what it had applied or copied' : 'throwaway database is removed'}; the real target was not written.`, { cause: error });
    }
    throw error;
  } finally {
    await throwaway.teardown().catch((error) => runtime.warning(`Removing the throwaway database failed: ${(error as Error).message}`));
  }
}
