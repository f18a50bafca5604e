// A failed step may still know what it did (the migrations applied before the one that failed, the
// tables copied so far): errors carry it, and the report shows it next to the error.
import type { MigrationEntry, RunResult, TableEntry } from '../run-result.js';

export function absorbPartialOutcome(result: RunResult, error: unknown): void {
  const carrier = error as { outcome?: { entries?: MigrationEntry[]; warnings?: string[]; history?: string[] }; tables?: TableEntry[] };
  if (carrier?.outcome?.entries && result.migrations.length === 0) result.migrations = carrier.outcome.entries;
  if (carrier?.outcome?.history && result.history === undefined) result.history = carrier.outcome.history;
  if (carrier?.outcome?.warnings) result.warnings.push(...carrier.outcome.warnings.filter((w) => !result.warnings.includes(w)));
  if (Array.isArray(carrier?.tables) && result.tables.length === 0) result.tables = carrier.tables;
}
