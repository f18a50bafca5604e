// Streams one SQLite table as PostgreSQL COPY text. Rows are pulled from a better-sqlite3 iterator
// only when the COPY stream asks for more (Readable backpressure), so memory stays flat whatever the
// table size. Each value goes through its column's cast rule; the row's canonical hash is summed on
// the way (the SQLite side of the checksum costs no second read).
import { Readable } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { quoteIdent } from '../../db/pg-identifiers.js';
import type { SqliteDatabase } from '../../db/sqlite-driver.js';
import { canonicalizer, FIELD_SEPARATOR, NULL_MARKER } from '../../verify/canonical-form.js';
import { pgHashText, type HashSum } from '../../verify/row-hash.js';
import { CastFailure, columnConverter, type SqliteValue } from '../cast/cast-rules.js';
import { COPY_NULL, escapeCopyField } from '../cast/copy-text.js';
import type { TargetType } from '../cast/target-kind.js';

export interface SqliteReadColumn {
  /** Column name in SQLite. */
  source: string;
  /** Target column type: decides the cast rule and the canonical form. */
  type: TargetType;
}

export interface SqliteReadSpec {
  table: string;
  columns: SqliteReadColumn[];
  /** Primary-key columns (SQLite names), to name a failing row; empty = rowid or row number. */
  keyColumns: string[];
  hasRowid: boolean;
  /** Copy at most this many rows (dry runs), in key order. */
  limit?: number;
  /** Only rows with first ≤ rowid ≤ last (one slice of a table read by several workers). */
  rowidRange?: [first: bigint, last: bigint];
}

export interface RowFailure {
  column: string;
  /** "id=2" or "rowid=2". */
  key: string;
  keyValues: Record<string, unknown>;
  value: unknown;
  reason: string;
}

const CHUNK_BYTES = 64 * 1024;
const TEXT_KINDS = new Set(['text', 'varchar', 'bpchar', 'other', 'json', 'jsonb', 'uuid']);
// What these kinds' cast rules print never holds a backslash, tab, newline or carriage return.
const NEVER_ESCAPED = new Set(['boolean', 'int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'date', 'timestamp', 'timestamptz', 'time', 'uuid']);

/** The COPY text field for a converted value of this kind (escaping only where it can be needed). */
function copyFieldWriter(kind: string): (text: string | null) => string {
  if (NEVER_ESCAPED.has(kind)) return (text) => (text === null ? COPY_NULL : text);
  // bytea's '\x' + hex: only its leading backslash needs doubling.
  if (kind === 'bytea') return (text) => (text === null ? COPY_NULL : `\\${text}`);
  return escapeCopyField;
}

function printable(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return `\\x${value.subarray(0, 64).toString('hex')}`;
  return value;
}

export function sqliteSelectSql(spec: SqliteReadSpec): { sql: string; keyIndexes: number[]; rowidIndex: number } {
  const names = spec.columns.map((c) => c.source);
  const keyIndexes = spec.keyColumns.map((key) => {
    const index = names.indexOf(key);
    if (index >= 0) return index;
    names.push(key);
    return names.length - 1;
  });
  const select = names.map(quoteIdent);
  let rowidIndex = -1;
  if (spec.hasRowid) {
    rowidIndex = select.length;
    select.push('_rowid_');
  }
  const order = spec.limit !== undefined ? ` ORDER BY ${spec.keyColumns.length ? spec.keyColumns.map(quoteIdent).join(', ') : spec.hasRowid ? '_rowid_' : '1'} LIMIT ${spec.limit}` : '';
  const where = spec.rowidRange ? ` WHERE _rowid_ BETWEEN ${spec.rowidRange[0]} AND ${spec.rowidRange[1]}` : '';
  return { sql: `SELECT ${select.join(', ')} FROM ${quoteIdent(spec.table)}${where}${order}`, keyIndexes, rowidIndex };
}

export interface SqliteRowSourceOptions {
  /** Sum of canonical row hashes; null = checksums off. */
  hash: HashSum | null;
  /** Called for a value that cannot convert; throw to stop the copy, return to skip the row. */
  onFailure: (failure: RowFailure) => void;
  onRows?: (rowsSoFar: number) => void;
  /** Verification scans: skip building COPY text. */
  copyText?: boolean;
  /** Verification scans: every row's hash and canonical key (the whole row when there is no key). */
  onRow?: (high: number, low: number, keyCanon: string, keyDisplay: () => string) => void;
}

const YIELD_EVERY_MS = 50;

/** Readable of COPY text lines. `rows` counts rows read, `copied` rows sent, `rejected` skipped. */
export class SqliteRowSource extends Readable {
  rows = 0;
  copied = 0;
  rejected = 0;
  private buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;
  private readonly rowIterator: IterableIterator<unknown[]>;
  private readonly step: (row: unknown[]) => string | null;
  private readonly onRows?: (rows: number) => void;
  /** When the next chunk goes through setImmediate (see _read). */
  private yieldAt = Date.now() + YIELD_EVERY_MS;

  constructor(db: SqliteDatabase, spec: SqliteReadSpec, options: SqliteRowSourceOptions) {
    super({ highWaterMark: CHUNK_BYTES });
    const { sql, keyIndexes, rowidIndex } = sqliteSelectSql(spec);
    this.rowIterator = db.prepare(sql).raw(true).safeIntegers(true).iterate() as IterableIterator<unknown[]>;
    this.step = rowProcessor(db, spec, keyIndexes, rowidIndex, options, this);
    this.onRows = options.onRows;
  }

  override _read(): void {
    // Lines are written straight into a Buffer (off the V8 heap) rather than concatenated into a big
    // string: big strings get promoted to the old generation and inflate the heap (and RSS).
    try {
      for (;;) {
        const next = this.rowIterator.next();
        if (next.done) {
          if (this.used > 0) this.push(this.buffer.subarray(0, this.used));
          this.push(null);
          this.onRows?.(this.rows);
          return;
        }
        const line = this.step(next.value);
        if (line === null) continue;
        if (line.length * 3 <= CHUNK_BYTES - this.used) {
          this.used += this.buffer.write(line, this.used, 'utf8');
          continue;
        }
        // Full (or a huge line): hand over what we have, one push per _read keeps backpressure.
        const out = this.used > 0 ? this.buffer.subarray(0, this.used) : Buffer.alloc(0);
        this.buffer = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, line.length * 3));
        this.used = this.buffer.write(line, 0, 'utf8');
        this.onRows?.(this.rows);
        if (out.length === 0) continue;
        // Writes to a local socket complete synchronously, so reading and pushing never leave the
        // nextTick queue: signals, a closed IPC channel (the parent died) and timers would wait until
        // the table ends. Now and then the chunk is handed over from a macrotask instead.
        if (Date.now() >= this.yieldAt) {
          this.yieldAt = Date.now() + YIELD_EVERY_MS;
          setImmediate(() => {
            if (!this.destroyed) this.push(out);
          });
          return;
        }
        return void this.push(out);
      }
    } catch (error) {
      this.destroy(error as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.rowIterator.return?.();
    callback(error);
  }
}

function rowProcessor(db: SqliteDatabase, spec: SqliteReadSpec, keyIndexes: number[], rowidIndex: number, options: SqliteRowSourceOptions, counters: { rows: number; copied: number; rejected: number }) {
  const converters = spec.columns.map((c) => columnConverter(c.type));
  const canonicals = spec.columns.map((c) => canonicalizer(c.type));
  const fields = spec.columns.map((c) => copyFieldWriter(c.type.kind));
  const checkUtf8 = spec.columns.map((c) => TEXT_KINDS.has(c.type.kind));
  const width = spec.columns.length;
  const hash = options.onRow ? null : options.hash;
  const onRow = options.onRow;
  const copyText = options.copyText !== false;
  const keyPositions = spec.keyColumns.map((k) => spec.columns.findIndex((c) => c.source === k));
  const canonicalKeys = keyPositions.length > 0 && keyPositions.every((p) => p >= 0);
  // better-sqlite3 turns invalid UTF-8 into U+FFFD silently; such values are re-read as bytes.
  const rawReaders = new Map<string, { get(rowid: unknown): unknown }>();
  const rawReader = (column: string) => {
    if (rowidIndex < 0) return undefined;
    if (!rawReaders.has(column)) rawReaders.set(column, db.prepare(`SELECT CAST(${quoteIdent(column)} AS BLOB) FROM ${quoteIdent(spec.table)} WHERE _rowid_ = ?`).pluck().safeIntegers(true));
    return rawReaders.get(column);
  };

  const keyOf = (row: unknown[]) => {
    const keyValues: Record<string, unknown> = {};
    if (keyIndexes.length > 0) spec.keyColumns.forEach((name, i) => (keyValues[name] = printable(row[keyIndexes[i]])));
    else if (rowidIndex >= 0) keyValues.rowid = printable(row[rowidIndex]);
    else keyValues.row = counters.rows;
    return { keyValues, key: Object.entries(keyValues).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ') };
  };

  return (row: unknown[]): string | null => {
    counters.rows++;
    let line = '';
    let canon = '';
    for (let i = 0; i < width; i++) {
      const value = row[i] as SqliteValue | null;
      let text: string | null;
      try {
        text = converters[i](value);
        if (checkUtf8[i] && typeof value === 'string' && value.includes('\uFFFD')) {
          const bytes = rawReader(spec.columns[i].source)?.get(row[rowidIndex]) as Buffer | undefined;
          if (bytes && !isUtf8(bytes)) throw new CastFailure('is not valid UTF-8');
        }
        if (hash || onRow) canon += (i ? FIELD_SEPARATOR : '') + (text === null ? NULL_MARKER : canonicals[i] ? canonicals[i]!(text) : text);
      } catch (error) {
        if (!(error instanceof CastFailure)) throw error;
        counters.rejected++;
        options.onFailure({ column: spec.columns[i].source, ...keyOf(row), value: printable(value), reason: error.message });
        return null;
      }
      if (copyText) line += i ? `\t${fields[i](text)}` : fields[i](text);
    }
    hash?.addText(canon);
    if (onRow) {
      const [high, low] = pgHashText(canon);
      let keyCanon = canon;
      if (canonicalKeys) {
        const fields = canon.split(FIELD_SEPARATOR);
        keyCanon = keyPositions.map((p) => fields[p]).join(FIELD_SEPARATOR);
      }
      onRow(high, low, keyCanon, () => keyOf(row).key);
    }
    counters.copied++;
    return `${line}\n`;
  };
}
