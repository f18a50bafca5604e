// A JavaScript replica of PostgreSQL's `hashtextextended(text, 0)` (Bob Jenkins' lookup3, as in
// src/common/hashfn.c `hash_bytes_extended`, little-endian arms). Row checksums are the sum of this
// 64-bit hash over each row's canonical text: Postgres computes it in SQL without sending any data,
// and the SQLite side computes the identical value here, ~10× faster than crypto's md5 per row.
// Postgres on a big-endian server would hash differently; every supported platform is little-endian.

const scratch = { buffer: Buffer.allocUnsafe(64 * 1024) };

const rot = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/** [high 32 bits (signed), low 32 bits (unsigned)] of hashtextextended(text, 0). */
export function pgHashText(text: string): [number, number] {
  let buffer = scratch.buffer;
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (text.length * 3 > buffer.length) buffer = scratch.buffer = Buffer.allocUnsafe(text.length * 3 + 1024);
  const length = buffer.write(text, 0, 'utf8');
  return hashBytes(buffer, length);
}

export function hashBytes(k: Uint8Array, keylen: number): [number, number] {
  let a = (0x9e3779b9 + keylen + 3923095) | 0;
  let b = a;
  let c = a;
  let i = 0;
  let len = keylen;
  while (len >= 12) {
    a = (a + (k[i] | (k[i + 1] << 8) | (k[i + 2] << 16) | (k[i + 3] << 24))) | 0;
    b = (b + (k[i + 4] | (k[i + 5] << 8) | (k[i + 6] << 16) | (k[i + 7] << 24))) | 0;
    c = (c + (k[i + 8] | (k[i + 9] << 8) | (k[i + 10] << 16) | (k[i + 11] << 24))) | 0;
    // mix(a, b, c)
    a = (a - c) | 0; a ^= rot(c, 4); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 6); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 8); b = (b + a) | 0;
    a = (a - c) | 0; a ^= rot(c, 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 19); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 4); b = (b + a) | 0;
    i += 12;
    len -= 12;
  }
  // The last 11 bytes; the lowest byte of c is reserved for the length (hence c starts at << 8).
  if (len >= 11) c = (c + (k[i + 10] << 24)) | 0;
  if (len >= 10) c = (c + (k[i + 9] << 16)) | 0;
  if (len >= 9) c = (c + (k[i + 8] << 8)) | 0;
  if (len >= 8) b = (b + (k[i + 7] << 24)) | 0;
  if (len >= 7) b = (b + (k[i + 6] << 16)) | 0;
  if (len >= 6) b = (b + (k[i + 5] << 8)) | 0;
  if (len >= 5) b = (b + k[i + 4]) | 0;
  if (len >= 4) a = (a + (k[i + 3] << 24)) | 0;
  if (len >= 3) a = (a + (k[i + 2] << 16)) | 0;
  if (len >= 2) a = (a + (k[i + 1] << 8)) | 0;
  if (len >= 1) a = (a + k[i]) | 0;
  // final(a, b, c)
  c ^= b; c = (c - rot(b, 14)) | 0;
  a ^= c; a = (a - rot(c, 11)) | 0;
  b ^= a; b = (b - rot(a, 25)) | 0;
  c ^= b; c = (c - rot(b, 16)) | 0;
  a ^= c; a = (a - rot(c, 4)) | 0;
  b ^= a; b = (b - rot(a, 14)) | 0;
  c ^= b; c = (c - rot(b, 24)) | 0;
  return [b | 0, c >>> 0];
}

/** The hash as Postgres prints the int8 (signed decimal). */
export function pgHashTextDecimal(text: string): string {
  const [high, low] = pgHashText(text);
  return (BigInt(high) * 4294967296n + BigInt(low)).toString();
}

/**
 * Order-independent sum of 64-bit row hashes, exact like Postgres' `sum(int8)` (numeric). High and
 * low halves accumulate in doubles (exact below 2^53) and fold into a BigInt before they could round.
 */
export class HashSum {
  private high = 0;
  private low = 0;
  private pending = 0;
  private total = 0n;
  count = 0;

  addText(text: string): void {
    const [high, low] = pgHashText(text);
    this.add(high, low);
  }

  add(high: number, low: number): void {
    this.high += high;
    this.low += low;
    this.count++;
    if (++this.pending === 1 << 20) this.fold();
  }

  /** Adds another sum (e.g. from a worker that hashed part of the same table). */
  addTotal(total: string, count: number): void {
    this.total += BigInt(total);
    this.count += count;
  }

  private fold(): void {
    this.total += BigInt(this.high) * 4294967296n + BigInt(this.low);
    this.high = 0;
    this.low = 0;
    this.pending = 0;
  }

  /** Decimal text, as Postgres prints `sum(hashtextextended(...))`; '0' for no rows. */
  value(): string {
    this.fold();
    return this.total.toString();
  }
}
