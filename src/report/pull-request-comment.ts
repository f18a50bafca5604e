// The sticky pull-request comment: one comment per PR (per comment-id), found again by a hidden
// marker and edited in place on every run, so the PR shows the latest report instead of a growing
// pile. Commenting is a courtesy: every failure (fork, missing permission, API down) becomes a
// notice or warning and `skipped`; the report is always in the step summary anyway.
import { redact } from '../redact.js';
import type { Runtime } from '../runtime.js';
import { gitHubApiError, gitHubClient, GitHubApiError, type GitHubClient } from './github-client.js';
import { COMMENT_MAX_LENGTH, truncateMarkdown, truncationNotice } from './truncate.js';

export { pullRequestFromEvent, isPullRequestEvent, type PullRequestInfo } from './pull-request-event.js';

export interface UpsertCommentOptions {
  token: string;
  /** GITHUB_API_URL, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  apiUrl: string;
  /** `owner/name` of the base repository. */
  repository: string;
  pullNumber: number;
  body: string;
  /** Distinguishes several cutover comments on one PR; '' means "default". */
  commentId: string;
  runtime: Runtime;
  /** The PR comes from a fork and the token is read-only (pull_request event): do not even try. */
  isFork?: boolean;
  /** Link to the run, used in the pointer of a truncated comment. */
  summaryUrl?: string;
}

export interface UpsertCommentResult {
  action: 'created' | 'updated' | 'skipped';
  url?: string;
  reason?: string;
}

interface IssueComment {
  id: number;
  body?: string | null;
  html_url?: string;
}

/** Pages of 100 comments; a PR with more than 10,000 comments gets a new sticky comment. */
const MAX_PAGES = 100;

/** `<!-- cutover:report:<id> -->`; the id is reduced to characters that cannot end the HTML comment. */
export function commentMarker(commentId: string): string {
  const id = commentId.trim().replace(/[^A-Za-z0-9_.:/@+-]+/g, '-').replace(/-{2,}/g, '-') || 'default';
  return `<!-- cutover:report:${id} -->`;
}

/** The body as sent: marker on the first line, secrets redacted, under GitHub's length limit. */
export function commentBody(body: string, commentId: string, summaryUrl?: string): string {
  const marker = commentMarker(commentId);
  const withMarker = body.startsWith(marker) ? body : `${marker}\n${body}`;
  return truncateMarkdown(redact(withMarker), COMMENT_MAX_LENGTH, truncationNotice({ limit: COMMENT_MAX_LENGTH, summaryUrl }));
}

const PERMISSION_FIX =
  'give the job `permissions: pull-requests: write` (with `contents: read`), or set `comment: false`. ' +
  'Pull requests from forks cannot be commented on with the GITHUB_TOKEN of a pull_request run.';

function explain(error: unknown, pullNumber: number, doing: string): { message: string; level: 'warning' | 'notice'; reason: string } {
  const prefix = `cutover could not ${doing} on pull request #${pullNumber}`;
  const tail = 'The report is in the step summary.';
  if (!(error instanceof GitHubApiError)) return { level: 'warning', reason: 'error', message: `${prefix}: ${redact(String((error as Error)?.message ?? error))}. ${tail}` };
  if (error.rateLimited) return { level: 'warning', reason: 'rate-limited', message: `${prefix}: the GitHub API rate limit is exhausted (${error.message}). ${tail}` };
  if (error.status === 401) return { level: 'warning', reason: 'unauthorized', message: `${prefix} (${error.message}): the github-token is invalid or expired. ${tail} Fix: pass github-token: \${{ github.token }} (the default).` };
  if (error.status === 403 || error.status === 404) {
    return { level: 'warning', reason: 'forbidden', message: `${prefix} (${error.message}): the token may not write to pull requests. ${tail} Fix: ${PERMISSION_FIX}` };
  }
  return { level: 'warning', reason: 'error', message: `${prefix} (${error.message}). ${tail}` };
}

async function findComment(client: GitHubClient, repository: string, pullNumber: number, marker: string): Promise<IssueComment | undefined> {
  const [owner, repo] = repository.split('/');
  let pages = 0;
  for await (const { data } of client.paginate.iterator(client.rest.issues.listComments, { owner, repo, issue_number: pullNumber, per_page: 100 })) {
    const found = (data as IssueComment[]).find((comment) => comment.body?.trimStart().startsWith(marker));
    if (found) return found;
    if ((pages += 1) >= MAX_PAGES) break;
  }
  return undefined;
}

export async function upsertPullRequestComment(options: UpsertCommentOptions): Promise<UpsertCommentResult> {
  const { runtime, pullNumber } = options;
  if (options.isFork) {
    runtime.notice(
      `Pull request #${pullNumber} comes from a fork: GitHub gives pull_request runs from forks a read-only token, so cutover does not comment. The report is in the step summary of this run.`,
    );
    return { action: 'skipped', reason: 'fork' };
  }
  if (!/^[^/\s]+\/[^/\s]+$/.test(options.repository)) {
    runtime.warning(`cutover could not comment: '${options.repository}' is not an owner/name repository (GITHUB_REPOSITORY). The report is in the step summary.`);
    return { action: 'skipped', reason: 'no-repository' };
  }
  const client = gitHubClient({ token: options.token, apiUrl: options.apiUrl });
  const [owner, repo] = options.repository.split('/');
  const marker = commentMarker(options.commentId);
  const body = commentBody(options.body, options.commentId, options.summaryUrl);

  let existing: IssueComment | undefined;
  try {
    existing = await findComment(client, options.repository, pullNumber, marker);
  } catch (error) {
    const { message, reason } = explain(gitHubApiError(error), pullNumber, 'read the comments');
    runtime.warning(message);
    return { action: 'skipped', reason };
  }

  try {
    if (existing) {
      const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      const url = data?.html_url ?? existing.html_url;
      runtime.info(`Updated the cutover comment on pull request #${pullNumber}: ${url ?? existing.id}`);
      return { action: 'updated', ...(url ? { url } : {}) };
    }
    const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
    runtime.info(`Commented on pull request #${pullNumber}: ${data?.html_url ?? data?.id}`);
    return { action: 'created', ...(data?.html_url ? { url: data.html_url } : {}) };
  } catch (error) {
    const { message, level, reason } = explain(gitHubApiError(error), pullNumber, existing ? 'update its comment' : 'comment');
    runtime[level](message);
    return { action: 'skipped', reason };
  }
}
