// `npm run bench [-- --rows N] [--pg URL] [--rss-scale] [--jobs N] [--profile] [--keep]`
// One run: dataset → Postgres → every tool and cutover against the same server → one table.
// See bench/README.md for what each scenario does.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');

// better-sqlite3 13 segfaults on Node 20: re-run on the project's Node 24 when started with another.
if (Number(process.versions.node.split('.')[0]) < 24) {
  const node24 = path.join(REPO, 'node_modules', '.bin', 'node');
  if (!fs.existsSync(node24)) {
    console.error(`bench needs Node 24 (this is ${process.version}); run \`npm ci\` first so node_modules/.bin/node exists.`);
    process.exit(2);
  }
  const child = spawnSync(node24, process.argv.slice(1), { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const { ensureDataset, tableCounts } = await import('./generate-sqlite.mjs');
const { startPostgres, freshDatabase, dropDatabase, sql } = await import('./postgres-cluster.mjs');
const { measureLoad } = await import('./measure-load.mjs');
const { ensureReferenceTools, toolVersions, pgloaderLoad, rawPipeLoad, pgDumpLoad, pgcopydbLoad, WORK_DIRS } = await import('./reference-tools.mjs');
const { cutoverCopyLoad, cutoverVerifyLoad, cutoverCliCopyLoad } = await import('./cutover-runner.mjs');
const { prerenderCopyText, prerenderedFullSchemaLoad, prerenderedBareThenBuildLoad, stripToBareTables, tableColumns } = await import('./limit-reference.mjs');
const { computeTargets, renderText, renderMarkdown } = await import('./results-table.mjs');
const { summariseProfile, renderProfile } = await import('./profile-summary.mjs');

const HELP = `usage: npm run bench -- [options]
  --rows N       rows in the dataset (default 2000000; users 10 %, orders 30 %, events 60 %)
  --pg URL       use this Postgres server (needs CREATE DATABASE) instead of a throwaway cluster
  --rss-scale    also copy and verify a 10× dataset with cutover to show peak RSS stays flat
  --large-rows N rows for --rss-scale (default 10 × --rows)
  --jobs N       parallel tables for cutover and pgcopydb (default 2, the action's default)
  --repeat N     run every scenario N times and report the median run (default 1)
  --profile      afterwards, rerun cutover's copies under --cpu-prof and print where time went
  --only A,B     run only the scenarios whose id contains one of these words (e.g. limit,sqlite-cutover);
                 the raw pipe still runs when a later scenario needs its Postgres source, unrecorded
  --keep         keep the benchmark databases (and the throwaway cluster running: prints its URL)
`;

function parseArgs(argv) {
  const options = { rows: 2_000_000, jobs: 2, repeat: 1, rssScale: false, profile: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    const count = (text) => {
      const n = Number(String(text).replace(/_/g, ''));
      if (!Number.isInteger(n) || n < 1000) throw new Error(`${arg} expects a whole number ≥ 1000, got '${text}'`);
      return n;
    };
    if (arg === '--rows') options.rows = count(next());
    else if (arg === '--large-rows') options.largeRows = count(next());
    else if (arg === '--pg') options.pg = next();
    else if (arg === '--jobs') options.jobs = Math.max(1, Number(next()) || 2);
    else if (arg === '--repeat') options.repeat = Math.max(1, Number(next()) || 1);
    else if (arg === '--rss-scale') options.rssScale = true;
    else if (arg === '--profile') options.profile = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--only') options.only = next().split(',').map((w) => w.trim()).filter(Boolean);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(HELP);
      process.exit(0);
    } else throw new Error(`unknown option '${arg}'\n${HELP}`);
  }
  options.largeRows ??= options.rows * 10;
  return options;
}

const log = (message) => process.stderr.write(`bench: ${message}\n`);
const fmt = (n) => n.toLocaleString('en-US');

function machineFacts() {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  let distro = '';
  try {
    distro = /PRETTY_NAME="([^"]+)"/.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    // not Linux: the kernel line below still says what it is
  }
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${distro || os.type()} (kernel ${os.release()}), Node ${process.version}`;
}

/** HEAD, and whether the engine measured had uncommitted edits (the child runs src/ from the work tree). */
function gitCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const git = (...args) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
    const srcDirty = git('status', '--porcelain', '--', 'src') ? ' + uncommitted changes in src/' : '';
    const distCommit = git('log', '-1', '--format=%h', '--', 'dist/cli');
    const distDirty = git('status', '--porcelain', '--', 'dist/cli') ? ' + uncommitted rebuild' : '';
    return `${head}${srcDirty} (dist/cli from ${distCommit || 'no commit'}${distDirty})`;
  } catch {
    return 'unknown';
  }
}

/** Reads the file once so every tool starts with it in the page cache. */
function warmFile(file) {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(8 << 20);
  try {
    while (fs.readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    fs.closeSync(fd);
  }
}

function skipped(id, group, tool, expected, status, reason, scale = 'base') {
  return { id, group, tool, scale, expectedRows: Object.values(expected).reduce((a, b) => a + b, 0), status, reason };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const loadAtStart = os.loadavg().map((n) => n.toFixed(2)).join(' ');
  const commit = gitCommit();
  const runStarted = performance.now();
  const outDir = path.join(HERE, 'out');
  const logDir = path.join(outDir, 'logs');
  const work = WORK_DIRS(outDir);
  fs.mkdirSync(logDir, { recursive: true });
  const schemaSql = fs.readFileSync(path.join(HERE, 'schema.sql'), 'utf8');

  const tools = ensureReferenceTools(log);
  for (const [name, tool] of Object.entries(tools)) if (!tool.ok) log(`${name}: not installable: ${tool.reason}`);
  const dataset = await ensureDataset({ rows: options.rows, outDir, log });
  log(`dataset ${path.relative(REPO, dataset.file)}: ${fmt(dataset.rows)} rows, ${(dataset.bytes / 2 ** 20).toFixed(0)} MB${dataset.cached ? ' (cached)' : `, generated in ${dataset.seconds.toFixed(1)} s`}`);
  warmFile(dataset.file);
  const expected = tableCounts(options.rows);

  const server = await startPostgres({ pgUrl: options.pg, log });
  log(`postgres ${server.version}: ${server.describe}`);
  // Ctrl-C must not leave a throwaway cluster running.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}: stopping the benchmark's Postgres …`);
      // Open clients see their connection die during the stop: that is expected now, not a crash.
      process.on('uncaughtException', () => undefined);
      server.stop().finally(() => process.exit(130));
    });
  }
  const records = [];
  const created = [];
  const db = async (name, withSchema) => {
    created.push(`cutover_bench_${name}`);
    return freshDatabase(server, `cutover_bench_${name}`, withSchema ? schemaSql : null);
  };
  const done = async (name) => {
    if (!options.keep) await dropDatabase(server, `cutover_bench_${name}`);
  };
  const sqliteUrl = `sqlite:${dataset.file}`;
  const cutoverOptions = { jobs: options.jobs };
  // Runs a scenario --repeat times (each on a target from `prepare()`) and keeps the median run.
  const selected = (id) => !options.only || options.only.some((word) => id.includes(word));
  const scenario = async ({ id, group, tool, kind, scale = 'base', counts = expected, prepare, makeLoad, record: keep = true }) => {
    if (!selected(id) && keep) return { id, status: 'not selected' };
    log(`▸ ${group} ${tool} …`);
    const runs = [];
    for (let i = 0; i < options.repeat; i++) {
      const targetUrl = await prepare();
      const record = { ...(await measureLoad({ server, expected: counts, logDir, id, group, tool, targetUrl, load: makeLoad(targetUrl) })), scale };
      if (record.status === 'ok' && kind === 'verify') record.rowsPerSecond = record.expectedRows / record.seconds;
      log(`  ${record.status === 'ok' ? `${record.seconds.toFixed(2)} s` : `${record.status}: ${record.reason}`}`);
      runs.push(record);
      if (record.status !== 'ok') break;
    }
    const failed = runs.find((r) => r.status !== 'ok');
    const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
    const record = failed ?? sorted[Math.floor((sorted.length - 1) / 2)];
    if (runs.length > 1) record.runSeconds = runs.map((r) => r.seconds);
    if (keep) records.push(record);
    return record;
  };
  const skip = (id, group, tool, status, reason, scale) => selected(id) && records.push(skipped(id, group, tool, expected, status, reason, scale));
  const fresh = (name, withSchema = true) => () => db(name, withSchema);
  const same = (url) => async () => url;

  try {
    // SQLite → Postgres
    const S = 'SQLite→PG';
    if (tools.pgloader.ok) {
      await scenario({ id: 'sqlite-pgloader', group: S, tool: 'pgloader', prepare: fresh('pgloader', false), makeLoad: (target) => pgloaderLoad({ file: dataset.file, targetUrl: target, workDir: work.pgloader }) });
      await done('pgloader');
    } else skip('sqlite-pgloader', S, 'pgloader', 'unavailable', `not installable: ${tools.pgloader.reason}`);

    const sourcePg = server.url('cutover_bench_source');
    let source = null;
    // The raw pipe's target is the Postgres source of the limit and PG→PG scenarios: it runs (unrecorded) when only they are selected.
    const needsSource = ['limit-full-schema', 'limit-bare-then-build', 'pg-pg-dump', 'pg-pgcopydb', 'pg-cutover'].some(selected);
    if (tools.sqlite3.ok && tools.psql.ok) {
      if (selected('sqlite-raw-pipe') || needsSource) {
        source = await scenario({ id: 'sqlite-raw-pipe', group: S, tool: 'sqlite3 -csv | psql \\copy', prepare: fresh('source'), makeLoad: (target) => rawPipeLoad({ file: dataset.file, targetUrl: target }), record: selected('sqlite-raw-pipe') });
      }
    } else skip('sqlite-raw-pipe', S, 'sqlite3 -csv | psql \\copy', 'unavailable', `not installable: ${(tools.sqlite3.ok ? tools.psql : tools.sqlite3).reason}`);

    // The machine's limit: pre-rendered COPY text into the full schema, and into bare tables then the builds.
    const L = 'PG (pre-rendered COPY)';
    if (source?.status === 'ok' && (selected('limit-full-schema') || selected('limit-bare-then-build'))) {
      const files = await prerenderCopyText({ sourceUrl: sourcePg, dir: path.join(outDir, `copytext-${options.rows}`), log });
      const columns = await tableColumns(sourcePg);
      await scenario({ id: 'limit-full-schema', group: L, tool: 'COPY into the full schema (keys in place)', prepare: fresh('limit_full'), makeLoad: (target) => prerenderedFullSchemaLoad({ targetUrl: target, files, columns }) });
      await done('limit_full');
      let bare;
      await scenario({
        id: 'limit-bare-then-build',
        group: L,
        tool: 'COPY into bare tables, then builds (the limit)',
        prepare: async () => {
          const url = await db('limit_bare', true);
          bare = await stripToBareTables(url);
          return url;
        },
        makeLoad: (target) => prerenderedBareThenBuildLoad({ targetUrl: target, files, columns, ...bare, jobs: options.jobs }),
      });
      await done('limit_bare');
    }

    const cutoverPair = async ({ prefix, group, name, sourceUrl, scale, counts }) => {
      const copy = await scenario({ id: `${prefix}-cutover`, group, tool: 'cutover copy', scale, counts, prepare: fresh(name), makeLoad: (target) => cutoverCopyLoad({ ...cutoverOptions, sourceUrl, targetUrl: target }) });
      if (copy.status === 'ok') {
        const target = server.url(`cutover_bench_${name}`);
        await scenario({ id: `${prefix}-cutover-verify`, kind: 'verify', group, tool: 'cutover verify (checksums)', scale, counts, prepare: same(target), makeLoad: (t) => cutoverVerifyLoad({ ...cutoverOptions, sourceUrl, targetUrl: t }) });
      } else skip(`${prefix}-cutover-verify`, group, 'cutover verify (checksums)', 'skipped', 'the copy did not complete', scale);
      await done(name);
      if (tools.time.ok) {
        await scenario({ id: `${prefix}-cutover-cli`, group, tool: 'cutover CLI copy (dist/)', scale, counts, prepare: fresh(`${name}_cli`), makeLoad: (target) => cutoverCliCopyLoad({ ...cutoverOptions, sourceUrl, targetUrl: target }) });
        await done(`${name}_cli`);
      } else skip(`${prefix}-cutover-cli`, group, 'cutover CLI copy (dist/)', 'unavailable', `not installable: ${tools.time.reason}`, scale);
      if (scale === 'large') return;
      // As `cutover` mode runs it: checksums on inside copyData (source hashed while streaming).
      await scenario({ id: `${prefix}-cutover-checksums`, group, tool: 'cutover copy + checksums', prepare: fresh(`${name}_checksums`), makeLoad: (target) => cutoverCopyLoad({ ...cutoverOptions, sourceUrl, targetUrl: target, checksums: true }) });
      await done(`${name}_checksums`);
    };
    await cutoverPair({ prefix: 'sqlite', group: S, name: 'cutover_sqlite', sourceUrl: sqliteUrl });

    // Postgres → Postgres, from the raw pipe's database (frozen and analysed, so no reader sets hint bits).
    const P = 'PG→PG';
    if (source?.status === 'ok') {
      await sql(sourcePg, 'VACUUM (FREEZE, ANALYZE)');
      if (tools.pg_dump.ok && tools.psql.ok) {
        await scenario({ id: 'pg-pg-dump', group: P, tool: 'pg_dump -a | psql', prepare: fresh('pg_dump'), makeLoad: (target) => pgDumpLoad({ sourceUrl: sourcePg, targetUrl: target }) });
        await done('pg_dump');
      } else skip('pg-pg-dump', P, 'pg_dump -a | psql', 'unavailable', `not installable: ${tools.pg_dump.reason ?? tools.psql.reason}`);
      if (tools.pgcopydb.ok) {
        await scenario({ id: 'pg-pgcopydb', group: P, tool: 'pgcopydb copy table-data', prepare: fresh('pgcopydb'), makeLoad: (target) => pgcopydbLoad({ sourceUrl: sourcePg, targetUrl: target, jobs: options.jobs, workDir: work.pgcopydb }) });
        await done('pgcopydb');
      } else skip('pg-pgcopydb', P, 'pgcopydb copy table-data', 'unavailable', `not installable: ${tools.pgcopydb.reason}`);
      await cutoverPair({ prefix: 'pg', group: P, name: 'cutover_pg', sourceUrl: sourcePg });
    } else {
      const reason = 'no Postgres source: the raw pipe did not load the dataset';
      for (const [id, tool] of [['pg-pg-dump', 'pg_dump -a | psql'], ['pg-pgcopydb', 'pgcopydb copy table-data'], ['pg-cutover', 'cutover copy'], ['pg-cutover-verify', 'cutover verify (checksums)']]) skip(id, P, tool, 'skipped', reason);
    }

    if (options.rssScale) {
      const large = await ensureDataset({ rows: options.largeRows, outDir, log });
      warmFile(large.file);
      await cutoverPair({ prefix: 'large', group: `SQLite→PG ${fmt(options.largeRows)}`, name: 'cutover_large', sourceUrl: `sqlite:${large.file}`, scale: 'large', counts: tableCounts(options.largeRows) });
    }

    if (options.profile) await profileCopies({ db, done, sqliteUrl, sourcePg, cutoverOptions, outDir, records });
  } finally {
    if (!options.keep) {
      await dropDatabase(server, 'cutover_bench_source').catch(() => undefined);
      await server.stop();
    } else log(`kept: ${created.map((name) => server.url(name)).join(' ')}`);
  }

  const versions = await toolVersions(tools);
  const facts = {
    dataset: `${fmt(dataset.rows)} rows (users ${fmt(expected.users)}, orders ${fmt(expected.orders)}, events ${fmt(expected.events)}), SQLite ${(dataset.bytes / 2 ** 20).toFixed(0)} MB, sha256 ${dataset.sha256.slice(0, 12)}…`,
    machine: machineFacts(),
    postgres: `${server.version}; ${server.describe}`,
    tools: Object.values(versions).join('; ') || 'none',
    run: `${startedAt.toISOString()}, commit ${commit}, cutover jobs=${options.jobs}, ${options.repeat > 1 ? `median of ${options.repeat} runs, ` : ''}load average at start ${loadAtStart}, whole run ${((performance.now() - runStarted) / 1000).toFixed(0)} s`,
  };
  const targets = computeTargets(records);
  const text = renderText({ records, targets, facts });
  fs.writeFileSync(path.join(outDir, 'results.md'), `# cutover benchmark results\n\n${renderMarkdown({ records, targets, facts })}`);
  fs.writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify({ facts, options: { ...options, pg: options.pg ? '(given)' : undefined }, records, targets }, null, 2)}\n`);
  process.stdout.write(`\n${text}\n\nwritten: bench/out/results.md, bench/out/results.json; tool logs in bench/out/logs/\n`);
}

/** Reruns cutover's copies under the V8 profiler (not timed) and prints where the main thread's time went. */
async function profileCopies({ db, done, sqliteUrl, sourcePg, cutoverOptions, outDir, records }) {
  const runs = [['sqlite', sqliteUrl]];
  if (records.find((r) => r.id === 'sqlite-raw-pipe')?.status === 'ok') runs.push(['pg', sourcePg]);
  for (const [name, sourceUrl] of runs) {
    for (const phase of ['copy', 'verify']) {
      const profileDir = path.join(outDir, 'profiles', `${name}-${phase}`);
      fs.rmSync(profileDir, { recursive: true, force: true });
      // verify needs copied data: its target is filled by an unprofiled copy first.
      const target = phase === 'copy' ? await db(`profile_${name}`, true) : await freshTargetWithCopy({ db, name, sourceUrl, cutoverOptions });
      log(`▸ profiling cutover ${phase} ${name} …`);
      const load = (phase === 'copy' ? cutoverCopyLoad : cutoverVerifyLoad)({ ...cutoverOptions, sourceUrl, targetUrl: target, profileDir });
      const outcome = await load();
      if (!outcome.ok) {
        log(`  profile run failed: ${outcome.reason}`);
        continue;
      }
      const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) continue;
      const report = renderProfile(`cutover ${phase} ${name === 'sqlite' ? 'SQLite→PG' : 'PG→PG'} (profiled run, ${outcome.seconds.toFixed(2)} s)`, summariseProfile(path.join(profileDir, file)));
      fs.writeFileSync(path.join(outDir, `profile-${name}-${phase}.txt`), `${report}\n`);
      process.stdout.write(`\n${report}\n`);
    }
    await done(`profile_${name}`);
  }
}

async function freshTargetWithCopy({ db, name, sourceUrl, cutoverOptions }) {
  const target = await db(`profile_${name}`, true);
  const outcome = await cutoverCopyLoad({ ...cutoverOptions, sourceUrl, targetUrl: target })();
  if (!outcome.ok) throw new Error(`copy before profiling verify failed: ${outcome.reason}`);
  return target;
}

try {
  await main();
} catch (error) {
  log(`failed: ${error?.stack ?? error}`);
  process.exitCode = 1;
}
