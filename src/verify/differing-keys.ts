// Narrowing a checksum mismatch down to keys: both sides sum their row hashes per bucket of the
// primary-key hash (1,024 buckets, one pass each), then only the buckets that differ are listed row
// by row (key, row hash) and compared. Hash buckets rather than key ranges, because SQLite and
// Postgres sort text differently; the cost is two passes instead of log(n).
// Every differing bucket is listed while that stays under a row budget (memory: the listed rows of
// both sides are held at once), so the counts are exact for tables up to ~250,000 rows and for any
// table whose differences sit in few buckets; otherwise they are lower bounds, and say so.
import type { TableDifferences } from '../run-result.js';

export interface BucketRow {
  display: string;
  hash: string;
  /** How many rows share this key and hash (tables without a primary key may repeat a row). */
  count?: number;
}

export interface BucketSide {
  buckets(): Promise<Map<number, { rows: number; sum: string }>>;
  /** `${keyCanon}\u0003${rowHash}` → row, for the rows in the given buckets. */
  rowsInBuckets(buckets: number[]): Promise<Map<string, BucketRow>>;
}

/** Rows listed per side at most (summed over the chosen buckets). */
export const ROW_BUDGET = 250_000;
const SAMPLES = 5;

interface KeyRows {
  display: string;
  /** row hash → count */
  hashes: Map<string, number>;
  total: number;
}

function byKey(rows: Map<string, BucketRow>): Map<string, KeyRows> {
  const keys = new Map<string, KeyRows>();
  for (const [entry, row] of rows) {
    const key = entry.slice(0, entry.lastIndexOf('\u0003'));
    const count = row.count ?? 1;
    let item = keys.get(key);
    if (!item) keys.set(key, (item = { display: row.display, hashes: new Map(), total: 0 }));
    item.hashes.set(row.hash, (item.hashes.get(row.hash) ?? 0) + count);
    item.total += count;
  }
  return keys;
}

const keyOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export async function findDifferences(source: BucketSide, target: BucketSide, options: { rowBudget?: number } = {}): Promise<TableDifferences | undefined> {
  const budget = options.rowBudget ?? ROW_BUDGET;
  const [a, b] = await Promise.all([source.buckets(), target.buckets()]);
  const differing: number[] = [];
  for (const bucket of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(bucket);
    const y = b.get(bucket);
    if (x?.rows !== y?.rows || x?.sum !== y?.sum) differing.push(bucket);
  }
  if (differing.length === 0) return undefined;
  differing.sort((p, q) => p - q);
  const chosen: number[] = [];
  let listed = 0;
  for (const bucket of differing) {
    const size = Math.max(a.get(bucket)?.rows ?? 0, b.get(bucket)?.rows ?? 0);
    if (chosen.length > 0 && listed + size > budget) break;
    chosen.push(bucket);
    listed += size;
  }
  const [rowsA, rowsB] = await Promise.all([source.rowsInBuckets(chosen), target.rowsInBuckets(chosen)]);
  const keysA = byKey(rowsA);
  const keysB = byKey(rowsB);
  const result: TableDifferences = { missing: 0, extra: 0, changed: 0, exact: chosen.length === differing.length, samples: { missing: [], extra: [], changed: [] } };
  for (const key of new Set([...keysA.keys(), ...keysB.keys()])) {
    const x = keysA.get(key);
    const y = keysB.get(key);
    let shared = 0;
    if (x && y) for (const [hash, count] of x.hashes) shared += Math.min(count, y.hashes.get(hash) ?? 0);
    const inA = x?.total ?? 0;
    const inB = y?.total ?? 0;
    const counts = { missing: Math.max(0, inA - inB), extra: Math.max(0, inB - inA), changed: Math.min(inA, inB) - shared };
    for (const kind of ['missing', 'extra', 'changed'] as const) {
      if (counts[kind] === 0) continue;
      result[kind] += counts[kind];
      result.samples[kind].push((x ?? y)!.display);
    }
  }
  for (const kind of ['missing', 'extra', 'changed'] as const) result.samples[kind] = result.samples[kind].sort(keyOrder).slice(0, SAMPLES);
  return result;
}

/** The sample keys of all kinds, in key order (the `differingKeys` of a table entry). */
export function sampleKeys(differences: TableDifferences | undefined, limit = 10): string[] {
  if (!differences) return [];
  const { missing, extra, changed } = differences.samples;
  return [...new Set([...missing, ...extra, ...changed])].sort(keyOrder).slice(0, limit);
}
