// Reads the pull request a workflow run belongs to from the event payload GitHub writes to
// GITHUB_EVENT_PATH (pull_request and pull_request_target events carry the same `pull_request` object).
import fs from 'node:fs';

export interface PullRequestInfo {
  number: number;
  baseSha: string;
  headSha: string;
  /** The head branch lives in another repository (a fork, or a deleted fork: head.repo is null). */
  isFork: boolean;
  /** `owner/name` of the base repository, where comments go. */
  repository?: string;
}

interface RepoPayload {
  full_name?: string;
}

interface EventPayload {
  number?: number;
  pull_request?: {
    number?: number;
    base?: { sha?: string; repo?: RepoPayload | null };
    head?: { sha?: string; repo?: RepoPayload | null };
  };
  repository?: RepoPayload;
}

/** The pull request of the event at `eventPath`, or undefined for other events or an unreadable file. */
export function pullRequestFromEvent(eventPath: string | undefined): PullRequestInfo | undefined {
  if (!eventPath) return undefined;
  let payload: EventPayload;
  try {
    payload = JSON.parse(fs.readFileSync(eventPath, 'utf8')) as EventPayload;
  } catch {
    return undefined;
  }
  const pr = payload?.pull_request;
  const number = pr?.number ?? payload.number;
  if (!pr || typeof number !== 'number' || !pr.base?.sha || !pr.head?.sha) return undefined;
  const baseRepo = pr.base.repo?.full_name ?? payload.repository?.full_name;
  const headRepo = pr.head.repo?.full_name;
  return {
    number,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    isFork: !headRepo || !baseRepo || headRepo.toLowerCase() !== baseRepo.toLowerCase(),
    ...(baseRepo ? { repository: baseRepo } : {}),
  };
}

/** Events whose runs belong to a pull request and may get a sticky comment. */
export function isPullRequestEvent(eventName: string | undefined): boolean {
  return eventName === 'pull_request' || eventName === 'pull_request_target';
}
