// A local HTTP server standing in for the GitHub REST API's issue-comment endpoints. It keeps
// comments in memory, paginates like GitHub (per_page ≤ 100, Link header with absolute URLs),
// enforces the 65,536-character body limit and the token, and records every request so
// tests can assert what would have been sent to GitHub.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the API prefix, e.g. /repos/acme/shop/issues/7/comments. */
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: { body?: string };
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
}

interface FailureRule {
  method: string;
  path: RegExp;
  status: number;
  message: string;
  headers?: Record<string, string>;
}

export interface FakeGitHubApi {
  /** What to pass as apiUrl / GITHUB_API_URL. */
  url: string;
  requests: RecordedRequest[];
  comments: FakeComment[];
  /** Adds a comment as if someone had posted it earlier. */
  seed(issue: number, body: string, login?: string): FakeComment;
  /** Answer matching requests with an error (e.g. 403 "Resource not accessible by integration"). */
  fail(method: string, path: RegExp, status: number, message: string, headers?: Record<string, string>): void;
  writes(): RecordedRequest[];
  close(): Promise<void>;
}

const BODY_LIMIT = 65_536;

export async function startFakeGitHubApi(options: { token?: string; prefix?: string; repository?: string } = {}): Promise<FakeGitHubApi> {
  const token = options.token ?? 'ghs_faketoken';
  const prefix = options.prefix ?? '';
  const repository = options.repository ?? 'acme/shop';
  const requests: RecordedRequest[] = [];
  const comments: FakeComment[] = [];
  const failures: FailureRule[] = [];
  let nextId = 1000;
  let base = '';

  const send = (res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(payload));
  };
  const view = (comment: FakeComment) => ({
    id: comment.id,
    body: comment.body,
    user: comment.user,
    html_url: `https://github.com/${repository}/pull/${comment.issue}#issuecomment-${comment.id}`,
    url: `${base}/repos/${repository}/issues/comments/${comment.id}`,
  });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        query: Object.fromEntries(url.searchParams),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(text ? { body: JSON.parse(text) as { body?: string } } : {}),
      };
      requests.push(recorded);

      // GitHub takes the token as `Bearer <token>` or `token <token>` (Octokit's form).
      if (req.headers.authorization !== `Bearer ${token}` && req.headers.authorization !== `token ${token}`) return send(res, 401, { message: 'Bad credentials' });
      const failure = failures.find((rule) => rule.method === recorded.method && rule.path.test(path));
      if (failure) return send(res, failure.status, { message: failure.message }, failure.headers);

      const list = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path);
      const one = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(path);
      if ((list && list[1] !== repository) || (one && one[1] !== repository)) return send(res, 404, { message: 'Not Found' });
      const body = recorded.body?.body;
      if ((req.method === 'POST' || req.method === 'PATCH') && typeof body === 'string' && body.length > BODY_LIMIT) {
        return send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_LIMIT} characters)` }] });
      }

      if (list && req.method === 'GET') {
        const issue = Number(list[2]);
        const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
        const page = Number(url.searchParams.get('page') ?? 1);
        const all = comments.filter((c) => c.issue === issue);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const links: string[] = [];
        const pageUrl = (n: number) => `<${base}${path}?per_page=${perPage}&page=${n}>`;
        if (page < last) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`);
        if (page > 1) links.push(`${pageUrl(1)}; rel="first"`, `${pageUrl(page - 1)}; rel="prev"`);
        return send(res, 200, all.slice((page - 1) * perPage, page * perPage).map(view), links.length ? { link: links.join(', ') } : {});
      }
      if (list && req.method === 'POST') {
        if (typeof body !== 'string') return send(res, 422, { message: 'Validation Failed' });
        const comment: FakeComment = { id: (nextId += 1), issue: Number(list[2]), body, user: { login: 'github-actions[bot]', type: 'Bot' } };
        comments.push(comment);
        return send(res, 201, view(comment));
      }
      if (one && req.method === 'PATCH') {
        const comment = comments.find((c) => c.id === Number(one[2]));
        if (!comment) return send(res, 404, { message: 'Not Found' });
        if (typeof body !== 'string') return send(res, 422, { message: 'Validation Failed' });
        comment.body = body;
        return send(res, 200, view(comment));
      }
      return send(res, 404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;

  return {
    url: base,
    requests,
    comments,
    seed(issue, body, login = 'someone') {
      const comment: FakeComment = { id: (nextId += 1), issue, body, user: { login, type: 'User' } };
      comments.push(comment);
      return comment;
    },
    fail(method, path, status, message, headers) {
      failures.push({ method, path, status, message, ...(headers ? { headers } : {}) });
    },
    writes: () => requests.filter((r) => r.method !== 'GET'),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
