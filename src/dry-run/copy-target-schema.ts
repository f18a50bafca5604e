// schema-from: target — copy the real target's schema (read-only) and its migration history into the
// throwaway database with pg_dump | psql, so the dry run applies only what is pending in production.
import { ProvisionError } from '../errors.js';
import type { PostgresLocation } from '../db/database-url.js';
import { chooseSsl } from '../db/ssl-options.js';
import { outputTail, runCommand } from '../db/throwaway/run-command.js';

function libpqEnv(location: PostgresLocation): NodeJS.ProcessEnv {
  // Credentials travel in the environment, never on a command line that `ps` or a log could show.
  const ssl = chooseSsl(location);
  return {
    ...process.env,
    PGHOST: location.host,
    PGPORT: String(location.port),
    PGDATABASE: location.database,
    PGUSER: location.user,
    ...(location.password !== undefined ? { PGPASSWORD: location.password } : {}),
    PGSSLMODE: ssl.mode,
    ...(location.sslrootcert ? { PGSSLROOTCERT: location.sslrootcert } : {}),
    PGAPPNAME: 'cutover',
  };
}

/** Runs a client program; its output, or an error with the last lines it printed. */
async function run(argv: string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  const result = await runCommand(argv, { env, ...(input !== undefined ? { input } : {}) });
  if (result.code !== 0) throw new Error(`${argv[0]} failed: ${outputTail(result, 3)}`);
  return result.stdout;
}

/** `pg_dump --version` → major, e.g. 15. */
export async function pgDumpMajor(): Promise<number> {
  const text = await run(['pg_dump', '--version'], process.env);
  const match = /(\d+)(?:\.\d+)?/.exec(text);
  return match ? Number(match[1]) : 0;
}

export async function copyTargetSchema(target: PostgresLocation, throwaway: PostgresLocation, targetMajor: number, historyTable: string): Promise<void> {
  let dumpMajor: number;
  try {
    dumpMajor = await pgDumpMajor();
  } catch (cause) {
    throw new ProvisionError('schema-from: target needs pg_dump, which is not installed on this runner.', {
      cause,
      fix: 'install the PostgreSQL client (apt-get install postgresql-client-<major>) or use schema-from: migrations.',
    });
  }
  if (dumpMajor < targetMajor) {
    throw new ProvisionError(`schema-from: target needs pg_dump ${targetMajor} or newer, but this runner has pg_dump ${dumpMajor}.`, {
      fix: `install postgresql-client-${targetMajor} from the PGDG apt repository in an earlier step, or use schema-from: migrations.`,
    });
  }
  const dump = (args: string[]) => run(['pg_dump', '--no-owner', '--no-privileges', '--quote-all-identifiers', ...args], libpqEnv(target));
  const schema = await dump(['--schema-only']);
  const history = await dump(['--data-only', `--table=${historyTable}`]).catch(() => '');
  try {
    await run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction'], libpqEnv(throwaway), `${schema}\n${history}`);
  } catch (cause) {
    throw new ProvisionError(`Loading the target's schema into the throwaway database failed.`, {
      cause,
      fix: 'use schema-from: migrations, or make sure the target schema does not depend on extensions the throwaway server lacks.',
    });
  }
}
