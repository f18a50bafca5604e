// Runs cutover's engine in a child process (bench/cutover-copy.ts) and turns its BENCH_RESULT line
// into a `load()` outcome for measureLoad: copy and verification are separate processes, so each
// phase has its own wall time, CPU and peak RSS. Also runs the shipped CLI bundle (dist/cli) under
// /usr/bin/time: what users run, without the TypeScript loader the source path needs in every
// thread (Node's type stripping costs ~18 MB per isolate, the main thread and each worker).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './system-tools.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function childArgs({ sourceUrl, targetUrl, jobs, phase, checksums, profileDir }) {
  const args = ['--import', './scripts/register-ts.mjs'];
  if (profileDir) {
    fs.mkdirSync(profileDir, { recursive: true });
    args.push('--cpu-prof', '--cpu-prof-dir', profileDir);
  }
  args.push('bench/cutover-copy.ts', sourceUrl, targetUrl, '--jobs', String(jobs));
  if (phase === 'verify') args.push('--verify-only');
  if (checksums) args.push('--checksums');
  return args;
}

function parseResult(stdout) {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) return null;
  try {
    return JSON.parse(line.slice('BENCH_RESULT '.length));
  } catch {
    return null;
  }
}

async function runChild(options) {
  const args = childArgs(options);
  const result = await run(process.execPath, args, { cwd: REPO, onStderr: options.onStderr });
  const log = `$ node ${args.join(' ')}\n(exit ${result.code})\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  const parsed = parseResult(result.stdout);
  if (!parsed) {
    const tail = result.stderr.trim().split('\n').slice(-3).join(' / ');
    return { parsed: null, log, failure: { ok: false, reason: `cutover child exited with ${result.code} and printed no result: ${tail.slice(0, 300)}` } };
  }
  if (parsed.error) return { parsed, log, failure: { ok: false, missing: parsed.missing, reason: parsed.error } };
  if (result.code !== 0) return { parsed, log, failure: { ok: false, reason: `cutover child exited with ${result.code}` } };
  return { parsed, log };
}

/** cutover's copy (checksums off unless `checksums`). `seconds` is from the child's start to the end of copyData. */
export function cutoverCopyLoad(options) {
  return async () => {
    const { parsed, log, failure } = await runChild({ ...options, phase: 'copy' });
    if (failure) return { ...failure, log };
    const copy = parsed.copy;
    if (options.checksums && copy.verified !== true) {
      return { ok: false, log, reason: `copy with checksums did not verify (verified: ${copy.verified})` };
    }
    return {
      ok: true,
      log,
      seconds: copy.sinceStartMs / 1000,
      peakRssMb: copy.peakRssMb,
      extra: { engineSeconds: copy.ms / 1000, engineVerified: copy.verified, warnings: copy.warnings, resources: copy.resources },
    };
  };
}

/** cutover's verifyData with checksums on, over source and the copied target. */
export function cutoverVerifyLoad(options) {
  return async () => {
    const { parsed, log, failure } = await runChild({ ...options, phase: 'verify' });
    if (failure) return { ...failure, log, skipCount: true };
    const verify = parsed.verify;
    const tables = verify.tables ?? [];
    const mismatched = tables.filter((t) => t.checksumMatch === false || t.sourceRows !== t.targetRows).map((t) => t.table);
    const outcome = {
      ok: verify.verified === true,
      log,
      skipCount: true,
      seconds: verify.ms / 1000,
      peakRssMb: verify.peakRssMb,
      extra: { verified: verify.verified, checksumTables: tables.filter((t) => t.checksumMatch === true).length, resources: verify.resources },
    };
    if (!outcome.ok) outcome.reason = `verification did not pass${mismatched.length ? `: ${mismatched.join(', ')} differ` : ''}`;
    return outcome;
  };
}

/** `node dist/cli/index.js copy --no-checksums` under /usr/bin/time: wall time and max RSS of the bundle. */
export function cutoverCliCopyLoad({ sourceUrl, targetUrl, jobs }) {
  return async () => {
    const cli = path.join(REPO, 'dist', 'cli', 'index.js');
    if (!fs.existsSync(cli)) return { ok: false, missing: true, reason: 'dist/cli/index.js does not exist (npm run build)' };
    const args = ['-f', 'BENCH_TIME %M %e', process.execPath, cli, 'copy', '--source', sourceUrl, '--target', targetUrl, '--no-checksums', '--jobs', String(jobs), '--json'];
    const result = await run('/usr/bin/time', args, { cwd: REPO });
    const log = `$ /usr/bin/time ${args.join(' ')}\n(exit ${result.code})\n--- stdout ---\n${result.stdout.slice(0, 20000)}\n--- stderr ---\n${result.stderr}`;
    const timing = /BENCH_TIME (\d+) ([\d.]+)/.exec(result.stderr);
    if (result.code !== 0) {
      const tail = result.stderr.trim().split('\n').filter((l) => !l.startsWith('BENCH_TIME')).slice(-2).join(' / ');
      return { ok: false, log, reason: `cutover CLI exited with ${result.code}: ${tail.slice(0, 300)}` };
    }
    return { ok: true, log, ...(timing ? { peakRssMb: Number(timing[1]) / 1024, seconds: Number(timing[2]) } : {}) };
  };
}
