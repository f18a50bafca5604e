// Renders a RunResult as the Markdown report users read in the step summary, in the sticky PR comment
// and in the `report` output file. Pure: the same result and options always give the same text
// (golden files in test/golden/ pin it down).
import type { RunResult } from '../run-result.js';
import type { Mode } from '../settings.js';
import { cell, code, codeBlock, details, duration } from './markdown.js';
import { dryRunLine, orderNote, warningCount } from './dry-run-summary.js';
import { renderCommandImpact } from './render-command-impact.js';
import { renderDownCheck } from './render-down-check.js';
import { renderMigrations, renderMigrationsFolded } from './render-migrations.js';
import { renderFindings, renderMigrationDetails, renderNewMigrations } from './render-new-migrations.js';
import { renderSchemaChanges } from './render-schema-changes.js';
import { renderSchemaCreated } from './render-schema.js';
import { renderLeftOut, renderTables } from './render-tables.js';
import { truncateMarkdown, truncationNotice } from './truncate.js';

export interface RenderOptions {
  /** Hidden HTML comment put on the first line (the sticky comment's marker). */
  commentMarker?: string;
  /** Link to the workflow run, whose page shows the step summary. */
  summaryUrl?: string;
  /** Cut the report to this many characters (e.g. 65,536 for a comment). */
  maxLength?: number;
}

const MODE_LABELS: Record<Mode, string> = {
  status: 'status',
  migrate: 'migrate',
  rollback: 'rollback',
  baseline: 'baseline',
  copy: 'copy',
  verify: 'verify',
  cutover: 'cutover',
  'dry-run': 'dry run',
};

const TITLES: Record<Mode, string> = {
  status: 'Migration status',
  migrate: 'Migrate',
  rollback: 'Rollback',
  baseline: 'Baseline',
  copy: 'Copy',
  verify: 'Verify',
  cutover: 'Cutover',
  'dry-run': 'Dry run',
};

function headline(result: RunResult): string {
  const title = TITLES[result.mode] ?? result.mode;
  if (result.cancelled && !result.ok) return `## ⏹️ ${title} cancelled`;
  if (!result.ok) return `## ❌ ${title} failed`;
  if (result.rejected) return `## ⚠️ ${title} finished with ${result.rejected.rows.toLocaleString('en-US')} rejected row${result.rejected.rows === 1 ? '' : 's'}`;
  if (result.verified === false) return `## ❌ ${title}: verification found differences`;
  if (result.mode === 'status') return `## ✅ ${title}`;
  const warnings = result.mode === 'dry-run' ? warningCount(result) : 0;
  if (warnings > 0) return `## ⚠️ ${title} passed with ${warnings.toLocaleString('en-US')} warning${warnings === 1 ? '' : 's'}`;
  return `## ✅ ${title} ${result.mode === 'verify' || result.mode === 'dry-run' ? 'passed' : 'succeeded'}`;
}

function facts(result: RunResult): string {
  const parts = [`**Mode:** ${code(result.mode)}`];
  if (result.target) parts.push(`**Target:** ${code(result.target)}${result.throwaway ? ' (read only)' : ''}`);
  if (result.source) parts.push(`**Source:** ${code(result.source)} (read only)`);
  if (result.rejected) {
    const n = result.rejected.rows;
    parts.push(`**Verified:** ❌ no: ${n.toLocaleString('en-US')} row${n === 1 ? ' was' : 's were'} rejected (on-error: skip) and ${n === 1 ? 'is' : 'are'} in ${code(result.rejected.file)}; the copied rows match the source`);
  } else if (result.verified !== null) parts.push(`**Verified:** ${result.verified ? '✅ yes' : '❌ no'}`);
  parts.push(`**Duration:** ${duration(result.durationMs)}`);
  return parts.join(' · ');
}

function throwawayNote(result: RunResult): string | undefined {
  if (!result.throwaway) return undefined;
  const { provider, serverVersion } = result.throwaway;
  const server = `PostgreSQL${serverVersion ? ` ${cell(serverVersion)}` : ''} (${cell(provider)})`;
  const order = orderNote(result);
  return `> 🧪 **Dry run** on a throwaway ${server}: the real target was not written.${order ? `\n> ${order}` : ''}`;
}

function bulletList(items: string[]): string {
  return items.map((item) => `- ${cell(item)}`).join('\n');
}

function renderWarnings(result: RunResult): string | undefined {
  if (result.warnings.length === 0) return undefined;
  return `### ⚠️ Warnings\n\n${bulletList(result.warnings)}`;
}

function renderRollback(result: RunResult): string | undefined {
  if (!result.rollback?.length) return undefined;
  const command = result.rollbackCommand ? `\n\n${codeBlock(result.rollbackCommand, 'sh')}` : '';
  return `### ↩️ Rollback\n\n${bulletList(result.rollback)}${command}`;
}

function renderReproduce(result: RunResult): string | undefined {
  if (!result.reproduce) return undefined;
  const hint = result.reproduce.includes('***') ? '\n\nReplace `***` with the password (or set the URL from an environment variable).' : '';
  return details('Reproduce locally', `${codeBlock(result.reproduce, 'sh')}${hint}`);
}

function footer(result: RunResult, summaryUrl?: string): string {
  const run = summaryUrl ? ` · [workflow run](${summaryUrl})` : '';
  return `<sub>cutover ${MODE_LABELS[result.mode] ?? result.mode} · ${duration(result.durationMs)}${run}</sub>`;
}

/** A dry run that measured the PR's new migrations: they lead, the full list of migrations is folded. */
function dryRunSections(result: RunResult): Array<string | undefined> {
  const report = result.dryRun!;
  return [
    renderNewMigrations(report),
    renderFindings(report),
    renderSchemaChanges(report.schemaChanges, report.migrations.some((m) => m.status === 'failed') ? report.migrations.filter((m) => m.status === 'applied').length : undefined),
    renderDownCheck(report.downCheck),
    renderTables(result),
    report.migrations.length ? `### Each new migration

${report.migrations.map(renderMigrationDetails).join('\n\n')}` : undefined,
    renderMigrationsFolded(result),
  ];
}

/** A migrate-command dry run: the PR's run measured as a whole, then the tool's migrations and the tables. */
function commandSections(result: RunResult): Array<string | undefined> {
  const report = result.dryRun!;
  return [renderCommandImpact(report.commandImpact), renderFindings(report), renderSchemaChanges(report.schemaChanges), renderMigrations(result), renderTables(result)];
}

export function renderReport(result: RunResult, options: RenderOptions = {}): string {
  const kind = result.dryRun?.order.kind;
  const measured = kind !== undefined && kind !== 'fallback' && kind !== 'command';
  const command = kind === 'command' ? commandSections(result) : undefined;
  const sections: Array<string | undefined> = [
    headline(result),
    facts(result),
    measured || command ? dryRunLine(result) : undefined,
    throwawayNote(result),
    result.error ? `> **Error:** ${cell(result.error)}` : undefined,
    result.notes.length ? bulletList(result.notes) : undefined,
    ...(measured ? dryRunSections(result) : command ?? [renderMigrations(result), renderTables(result)]),
    renderSchemaCreated(result),
    renderLeftOut(result),
    renderWarnings(result),
    renderRollback(result),
    renderReproduce(result),
    footer(result, options.summaryUrl),
  ];
  const body = sections.filter((section): section is string => Boolean(section)).join('\n\n');
  const markdown = `${options.commentMarker ? `${options.commentMarker}\n` : ''}${body}\n`;
  if (options.maxLength === undefined) return markdown;
  return truncateMarkdown(markdown, options.maxLength, truncationNotice({ limit: options.maxLength, summaryUrl: options.summaryUrl }));
}
