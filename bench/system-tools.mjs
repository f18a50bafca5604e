// Running external programs for the benchmark: installing Debian packages on demand, timing a
// command, and CPU accounting from /proc so each scenario can say where its time went.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';

export function which(command) {
  try {
    return execFileSync('bash', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

let aptUpdated = false;

function apt(args) {
  try {
    execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return null;
  } catch (error) {
    const lines = String(error.stderr ?? error.message).trim().split('\n').filter(Boolean);
    return lines.at(-1) ?? String(error.message);
  }
}

/**
 * Makes `command` available, installing Debian package `pkg` if needed (apt-get update once on the
 * first failure). Returns { ok: true, path } or { ok: false, reason }.
 */
export function ensureTool(command, pkg, log) {
  const found = which(command);
  if (found) return { ok: true, path: found };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { ok: false, reason: `${command} is missing and installing ${pkg} needs root (apt-get install -y ${pkg})` };
  }
  log(`installing ${pkg} (apt-get install -y ${pkg}) …`);
  let failure = apt(['install', '-y', pkg]);
  if (failure && !aptUpdated) {
    aptUpdated = true;
    log('apt-get update …');
    apt(['update']);
    failure = apt(['install', '-y', pkg]);
  }
  const installed = which(command);
  if (installed) return { ok: true, path: installed };
  return { ok: false, reason: failure ?? `apt-get installed ${pkg} but ${command} is still not on PATH` };
}

/** Runs a program; resolves with its exit code, output and wall time. Never rejects on exit codes. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => {
      err.push(chunk);
      options.onStderr?.(chunk);
    });
    child.on('error', (error) => resolve({ code: -1, stdout: '', stderr: String(error.message), ms: performance.now() - started, pid: child.pid }));
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : -1), signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: performance.now() - started, pid: child.pid }),
    );
  });
}

/** Runs a bash snippet with pipefail, so a failure anywhere in a pipe fails the whole. */
export function runShell(script, options = {}) {
  return run('bash', ['-o', 'pipefail', '-c', script], options);
}

/** POSIX-shell single-quoting. */
export function quote(text) {
  return `'${String(text).replace(/'/g, `'\\''`)}'`;
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** [utime, stime, cutime, cstime, ppid] of a process, in clock ticks; null when it is gone. */
function procStat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
    return { ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]), cutime: Number(fields[13]), cstime: Number(fields[14]) };
  } catch {
    return null;
  }
}

/** CPU seconds used by the programs this process has spawned and waited for. */
export function childrenCpuSeconds() {
  const stat = procStat('self');
  return stat ? (stat.cutime + stat.cstime) / TICKS_PER_SECOND : 0;
}

/**
 * CPU seconds used by a Postgres server so far: the postmaster, its reaped backends (counted in its
 * cutime/cstime) and its live children (background writer, WAL writer, idle backends).
 */
export function serverCpuSeconds(postmasterPid) {
  const root = procStat(postmasterPid);
  if (!root) return 0;
  let ticks = root.utime + root.stime + root.cutime + root.cstime;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (stat && stat.ppid === postmasterPid) ticks += stat.utime + stat.stime;
  }
  return ticks / TICKS_PER_SECOND;
}
