// Postgres keeps the first 63 bytes of an identifier (NAMEDATALEN - 1) and drops the rest with only a
// NOTICE; SQLite keeps names of any length. So `create-tables` names a long identifier as Postgres
// would (the first 63 bytes, cut at a character boundary) when that is unique, and names that would
// collide after the cut get a deterministic unique name instead: their first 54 bytes, '_', and 8
// hex digits of the SHA-256 of the full name. Copy and verify find a target column or table through
// the same rules, so they also match a schema made by migrations, where Postgres did the cut.
import crypto from 'node:crypto';

export const MAX_IDENTIFIER_BYTES = 63;
const HASH_HEX = 8;

/** The first `bytes` bytes of `name`, never splitting a character (as Postgres' pg_mbcliplen). */
export function clipBytes(name: string, bytes: number): string {
  if (Buffer.byteLength(name, 'utf8') <= bytes) return name;
  let out = '';
  let used = 0;
  for (const char of name) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return out;
}

export function isTooLong(name: string): boolean {
  return Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES;
}

/** What Postgres makes of the name. */
export function postgresTruncated(name: string): string {
  return clipBytes(name, MAX_IDENTIFIER_BYTES);
}

/** The collision-free form: a prefix, '_' and a short hash of the full name. */
export function hashedIdentifier(name: string): string {
  const hash = crypto.createHash('sha256').update(name, 'utf8').digest('hex').slice(0, HASH_HEX);
  return `${clipBytes(name, MAX_IDENTIFIER_BYTES - HASH_HEX - 1)}_${hash}`;
}

export interface IdentifierRename {
  /** The name in SQLite. */
  from: string;
  /** The name in Postgres. */
  to: string;
  why: string;
}

/**
 * Postgres names for a set of names that must stay distinct (one table's columns, or the relations
 * of one schema). `taken` are names already used there (case-sensitive, as quoted identifiers are).
 * The result does not depend on the order of `names`.
 */
export function assignIdentifiers(names: string[], taken: Iterable<string> = []): { names: Map<string, string>; renames: IdentifierRename[] } {
  const used = new Set(taken);
  const result = new Map<string, string>();
  const renames: IdentifierRename[] = [];
  for (const name of names) if (!isTooLong(name) && !used.has(name)) { result.set(name, name); used.add(name); }
  const cut = new Map<string, string[]>();
  for (const name of names.filter((n) => isTooLong(n))) cut.set(postgresTruncated(name), [...(cut.get(postgresTruncated(name)) ?? []), name]);
  for (const [truncated, group] of cut) {
    if (group.length === 1 && !used.has(truncated)) {
      result.set(group[0], truncated);
      used.add(truncated);
      renames.push({ from: group[0], to: truncated, why: `longer than ${MAX_IDENTIFIER_BYTES} bytes: cut as Postgres does` });
      continue;
    }
    for (const name of [...group].sort()) {
      const hashed = uniqueVariant(hashedIdentifier(name), used);
      result.set(name, hashed);
      used.add(hashed);
      const clash = group.length > 1 ? `${group.length} names share these first ${MAX_IDENTIFIER_BYTES} bytes` : 'its first 63 bytes are already a name here';
      renames.push({ from: name, to: hashed, why: `longer than ${MAX_IDENTIFIER_BYTES} bytes and ${clash}: cut and given a hash of the full name` });
    }
  }
  // Short names already taken (e.g. an index name an existing table's index has): numbered, as Postgres does.
  for (const name of names.filter((n) => !result.has(n))) {
    const numbered = uniqueVariant(name, used);
    result.set(name, numbered);
    used.add(numbered);
    renames.push({ from: name, to: numbered, why: 'the name is already taken in the target schema' });
  }
  return { names: result, renames };
}

function uniqueVariant(name: string, used: Set<string>): string {
  if (!used.has(name)) return name;
  for (let n = 1; ; n++) {
    const suffix = String(n);
    const candidate = `${clipBytes(name, MAX_IDENTIFIER_BYTES - suffix.length)}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}

/**
 * The target item for a source name: the same name, else case-insensitively, else the name
 * Postgres' 63-byte cut made of it (a schema made by migrations), else its hashed form (a table
 * made by create-tables whose long names collided).
 */
export function findTargetByName<T extends { name: string }>(items: T[], sourceName: string): T | undefined {
  const exact = items.find((i) => i.name === sourceName) ?? items.find((i) => i.name.toLowerCase() === sourceName.toLowerCase());
  if (exact || !isTooLong(sourceName)) return exact;
  const truncated = postgresTruncated(sourceName);
  const hashed = hashedIdentifier(sourceName);
  return items.find((i) => i.name === hashed) ?? items.find((i) => i.name === truncated) ?? items.find((i) => i.name.toLowerCase() === truncated.toLowerCase());
}
