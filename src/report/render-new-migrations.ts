// The new migrations of a dry run in the report: one compact line each (time, worst lock, rewrites,
// rows touched, down, warnings), the warnings grouped by rule with why and what to do instead, and
// folded per migration: every statement measured, and the migration's file.
import type { Finding, FindingRule, LockTaken, MeasuredMigration, MeasuredStatement, DryRunReport } from '../dry-run/dry-run-report.js';
import { locksHeld, RULES } from '../dry-run/measure/impact-rules.js';
import { lockName, lockStrength, lockWords } from '../dry-run/measure/lock-modes.js';
import { cell, clip, code, codeBlock, count, details, duration, plural, table, type Column } from './markdown.js';

const BLOCKS_SHORT: Record<LockTaken['blocks'], string> = { nothing: 'blocks nothing', writes: 'blocks writes', 'reads and writes': 'blocks reads and writes' };
const ICON: Record<LockTaken['blocks'], string> = { nothing: '🟢', writes: '🟠', 'reads and writes': '🔴' };

function timeOf(migration: MeasuredMigration): number {
  return migration.statements.reduce((sum, s) => sum + s.durationMs, 0);
}

function worstLock(statements: MeasuredStatement[]): LockTaken | undefined {
  let worst: LockTaken | undefined;
  for (const lock of statements.flatMap((s) => s.locks)) if (!worst || lockStrength(lock.mode) > lockStrength(worst.mode)) worst = lock;
  return worst;
}

function lockCell(migration: MeasuredMigration): string {
  const worst = worstLock(migration.statements);
  if (worst) return `${ICON[worst.blocks]} ${lockName(worst.mode)} on ${code(worst.relation)} (${BLOCKS_SHORT[worst.blocks]})`;
  if (migration.statements.length === 0) return '—';
  const unseen = migration.statements.some((s) => !s.inTransaction && !s.lockSamples);
  return unseen ? '— (not seen: too fast to sample)' : 'none';
}

const VERBS: Record<string, string> = { INSERT: 'inserted', UPDATE: 'updated', DELETE: 'deleted', MERGE: 'merged' };

function rowsCell(statements: MeasuredStatement[]): string {
  const totals = new Map<string, number>();
  for (const s of statements) if (s.rows) totals.set(s.rows.command, (totals.get(s.rows.command) ?? 0) + s.rows.count);
  return totals.size ? [...totals].map(([command, n]) => `${count(n)} ${VERBS[command] ?? command.toLowerCase()}`).join(', ') : '—';
}

function rewritesCell(statements: MeasuredStatement[]): string {
  const rewrites = statements.flatMap((s) => s.rewrites);
  return rewrites.length ? rewrites.map((r) => `${code(r.table)} (${plural(r.rows, 'row')})`).join('<br>') : '—';
}

function downCell(migration: MeasuredMigration, report: DryRunReport): string {
  const result = report.downCheck?.results.find((r) => r.migration === migration.name);
  if (!migration.hasDown) return '— none';
  switch (result?.outcome) {
    case 'verified':
      return '✅ verified';
    case 'differs':
      return '❌ incomplete';
    case 'failed':
      return '💥 fails';
    case 'not-checked':
      return '⏭️ not checked';
    default:
      return 'not run';
  }
}

function statusCell(migration: MeasuredMigration): string {
  if (migration.status === 'not-run') return '⏭️ not run';
  const time = duration(timeOf(migration));
  if (migration.status === 'applied') return time;
  const failed = migration.statements.find((s) => s.failed);
  return `❌ ${migration.timedOut ? 'stopped (dry-run-timeout)' : 'failed'}${failed ? ` at line ${failed.line}` : ''} after ${time}`;
}

/** One compact line per new migration. */
export function renderNewMigrations(report: DryRunReport): string | undefined {
  if (report.order.kind === 'fallback') return undefined;
  if (report.migrations.length === 0) return '### New migrations\n\n_No new migrations in this pull request._';
  const columns: Array<Column<MeasuredMigration>> = [
    { header: 'New migration', render: (m) => code(m.name) },
    { header: 'Time', align: 'right', render: statusCell },
    { header: 'Worst lock', render: lockCell },
    { header: 'Rewrites', render: (m) => rewritesCell(m.statements) },
    { header: 'Rows touched', align: 'right', render: (m) => rowsCell(m.statements) },
    { header: 'Down', render: (m) => downCell(m, report) },
    { header: 'Warnings', align: 'center', render: (m) => (m.findings.length ? `⚠️ ${count(m.findings.length)}` : m.status === 'applied' ? '✅' : '—') },
  ];
  return ['### New migrations', table(columns, report.migrations)].join('\n\n');
}

/** The measured fact behind a finding, as a sentence fragment. */
export function describeFinding(finding: Finding): string {
  const table = code(finding.table);
  const rows = finding.rows !== undefined ? plural(finding.rows, 'row') : 'its rows';
  const mode = finding.mode ? lockName(finding.mode) : 'a lock';
  const time = duration(finding.durationMs);
  switch (finding.rule) {
    case 'index-blocks-writes':
      return `built ${code(finding.detail ?? 'an index')} on ${table} (${rows}) in ${time} holding ${mode} on it: writes to the table waited for the whole build`;
    case 'table-rewrite':
      return `rewrote ${table} (${rows})${finding.durationMs !== undefined ? ` in ${time}` : ''} under ACCESS EXCLUSIVE`;
    case 'validation-scan':
      return `checked ${finding.detail ?? 'a constraint'} on ${table} (${rows}) by a full scan in ${time}, holding ${mode}`;
    case 'long-exclusive-lock':
      return finding.sampled
        ? `held ACCESS EXCLUSIVE on ${table} for at least ${time} (seen from another connection in samples ${time} apart or more)`
        : `held ACCESS EXCLUSIVE on ${table} for ${time}, from this statement until the migration's transaction ended`;
    case 'drops-data':
      return finding.detail ? `dropped ${finding.detail} of ${table}, which held ${plural(finding.rows ?? 0, 'value')} (not null)` : `dropped ${table}, which held ${rows}`;
  }
}

/** The findings, grouped by rule: what was measured where, why it hurts, what to do instead. */
export function renderFindings(report: DryRunReport): string | undefined {
  const findings = [...report.migrations.flatMap((m) => m.findings), ...(report.commandImpact?.findings ?? [])];
  if (findings.length === 0) return undefined;
  const rules = [...new Set(findings.map((f) => f.rule))] as FindingRule[];
  const groups = rules.map((rule) => {
    const lines = findings.filter((f) => f.rule === rule).map((f) => `- ${code(f.migration)}${f.line ? ` line ${f.line}` : ''}: ${describeFinding(f)}.`);
    // The rules' texts are cutover's own Markdown.
    return `**⚠️ ${RULES[rule].title}** (${count(lines.length)}). ${RULES[rule].why} **Instead:** ${RULES[rule].instead}\n\n${lines.join('\n')}`;
  });
  return [`### ⚠️ ${plural(findings.length, 'warning')} on the new migrations`, ...groups].join('\n\n');
}

function locksText(statement: MeasuredStatement, held: Map<string, LockTaken & { since: number }>): string {
  const lines = [...held.values()].map((l) => `${ICON[l.blocks]} ${lockName(l.mode)} on ${code(l.relation)}${l.since !== statement.line ? ` (since line ${l.since})` : ''}: ${cell(lockWords(l.mode))}`);
  if (statement.failed && statement.inTransaction) lines.push('its own locks were not read (it failed)');
  if (lines.length) return lines.join('<br>');
  if (statement.inTransaction) return 'none';
  return statement.lockSamples ? `none seen in ${plural(statement.lockSamples, 'sample')}` : '— (not seen: it ran between two samples)';
}

function statementCell(statement: MeasuredStatement): string {
  const text = statement.sql === undefined ? 'the JS migration as a whole' : code(clip(statement.sql.replace(/\s+/g, ' '), 140));
  const flags = [statement.inTransaction ? '' : 'no transaction', statement.failed ? `❌ ${statement.error ? cell(clip(statement.error, 200)) : 'failed'}` : ''].filter(Boolean);
  return flags.length ? `${text}<br>${flags.join(' · ')}` : text;
}

function effectsCell(statement: MeasuredStatement): string {
  const parts = [
    ...statement.rewrites.map((r) => `rewrote ${code(r.table)} (${plural(r.rows, 'row')})`),
    ...statement.indexesBuilt.map((i) => `built ${code(i.index)}${i.concurrently ? ' concurrently' : ''} (${plural(i.rows, 'row')})`),
    ...statement.validations.map((v) => `scanned ${code(v.table)} for ${cell(v.what)} (${plural(v.rows, 'row')})`),
    ...(statement.rows ? [`${count(statement.rows.count)} ${VERBS[statement.rows.command] ?? statement.rows.command.toLowerCase()}`] : []),
  ];
  return parts.join('<br>') || '—';
}

/** Folded per migration: every statement measured, then the file itself. */
export function renderMigrationDetails(migration: MeasuredMigration): string {
  const held = locksHeld(migration.statements);
  const columns: Array<Column<MeasuredStatement>> = [
    { header: 'Line', align: 'right', render: (s) => String(s.line) },
    { header: 'Statement', render: statementCell },
    { header: 'Time', align: 'right', render: (s) => duration(s.durationMs) },
    { header: 'Locks held while it ran (tables that existed before)', render: (s) => locksText(s, held[migration.statements.indexOf(s)]) },
    { header: 'Effect', render: effectsCell },
  ];
  const parts: string[] = [];
  if (migration.statements.length) parts.push(table(columns, migration.statements));
  if (migration.notRun) parts.push(`${plural(migration.notRun, 'statement')} after the failing one did not run.`);
  if (migration.status === 'not-run') parts.push('Not run: an earlier new migration failed.');
  const clipped = migration.source.clippedLines ? `\n\n_… ${plural(migration.source.clippedLines, 'more line')} in the file._` : '';
  parts.push(`${code(migration.source.file)}:\n\n${codeBlock(migration.source.text, migration.source.language === 'js' ? 'js' : 'sql')}${clipped}`);
  const summary = `${code(migration.name)}: ${plural(migration.statements.length, 'statement')} measured, ${duration(timeOf(migration))}${migration.findings.length ? `, ⚠️ ${plural(migration.findings.length, 'warning')}` : ''}`;
  return details(summary, parts.join('\n\n'));
}
