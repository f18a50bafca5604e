export const id = 245;
export const ids = [245];
export const modules = {

/***/ 5626:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/cancellation.ts
var src_cancellation = __webpack_require__(4632);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/input-names.ts
var input_names = __webpack_require__(4098);
// EXTERNAL MODULE: ./src/settings.ts
var src_settings = __webpack_require__(8750);
;// CONCATENATED MODULE: ./src/cli-args.ts
// argv → command and raw inputs, keyed by the same names as action.yml so that buildSettings
// validates CLI flags and Action inputs alike. Every input is a flag: --target-url, --on-error, …



const COMMANDS = [...src_settings/* MODES */.FN, 'new'];
const ALIASES = { target: 'target-url', source: 'source-url', dir: 'migrations-dir' };
const BOOLEAN_FLAGS = new Set(['allow-changed-migrations', 'create-tables', 'checksums', 'comment', 'dry-run-database-reset']);
function suggestion(name) {
    const known = [...input_names/* INPUT_NAMES */.Q, ...Object.keys(ALIASES), 'help', 'json', 'verbose', 'version'];
    const close = known.find((k) => k.startsWith(name.slice(0, 4)) || name.startsWith(k.slice(0, 4)));
    return close ? ` Did you mean --${close}?` : '';
}
function parseCliArgs(argv) {
    const args = { raw: {}, positional: [], help: false, version: false, json: false, verbose: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '-h' || arg === '--help')
            args.help = true;
        else if (arg === '--version' || arg === '-V')
            args.version = true;
        else if (arg === '--json')
            args.json = true;
        else if (arg === '-v' || arg === '--verbose')
            args.verbose = true;
        else if (arg.startsWith('--')) {
            const eq = arg.indexOf('=');
            const given = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
            const negated = given.startsWith('no-') && BOOLEAN_FLAGS.has(given.slice(3));
            const name = ALIASES[given] ?? (negated ? given.slice(3) : given);
            if (!input_names/* INPUT_NAMES */.Q.includes(name)) {
                throw new errors/* ConfigError */.xL(`Unknown option --${given}.${suggestion(given)}`, { fix: 'run `cutover --help` for the list of options.' });
            }
            let value;
            if (eq >= 0)
                value = arg.slice(eq + 1);
            else if (negated)
                value = 'false';
            else if (BOOLEAN_FLAGS.has(name) && (argv[i + 1] === undefined || argv[i + 1].startsWith('--') || !/^(true|false|yes|no|1|0|on|off)$/i.test(argv[i + 1])))
                value = 'true';
            else {
                if (argv[i + 1] === undefined)
                    throw new errors/* ConfigError */.xL(`Option --${given} needs a value.`, { fix: `write --${given} VALUE or --${given}=VALUE.` });
                value = argv[++i];
            }
            args.raw[name] = value;
        }
        else if (!args.command) {
            if (!COMMANDS.includes(arg)) {
                throw new errors/* ConfigError */.xL(`Unknown command '${arg}'.`, { fix: `use one of: ${COMMANDS.join(', ')} (cutover --help).` });
            }
            args.command = arg;
        }
        else {
            args.positional.push(arg);
        }
    }
    return args;
}
const HELP = `cutover — migrate, copy and verify databases (the engine of the cutover GitHub Action)

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

// EXTERNAL MODULE: ./src/engine/cancellation-line.ts
var cancellation_line = __webpack_require__(2906);
// EXTERNAL MODULE: ./src/engine/run-mode.ts + 124 modules
var run_mode = __webpack_require__(1645);
;// CONCATENATED MODULE: ./src/migrate/scaffold-migration.ts
// `cutover new <name>`: creates `<next id>_<slug>.up.sql` and `.down.sql`. The id continues the
// directory's style: zero-padded to the width already in use (001 when empty), or a UTC timestamp
// (YYYYMMDDHHMMSS) when the existing ids are timestamps.



const ID_PREFIX = /^(\d+)_/;
const TIMESTAMP_WIDTH = 14;
function migrationSlug(name) {
    return name
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '');
}
function timestampId(now) {
    return now.toISOString().replace(/\D/g, '').slice(0, TIMESTAMP_WIDTH);
}
function nextMigrationId(existingIds, now = new Date()) {
    if (existingIds.length === 0)
        return '001';
    const max = existingIds.reduce((a, b) => (BigInt(b) > BigInt(a) ? b : a));
    if (existingIds.every((id) => id.length === TIMESTAMP_WIDTH && /^(19|20)\d{2}[01]\d[0-3]\d/.test(id))) {
        const stamp = timestampId(now);
        return BigInt(stamp) > BigInt(max) ? stamp : (BigInt(max) + 1n).toString();
    }
    const width = Math.max(...existingIds.map((id) => id.length));
    const next = (BigInt(max) + 1n).toString();
    if (next.length > width) {
        throw new errors/* MigrationPlanError */.eJ(`The next migration id would be ${next}, one digit wider than the existing ${width}-digit ids, which would sort before them as text.`, {
            fix: `rename the migrations that are not applied anywhere yet to ${width + 1}-digit ids, or write the file by hand with an id that sorts last (e.g. ${'9'.repeat(width)}…).`,
        });
    }
    return next.padStart(width, '0');
}
function upTemplate(name) {
    return `-- Migration ${name}: applied by \`cutover migrate\`, in one transaction with its history row.
-- For statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY), put the marker
-- comment "cutover:no-transaction" on a line of its own, after two dashes.

`;
}
function downTemplate(name) {
    return `-- Undo ${name}: run by \`cutover rollback\`. Reverse the up file's changes, last first.

`;
}
/** Creates the up/down pair in `dir` (created when missing) and returns their paths. */
function scaffoldMigration(dir, name, options = {}) {
    const slug = migrationSlug(name);
    if (!slug) {
        throw new errors/* ConfigError */.xL(`The migration name '${name}' has no letters or digits to build a file name from.`, { fix: 'give a short description such as add_orders_table.' });
    }
    external_node_fs_default().mkdirSync(dir, { recursive: true });
    const ids = external_node_fs_default().readdirSync(dir)
        .map((file) => ID_PREFIX.exec(file)?.[1])
        .filter((id) => id !== undefined);
    const id = nextMigrationId([...new Set(ids)], options.now);
    const migration = `${id}_${slug}`;
    const upFile = external_node_path_default().join(dir, `${migration}.up.sql`);
    const downFile = external_node_path_default().join(dir, `${migration}.down.sql`);
    // 'wx': never overwrite an existing file.
    external_node_fs_default().writeFileSync(upFile, upTemplate(migration), { flag: 'wx' });
    external_node_fs_default().writeFileSync(downFile, downTemplate(migration), { flag: 'wx' });
    return { name: migration, id, upFile, downFile };
}

// EXTERNAL MODULE: ./src/redact.ts
var redact = __webpack_require__(6670);
// EXTERNAL MODULE: ./src/report/render-report.ts + 7 modules
var render_report = __webpack_require__(2823);
// EXTERNAL MODULE: ./src/runtime.ts
var src_runtime = __webpack_require__(3683);
// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
;// CONCATENATED MODULE: ./src/cli-main.ts
// The cutover CLI (entry: src/cli.ts): the same settings and engine as the Action, driven from argv and the terminal.
// Logs go to stderr; the Markdown report (or --json result) goes to stdout.













function fail(message, code) {
    process.stderr.write(`cutover: ${(0,redact/* redact */.E$)(message)}\n`);
    return code;
}
async function main(argv) {
    let args;
    try {
        args = parseCliArgs(argv);
    }
    catch (error) {
        return fail((0,errors/* formatError */.Wk)(error), 2);
    }
    if (args.version) {
        process.stdout.write(`${version/* VERSION */.x}\n`);
        return 0;
    }
    if (args.help || !args.command) {
        process.stdout.write(HELP);
        return args.help ? 0 : 2;
    }
    if (args.command === 'new') {
        const name = args.positional[0];
        if (!name)
            return fail('`cutover new` needs a name, e.g. `cutover new add_orders_index`.', 2);
        try {
            const created = scaffoldMigration(external_node_path_default().resolve(args.raw['migrations-dir'] || src_settings/* INPUT_DEFAULTS */.WJ['migrations-dir']), name);
            process.stdout.write(`${created.upFile}\n${created.downFile}\n`);
            return 0;
        }
        catch (error) {
            return fail((0,errors/* formatError */.Wk)(error), 1);
        }
    }
    let settings;
    try {
        settings = (0,src_settings/* buildSettings */.E6)({ ...args.raw, mode: args.command }, { origin: 'cli' });
    }
    catch (error) {
        return fail((0,errors/* formatError */.Wk)(error), 2);
    }
    const runtime = (0,src_runtime/* redacting */.qG)((0,src_runtime/* consoleRuntime */.Um)({ verbose: args.verbose }));
    (0,redact/* onWeakPassword */.NQ)((notice) => runtime.info((0,redact/* weakPasswordNotice */.iS)(notice, 'output')));
    runtime.debug(`node ${process.version} ${process.execArgv.join(' ')}`.trim());
    // Ctrl-C (SIGINT) or SIGTERM stops the run: it rolls back, says what state the target is in, and
    // exits 130 / 143; a second Ctrl-C exits at once.
    const cancellation = (0,src_cancellation/* listenForCancellation */.ci)({
        onCancel: (message) => runtime.debug(message),
    });
    try {
        const result = await (0,run_mode/* runMode */.r)(settings, runtime, process.env, cancellation.signal);
        if (args.json) {
            process.stdout.write(`${(0,redact/* redact */.E$)(JSON.stringify(result, null, 2))}\n`);
        }
        else {
            const markdown = (0,redact/* redact */.E$)((0,render_report/* renderReport */.B)(result, {}));
            process.stdout.write(`${markdown}\n`);
            if (args.raw['report-path'])
                external_node_fs_default().writeFileSync(settings.report.path, markdown);
        }
        if (cancellation.exitCode !== undefined) {
            fail((0,cancellation_line/* finalCancellationLine */.Wp)(result, cancellation.signal.reason), cancellation.exitCode);
            // Work abandoned on the cancel (a read-only query) must not keep the process alive.
            process.exit(cancellation.exitCode);
        }
        if (!result.ok)
            return fail(result.error ?? `${settings.mode} failed`, 1);
        return 0;
    }
    finally {
        cancellation.dispose();
    }
}


/***/ })

};
