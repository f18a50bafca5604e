// The `local` throwaway provider: a private PostgreSQL cluster from the machine's own server
// binaries, in a temp directory, on a free port of 127.0.0.1, with its socket inside that directory
// (/var/run/postgresql may not exist or not be writable). Postgres refuses to run as root, so as root
// we run initdb/pg_ctl as the `postgres` user. Durability is switched off: the cluster lives minutes.
import fs from 'node:fs';
import path from 'node:path';
import { ProvisionError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import type { PostgresLocation } from '../database-url.js';
import { freePort } from './free-port.js';
import type { PostgresBinaries } from './local-binaries.js';
import { asUser, outputTail, runCommand, type CommandResult } from './run-command.js';
import { makeThrowawayDir, removeThrowawayDir, writeState, type LocalState } from './state-file.js';
import { serverVersionOf } from './wait-ready.js';

const SERVER_USER = 'postgres';
const START_ATTEMPTS = 3;

export interface ProvisionedServer {
  location: PostgresLocation;
  serverVersion?: string;
  stateFile: string;
}

interface ServerAccount {
  user?: string;
  uid?: number;
  gid?: number;
}

/** As root: the uid/gid of the `postgres` user, who will own the cluster. Otherwise: ourselves. */
async function serverAccount(): Promise<ServerAccount> {
  if (process.getuid?.() !== 0) return {};
  const uid = await runCommand(['id', '-u', SERVER_USER], { timeoutMs: 10_000 });
  const gid = await runCommand(['id', '-g', SERVER_USER], { timeoutMs: 10_000 });
  if (uid.code !== 0 || gid.code !== 0) {
    throw new ProvisionError(`PostgreSQL refuses to run as root, and this machine has no '${SERVER_USER}' user to run it as.`, {
      fix: `create one (useradd --system ${SERVER_USER}), run the job as a non-root user, or set dry-run-database to docker or to a postgresql:// URL (e.g. a services: postgres container).`,
    });
  }
  return { user: SERVER_USER, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** The `-o` string pg_ctl hands to postgres through /bin/sh, hence the quoting of the socket dir. */
export function serverOptions(port: number, socketDir: string): string {
  const quoted = `'${socketDir.replace(/'/g, `'\\''`)}'`;
  return [`-p ${port}`, `-k ${quoted}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'].join(' ');
}

export function initdbArgs(bindir: string, dataDir: string, locale: string): string[] {
  return [path.join(bindir, 'initdb'), '-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', `--locale=${locale}`, '--no-sync'];
}

function logTail(logFile: string, lines = 5): string {
  try {
    return fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join(' ');
  } catch {
    return '';
  }
}

function readPostmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Running (a zombie is not: it has exited and only waits for a parent that may never reap it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): kill(0) is all we know
  }
}

/** True when `pid` is still the postmaster of `dataDir` (pids get reused; never kill a stranger). */
async function isOurPostmaster(pid: number, dataDir: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  let command = '';
  try {
    command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    command = (await runCommand(['ps', '-o', 'command=', '-p', String(pid)], { timeoutMs: 10_000 })).stdout;
  }
  return command.includes(dataDir);
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Stops the cluster (immediate shutdown: nothing in it is worth a checkpoint). Leaves the directory. */
export async function stopLocalPostgres(state: LocalState): Promise<void> {
  const pid = state.pid ?? readPostmasterPid(state.dataDir);
  if (fs.existsSync(path.join(state.dataDir, 'postmaster.pid'))) {
    const argv = asUser([path.join(state.bindir, 'pg_ctl'), '-D', state.dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop'], state.runAs);
    await runCommand(argv, { cwd: state.dir, timeoutMs: 45_000 });
  }
  if (pid && (await isOurPostmaster(pid, state.dataDir))) {
    process.kill(pid, 'SIGKILL');
    await waitGone(pid, 5000);
  }
}

async function initCluster(binaries: PostgresBinaries, state: LocalState, runtime: Runtime): Promise<void> {
  let result: CommandResult | undefined;
  // C.UTF-8 is what we want (UTF-8, byte order); older or non-glibc systems may lack it, C always exists.
  for (const locale of ['C.UTF-8', 'C']) {
    result = await runCommand(asUser(initdbArgs(binaries.bindir, state.dataDir, locale), state.runAs), { cwd: state.dir, timeoutMs: 120_000 });
    if (result.code === 0) return;
    fs.rmSync(state.dataDir, { recursive: true, force: true });
    if (!/locale/i.test(`${result.stderr}${result.stdout}`)) break;
    runtime.debug(`initdb with --locale=${locale} failed (${outputTail(result, 2)}); retrying with --locale=C`);
  }
  throw new ProvisionError(`initdb failed in ${state.dir}: ${outputTail(result!)}`, {
    fix: 'check that the PostgreSQL server package is complete, or set dry-run-database to docker or a postgresql:// URL.',
  });
}

async function startCluster(binaries: PostgresBinaries, state: LocalState, stateFile: string): Promise<number> {
  const logFile = path.join(state.dir, 'postgres.log');
  let last = '';
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt += 1) {
    const port = await freePort();
    writeState(stateFile, { ...state, port });
    const argv = [path.join(binaries.bindir, 'pg_ctl'), '-D', state.dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions(port, state.dir), 'start'];
    const result = await runCommand(asUser(argv, state.runAs), { cwd: state.dir, timeoutMs: 90_000 });
    if (result.code === 0) return port;
    last = logTail(logFile) || outputTail(result);
    // Another process took the port between freePort() and the bind: try another one.
    if (!/could not bind|address already in use|could not create any TCP\/IP sockets/i.test(last)) break;
  }
  throw new ProvisionError(`The throwaway PostgreSQL server did not start: ${last}`, {
    fix: 'see the server log above; or set dry-run-database to docker or a postgresql:// URL.',
  });
}

export async function provisionLocalPostgres(options: { binaries: PostgresBinaries; runtime: Runtime; baseDir?: string }): Promise<ProvisionedServer> {
  const { binaries, runtime } = options;
  const account = await serverAccount();
  const { dir, stateFile } = makeThrowawayDir(options.baseDir);
  const state: LocalState = { version: 1, provider: 'local', dir, dataDir: path.join(dir, 'data'), bindir: binaries.bindir, ...(account.user ? { runAs: account.user } : {}) };
  writeState(stateFile, state);
  try {
    if (account.uid !== undefined && account.gid !== undefined) fs.chownSync(dir, account.uid, account.gid);
    runtime.info(`Starting a throwaway PostgreSQL ${binaries.version} from ${binaries.bindir}${account.user ? ` as user ${account.user}` : ''} in ${dir}`);
    await initCluster(binaries, state, runtime);
    const port = await startCluster(binaries, state, stateFile);
    const pid = readPostmasterPid(state.dataDir);
    writeState(stateFile, { ...state, port, ...(pid ? { pid } : {}) });
    const location: PostgresLocation = { kind: 'postgres', host: '127.0.0.1', port, database: 'postgres', user: 'postgres', sslmode: 'disable', params: {} };
    const serverVersion = (await serverVersionOf(location)) ?? binaries.version;
    return { location, serverVersion, stateFile };
  } catch (error) {
    await stopLocalPostgres(state).catch(() => undefined);
    removeThrowawayDir(dir);
    throw error;
  }
}
