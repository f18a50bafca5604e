// argv → command and raw inputs, keyed by the same names as action.yml so that buildSettings
// validates CLI flags and Action inputs alike. Every input is a flag: --target-url, --on-error, …
import { ConfigError } from './errors.js';
import { INPUT_NAMES } from './input-names.js';
import { MODES, type RawInputs } from './settings.js';

export const COMMANDS = [...MODES, 'new'] as const;
export type Command = (typeof COMMANDS)[number];

const ALIASES: Record<string, string> = { target: 'target-url', source: 'source-url', dir: 'migrations-dir' };
const BOOLEAN_FLAGS = new Set(['allow-changed-migrations', 'create-tables', 'checksums', 'comment', 'dry-run-database-reset']);

export interface CliArgs {
  command?: Command;
  raw: RawInputs;
  positional: string[];
  help: boolean;
  version: boolean;
  json: boolean;
  verbose: boolean;
}

function suggestion(name: string): string {
  const known = [...INPUT_NAMES, ...Object.keys(ALIASES), 'help', 'json', 'verbose', 'version'];
  const close = known.find((k) => k.startsWith(name.slice(0, 4)) || name.startsWith(k.slice(0, 4)));
  return close ? ` Did you mean --${close}?` : '';
}

export function parseCliArgs(argv: string[]): CliArgs {
  const args: CliArgs = { raw: {}, positional: [], help: false, version: false, json: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg === '--version' || arg === '-V') args.version = true;
    else if (arg === '--json') args.json = true;
    else if (arg === '-v' || arg === '--verbose') args.verbose = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const given = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const negated = given.startsWith('no-') && BOOLEAN_FLAGS.has(given.slice(3));
      const name = ALIASES[given] ?? (negated ? given.slice(3) : given);
      if (!(INPUT_NAMES as readonly string[]).includes(name)) {
        throw new ConfigError(`Unknown option --${given}.${suggestion(given)}`, { fix: 'run `cutover --help` for the list of options.' });
      }
      let value: string;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (negated) value = 'false';
      else if (BOOLEAN_FLAGS.has(name) && (argv[i + 1] === undefined || argv[i + 1].startsWith('--') || !/^(true|false|yes|no|1|0|on|off)$/i.test(argv[i + 1]))) value = 'true';
      else {
        if (argv[i + 1] === undefined) throw new ConfigError(`Option --${given} needs a value.`, { fix: `write --${given} VALUE or --${given}=VALUE.` });
        value = argv[++i];
      }
      args.raw[name] = value;
    } else if (!args.command) {
      if (!(COMMANDS as readonly string[]).includes(arg)) {
        throw new ConfigError(`Unknown command '${arg}'.`, { fix: `use one of: ${COMMANDS.join(', ')} (cutover --help).` });
      }
      args.command = arg as Command;
    } else {
      args.positional.push(arg);
    }
  }
  return args;
}

export const HELP = `cutover — migrate, copy and verify databases (the engine of the cutover GitHub Action)

Usage: cutover <command> [options]

Commands
  status      list applied and pending migrations (changes nothing)
  migrate     apply pending migrations (all, or --to NAME)
  rollback    roll back applied migrations (--steps N, default 1, or --to NAME)
  baseline    record migrations as applied without running them (up to --to NAME)
  new NAME    create the next <id>_NAME.up.sql / .down.sql pair in the migrations directory
  copy        copy every row from --source into --target, then verify
  verify      compare --source and --target (row counts and checksums), writing nothing
  cutover     migrate the target, copy, verify; fails on any difference
  dry-run     apply migrations (and copy --source) on a throwaway Postgres, never the target

Databases
  --target URL, --target-url URL   postgresql://user:password@host:5432/db, sqlite:path, or file.db
                                   (default: $DATABASE_URL)
  --source URL, --source-url URL   the database to copy from (only ever read)

Migrations
  --migrations-dir DIR             default: migrations
  --to NAME  --steps N  --allow-changed-migrations  --lock-timeout SECONDS (default 300)
  --migration-lock-timeout SECONDS (default 5; 0 = no limit)  --migration-statement-timeout SECONDS (default 0 = none)

Another tool's migrations (Alembic, Django, Prisma, Flyway, golang-migrate, dbmate)
  --migrate-command CMD            e.g. 'alembic upgrade head': runs instead of cutover's own migrations,
                                   under its lock, with DATABASE_URL (and PG*, DIRECT_URL, FLYWAY_*) set
  --migrate-command-dir DIR  --rollback-command CMD  --status-command CMD
  --migrate-command-timeout SECONDS (default 3600)
  (Supabase CLI projects need none: --migrations-dir supabase/migrations)

Copy and verify
  --include T1,T2  --exclude T3    table names or patterns (* ?)
  --create-tables                  create missing target tables from the SQLite schema
  --create-tables-lengths keep|drop  declared VARCHAR(n)/NUMERIC(p,s): keep (default) or text/numeric
  --on-error fail|skip             a value that cannot be converted (default fail)
  --rejects-file FILE              where skipped rows go (JSON lines)
  --if-target-not-empty fail|truncate|append   (default fail)
  --jobs N  --no-checksums

Dry run
  --dry-run-database auto|docker|local|URL  --postgres-version N  --schema-from migrations|target
  --dry-run-database-reset         the dry-run-database URL is disposable: drop everything in it first
  --sample-rows N  --base-ref SHA
  --dry-run-timeout SECONDS        stop a new migration that runs longer on the throwaway (default 600; 0 = none)

Connections
  --connect-attempts N (default 3)  --connect-timeout SECONDS (default 10)

Output
  --report-path FILE   write the Markdown report there (it is also printed)
  --json               print the run result as JSON instead of Markdown
  -v, --verbose        debug logging

Exit status: 0 success, 1 the run failed (or verification found differences), 2 bad usage.
`;
