// One measured load: checkpoint first (no tool pays for the previous one's dirty pages), time the
// tool, account CPU to the tool and to the server, then count what actually landed in the target —
// a tool that loaded nothing, or half, is reported as failed, never as fast.
import fs from 'node:fs';
import path from 'node:path';
import { countRows, sql } from './postgres-cluster.mjs';
import { childrenCpuSeconds, serverCpuSeconds } from './system-tools.mjs';

export const TABLES = ['users', 'orders', 'events'];

/**
 * Runs `load()` (which resolves to { ok, reason?, seconds?, peakRssMb?, log?, extra? }) against
 * `targetUrl` and returns a scenario record. `seconds` from the loader overrides the wall time
 * measured here (cutover reports its copy phase from process start).
 */
export async function measureLoad({ server, id, group, tool, expected, targetUrl, logDir, countSchema = 'public', load }) {
  const record = { id, group, tool, expectedRows: sum(expected), status: 'ok' };
  await sql(server.url('postgres'), 'CHECKPOINT');
  const toolCpuBefore = childrenCpuSeconds();
  const serverCpuBefore = server.postmasterPid ? serverCpuSeconds(server.postmasterPid) : null;
  const started = performance.now();
  let outcome;
  try {
    outcome = await load();
  } catch (error) {
    outcome = { ok: false, reason: error?.message ?? String(error) };
  }
  const wall = (performance.now() - started) / 1000;
  // Give the postmaster a moment to reap the tool's backends, whose CPU lands in its cutime.
  await new Promise((resolve) => setTimeout(resolve, 150));
  record.seconds = outcome.seconds ?? wall;
  record.wallSeconds = wall;
  record.toolCpuSeconds = outcome.toolCpuSeconds ?? childrenCpuSeconds() - toolCpuBefore;
  record.serverCpuSeconds = serverCpuBefore === null ? null : serverCpuSeconds(server.postmasterPid) - serverCpuBefore;
  if (outcome.peakRssMb !== undefined) record.peakRssMb = outcome.peakRssMb;
  if (outcome.extra) Object.assign(record, outcome.extra);
  if (outcome.log !== undefined && logDir) {
    fs.mkdirSync(logDir, { recursive: true });
    record.logFile = path.join(logDir, `${id}.log`);
    fs.writeFileSync(record.logFile, outcome.log);
  }
  if (!outcome.ok) {
    record.status = outcome.missing ? 'unavailable' : 'failed';
    record.reason = outcome.reason;
  }
  if (outcome.skipCount) return record;
  try {
    record.loaded = await countRows(targetUrl, TABLES, countSchema);
    record.loadedRows = Object.values(record.loaded).reduce((total, n) => total + Math.max(0, n), 0);
    const short = TABLES.filter((table) => record.loaded[table] !== expected[table]);
    if (short.length > 0 && record.status === 'ok') {
      record.status = 'failed';
      record.reason = `row counts differ: ${short.map((t) => `${t} ${record.loaded[t] < 0 ? 'missing' : record.loaded[t].toLocaleString('en-US')} of ${expected[t].toLocaleString('en-US')}`).join(', ')}`;
    }
  } catch (error) {
    if (record.status === 'ok') {
      record.status = 'failed';
      record.reason = `could not count rows in the target: ${error.message}`;
    }
  }
  if (record.status === 'ok') record.rowsPerSecond = record.loadedRows / record.seconds;
  return record;
}

function sum(counts) {
  return Object.values(counts).reduce((total, n) => total + n, 0);
}
