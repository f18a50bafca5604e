// on-error: skip — every row that cannot convert becomes one JSON line (table, key, column, reason,
// a truncated value; never the whole row) in the rejects file, created on the first reject.
import fs from 'node:fs';
import path from 'node:path';

export const MAX_VALUE_CHARS = 80;

export function truncateValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} chars)` : text;
}

export interface RejectRecord {
  table: string;
  key: Record<string, unknown>;
  column: string;
  reason: string;
  value: unknown;
}

export class RejectsFile {
  readonly file: string;
  count = 0;
  private fd: number | undefined;

  constructor(file: string) {
    this.file = file;
  }

  write(record: RejectRecord): void {
    if (this.fd === undefined) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = fs.openSync(this.file, 'w');
    }
    fs.writeSync(this.fd, `${JSON.stringify({ ...record, value: truncateValue(record.value) })}\n`);
    this.count++;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
