// Narrowing a checksum mismatch down to keys: both sides sum their row hashes per bucket of the
// primary-key hash (1,024 buckets, one pass each), then only the buckets that differ are listed row
// by row (key, row hash) and compared. Hash buckets rather than key ranges, because SQLite and
// Postgres sort text differently; the cost is two passes instead of log(n).

export interface BucketSide {
  buckets(): Promise<Map<number, { rows: number; sum: string }>>;
  rowsInBuckets(buckets: number[]): Promise<Map<string, { display: string; hash: string }>>;
}

/** Buckets examined row by row at most (each holds ~1/1024 of the table). */
const MAX_BUCKETS = 16;

export async function findDifferingKeys(source: BucketSide, target: BucketSide, limit = 10): Promise<string[]> {
  const [a, b] = await Promise.all([source.buckets(), target.buckets()]);
  const differing: number[] = [];
  for (const bucket of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(bucket);
    const y = b.get(bucket);
    if (x?.rows !== y?.rows || x?.sum !== y?.sum) differing.push(bucket);
  }
  if (differing.length === 0) return [];
  const chosen = differing.sort((p, q) => p - q).slice(0, MAX_BUCKETS);
  const [rowsA, rowsB] = await Promise.all([source.rowsInBuckets(chosen), target.rowsInBuckets(chosen)]);
  const keys = new Map<string, string>();
  const keyOf = (entry: string) => entry.slice(0, entry.lastIndexOf('\u0003'));
  for (const [entry, row] of rowsA) if (!rowsB.has(entry)) keys.set(keyOf(entry), row.display);
  for (const [entry, row] of rowsB) if (!rowsA.has(entry) && !keys.has(keyOf(entry))) keys.set(keyOf(entry), row.display);
  return [...keys.values()].sort((p, q) => p.localeCompare(q, 'en', { numeric: true })).slice(0, limit);
}
