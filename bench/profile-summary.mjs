// Summarises a V8 .cpuprofile (from `node --cpu-prof`) into where the main thread's time went:
// self time per function and per area (our engine, the pg driver, SQLite, Node internals, GC, idle).
import fs from 'node:fs';

function area(url, name) {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle (waiting on Postgres/IO)';
  if (name === '(program)') return 'V8/native (program)';
  if (!url) return `native: ${name || '(anonymous)'}`;
  if (url.includes('/node_modules/pg-copy-streams/')) return 'pg-copy-streams';
  if (url.includes('/node_modules/pg-protocol/') || url.includes('/node_modules/pg/')) return 'pg driver';
  if (url.includes('/node_modules/better-sqlite3/')) return 'better-sqlite3';
  if (url.includes('/src/')) return `cutover ${url.slice(url.indexOf('/src/') + 1).replace(/\.ts$/, '')}`;
  if (url.startsWith('node:')) return 'Node internals';
  return url.split('/').slice(-2).join('/');
}

export function summariseProfile(file, top = 15) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMicros = new Map();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map();
  const byArea = new Map();
  let total = 0;
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const fn = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/')}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
    const a = area(url, functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + micros);
    total += micros;
  }
  const rank = (map) => [...map].sort((x, y) => y[1] - x[1]).map(([name, micros]) => ({ name, seconds: micros / 1e6, share: micros / total }));
  return { totalSeconds: total / 1e6, areas: rank(byArea).slice(0, top), functions: rank(byFunction).slice(0, top) };
}

export function renderProfile(title, summary) {
  const line = (e) => `  ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.seconds.toFixed(2).padStart(6)} s  ${e.name}`;
  return [
    `${title}: ${summary.totalSeconds.toFixed(2)} s of main-thread samples`,
    ' by area:',
    ...summary.areas.map(line),
    ' by function (self time):',
    ...summary.functions.map(line),
  ].join('\n');
}
