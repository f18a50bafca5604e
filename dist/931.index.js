export const id = 931;
export const ids = [931];
export const modules = {

/***/ 7580:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mq: () => (/* binding */ connectPostgres)
/* harmony export */ });
/* unused harmony exports diagnoseConnectError, describeEndpoint */
/* harmony import */ var pg__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3849);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _ssl_options_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1231);
/* harmony import */ var _supabase_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6566);
// Opens node-postgres clients with retries, a connect timeout, libpq SSL semantics and errors that say
// host, port, database, user (never the password) and the likely cause.




function diagnoseConnectError(error, location, input) {
    const code = error?.code;
    const message = error instanceof Error ? error.message : String(error);
    const supabaseDirect = (0,_supabase_js__WEBPACK_IMPORTED_MODULE_3__/* .supabaseKind */ .fl)(location) === 'direct';
    if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isPgError */ .QO)(error)) {
        if (code === '28P01' || code === '28000') {
            return { kind: 'auth', retryable: false, explanation: 'authentication failed', fix: `check the user name and password in ${input} (the secret it comes from); on Supabase the pooler user is postgres.<project-ref>.` };
        }
        if (code === '3D000') {
            return { kind: 'database-missing', retryable: false, explanation: `database "${location.database}" does not exist`, fix: `create it first (e.g. createdb, or CREATE DATABASE "${location.database}") or fix the database name at the end of ${input}.` };
        }
        if (code === '57P03' || code === '53300') {
            return { kind: 'other', retryable: true, explanation: 'the server is starting up or has too many connections', fix: 'wait for the server to be ready, or raise max_connections / use a pooler.' };
        }
        return { kind: 'other', retryable: false, explanation: (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .describeCause */ .V$)(error), fix: `check ${input} and the server's logs.` };
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
        return {
            kind: 'dns',
            retryable: code === 'EAI_AGAIN',
            explanation: `the host name "${location.host}" could not be resolved (DNS)`,
            fix: supabaseDirect ? (0,_supabase_js__WEBPACK_IMPORTED_MODULE_3__/* .directHostAdvice */ .yj)(location) : `check the host name in ${input}; from a workflow, a services: container is reached as localhost with its mapped port.`,
        };
    }
    if (code === 'ECONNREFUSED') {
        return { kind: 'refused', retryable: true, explanation: 'the connection was refused (nothing listens on that port, or a firewall rejects it)', fix: `check that the server is running and that ${input} has the right port.` };
    }
    if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'EADDRNOTAVAIL') {
        return { kind: 'network', retryable: true, explanation: 'the network cannot reach that host', fix: supabaseDirect ? (0,_supabase_js__WEBPACK_IMPORTED_MODULE_3__/* .directHostAdvice */ .yj)(location) : 'check the host, and that the database accepts connections from this runner (IP allow-list).' };
    }
    if (/timeout|timed out/i.test(message) || code === 'ETIMEDOUT') {
        return { kind: 'timeout', retryable: true, explanation: 'the connection timed out', fix: supabaseDirect ? (0,_supabase_js__WEBPACK_IMPORTED_MODULE_3__/* .directHostAdvice */ .yj)(location) : 'check the host and port, and that the database accepts connections from this runner (IP allow-list, security group).' };
    }
    if (/ssl|tls|certificate|self.signed|CERT_|ERR_TLS/i.test(`${message} ${code ?? ''}`)) {
        const noSsl = /does not support SSL/i.test(message);
        return {
            kind: 'ssl',
            retryable: false,
            explanation: `SSL negotiation failed: ${message}`,
            fix: noSsl
                ? `the server does not offer TLS: add ?sslmode=disable (or prefer) to ${input}.`
                : `use ?sslmode=require to encrypt without verifying the certificate, or pass the server's CA with sslrootcert=/path/ca.pem and sslmode=verify-full.`,
        };
    }
    if (code === 'ECONNRESET' || /terminated unexpectedly|Connection terminated/i.test(message)) {
        return { kind: 'network', retryable: true, explanation: `the server closed the connection (${message})`, fix: 'check that the port is a PostgreSQL server and whether it requires SSL (sslmode=require).' };
    }
    return { kind: 'other', retryable: true, explanation: (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .describeCause */ .V$)(error), fix: `check ${input}.` };
}
function describeEndpoint(location) {
    return `host ${location.host}, port ${location.port}, database "${location.database}", user "${location.user}"`;
}
function clientConfig(location, ssl, options) {
    return {
        host: location.host,
        port: location.port,
        database: location.database,
        user: location.user,
        password: location.password ?? process.env.PGPASSWORD,
        ssl,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
        keepAlive: true,
        // Without it the OS waits two hours before probing a silent peer (a dropped NAT mapping, a dead host).
        keepAliveInitialDelayMillis: 10_000,
        // channel_binding=prefer|require (Neon's URLs carry it): SCRAM-SHA-256-PLUS when the server offers it over TLS.
        enableChannelBinding: location.params.channel_binding === 'prefer' || location.params.channel_binding === 'require',
        application_name: options.applicationName ?? location.params.application_name ?? 'cutover',
        ...(location.params.options ? { options: location.params.options } : {}),
    };
}
async function openOnce(location, choice, options) {
    const attempt = async (ssl) => {
        const client = new pg__WEBPACK_IMPORTED_MODULE_0__/* ["default"].Client */ .Ay.Client(clientConfig(location, ssl, options));
        // An idle client whose server goes away emits 'error'; without a listener Node would crash.
        client.on('error', () => undefined);
        try {
            await client.connect();
            return client;
        }
        catch (error) {
            await client.end().catch(() => undefined);
            throw error;
        }
    };
    try {
        return await attempt(choice.ssl);
    }
    catch (error) {
        if (choice.fallbackToPlain && choice.ssl && /does not support SSL/i.test(String(error?.message)))
            return attempt(false);
        throw error;
    }
}
function isEncrypted(client) {
    // node-postgres swaps the socket for a TLSSocket once the server accepts SSL.
    const stream = client.connection?.stream;
    return stream?.encrypted === true;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function connectPostgres(location, options) {
    const attempts = Math.max(1, options.attempts ?? 3);
    const backoff = options.backoffMs ?? 500;
    const choice = (0,_ssl_options_js__WEBPACK_IMPORTED_MODULE_2__/* .chooseSsl */ .Q)(location);
    let lastError;
    let diagnosis;
    for (let n = 1; n <= attempts; n++) {
        try {
            const client = await openOnce(location, choice, options);
            if (location.params.channel_binding === 'require' && !isEncrypted(client)) {
                await client.end().catch(() => undefined);
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConnectionError */ .Rc(`Could not connect to ${options.input} (${describeEndpoint(location)}): channel_binding=require, but the connection is not encrypted, so no channel binding is possible.`, {
                    fix: `set sslmode=require or verify-full in ${options.input}, or remove channel_binding=require.`,
                });
            }
            options.onConnected?.(`Connected to ${options.input} (${describeEndpoint(location)}) with ${choice.description}; ${isEncrypted(client) ? 'the connection is encrypted (TLS)' : 'the connection is not encrypted'}.`);
            return client;
        }
        catch (error) {
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConnectionError */ .Rc)
                throw error;
            lastError = error;
            diagnosis = diagnoseConnectError(error, location, options.input);
            if (!diagnosis.retryable || n === attempts)
                break;
            const delay = backoff * 2 ** (n - 1);
            options.onRetry?.(`Connecting to ${options.input} (${describeEndpoint(location)}) failed: ${diagnosis.explanation}; retrying in ${delay} ms (attempt ${n + 1} of ${attempts}).`);
            await sleep(delay);
        }
    }
    const tries = diagnosis.retryable ? ` after ${attempts} attempt${attempts === 1 ? '' : 's'}` : '';
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConnectionError */ .Rc(`Could not connect to ${options.input} (${describeEndpoint(location)}, ${choice.description})${tries}: ${diagnosis.explanation}.`, {
        cause: lastError,
        fix: diagnosis.fix,
    });
}


/***/ }),

/***/ 1231:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ chooseSsl)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
// libpq's sslmode meanings mapped onto node-postgres' `ssl` option. node-postgres on its own treats
// `sslmode=require` as full verification; libpq means "encrypted, no certificate check".


const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);
function readRootCert(location) {
    if (!location.sslrootcert || location.sslrootcert === 'system')
        return undefined;
    try {
        return node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(location.sslrootcert, 'utf8');
    }
    catch (cause) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(`sslrootcert '${location.sslrootcert}' cannot be read.`, {
            cause,
            fix: `write the CA certificate (PEM) to a file in the workflow and pass its path as sslrootcert.`,
        });
    }
}
function chooseSsl(location) {
    // libpq's default is prefer; we keep it, except on loopback where TLS is never configured.
    const mode = location.sslmode ?? (LOCAL_HOSTS.has(location.host) ? 'disable' : 'prefer');
    const ca = readRootCert(location);
    switch (mode) {
        case 'disable':
            return { mode, ssl: false, fallbackToPlain: false, description: 'sslmode=disable (not encrypted)' };
        case 'allow':
        case 'prefer':
            return {
                mode,
                ssl: { rejectUnauthorized: false },
                fallbackToPlain: true,
                description: `sslmode=${mode} (encrypted if the server offers it, certificate not verified)`,
            };
        case 'require':
            // As in libpq: with a root certificate, require behaves like verify-ca.
            if (ca)
                return { mode, ssl: { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }, fallbackToPlain: false, description: 'sslmode=require with sslrootcert (encrypted, CA verified)' };
            return { mode, ssl: { rejectUnauthorized: false }, fallbackToPlain: false, description: 'sslmode=require (encrypted, certificate not verified)' };
        case 'verify-ca':
            return {
                mode,
                ssl: { ...(ca ? { ca } : {}), rejectUnauthorized: true, checkServerIdentity: () => undefined },
                fallbackToPlain: false,
                description: 'sslmode=verify-ca (encrypted, certificate chain verified, host name not checked)',
            };
        case 'verify-full':
            return {
                mode,
                ssl: { ...(ca ? { ca } : {}), rejectUnauthorized: true, servername: location.host },
                fallbackToPlain: false,
                description: 'sslmode=verify-full (encrypted, certificate and host name verified)',
            };
    }
}


/***/ }),

/***/ 6566:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   fl: () => (/* binding */ supabaseKind),
/* harmony export */   yj: () => (/* binding */ directHostAdvice),
/* harmony export */   zx: () => (/* binding */ sessionModeOf)
/* harmony export */ });
/* unused harmony exports isTransactionPooler, sessionPoolerOf, supabaseProjectRef */
function supabaseKind(location) {
    const host = location.host.toLowerCase();
    if (host.endsWith('.pooler.supabase.com'))
        return location.port === 6543 ? 'transaction-pooler' : 'session-pooler';
    if (/^db\.[a-z0-9]+\.supabase\.co$/.test(host))
        return 'direct';
    return 'none';
}
/** A pgbouncer-style transaction pooler on any host: Supabase's 6543, or an explicit pgbouncer=true. */
function isTransactionPooler(location) {
    return supabaseKind(location) === 'transaction-pooler' || location.params.pgbouncer === 'true';
}
/** The session-mode address on the same Supabase pooler host (port 5432), used for migrations. */
function sessionPoolerOf(location) {
    return { ...location, port: 5432 };
}
/**
 * Where a run that needs a real session (advisory locks, SET, exported snapshots) connects when it
 * was given a transaction pooler: the session pooler on the same host. `needs` completes the
 * warning: "which cannot hold <needs>".
 */
function sessionModeOf(location, input, needs, what) {
    if (!isTransactionPooler(location))
        return { location };
    const session = sessionPoolerOf(location);
    const pooler = supabaseKind(location) === 'transaction-pooler' ? `the Supabase transaction pooler (port ${location.port})` : 'a transaction-mode pooler (pgbouncer=true)';
    return { location: session, warning: `${input} points at ${pooler}, which cannot hold ${needs}: ${what} through the session pooler on port ${session.port} of ${session.host} instead.` };
}
/** The project ref in db.<ref>.supabase.co, if this is a direct Supabase host. */
function supabaseProjectRef(location) {
    return /^db\.([a-z0-9]+)\.supabase\.co$/.exec(location.host.toLowerCase())?.[1];
}
function directHostAdvice(location) {
    const ref = supabaseProjectRef(location) ?? '<project-ref>';
    return (`db.${ref}.supabase.co only has an IPv6 address and GitHub-hosted runners have no IPv6: use the Supabase ` +
        `session pooler instead, postgresql://postgres.${ref}:PASSWORD@aws-0-<region>.pooler.supabase.com:5432/postgres ` +
        `(Project Settings → Database → Connection string → Session pooler).`);
}


/***/ }),

/***/ 5059:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AC: () => (/* binding */ stopDockerPostgres),
/* harmony export */   by: () => (/* binding */ provisionDockerPostgres),
/* harmony export */   g$: () => (/* binding */ dockerAvailable)
/* harmony export */ });
/* unused harmony exports dockerImage, dockerRunArgs, parseDockerPort */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6670);
/* harmony import */ var _run_command_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(946);
/* harmony import */ var _state_file_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4681);
/* harmony import */ var _wait_ready_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6532);
// The `docker` throwaway provider: the official postgres image on a random 127.0.0.1 port.
// NOTE: this machine has no Docker engine, so provisionDockerPostgres has never been run here; the
// argv building, port parsing and readiness logic are unit-tested (test/unit/throwaway-docker.test.ts).






const READY_TIMEOUT_MS = 90_000;
/** `docker run` may pull the image first. */
const RUN_TIMEOUT_MS = 10 * 60_000;
/** postgres-version → image: "17" → postgres:17; a full reference (with ':' or '/') is used as is. */
function dockerImage(postgresVersion) {
    const version = postgresVersion.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(version)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ProvisionError */ .uv(`Invalid postgres-version '${postgresVersion}'.`, { fix: 'use a major version such as 17, an image tag such as 17-alpine, or a full image reference.' });
    }
    return /[:/]/.test(version) ? version : `postgres:${version}`;
}
/**
 * argv after `docker`. The password is passed as `-e POSTGRES_PASSWORD` without a value, so Docker
 * reads it from our environment and it never appears in a process list.
 */
function dockerRunArgs(options) {
    return [
        'run', '-d', '--rm',
        '--name', options.containerName,
        '--label', 'cutover.throwaway=true',
        '-e', 'POSTGRES_PASSWORD',
        '-p', '127.0.0.1::5432',
        options.image,
        // Durability off: the database lives for minutes.
        '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    ];
}
/** Output of `docker port <id> 5432/tcp` ("127.0.0.1:49153", maybe one line per address) → 49153. */
function parseDockerPort(output) {
    for (const line of output.split('\n')) {
        const match = /:(\d+)\s*$/.exec(line.trim());
        if (match)
            return Number(match[1]);
    }
    return undefined;
}
/** `docker info` answers: an engine is reachable (not just the CLI installed). */
async function dockerAvailable() {
    const result = await (0,_run_command_js__WEBPACK_IMPORTED_MODULE_3__/* .runCommand */ .d1)(['docker', 'info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 });
    return result.code === 0 && result.stdout.trim() !== '';
}
async function stopDockerPostgres(state) {
    // --rm on run: removing the container also removes its anonymous data volume.
    await (0,_run_command_js__WEBPACK_IMPORTED_MODULE_3__/* .runCommand */ .d1)(['docker', 'rm', '-f', '-v', state.containerId ?? state.containerName], { timeoutMs: 60_000 });
}
async function provisionDockerPostgres(options) {
    const image = dockerImage(options.postgresVersion);
    const password = node_crypto__WEBPACK_IMPORTED_MODULE_0___default().randomBytes(18).toString('base64url');
    (0,_redact_js__WEBPACK_IMPORTED_MODULE_2__/* .registerSecret */ .cl)(password);
    const { dir, stateFile } = (0,_state_file_js__WEBPACK_IMPORTED_MODULE_4__/* .makeThrowawayDir */ .yJ)(options.baseDir);
    const containerName = `cutover-dry-run-${node_crypto__WEBPACK_IMPORTED_MODULE_0___default().randomBytes(4).toString('hex')}`;
    const state = { version: 1, provider: 'docker', dir, containerName };
    (0,_state_file_js__WEBPACK_IMPORTED_MODULE_4__/* .writeState */ .Jq)(stateFile, state);
    try {
        options.runtime.info(`Starting a throwaway ${image} container (${containerName})`);
        const run = await (0,_run_command_js__WEBPACK_IMPORTED_MODULE_3__/* .runCommand */ .d1)(['docker', ...dockerRunArgs({ image, containerName })], { env: { ...process.env, POSTGRES_PASSWORD: password }, timeoutMs: RUN_TIMEOUT_MS });
        if (run.code !== 0) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ProvisionError */ .uv(`docker run ${image} failed: ${(0,_run_command_js__WEBPACK_IMPORTED_MODULE_3__/* .outputTail */ .ci)(run)}`, { fix: 'check the image tag (postgres-version) and that the runner can pull from Docker Hub, or use dry-run-database: local or a URL.' });
        }
        const containerId = run.stdout.trim().split('\n').pop();
        (0,_state_file_js__WEBPACK_IMPORTED_MODULE_4__/* .writeState */ .Jq)(stateFile, { ...state, containerId });
        const portOutput = await (0,_run_command_js__WEBPACK_IMPORTED_MODULE_3__/* .runCommand */ .d1)(['docker', 'port', containerId, '5432/tcp'], { timeoutMs: 30_000 });
        const port = parseDockerPort(portOutput.stdout);
        if (!port)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ProvisionError */ .uv(`Could not find the published port of container ${containerName}: ${(0,_run_command_js__WEBPACK_IMPORTED_MODULE_3__/* .outputTail */ .ci)(portOutput)}`);
        const location = { kind: 'postgres', host: '127.0.0.1', port, database: 'postgres', user: 'postgres', password, sslmode: 'disable', params: {} };
        // The image's entrypoint first runs a temporary server on the unix socket only; TCP answering
        // means the final server is up.
        const outcome = await (0,_wait_ready_js__WEBPACK_IMPORTED_MODULE_5__/* .waitUntilReady */ .bs)({
            probe: () => (0,_wait_ready_js__WEBPACK_IMPORTED_MODULE_5__/* .probePostgres */ .oy)(location),
            alive: async () => (await (0,_run_command_js__WEBPACK_IMPORTED_MODULE_3__/* .runCommand */ .d1)(['docker', 'inspect', '-f', '{{.State.Running}}', containerId], { timeoutMs: 15_000 })).stdout.trim() === 'true',
            timeoutMs: READY_TIMEOUT_MS,
        });
        if (!outcome.ready) {
            const logs = await (0,_run_command_js__WEBPACK_IMPORTED_MODULE_3__/* .runCommand */ .d1)(['docker', 'logs', '--tail', '20', containerId], { timeoutMs: 15_000 });
            const what = outcome.reason === 'died' ? 'exited before accepting connections' : `did not accept connections within ${READY_TIMEOUT_MS / 1000} s`;
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ProvisionError */ .uv(`The throwaway container ${containerName} ${what}: ${(0,_run_command_js__WEBPACK_IMPORTED_MODULE_3__/* .outputTail */ .ci)(logs, 8) || outcome.lastError || ''}`);
        }
        return { location, serverVersion: await (0,_wait_ready_js__WEBPACK_IMPORTED_MODULE_5__/* .serverVersionOf */ .FD)(location), stateFile };
    }
    catch (error) {
        await stopDockerPostgres(state).catch(() => undefined);
        (0,_state_file_js__WEBPACK_IMPORTED_MODULE_4__/* .removeThrowawayDir */ .e_)(dir);
        throw error;
    }
}


/***/ }),

/***/ 9421:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Gy: () => (/* binding */ provisionLocalPostgres),
  Ty: () => (/* binding */ stopLocalPostgres)
});

// UNUSED EXPORTS: initdbArgs, isAlive, serverOptions

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
var external_node_net_default = /*#__PURE__*/__webpack_require__.n(external_node_net_);
;// CONCATENATED MODULE: ./src/db/throwaway/free-port.ts
// A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it). Another process may
// take it before the server binds; callers retry on "address in use".

function freePort() {
    return new Promise((resolve, reject) => {
        const server = external_node_net_default().createServer();
        server.unref();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
        });
    });
}

// EXTERNAL MODULE: ./src/db/throwaway/run-command.ts
var run_command = __webpack_require__(946);
// EXTERNAL MODULE: ./src/db/throwaway/state-file.ts
var state_file = __webpack_require__(4681);
// EXTERNAL MODULE: ./src/db/throwaway/wait-ready.ts
var wait_ready = __webpack_require__(6532);
;// CONCATENATED MODULE: ./src/db/throwaway/local-postgres.ts
// The `local` throwaway provider: a private PostgreSQL cluster from the machine's own server
// binaries, in a temp directory, on a free port of 127.0.0.1, with its socket inside that directory
// (/var/run/postgresql may not exist or not be writable). Postgres refuses to run as root, so as root
// we run initdb/pg_ctl as the `postgres` user. Durability is switched off: the cluster lives minutes.







const SERVER_USER = 'postgres';
const START_ATTEMPTS = 3;
/** As root: the uid/gid of the `postgres` user, who will own the cluster. Otherwise: ourselves. */
async function serverAccount() {
    if (process.getuid?.() !== 0)
        return {};
    const uid = await (0,run_command/* runCommand */.d1)(['id', '-u', SERVER_USER], { timeoutMs: 10_000 });
    const gid = await (0,run_command/* runCommand */.d1)(['id', '-g', SERVER_USER], { timeoutMs: 10_000 });
    if (uid.code !== 0 || gid.code !== 0) {
        throw new errors/* ProvisionError */.uv(`PostgreSQL refuses to run as root, and this machine has no '${SERVER_USER}' user to run it as.`, {
            fix: `create one (useradd --system ${SERVER_USER}), run the job as a non-root user, or set dry-run-database to docker or to a postgresql:// URL (e.g. a services: postgres container).`,
        });
    }
    return { user: SERVER_USER, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
/** The `-o` string pg_ctl hands to postgres through /bin/sh, hence the quoting of the socket dir. */
function serverOptions(port, socketDir) {
    const quoted = `'${socketDir.replace(/'/g, `'\\''`)}'`;
    return [`-p ${port}`, `-k ${quoted}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'].join(' ');
}
function initdbArgs(bindir, dataDir, locale) {
    return [external_node_path_default().join(bindir, 'initdb'), '-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', `--locale=${locale}`, '--no-sync'];
}
function logTail(logFile, lines = 5) {
    try {
        return external_node_fs_default().readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join(' ');
    }
    catch {
        return '';
    }
}
function readPostmasterPid(dataDir) {
    try {
        const pid = Number(external_node_fs_default().readFileSync(external_node_path_default().join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    }
    catch {
        return undefined;
    }
}
/** Running (a zombie is not: it has exited and only waits for a parent that may never reap it). */
function isAlive(pid) {
    try {
        process.kill(pid, 0);
    }
    catch (error) {
        if (error.code !== 'EPERM')
            return false;
    }
    try {
        return !/^\d+ \(.*\) Z/s.test(external_node_fs_default().readFileSync(`/proc/${pid}/stat`, 'utf8'));
    }
    catch {
        return true; // no /proc (macOS): kill(0) is all we know
    }
}
/** True when `pid` is still the postmaster of `dataDir` (pids get reused; never kill a stranger). */
async function isOurPostmaster(pid, dataDir) {
    if (!isAlive(pid))
        return false;
    let command = '';
    try {
        command = external_node_fs_default().readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    }
    catch {
        command = (await (0,run_command/* runCommand */.d1)(['ps', '-o', 'command=', '-p', String(pid)], { timeoutMs: 10_000 })).stdout;
    }
    return command.includes(dataDir);
}
async function waitGone(pid, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (isAlive(pid)) {
        if (Date.now() > deadline)
            return false;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
}
/** Stops the cluster (immediate shutdown: nothing in it is worth a checkpoint). Leaves the directory. */
async function stopLocalPostgres(state) {
    const pid = state.pid ?? readPostmasterPid(state.dataDir);
    if (external_node_fs_default().existsSync(external_node_path_default().join(state.dataDir, 'postmaster.pid'))) {
        const argv = (0,run_command/* asUser */.ex)([external_node_path_default().join(state.bindir, 'pg_ctl'), '-D', state.dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop'], state.runAs);
        await (0,run_command/* runCommand */.d1)(argv, { cwd: state.dir, timeoutMs: 45_000 });
    }
    if (pid && (await isOurPostmaster(pid, state.dataDir))) {
        process.kill(pid, 'SIGKILL');
        await waitGone(pid, 5000);
    }
}
async function initCluster(binaries, state, runtime) {
    let result;
    // C.UTF-8 is what we want (UTF-8, byte order); older or non-glibc systems may lack it, C always exists.
    for (const locale of ['C.UTF-8', 'C']) {
        result = await (0,run_command/* runCommand */.d1)((0,run_command/* asUser */.ex)(initdbArgs(binaries.bindir, state.dataDir, locale), state.runAs), { cwd: state.dir, timeoutMs: 120_000 });
        if (result.code === 0)
            return;
        external_node_fs_default().rmSync(state.dataDir, { recursive: true, force: true });
        if (!/locale/i.test(`${result.stderr}${result.stdout}`))
            break;
        runtime.debug(`initdb with --locale=${locale} failed (${(0,run_command/* outputTail */.ci)(result, 2)}); retrying with --locale=C`);
    }
    throw new errors/* ProvisionError */.uv(`initdb failed in ${state.dir}: ${(0,run_command/* outputTail */.ci)(result)}`, {
        fix: 'check that the PostgreSQL server package is complete, or set dry-run-database to docker or a postgresql:// URL.',
    });
}
async function startCluster(binaries, state, stateFile) {
    const logFile = external_node_path_default().join(state.dir, 'postgres.log');
    let last = '';
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt += 1) {
        const port = await freePort();
        (0,state_file/* writeState */.Jq)(stateFile, { ...state, port });
        const argv = [external_node_path_default().join(binaries.bindir, 'pg_ctl'), '-D', state.dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions(port, state.dir), 'start'];
        const result = await (0,run_command/* runCommand */.d1)((0,run_command/* asUser */.ex)(argv, state.runAs), { cwd: state.dir, timeoutMs: 90_000 });
        if (result.code === 0)
            return port;
        last = logTail(logFile) || (0,run_command/* outputTail */.ci)(result);
        // Another process took the port between freePort() and the bind: try another one.
        if (!/could not bind|address already in use|could not create any TCP\/IP sockets/i.test(last))
            break;
    }
    throw new errors/* ProvisionError */.uv(`The throwaway PostgreSQL server did not start: ${last}`, {
        fix: 'see the server log above; or set dry-run-database to docker or a postgresql:// URL.',
    });
}
async function provisionLocalPostgres(options) {
    const { binaries, runtime } = options;
    const account = await serverAccount();
    const { dir, stateFile } = (0,state_file/* makeThrowawayDir */.yJ)(options.baseDir);
    const state = { version: 1, provider: 'local', dir, dataDir: external_node_path_default().join(dir, 'data'), bindir: binaries.bindir, ...(account.user ? { runAs: account.user } : {}) };
    (0,state_file/* writeState */.Jq)(stateFile, state);
    try {
        if (account.uid !== undefined && account.gid !== undefined)
            external_node_fs_default().chownSync(dir, account.uid, account.gid);
        runtime.info(`Starting a throwaway PostgreSQL ${binaries.version} from ${binaries.bindir}${account.user ? ` as user ${account.user}` : ''} in ${dir}`);
        await initCluster(binaries, state, runtime);
        const port = await startCluster(binaries, state, stateFile);
        const pid = readPostmasterPid(state.dataDir);
        (0,state_file/* writeState */.Jq)(stateFile, { ...state, port, ...(pid ? { pid } : {}) });
        const location = { kind: 'postgres', host: '127.0.0.1', port, database: 'postgres', user: 'postgres', sslmode: 'disable', params: {} };
        const serverVersion = (await (0,wait_ready/* serverVersionOf */.FD)(location)) ?? binaries.version;
        return { location, serverVersion, stateFile };
    }
    catch (error) {
        await stopLocalPostgres(state).catch(() => undefined);
        (0,state_file/* removeThrowawayDir */.e_)(dir);
        throw error;
    }
}


/***/ }),

/***/ 946:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ci: () => (/* binding */ outputTail),
/* harmony export */   d1: () => (/* binding */ runCommand),
/* harmony export */   ex: () => (/* binding */ asUser)
/* harmony export */ });
/* unused harmony export findExecutable */
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1260);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6670);
/* harmony import */ var _shell_quote_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3412);
// The one way cutover runs external programs (git, pg_dump, psql, initdb, pg_ctl, docker …):
// @actions/exec (PATH and PATHEXT lookup, Windows argument quoting, output captured, nothing echoed
// to the log), with a deadline. Never throws for a non-zero exit: callers decide what a failure
// means. stdout is the program's data, kept as it is (a pg_dump schema must not be altered);
// everything meant for a message goes through outputTail, which redacts passwords and URLs.
//
// @actions/exec cannot stop the program it started (actions/toolkit#1656), so the program runs
// under a small supervisor: this same Node (`node -e`), which starts it with the same stdio, kills
// it at the deadline, passes signals on, and reports a timeout or a missing program on a marker
// line that is removed from the output again.





const MARKER = '::cutover-run-command::';
/** Runs in `node -e`: argv = deadline (ms, 0 = none), program, its arguments. CommonJS, no dependencies. */
const SUPERVISOR = `
const { spawn } = require('node:child_process');
const os = require('node:os');
const [ms, file, ...args] = process.argv.slice(1);
const report = (what, code) => { process.stderr.write('\\n${MARKER}' + what + '\\n', () => process.exit(code)); };
let timedOut = false;
const child = spawn(file, args, { stdio: 'inherit' });
const timer = Number(ms) > 0 ? setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, Number(ms)) : undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => { clearTimeout(timer); report(error.code === 'ENOENT' ? 'not-found' : 'error ' + error.message, 127); });
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  if (timedOut) return report('timeout', 124);
  process.exit(code ?? 128 + (os.constants.signals[signal] || 0));
});
`;
/** The environment as @actions/exec takes it: strings only. */
function stringEnv(env) {
    return Object.fromEntries(Object.entries(env).filter((entry) => entry[1] !== undefined));
}
/** Splits the supervisor's marker line off stderr. */
function splitMarker(stderr) {
    const at = stderr.lastIndexOf(`\n${MARKER}`);
    if (at < 0)
        return { stderr };
    return { stderr: stderr.slice(0, at), marker: stderr.slice(at + 1 + MARKER.length).trim() };
}
async function runCommand(argv, options = {}) {
    const [program, ...args] = argv;
    let output;
    try {
        output = await (0,_actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .getExecOutput */ .H)(process.execPath, ['-e', SUPERVISOR, String(options.timeoutMs ?? 0), program, ...args], {
            cwd: options.cwd ?? process.cwd(),
            env: stringEnv({ ...(options.env ?? process.env), NODE_OPTIONS: '' }),
            silent: true,
            ignoreReturnCode: true,
            // An empty input still closes stdin, so a program that reads it does not wait forever.
            input: Buffer.from(options.input ?? ''),
        });
    }
    catch (error) {
        return { code: null, stdout: '', stderr: '', error: `${program} could not be started: ${error.message}` };
    }
    const { stderr, marker } = splitMarker(output.stderr);
    if (marker === 'timeout')
        return { code: null, stdout: output.stdout, stderr, error: `${program} did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s` };
    if (marker === 'not-found')
        return { code: null, stdout: output.stdout, stderr, error: `${program} not found` };
    if (marker?.startsWith('error '))
        return { code: null, stdout: output.stdout, stderr, error: marker.slice('error '.length) };
    return { code: output.exitCode, stdout: output.stdout, stderr };
}
/** The last lines of a command's output, redacted, for error messages. */
function outputTail(result, lines = 5) {
    const text = [result.error, result.stderr.trim(), result.stdout.trim()].filter(Boolean).join('\n');
    return (0,_redact_js__WEBPACK_IMPORTED_MODULE_3__/* .redact */ .E$)(text.split('\n').filter(Boolean).slice(-lines).join(' '));
}
/** Absolute path of `name` on PATH (plus the sbin directories root usually has), if any. */
function findExecutable(name, env = process.env) {
    const dirs = [...(env.PATH ?? '').split((node_path__WEBPACK_IMPORTED_MODULE_2___default().delimiter)), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
    for (const dir of dirs) {
        if (!dir)
            continue;
        const candidate = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, name);
        try {
            node_fs__WEBPACK_IMPORTED_MODULE_1___default().accessSync(candidate, (node_fs__WEBPACK_IMPORTED_MODULE_1___default().constants).X_OK);
            return candidate;
        }
        catch {
            // not here
        }
    }
    return undefined;
}
/**
 * argv that runs `argv` as `user` (Postgres refuses to run as root): `runuser -u user --` where
 * util-linux has it, else `su user -s /bin/sh -c '…'`. Unchanged when `user` is undefined.
 */
function asUser(argv, user, runuserPath = findExecutable('runuser') ?? null) {
    if (!user)
        return argv;
    if (runuserPath)
        return [runuserPath, '-u', user, '--', ...argv];
    return ['su', user, '-s', '/bin/sh', '-c', argv.map(_shell_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .shellQuote */ .Z).join(' ')];
}


/***/ }),

/***/ 4681:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jq: () => (/* binding */ writeState),
/* harmony export */   e_: () => (/* binding */ removeThrowawayDir),
/* harmony export */   un: () => (/* binding */ readState),
/* harmony export */   yJ: () => (/* binding */ makeThrowawayDir)
/* harmony export */ });
/* unused harmony export THROWAWAY_DIR_PREFIX */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
// What a throwaway database leaves behind, written to a JSON state file as soon as it exists, so the
// Action's post step (a separate process, run even after a crash or cancellation) can remove it.



const THROWAWAY_DIR_PREFIX = 'cutover-pg-';
const STATE_FILE_NAME = 'cutover-throwaway.json';
function makeThrowawayDir(baseDir = node_os__WEBPACK_IMPORTED_MODULE_1___default().tmpdir()) {
    const dir = node_fs__WEBPACK_IMPORTED_MODULE_0___default().mkdtempSync(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(baseDir, THROWAWAY_DIR_PREFIX));
    return { dir, stateFile: node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, STATE_FILE_NAME) };
}
function writeState(stateFile, state) {
    const temp = `${stateFile}.tmp`;
    node_fs__WEBPACK_IMPORTED_MODULE_0___default().writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    node_fs__WEBPACK_IMPORTED_MODULE_0___default().renameSync(temp, stateFile);
}
/** The state, or undefined when the file is gone (already cleaned up) or is not ours. */
function readState(stateFile) {
    let parsed;
    try {
        parsed = JSON.parse(node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(stateFile, 'utf8'));
    }
    catch {
        return undefined;
    }
    if (parsed?.version !== 1 || (parsed.provider !== 'local' && parsed.provider !== 'docker') || typeof parsed.dir !== 'string')
        return undefined;
    return parsed;
}
/**
 * rm -rf of a throwaway directory, refusing anything that is not one of ours: the path comes from
 * a file on disk, and a corrupted or hand-edited state file must not make us delete something else.
 */
function removeThrowawayDir(dir) {
    const resolved = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(dir);
    if (!node_path__WEBPACK_IMPORTED_MODULE_2___default().basename(resolved).startsWith(THROWAWAY_DIR_PREFIX) || resolved === node_path__WEBPACK_IMPORTED_MODULE_2___default().parse(resolved).root) {
        throw new Error(`refusing to remove ${resolved}: not a cutover throwaway directory`);
    }
    node_fs__WEBPACK_IMPORTED_MODULE_0___default().rmSync(resolved, { recursive: true, force: true });
}


/***/ }),

/***/ 9931:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ teardownFromStateFile)
/* harmony export */ });
/* harmony import */ var _docker_postgres_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5059);
/* harmony import */ var _local_postgres_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9421);
/* harmony import */ var _state_file_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4681);
// Removes whatever a state file says a throwaway database left behind: stops the server or
// container, then deletes its temp directory (which holds the state file itself). Idempotent: a
// missing state file means the database is already gone.



/** True when something was torn down, false when there was nothing left. */
async function teardownFromStateFile(stateFile) {
    const state = (0,_state_file_js__WEBPACK_IMPORTED_MODULE_2__/* .readState */ .un)(stateFile);
    if (!state)
        return false;
    if (state.provider === 'local')
        await (0,_local_postgres_js__WEBPACK_IMPORTED_MODULE_1__/* .stopLocalPostgres */ .Ty)(state);
    else
        await (0,_docker_postgres_js__WEBPACK_IMPORTED_MODULE_0__/* .stopDockerPostgres */ .AC)(state);
    (0,_state_file_js__WEBPACK_IMPORTED_MODULE_2__/* .removeThrowawayDir */ .e_)(state.dir);
    return true;
}


/***/ }),

/***/ 6532:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FD: () => (/* binding */ serverVersionOf),
/* harmony export */   bs: () => (/* binding */ waitUntilReady),
/* harmony export */   oy: () => (/* binding */ probePostgres)
/* harmony export */ });
/* harmony import */ var _postgres_connect_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7580);

async function waitUntilReady(options) {
    const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const now = options.now ?? Date.now;
    const deadline = now() + options.timeoutMs;
    const interval = options.intervalMs ?? 250;
    let attempts = 0;
    let lastError;
    for (;;) {
        attempts += 1;
        try {
            if (await options.probe())
                return { ready: true, attempts };
        }
        catch (error) {
            lastError = error instanceof Error ? error.message : String(error);
        }
        if (options.alive && !(await options.alive().catch(() => true)))
            return { ready: false, attempts, reason: 'died', ...(lastError ? { lastError } : {}) };
        if (now() >= deadline)
            return { ready: false, attempts, reason: 'timeout', ...(lastError ? { lastError } : {}) };
        await sleep(Math.min(interval * Math.min(attempts, 4), 1000));
    }
}
/** One connection attempt + `SELECT 1`. */
async function probePostgres(location, timeoutMs = 3000) {
    const client = await (0,_postgres_connect_js__WEBPACK_IMPORTED_MODULE_0__/* .connectPostgres */ .Mq)(location, { input: 'the throwaway database', attempts: 1, connectTimeoutMs: timeoutMs });
    try {
        await client.query('SELECT 1');
        return true;
    }
    finally {
        await client.end().catch(() => undefined);
    }
}
/** `SHOW server_version`, e.g. "15.14 (Debian 15.14-0+deb12u1)" → "15.14". */
async function serverVersionOf(location) {
    try {
        const client = await (0,_postgres_connect_js__WEBPACK_IMPORTED_MODULE_0__/* .connectPostgres */ .Mq)(location, { input: 'the throwaway database', attempts: 1, connectTimeoutMs: 5000 });
        try {
            const { rows } = await client.query('SHOW server_version');
            return rows[0]?.server_version.split(' ')[0];
        }
        finally {
            await client.end().catch(() => undefined);
        }
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 3412:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ shellQuote)
/* harmony export */ });
// Quotes one argument for a POSIX shell, leaving plain words as they are (readable commands in
// reports, and `su -c` command lines).
function shellQuote(text) {
    return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}


/***/ })

};
