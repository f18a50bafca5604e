// The at-a-glance parts of a dry run's report: how many warnings it has (also the `warnings` output),
// the one line under the headline, and the note saying in which order the throwaway was built.
import type { DownResult, DryRunReport, SchemaChanges } from '../dry-run/dry-run-report.js';
import type { RunResult } from '../run-result.js';
import { cell, code, count, plural } from './markdown.js';

/** Downs that are broken: they fail, leave another schema, or the migrations cannot be applied again. */
export function downProblems(report: DryRunReport | undefined): number {
  const check = report?.downCheck;
  if (!check) return 0;
  const broken = check.results.filter((r: DownResult) => r.outcome === 'failed' || r.outcome === 'differs').length;
  return broken + (check.reapply.outcome === 'failed' || check.reapply.outcome === 'differs' ? 1 : 0);
}

export function findingCount(report: DryRunReport | undefined): number {
  return (report?.migrations.reduce((sum, m) => sum + m.findings.length, 0) ?? 0) + (report?.commandImpact?.findings.length ?? 0);
}

/** Every warning the report shows: run warnings, findings on the new migrations, broken downs. */
export function warningCount(result: RunResult): number {
  return result.warnings.length + findingCount(result.dryRun) + downProblems(result.dryRun);
}

export function destructiveCount(changes: SchemaChanges | undefined): number {
  if (!changes) return 0;
  const tables = changes.tables.reduce((sum, t) => sum + (t.change === 'dropped' ? 1 : t.items.filter((i) => i.destructive).length), 0);
  return tables + changes.others.filter((o) => o.destructive).length;
}

/** "3 new migrations · ⚠️ 4 warnings · 🔥 2 destructive changes · ↩️ downs: 1 verified, 1 failing, 1 missing" */
export function dryRunLine(result: RunResult): string | undefined {
  const report = result.dryRun;
  if (!report || report.order.kind === 'fallback') return undefined;
  const parts = [`**${plural(report.order.newMigrations.length, 'new migration')}**`];
  const warnings = warningCount(result);
  parts.push(warnings ? `⚠️ ${plural(warnings, 'warning')}` : 'no warnings');
  const destructive = destructiveCount(report.schemaChanges);
  if (destructive) parts.push(`🔥 ${plural(destructive, 'destructive change')}`);
  const downs = report.downCheck?.results ?? [];
  if (downs.length) {
    const labels: Array<[DownResult['outcome'], string]> = [['verified', 'verified'], ['differs', 'incomplete'], ['failed', 'failing'], ['missing', 'missing'], ['not-checked', 'not checked']];
    const counted = labels.map(([outcome, label]) => [downs.filter((d) => d.outcome === outcome).length, label] as const).filter(([n]) => n > 0);
    parts.push(`↩️ downs: ${counted.map(([n, label]) => `${count(n)} ${label}`).join(', ')}`);
  } else if (report.migrations.length && report.migrations.every((m) => !m.hasDown)) {
    parts.push('↩️ no downs');
  }
  return parts.join(' · ');
}

/** How the throwaway was built, in order, for the note under the headline. */
export function orderNote(result: RunResult): string | undefined {
  const report = result.dryRun;
  if (!report) return undefined;
  const order = report.order;
  const data = result.source ? `the source data (${report.sampleRows ? `at most ${count(report.sampleRows)} rows per table` : 'all rows'}, verified before commit)` : undefined;
  const fresh = `the ${plural(order.kind === 'fallback' ? 0 : order.newMigrations.length, 'new migration')}, measured statement by statement`;
  if (order.kind === 'fallback') return `Order: every migration, then ${data ?? 'no data'} (the base commit was not available: nothing was measured, see the warnings).`;
  if (order.kind === 'command') {
    const pr = `the PR's migrate-command, measured as a whole (schema changes, rewrites, locks sampled every ${report.commandImpact?.sampledEveryMs ?? 50} ms)`;
    return `Order: ${[order.base, order.data ? data : undefined, pr].filter(Boolean).join(' → ')}.`;
  }
  if (order.kind === 'new-then-data') {
    return `Order: the base commit ${code(order.baseCommit.slice(0, 7))} has no migrations, so ${fresh} on the empty database${data ? `, then ${data}` : ''}.`;
  }
  const base = order.schemaFrom === 'target' ? `the real target's schema and history (${plural(order.baseMigrations, 'migration')} applied there)` : `the base commit's ${plural(order.baseMigrations, 'migration')}${order.baseCommit ? ` (${code(order.baseCommit.slice(0, 7))})` : ''}`;
  return `Order: ${[base, data, fresh].filter(Boolean).join(' → ')}${report.downCheck ? ' → down check' : ''}.`;
}

export function fallbackReason(report: DryRunReport | undefined): string | undefined {
  return report?.order.kind === 'fallback' ? cell(report.order.reason) : undefined;
}
