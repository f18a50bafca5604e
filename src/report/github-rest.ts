// The few GitHub REST calls cutover makes, with plain fetch against GITHUB_API_URL (so GitHub
// Enterprise Server and the tests' local stand-in work the same way as api.github.com).

export class GitHubApiError extends Error {
  readonly status: number;
  /** x-ratelimit-remaining was 0: a 403/429 that waiting would fix, not a permissions problem. */
  readonly rateLimited: boolean;
  constructor(message: string, status: number, rateLimited = false) {
    super(message);
    this.name = 'GitHubApiError';
    this.status = status;
    this.rateLimited = rateLimited;
  }
}

export interface GitHubClient {
  request<T>(method: 'GET' | 'POST' | 'PATCH', pathOrUrl: string, body?: unknown): Promise<{ data: T; next?: string }>;
}

const TIMEOUT_MS = 30_000;

/** `<https://api.github.com/…?page=2>; rel="next", <…>; rel="last"` → the next URL. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2].split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

export function gitHubClient(options: { token: string; apiUrl: string; fetch?: typeof fetch }): GitHubClient {
  const base = options.apiUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  return {
    async request<T>(method: 'GET' | 'POST' | 'PATCH', pathOrUrl: string, body?: unknown) {
      const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${base}${pathOrUrl}`;
      let response: Response;
      try {
        response = await doFetch(url, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${options.token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': 'cutover',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
        throw new GitHubApiError(`${method} ${url} failed: ${cause}`, 0);
      }
      if (!response.ok) {
        let message = response.statusText;
        try {
          const payload = (await response.json()) as { message?: string };
          if (payload?.message) message = payload.message;
        } catch {
          // not JSON: keep the status text
        }
        const rateLimited = (response.status === 403 || response.status === 429) && response.headers.get('x-ratelimit-remaining') === '0';
        throw new GitHubApiError(`HTTP ${response.status}: ${message}`, response.status, rateLimited);
      }
      const data = (response.status === 204 ? undefined : await response.json()) as T;
      const next = nextLink(response.headers.get('link'));
      return { data, ...(next ? { next } : {}) };
    },
  };
}
