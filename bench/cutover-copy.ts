// cutover's side of the benchmark, run in a child process so its peak RSS is its own:
//   node --import ./scripts/register-ts.mjs bench/cutover-copy.ts SOURCE TARGET [--verify] [--verify-only] [--checksums] [--jobs N]
// Copies with checksums off (the copy alone; --checksums: on, as `cutover` mode runs it, hashing the
// source inline while streaming), then optionally verifies with checksums on, and
// prints one line `BENCH_RESULT {json}` on stdout: phase times, peak RSS per phase, per-table rows.
// Progress from the engine goes to stderr.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDatabaseUrl, type PostgresLocation } from '../src/db/database-url.js';
import { consoleRuntime } from '../src/runtime.js';
import type { CopySettings } from '../src/settings.js';
import { ResourceSampler } from './resource-sampler.js';

interface PhaseResult {
  ms: number;
  peakRssMb: number | null;
  tables: unknown[];
  verified: boolean | null;
  warnings: string[];
}

function flag(name: string): boolean {
  return process.argv.includes(name);
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

/** Peak resident set size so far (VmHWM), in MB; null where /proc is not there. */
function peakRssMb(): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Resets VmHWM to the current RSS (Linux: "5" > clear_refs), so the next phase's peak is its own. */
function resetPeakRss(): void {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux or not allowed: the next phase's figure then includes this one's peak.
  }
}

function emit(payload: Record<string, unknown>): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(payload)}\n`);
}

/** Imports an engine module, or explains that it has not landed yet. */
async function engineModule<T>(relative: string, exportName: string): Promise<T> {
  const file = new URL(relative, import.meta.url);
  const tsFile = new URL(relative.replace(/\.js$/, '.ts'), import.meta.url);
  if (!fs.existsSync(file) && !fs.existsSync(tsFile)) {
    throw Object.assign(new Error(`${exportName} is not available: ${path.relative(process.cwd(), tsFile.pathname)} does not exist yet`), { missing: true });
  }
  const module = (await import(file.href)) as Record<string, unknown>;
  if (typeof module[exportName] !== 'function') {
    throw Object.assign(new Error(`${path.relative(process.cwd(), tsFile.pathname)} does not export ${exportName}()`), { missing: true });
  }
  return module[exportName] as T;
}

async function main(): Promise<void> {
  const [sourceUrl, targetUrl] = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--') && !all[i - 1]?.startsWith('--jobs'));
  if (!sourceUrl || !targetUrl) throw new Error('usage: cutover-copy.ts SOURCE TARGET [--verify] [--verify-only] [--checksums] [--jobs N]');
  const jobs = Number(option('--jobs', '2'));
  const source = parseDatabaseUrl(sourceUrl, { input: 'source' });
  const target = parseDatabaseUrl(targetUrl, { input: 'target' }) as PostgresLocation;
  const runtime = consoleRuntime({ stream: process.stderr });
  // The action's defaults (connect-attempts 3, connect-timeout 10 s), as a user's run would have them.
  const common = { source, target, connectAttempts: 3, connectTimeoutMs: 10_000, runtime, sourceInput: 'source', targetInput: 'target' };
  const result: Record<string, unknown> = { jobs, node: process.version };

  if (!flag('--verify-only')) {
    type CopyData = (options: unknown) => Promise<{ tables: unknown[]; warnings: string[]; rejectedRows: number; verified: boolean | null }>;
    const copyData = await engineModule<CopyData>('../src/copy/copy-data.js', 'copyData');
    const copy: CopySettings = {
      include: [],
      exclude: [],
      createTables: false,
      onError: 'fail',
      rejectsFile: path.join(os.tmpdir(), `cutover-bench-rejects-${process.pid}.jsonl`),
      ifTargetNotEmpty: 'fail',
      jobs,
      checksums: flag('--checksums'),
    };
    const sampler = new ResourceSampler();
    const started = performance.now();
    const outcome = await copyData({ ...common, copy });
    const ended = performance.now();
    const resources = sampler.stop();
    // `sinceStartMs` counts Node's start and module loading too, as a reference tool's wall time would.
    result.copy = { ms: ended - started, sinceStartMs: ended, peakRssMb: peakRssMb(), tables: outcome.tables, verified: outcome.verified, warnings: outcome.warnings, rejectedRows: outcome.rejectedRows, resources } satisfies PhaseResult & Record<string, unknown>;
    resetPeakRss();
  }

  if (flag('--verify') || flag('--verify-only')) {
    type VerifyData = (options: unknown) => Promise<{ tables: unknown[]; verified: boolean; warnings: string[] }>;
    const verifyData = await engineModule<VerifyData>('../src/verify/verify-data.js', 'verifyData');
    const sampler = new ResourceSampler();
    const started = performance.now();
    const outcome = await verifyData({ ...common, include: [], exclude: [], checksums: true, jobs });
    const ms = performance.now() - started;
    result.verify = { ms, peakRssMb: peakRssMb(), tables: outcome.tables, verified: outcome.verified, warnings: outcome.warnings, resources: sampler.stop() } satisfies PhaseResult & Record<string, unknown>;
  }
  result.cpu = process.cpuUsage();
  emit(result);
}

try {
  await main();
} catch (error) {
  const err = error as Error & { missing?: boolean };
  emit({ error: err?.message ?? String(error), missing: err?.missing === true, stack: err?.stack });
  process.exitCode = err?.missing ? 3 : 1;
}
