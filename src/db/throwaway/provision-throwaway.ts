// Chooses and starts the throwaway PostgreSQL a dry run writes to (input dry-run-database):
// `docker` (official image), `local` (this machine's server binaries) or `auto` (docker when an
// engine answers, else local binaries, else an error listing every way to provide one).
// A URL given as dry-run-database never comes here: the caller uses it as is.
import { ProvisionError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import type { PostgresLocation } from '../database-url.js';
import { dockerAvailable, provisionDockerPostgres } from './docker-postgres.js';
import { findPostgresBinaries } from './local-binaries.js';
import { provisionLocalPostgres, type ProvisionedServer } from './local-postgres.js';
import { teardownFromStateFile } from './teardown.js';

export { teardownFromStateFile } from './teardown.js';

export interface ThrowawayPostgres {
  location: PostgresLocation;
  provider: 'docker' | 'local';
  serverVersion?: string;
  /** Hand this to the Action's post step (core.saveState) so it can clean up after a crash. */
  stateFile: string;
  /** Stops the server and removes its files. Safe to call more than once. */
  teardown(): Promise<void>;
}

export interface ProvisionOptions {
  kind: 'auto' | 'docker' | 'local';
  /** Major version wanted (the target's when known, else input postgres-version). */
  postgresVersion: string;
  runtime: Runtime;
  /** Parent of the temp directory (default: the OS temp dir). */
  baseDir?: string;
}

const THREE_WAYS =
  'give the dry run a PostgreSQL in one of three ways: (1) dry-run-database: a postgresql:// URL, e.g. of a `services: postgres` container in the job; ' +
  '(2) a Docker engine (dry-run-database: docker); (3) PostgreSQL server binaries on the runner (dry-run-database: local; GitHub-hosted Ubuntu runners have them, elsewhere `apt-get install postgresql`).';

function handle(server: ProvisionedServer, provider: 'docker' | 'local'): ThrowawayPostgres {
  return {
    location: server.location,
    provider,
    ...(server.serverVersion ? { serverVersion: server.serverVersion } : {}),
    stateFile: server.stateFile,
    teardown: async () => {
      await teardownFromStateFile(server.stateFile);
    },
  };
}

async function provisionLocal(options: ProvisionOptions): Promise<ThrowawayPostgres | undefined> {
  const wanted = Number.parseInt(options.postgresVersion, 10);
  const [binaries] = await findPostgresBinaries(Number.isNaN(wanted) ? {} : { preferredMajor: wanted });
  if (!binaries) return undefined;
  if (!Number.isNaN(wanted) && binaries.major !== wanted) {
    options.runtime.info(`PostgreSQL ${wanted} server binaries are not installed here; the dry run uses the local PostgreSQL ${binaries.version} instead.`);
  }
  return handle(await provisionLocalPostgres({ binaries, runtime: options.runtime, ...(options.baseDir ? { baseDir: options.baseDir } : {}) }), 'local');
}

async function provisionDocker(options: ProvisionOptions): Promise<ThrowawayPostgres> {
  return handle(await provisionDockerPostgres({ postgresVersion: options.postgresVersion, runtime: options.runtime, ...(options.baseDir ? { baseDir: options.baseDir } : {}) }), 'docker');
}

export async function provisionThrowawayPostgres(options: ProvisionOptions): Promise<ThrowawayPostgres> {
  const { runtime } = options;
  if (options.kind === 'docker') {
    if (!(await dockerAvailable())) {
      throw new ProvisionError('dry-run-database is docker, but no Docker engine answers (`docker info` failed).', { fix: `start Docker or ${THREE_WAYS}` });
    }
    return provisionDocker(options);
  }
  if (options.kind === 'local') {
    const local = await provisionLocal(options);
    if (!local) throw new ProvisionError('dry-run-database is local, but no PostgreSQL server binaries (initdb, pg_ctl, postgres) were found.', { fix: THREE_WAYS });
    return local;
  }

  if (await dockerAvailable()) {
    try {
      return await provisionDocker(options);
    } catch (error) {
      runtime.warning(`The Docker throwaway database failed (${(error as Error).message}); trying local PostgreSQL binaries.`);
    }
  } else {
    runtime.info('No Docker engine answers; looking for local PostgreSQL server binaries.');
  }
  const local = await provisionLocal(options);
  if (local) return local;
  throw new ProvisionError('No throwaway PostgreSQL for the dry run: no Docker engine answers and no PostgreSQL server binaries were found.', { fix: THREE_WAYS });
}
