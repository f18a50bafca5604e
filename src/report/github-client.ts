// The GitHub REST client of the sticky comment: @actions/github's Octokit (REST methods, pagination,
// GitHub Enterprise Server through GITHUB_API_URL), its requests sent through the runner's proxy.
// getOctokit's own proxy setting is fixed when the module loads, for the GITHUB_API_URL of that
// moment; here the proxy (HTTPS_PROXY / HTTP_PROXY, NO_PROXY; loopback never proxied) is chosen by
// the same @actions/http-client for the API URL this client is made for.
import { getOctokit } from '@actions/github';
import { HttpClient } from '@actions/http-client';
import { fetch as undiciFetch } from 'undici';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** One request may take this long; a hung API must not hold the job. */
const REQUEST_TIMEOUT_MS = 30_000;

export class GitHubApiError extends Error {
  readonly status: number;
  /** x-ratelimit-remaining was 0: a 403/429 that waiting would fix, not a permissions problem. */
  readonly rateLimited: boolean;
  constructor(message: string, status: number, rateLimited = false, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitHubApiError';
    this.status = status;
    this.rateLimited = rateLimited;
  }
}

export function gitHubClient(options: { token: string; apiUrl: string }): GitHubClient {
  const baseUrl = options.apiUrl.replace(/\/+$/, '');
  const dispatcher = new HttpClient('cutover').getAgentDispatcher(baseUrl);
  const proxiedFetch = (url: string | URL, init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(url, { ...init, ...(dispatcher ? { dispatcher } : {}), signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return getOctokit(options.token, { baseUrl, userAgent: 'cutover', request: { fetch: proxiedFetch } });
}

interface OctokitErrorShape {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: { message?: string } };
  request?: { method?: string; url?: string };
  cause?: unknown;
}

/** An Octokit failure as a GitHubApiError: the API's status and message, or why no answer came. */
export function gitHubApiError(error: unknown): GitHubApiError {
  const failure = (error ?? {}) as OctokitErrorShape;
  if (failure.response && typeof failure.status === 'number') {
    const message = failure.response.data?.message ?? failure.message ?? 'request failed';
    const rateLimited = (failure.status === 403 || failure.status === 429) && String(failure.response.headers?.['x-ratelimit-remaining']) === '0';
    return new GitHubApiError(`HTTP ${failure.status}: ${message}`, failure.status, rateLimited, { cause: error });
  }
  // No response: Octokit reports the network failure as status 500; the cause says what happened.
  const cause = failure.cause instanceof Error ? ((failure.cause.cause as Error | undefined)?.message ?? failure.cause.message) : failure.message ?? String(error);
  const where = failure.request ? `${failure.request.method ?? 'GET'} ${failure.request.url ?? ''} failed: ` : '';
  return new GitHubApiError(`${where}${cause}`, 0, false, { cause: error });
}
