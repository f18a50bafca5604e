export const id = 516;
export const ids = [516];
export const modules = {

/***/ 1516:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(6058);
// EXTERNAL MODULE: ./src/cancellation.ts
var src_cancellation = __webpack_require__(4632);
// EXTERNAL MODULE: ./src/engine/cancellation-line.ts
var cancellation_line = __webpack_require__(2906);
// EXTERNAL MODULE: ./src/engine/run-mode.ts + 124 modules
var run_mode = __webpack_require__(1645);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/input-names.ts
var input_names = __webpack_require__(4098);
// EXTERNAL MODULE: ./src/settings.ts
var settings = __webpack_require__(8750);
;// CONCATENATED MODULE: ./src/inputs.ts
// The only place that reads Action inputs. Every input declared in action.yml is read here and handed,
// as raw text, to buildSettings (src/settings.ts), which validates it — the CLI shares that code.



function readActionInputs() {
    const raw = {};
    for (const name of input_names/* INPUT_NAMES */.Q)
        raw[name] = core/* getInput */.V4(name);
    // Mask secrets that arrive as inputs even before they are parsed.
    for (const name of ['github-token', 'target-url', 'source-url', 'dry-run-database']) {
        const value = raw[name];
        if (value && (name === 'github-token' || value.includes('://')))
            core/* setSecret */.Pq(value);
    }
    return (0,settings/* buildSettings */.E6)(raw, { origin: 'action' });
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/redact.ts
var redact = __webpack_require__(6670);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
;// CONCATENATED MODULE: ./src/report/github-client.ts
// The GitHub REST client of the sticky comment: @actions/github's Octokit (REST methods, pagination,
// GitHub Enterprise Server through GITHUB_API_URL), its requests sent through the runner's proxy.
// getOctokit's own proxy setting is fixed when the module loads, for the GITHUB_API_URL of that
// moment; here the proxy (HTTPS_PROXY / HTTP_PROXY, NO_PROXY; loopback never proxied) is chosen by
// the same @actions/http-client for the API URL this client is made for.



/** One request may take this long; a hung API must not hold the job. */
const REQUEST_TIMEOUT_MS = 30_000;
class GitHubApiError extends Error {
    status;
    /** x-ratelimit-remaining was 0: a 403/429 that waiting would fix, not a permissions problem. */
    rateLimited;
    constructor(message, status, rateLimited = false, options) {
        super(message, options);
        this.name = 'GitHubApiError';
        this.status = status;
        this.rateLimited = rateLimited;
    }
}
function gitHubClient(options) {
    const baseUrl = options.apiUrl.replace(/\/+$/, '');
    const dispatcher = new lib/* HttpClient */.Qq('cutover').getAgentDispatcher(baseUrl);
    const proxiedFetch = (url, init) => (0,undici.fetch)(url, { ...init, ...(dispatcher ? { dispatcher } : {}), signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return (0,github/* getOctokit */.Q)(options.token, { baseUrl, userAgent: 'cutover', request: { fetch: proxiedFetch } });
}
/** An Octokit failure as a GitHubApiError: the API's status and message, or why no answer came. */
function gitHubApiError(error) {
    const failure = (error ?? {});
    if (failure.response && typeof failure.status === 'number') {
        const message = failure.response.data?.message ?? failure.message ?? 'request failed';
        const rateLimited = (failure.status === 403 || failure.status === 429) && String(failure.response.headers?.['x-ratelimit-remaining']) === '0';
        return new GitHubApiError(`HTTP ${failure.status}: ${message}`, failure.status, rateLimited, { cause: error });
    }
    // No response: Octokit reports the network failure as status 500; the cause says what happened.
    const cause = failure.cause instanceof Error ? (failure.cause.cause?.message ?? failure.cause.message) : failure.message ?? String(error);
    const where = failure.request ? `${failure.request.method ?? 'GET'} ${failure.request.url ?? ''} failed: ` : '';
    return new GitHubApiError(`${where}${cause}`, 0, false, { cause: error });
}

// EXTERNAL MODULE: ./src/report/truncate.ts
var truncate = __webpack_require__(3534);
// EXTERNAL MODULE: ./src/report/pull-request-event.ts
var pull_request_event = __webpack_require__(7706);
;// CONCATENATED MODULE: ./src/report/pull-request-comment.ts
// The sticky pull-request comment: one comment per PR (per comment-id), found again by a hidden
// marker and edited in place on every run, so the PR shows the latest report instead of a growing
// pile. Commenting is a courtesy: every failure (fork, missing permission, API down) becomes a
// notice or warning and `skipped`; the report is always in the step summary anyway.




/** Pages of 100 comments; a PR with more than 10,000 comments gets a new sticky comment. */
const MAX_PAGES = 100;
/** `<!-- cutover:report:<id> -->`; the id is reduced to characters that cannot end the HTML comment. */
function commentMarker(commentId) {
    const id = commentId.trim().replace(/[^A-Za-z0-9_.:/@+-]+/g, '-').replace(/-{2,}/g, '-') || 'default';
    return `<!-- cutover:report:${id} -->`;
}
/** The body as sent: marker on the first line, secrets redacted, under GitHub's length limit. */
function commentBody(body, commentId, summaryUrl) {
    const marker = commentMarker(commentId);
    const withMarker = body.startsWith(marker) ? body : `${marker}\n${body}`;
    return (0,truncate/* truncateMarkdown */.o4)((0,redact/* redact */.E$)(withMarker), truncate/* COMMENT_MAX_LENGTH */.Gi, (0,truncate/* truncationNotice */.Gx)({ limit: truncate/* COMMENT_MAX_LENGTH */.Gi, summaryUrl }));
}
const PERMISSION_FIX = 'give the job `permissions: pull-requests: write` (with `contents: read`), or set `comment: false`. ' +
    'Pull requests from forks cannot be commented on with the GITHUB_TOKEN of a pull_request run.';
function explain(error, pullNumber, doing) {
    const prefix = `cutover could not ${doing} on pull request #${pullNumber}`;
    const tail = 'The report is in the step summary.';
    if (!(error instanceof GitHubApiError))
        return { level: 'warning', reason: 'error', message: `${prefix}: ${(0,redact/* redact */.E$)(String(error?.message ?? error))}. ${tail}` };
    if (error.rateLimited)
        return { level: 'warning', reason: 'rate-limited', message: `${prefix}: the GitHub API rate limit is exhausted (${error.message}). ${tail}` };
    if (error.status === 401)
        return { level: 'warning', reason: 'unauthorized', message: `${prefix} (${error.message}): the github-token is invalid or expired. ${tail} Fix: pass github-token: \${{ github.token }} (the default).` };
    if (error.status === 403 || error.status === 404) {
        return { level: 'warning', reason: 'forbidden', message: `${prefix} (${error.message}): the token may not write to pull requests. ${tail} Fix: ${PERMISSION_FIX}` };
    }
    return { level: 'warning', reason: 'error', message: `${prefix} (${error.message}). ${tail}` };
}
async function findComment(client, repository, pullNumber, marker) {
    const [owner, repo] = repository.split('/');
    let pages = 0;
    for await (const { data } of client.paginate.iterator(client.rest.issues.listComments, { owner, repo, issue_number: pullNumber, per_page: 100 })) {
        const found = data.find((comment) => comment.body?.trimStart().startsWith(marker));
        if (found)
            return found;
        if ((pages += 1) >= MAX_PAGES)
            break;
    }
    return undefined;
}
async function upsertPullRequestComment(options) {
    const { runtime, pullNumber } = options;
    if (options.isFork) {
        runtime.notice(`Pull request #${pullNumber} comes from a fork: GitHub gives pull_request runs from forks a read-only token, so cutover does not comment. The report is in the step summary of this run.`);
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
    let existing;
    try {
        existing = await findComment(client, options.repository, pullNumber, marker);
    }
    catch (error) {
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
    }
    catch (error) {
        const { message, level, reason } = explain(gitHubApiError(error), pullNumber, existing ? 'update its comment' : 'comment');
        runtime[level](message);
        return { action: 'skipped', reason };
    }
}

// EXTERNAL MODULE: ./src/report/dry-run-summary.ts
var dry_run_summary = __webpack_require__(6374);
// EXTERNAL MODULE: ./src/report/render-report.ts + 7 modules
var render_report = __webpack_require__(2823);
;// CONCATENATED MODULE: ./src/report/publish-report.ts
// Publishes a run's report everywhere users look: the Markdown file (output `report`), the job's
// step summary, the step outputs, and on pull-request events the sticky PR comment. Reporting never
// fails the run: a problem here becomes a warning, the exit status stays the run's own.








/** The step outputs derived from a result (all strings, as GitHub stores them). */
function reportOutputs(result) {
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
        warnings: String((0,dry_run_summary/* warningCount */.KL)(result)),
    };
}
async function commentOnPullRequest(result, settings, runtime, env, summaryUrl) {
    if (!settings.report.comment || !(0,pull_request_event/* isPullRequestEvent */.T)(env.GITHUB_EVENT_NAME))
        return;
    const pr = (0,pull_request_event/* pullRequestFromEvent */.v)(env.GITHUB_EVENT_PATH);
    if (!pr) {
        runtime.warning(`This is a ${env.GITHUB_EVENT_NAME} run, but the event payload (GITHUB_EVENT_PATH) names no pull request: no comment posted. The report is in the step summary.`);
        return;
    }
    const token = settings.report.githubToken;
    if (!token) {
        runtime.warning('No github-token: cutover cannot comment on the pull request. The report is in the step summary. Fix: leave github-token at its default (${{ github.token }}) or set comment: false.');
        return;
    }
    const body = (0,render_report/* renderReport */.B)(result, { commentMarker: commentMarker(settings.report.commentId), ...(summaryUrl ? { summaryUrl } : {}), maxLength: truncate/* COMMENT_MAX_LENGTH */.Gi });
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
async function publishReport(result, settings, runtime, env = process.env) {
    const summaryUrl = (0,truncate/* runUrl */.Vp)(env);
    const markdown = (0,redact/* redact */.E$)((0,render_report/* renderReport */.B)(result, summaryUrl ? { summaryUrl } : {}));
    try {
        external_node_fs_default().mkdirSync(external_node_path_default().dirname(settings.report.path), { recursive: true });
        external_node_fs_default().writeFileSync(settings.report.path, markdown);
        runtime.setOutput('report', settings.report.path);
    }
    catch (error) {
        runtime.warning(`Could not write the report to ${settings.report.path}: ${error.message}`);
    }
    for (const [name, value] of Object.entries(reportOutputs(result)))
        runtime.setOutput(name, value);
    try {
        const fullReport = `the report file (output \`report\`: ${settings.report.path})`;
        await runtime.appendSummary((0,truncate/* truncateMarkdown */.o4)(markdown, truncate/* SUMMARY_MAX_LENGTH */.Nn, (0,truncate/* truncationNotice */.Gx)({ limit: truncate/* SUMMARY_MAX_LENGTH */.Nn, fullReport })));
    }
    catch (error) {
        runtime.warning(`Could not write the step summary: ${error.message}`);
    }
    try {
        await commentOnPullRequest(result, settings, runtime, env, summaryUrl);
    }
    catch (error) {
        runtime.warning(`Could not comment on the pull request: ${error.message}. The report is in the step summary.`);
    }
}

// EXTERNAL MODULE: ./src/runtime.ts
var src_runtime = __webpack_require__(3683);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(1260);
// EXTERNAL MODULE: ./src/tools/command/command-runner.ts
var command_runner = __webpack_require__(4183);
;// CONCATENATED MODULE: ./src/tools/command/actions-command-runner.ts
// The Action's command runner: @actions/exec streams the command's output straight into the job log
// (inside the log group the engine opens), where the runner masks every secret cutover registered
// with core.setSecret. The same wrapper as the Node runner puts the command in its own process group,
// so a timeout or a cancel stops all of it (@actions/exec itself cannot kill what it started).


function actionsCommandRunner() {
    return {
        echoesOutput: true,
        async run(spec) {
            let done = false;
            const wrapper = (0,command_runner/* prepareWrapper */.nO)(spec, () => done);
            const out = (0,command_runner/* lineSplitter */.s1)(spec.onLine);
            const err = (0,command_runner/* lineSplitter */.s1)(spec.onLine);
            const onAbort = () => void wrapper.stop();
            spec.signal.addEventListener('abort', onAbort, { once: true });
            if (spec.signal.aborted)
                onAbort();
            try {
                const env = Object.fromEntries(Object.entries(wrapper.env).filter((entry) => entry[1] !== undefined));
                // silent: no "[command]bash -c <wrapper>" line; the output is written as it comes instead.
                const exitCode = await exec/* exec */.m('bash', ['-c', command_runner/* WRAPPER */.ov], {
                    cwd: spec.cwd,
                    env,
                    ignoreReturnCode: true,
                    silent: true,
                    listeners: {
                        stdout: (chunk) => {
                            process.stdout.write(chunk);
                            out.push(chunk);
                        },
                        stderr: (chunk) => {
                            process.stderr.write(chunk);
                            err.push(chunk);
                        },
                    },
                });
                return { exitCode };
            }
            finally {
                done = true;
                out.flush();
                err.flush();
                spec.signal.removeEventListener('abort', onAbort);
                wrapper.cleanup();
            }
        },
    };
}

;// CONCATENATED MODULE: ./src/runtime-actions.ts
// The Runtime interface on top of @actions/core. Only main.ts and post.ts use this file; the engine
// sees nothing but the Runtime interface.




function properties(annotation) {
    if (!annotation)
        return undefined;
    return {
        ...(annotation.title ? { title: annotation.title } : {}),
        ...(annotation.file ? { file: annotation.file } : {}),
        ...(annotation.line ? { startLine: annotation.line } : {}),
    };
}
function actionsRuntime() {
    const reported = new Set();
    // Mask every form of every password as soon as cutover learns it, also in raw log lines we do not format.
    // Only distinctive passwords reach onSecret: core.setSecret('postgres') would garble the whole job log.
    (0,redact/* onSecret */.IJ)((secret) => core/* setSecret */.Pq(secret));
    (0,redact/* onWeakPassword */.NQ)((notice) => core/* info */.pq((0,redact/* weakPasswordNotice */.iS)(notice, 'job log')));
    const runtime = (0,src_runtime/* redacting */.qG)({
        info: (message) => core/* info */.pq(message),
        debug: (message) => core/* debug */.Yz(message),
        notice: (message, annotation) => core/* notice */.lm(message, properties(annotation)),
        warning: (message, annotation) => core/* warning */.$e(message, properties(annotation)),
        error: (message, annotation) => {
            reported.add(message);
            core/* error */.z3(message, properties(annotation));
        },
        group: (title, fn) => core/* group */.Os(title, fn),
        setOutput: (name, value) => core/* setOutput */.uH(name, value),
        appendSummary: async (markdown) => {
            if (!process.env.GITHUB_STEP_SUMMARY)
                return;
            await core/* summary */.z.addRaw(markdown, true).write();
        },
        saveState: (name, value) => core/* saveState */.LZ(name, value),
        // migrate-command's output goes to the job log through @actions/exec, masked by the runner.
        commandRunner: actionsCommandRunner(),
    });
    return { ...runtime, alreadyReported: (message) => reported.has((0,redact/* redact */.E$)(message)) };
}

;// CONCATENATED MODULE: ./src/main.ts
// Action glue: inputs → engine → report and outputs → exit status. The only catch that fails the step.








async function run() {
    const runtime = actionsRuntime();
    // GitHub cancels a job with SIGINT, then SIGTERM about 7.5 s later, then SIGKILL: the first stops
    // the run, the report still goes out, and the step ends 130 (SIGINT) or 143 (SIGTERM).
    const cancellation = (0,src_cancellation/* listenForCancellation */.ci)({
        onCancel: (message) => runtime.debug(message),
        writeLine: (line) => core/* error */.z3(line),
    });
    try {
        const settings = readActionInputs();
        const result = await (0,run_mode/* runMode */.r)(settings, runtime, process.env, cancellation.signal);
        if (cancellation.exitCode !== undefined) {
            // The line first: the runner's SIGKILL may come before the report is out.
            const line = (0,cancellation_line/* finalCancellationLine */.Wp)(result, cancellation.signal.reason);
            if (result.ok)
                core/* warning */.$e(line);
            else
                core/* error */.z3(line);
            await publishReport(result, settings, runtime, process.env);
            // Work abandoned on the cancel (a read-only query) must not keep the process alive.
            process.exit(cancellation.exitCode);
        }
        await publishReport(result, settings, runtime, process.env);
        if (result.ok)
            return;
        // A failed migration was already annotated on its file; a second, file-less copy adds noise.
        const message = result.error ?? `cutover ${settings.mode} failed`;
        if (runtime.alreadyReported(message))
            process.exitCode = 1;
        else
            core/* setFailed */.C1(message);
    }
    catch (error) {
        core/* setFailed */.C1((0,errors/* formatError */.Wk)(error));
    }
    finally {
        cancellation.dispose();
    }
}


/***/ })

};
