// Publishes a run's report everywhere users look: the Markdown file (output `report`), the job's
// step summary, the step outputs, and on pull-request events the sticky PR comment. Reporting never
// fails the run: a problem here becomes a warning, the exit status stays the run's own.
import fs from 'node:fs';
import path from 'node:path';
import { redact } from '../redact.js';
import type { RunResult } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import type { Settings } from '../settings.js';
import { commentMarker, upsertPullRequestComment } from './pull-request-comment.js';
import { isPullRequestEvent, pullRequestFromEvent } from './pull-request-event.js';
import { warningCount } from './dry-run-summary.js';
import { renderReport } from './render-report.js';
import { COMMENT_MAX_LENGTH, runUrl, SUMMARY_MAX_LENGTH, truncateMarkdown, truncationNotice } from './truncate.js';

/** The step outputs derived from a result (all strings, as GitHub stores them). */
export function reportOutputs(result: RunResult): Record<'applied' | 'pending' | 'tables' | 'verified' | 'rejected' | 'history' | 'schema-changes' | 'warnings', string> {
  // In status entries, `applied` means applied before: status itself applies nothing.
  const applied = result.mode === 'status' ? [] : result.migrations.filter((m) => m.status === 'applied' || m.status === 'rolled-back' || m.status === 'baselined').map((m) => m.name);
  // A migration this run rolled back is pending again.
  const pending = result.migrations.filter((m) => m.status === 'pending' || m.status === 'rolled-back').map((m) => m.name);
  const tables = result.tables.map((t) => ({
    table: t.table,
    sourceRows: t.sourceRows ?? null,
    targetRows: t.targetRows ?? null,
    checksumMatch: t.checksumMatch ?? null,
  }));
  return {
    applied: JSON.stringify(applied),
    pending: JSON.stringify(pending),
    tables: JSON.stringify(tables),
    verified: result.verified === null || result.verified === undefined ? '' : String(result.verified),
    // Rows a copy did not write (on-error: skip); empty when this run copied nothing.
    rejected: result.rejected ? String(result.rejected.rows) : ['copy', 'cutover', 'dry-run'].includes(result.mode) && result.tables.length > 0 ? '0' : '',
    history: result.history ? JSON.stringify(result.history) : '',
    // Dry runs: the schema diff of the new migrations, as data (empty when none was made).
    'schema-changes': result.dryRun?.schemaChanges ? JSON.stringify(result.dryRun.schemaChanges) : '',
    warnings: String(warningCount(result)),
  };
}

async function commentOnPullRequest(result: RunResult, settings: Settings, runtime: Runtime, env: NodeJS.ProcessEnv, summaryUrl?: string): Promise<void> {
  if (!settings.report.comment || !isPullRequestEvent(env.GITHUB_EVENT_NAME)) return;
  const pr = pullRequestFromEvent(env.GITHUB_EVENT_PATH);
  if (!pr) {
    runtime.warning(`This is a ${env.GITHUB_EVENT_NAME} run, but the event payload (GITHUB_EVENT_PATH) names no pull request: no comment posted. The report is in the step summary.`);
    return;
  }
  const token = settings.report.githubToken;
  if (!token) {
    runtime.warning('No github-token: cutover cannot comment on the pull request. The report is in the step summary. Fix: leave github-token at its default (${{ github.token }}) or set comment: false.');
    return;
  }
  const body = renderReport(result, { commentMarker: commentMarker(settings.report.commentId), ...(summaryUrl ? { summaryUrl } : {}), maxLength: COMMENT_MAX_LENGTH });
  await upsertPullRequestComment({
    token,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    repository: env.GITHUB_REPOSITORY || pr.repository || '',
    pullNumber: pr.number,
    body,
    commentId: settings.report.commentId,
    runtime,
    // pull_request_target runs get a write token even for forks; pull_request runs from forks do not.
    isFork: env.GITHUB_EVENT_NAME === 'pull_request' && pr.isFork,
    ...(summaryUrl ? { summaryUrl } : {}),
  });
}

export async function publishReport(result: RunResult, settings: Settings, runtime: Runtime, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const summaryUrl = runUrl(env);
  const markdown = redact(renderReport(result, summaryUrl ? { summaryUrl } : {}));

  try {
    fs.mkdirSync(path.dirname(settings.report.path), { recursive: true });
    fs.writeFileSync(settings.report.path, markdown);
    runtime.setOutput('report', settings.report.path);
  } catch (error) {
    runtime.warning(`Could not write the report to ${settings.report.path}: ${(error as Error).message}`);
  }

  for (const [name, value] of Object.entries(reportOutputs(result))) runtime.setOutput(name, value);

  try {
    const fullReport = `the report file (output \`report\`: ${settings.report.path})`;
    await runtime.appendSummary(truncateMarkdown(markdown, SUMMARY_MAX_LENGTH, truncationNotice({ limit: SUMMARY_MAX_LENGTH, fullReport })));
  } catch (error) {
    runtime.warning(`Could not write the step summary: ${(error as Error).message}`);
  }

  try {
    await commentOnPullRequest(result, settings, runtime, env, summaryUrl);
  } catch (error) {
    runtime.warning(`Could not comment on the pull request: ${(error as Error).message}. The report is in the step summary.`);
  }
}
