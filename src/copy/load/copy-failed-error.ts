// A failed copy, with what had been done per table when it failed (for the report).
import { CopyError, type ErrorOptions } from '../../errors.js';
import type { TableEntry } from '../../run-result.js';

export class CopyFailedError extends CopyError {
  readonly tables: TableEntry[];
  constructor(message: string, options: ErrorOptions & { tables: TableEntry[] }) {
    super(message, options);
    this.tables = options.tables;
  }
}
