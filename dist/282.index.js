export const id = 282;
export const ids = [282];
export const modules = {

/***/ 4632:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ci: () => (/* binding */ listenForCancellation)
/* harmony export */ });
/* unused harmony exports CANCEL_EXIT_CODES, ORPHAN_DEADLINE_MS */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
// How a run gets cancelled, in the process that runs the engine. The first SIGINT, SIGTERM or SIGHUP
// (a closed terminal; some runners cancel with it) aborts the run's AbortSignal: the engine stops, rolls back, releases its locks and reports what state the
// target is in (src/engine/cancellation-line.ts). A second signal of the same kind exits at once (an
// impatient Ctrl-C). When this process is the engine child re-spawned by src/heap-flags.ts, the end
// of its parent, however it ended (even SIGKILL, which nobody can forward), closes the IPC channel:
// that cancels the run too, and as no second signal can come any more, a deadline ends the process
// if the orderly stop takes too long. Nothing here imports @actions/core: the entries pass writers.

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Shell convention, 128 + the signal's number; SIGHUP's 129 also for "the process that started us went away". */
const CANCEL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, 'parent-exit': 129 };
/** Long enough for a rollback and the release of locks; short enough that no orphan writes for long. */
const ORPHAN_DEADLINE_MS = 5000;
const CAUSE_TEXT = {
    SIGINT: 'SIGINT',
    SIGTERM: 'SIGTERM',
    SIGHUP: 'SIGHUP',
    'parent-exit': 'the process that started cutover ended',
};
const UNFINISHED = 'work not yet committed is rolled back by the database as the connections close; cutover cannot tell whether a commit was under way, so check the target before rerunning.';
function listenForCancellation(options = {}) {
    const controller = new AbortController();
    const writeLine = options.writeLine ?? ((line) => process.stderr.write(`${line}\n`));
    let cause;
    let deadline;
    const cancel = (next) => {
        if (cause)
            return;
        cause = next;
        // The terminal or the parent's pipe readers may be gone: a failed write must not crash a rollback.
        if (next === 'SIGHUP' || next === 'parent-exit')
            for (const stream of [process.stdout, process.stderr])
                stream.on('error', () => undefined);
        options.onCancel?.(next === 'parent-exit'
            ? `Cancelling (parent-exit): stopping the run, or ending this process in ${ORPHAN_DEADLINE_MS / 1000} s.`
            : `Cancelling (${next}): stopping the run; a second ${next} stops at once.`);
        controller.abort(new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc(`Cancelled (${CAUSE_TEXT[next]})`));
    };
    const handlers = SIGNALS.map((name) => {
        const handler = () => {
            if (cause !== name)
                return cancel(name);
            writeLine(`Stopped at once on a second ${name}: ${UNFINISHED}`);
            process.exit(CANCEL_EXIT_CODES[name]);
        };
        process.on(name, handler);
        return [name, handler];
    });
    const onParentGone = () => {
        cancel('parent-exit');
        deadline ??= setTimeout(() => {
            writeLine(`Stopped: the process that started cutover ended and the run did not stop within ${ORPHAN_DEADLINE_MS / 1000} s; ${UNFINISHED}`);
            process.exit(CANCEL_EXIT_CODES['parent-exit']);
        }, ORPHAN_DEADLINE_MS);
        // Only a process that something keeps alive needs it; an orderly stop just ends.
        deadline.unref();
    };
    const hasParentChannel = process.channel !== undefined;
    if (hasParentChannel) {
        process.on('disconnect', onParentGone);
        // The parent may have ended while this process was still loading.
        if (!process.connected)
            onParentGone();
    }
    return {
        signal: controller.signal,
        get cause() {
            return cause;
        },
        get exitCode() {
            return cause ? CANCEL_EXIT_CODES[cause] : undefined;
        },
        dispose() {
            for (const [name, handler] of handlers)
                process.off(name, handler);
            if (hasParentChannel)
                process.off('disconnect', onParentGone);
            // The deadline stays: a process whose parent is gone must still end if something keeps it alive.
        },
    };
}


/***/ }),

/***/ 9974:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  S5: () => (/* binding */ displayLocation),
  mx: () => (/* binding */ parseDatabaseUrl)
});

// UNUSED EXPORTS: SSL_MODES, redactRawUrl

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/redact.ts
var redact = __webpack_require__(6670);
;// CONCATENATED MODULE: ./src/edit-distance.ts
// "Did you mean …?" for misspelt names: optimal string alignment distance (Levenshtein plus adjacent
// transpositions, so `sslmdoe` is one edit from `sslmode`).
function editDistance(a, b) {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}
/** The candidate closest to `word` (case-insensitively), if it is close enough to be a likely typo. */
function closestMatch(word, candidates) {
    const lower = word.toLowerCase();
    // One edit for short words, two from six characters on: further than that is a different word.
    const limit = lower.length >= 6 ? 2 : 1;
    let best;
    for (const candidate of candidates) {
        const distance = editDistance(lower, candidate.toLowerCase());
        if (distance <= limit && (!best || distance < best.distance))
            best = { candidate, distance };
    }
    return best?.candidate;
}

;// CONCATENATED MODULE: ./src/db/url-parameters.ts
// Which query parameters a postgresql:// URL may carry. libpq refuses a parameter it does not know;
// so does cutover: `?sslmdoe=verify-full`, silently ignored, would connect without encryption.


/** Parameters cutover acts on (sslmode and password are validated by the URL parser itself). */
const HONOURED_PARAMETERS = ['sslmode', 'sslrootcert', 'application_name', 'options', 'pgbouncer', 'channel_binding'];
/** channel_binding values (libpq's): prefer/require turn on SCRAM-SHA-256-PLUS in node-postgres. */
const CHANNEL_BINDING = ['disable', 'prefer', 'require'];
/** Accepted and ignored, because cutover already does the equivalent itself. */
const IGNORED_PARAMETERS = {
    connect_timeout: { why: "uses its connect-timeout input instead" },
    keepalives: { why: 'always turns TCP keepalives on' },
    keepalives_idle: { why: 'always turns TCP keepalives on' },
    keepalives_interval: { why: 'always turns TCP keepalives on' },
    keepalives_count: { why: 'always turns TCP keepalives on' },
    tcp_user_timeout: { why: 'always turns TCP keepalives on' },
    fallback_application_name: { why: 'always sets an application_name' },
    client_encoding: { why: 'always talks UTF-8 with the server, which converts' },
    sslcompression: { why: 'never compresses (nor do servers since PostgreSQL 14)' },
    sslsni: { why: 'leaves SNI to the TLS library' },
    // Prisma's connection-pool settings, common in copied DATABASE_URLs; cutover sizes its own pool.
    connection_limit: { why: 'sizes its own connection pool' },
    pool_timeout: { why: 'sizes its own connection pool' },
    // Harmless only at their defaults: cutover never does GSS encryption, direct SSL negotiation, or
    // picks among several hosts.
    gssencmode: { why: 'does not do GSS encryption', values: ['disable', 'prefer'] },
    sslnegotiation: { why: 'negotiates SSL the standard way', values: ['postgres'] },
    target_session_attrs: { why: 'connects to the one host of the URL whatever its role', values: ['any'] },
};
// Every other libpq connection keyword (PostgreSQL 18's list): known, but not supported by cutover.
const OTHER_LIBPQ_KEYWORDS = [
    'host', 'hostaddr', 'port', 'dbname', 'user', 'passfile', 'require_auth', 'replication', 'requiressl',
    'sslcert', 'sslkey', 'sslkeylogfile', 'sslpassword', 'sslcertmode', 'sslcrl', 'sslcrldir', 'requirepeer',
    'ssl_min_protocol_version', 'ssl_max_protocol_version', 'min_protocol_version', 'max_protocol_version',
    'krbsrvname', 'gsslib', 'gssdelegation', 'service', 'load_balance_hosts', 'oauth_issuer', 'oauth_client_id',
    'oauth_client_secret', 'oauth_scope', 'scram_client_key', 'scram_server_key',
];
// Parameters of other drivers that people paste, with what to write instead.
const FOREIGN_FIXES = {
    ssl: 'write sslmode=require (encrypted) or sslmode=verify-full (encrypted, certificate and host name verified) instead of ssl',
    schema: "write options=-c%20search_path%3D<schema> instead of Prisma's schema parameter",
    sslaccept: "write sslmode=verify-full (Prisma's sslaccept=strict) or sslmode=require (accept_invalid_certs) instead of sslaccept",
    host: 'put the host in the URL itself: postgresql://user:password@host:5432/dbname',
    port: 'put the port in the URL itself: postgresql://user:password@host:5432/dbname',
    dbname: 'put the database name in the URL itself: postgresql://user:password@host:5432/dbname',
    user: 'put the user name in the URL itself: postgresql://user:password@host:5432/dbname',
};
const KNOWN = [...HONOURED_PARAMETERS, ...Object.keys(IGNORED_PARAMETERS)];
function knownList() {
    return `cutover uses ${HONOURED_PARAMETERS.join(', ')}; it accepts and ignores ${Object.keys(IGNORED_PARAMETERS).join(', ')}.`;
}
/** Throws a ConfigError for a parameter cutover would otherwise have to silently ignore. */
function checkUrlParameter(key, value, input) {
    if (key === 'channel_binding' && !CHANNEL_BINDING.includes(value)) {
        throw new errors/* ConfigError */.xL(`${input} has channel_binding=${value}, which is not a channel_binding value.`, { fix: `use ${CHANNEL_BINDING.join(', ')}.` });
    }
    if (HONOURED_PARAMETERS.includes(key))
        return;
    const ignored = IGNORED_PARAMETERS[key];
    if (ignored && (!ignored.values || ignored.values.includes(value)))
        return;
    if (ignored) {
        throw new errors/* ConfigError */.xL(`${input} has ${key}=${value}, which cutover cannot honour: it ${ignored.why}.`, {
            fix: `${FOREIGN_FIXES[key] ?? `remove ${key}, or set it to ${ignored.values.join(' or ')}`}.`,
        });
    }
    if (OTHER_LIBPQ_KEYWORDS.includes(key)) {
        throw new errors/* ConfigError */.xL(`${input} has the libpq parameter '${key}', which cutover does not support.`, {
            fix: `${FOREIGN_FIXES[key] ?? `remove '${key}'`}. ${knownList()}`,
        });
    }
    const suggestion = closestMatch(key, [...KNOWN, ...OTHER_LIBPQ_KEYWORDS, 'password']);
    throw new errors/* ConfigError */.xL(`${input} has an unknown parameter '${key}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}. ` +
        `Like libpq, cutover refuses parameters it does not know rather than ignore them: a misspelt sslmode would silently connect without encryption.`, { fix: `${FOREIGN_FIXES[key] ?? (suggestion ? `write '${suggestion}' instead of '${key}', or remove it` : `correct or remove '${key}'`)}. ${knownList()}` });
}

;// CONCATENATED MODULE: ./src/db/database-url.ts
// Parses the database URLs users give (action inputs, CLI flags, DATABASE_URL) into a typed location.
// We parse by hand rather than with WHATWG `URL`: it silently accepts an unencoded '@' in the password
// and silently drops everything after an unencoded '#', while libpq and most drivers do not.




const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
const SQLITE_EXTENSIONS = /\.(db|sqlite|sqlite3|db3)$/i;
const ENCODE_HINT = "percent-encode reserved characters in the password ('@' → %40, '#' → %23, '/' → %2F, '?' → %3F, ':' → %3A, '%' → %25), " +
    "e.g. with `node -p 'encodeURIComponent(process.argv[1])' 'p@ss'`, and store the encoded URL in the secret";
/** `postgresql://user:***@host:5432/db?sslmode=require` — safe to print. */
function displayLocation(location) {
    if (location.kind === 'sqlite')
        return `sqlite:${location.path}`;
    const user = location.user ? `${encodeURIComponent(location.user)}${location.password !== undefined ? ':***' : ''}@` : '';
    const host = location.host.includes(':') ? `[${location.host}]` : location.host;
    const query = new URLSearchParams();
    if (location.sslmode)
        query.set('sslmode', location.sslmode);
    if (location.sslrootcert)
        query.set('sslrootcert', location.sslrootcert);
    for (const [key, value] of Object.entries(location.params))
        query.set(key, value);
    const qs = query.toString();
    return `postgresql://${user}${host}:${location.port}/${encodeURIComponent(location.database)}${qs ? `?${qs}` : ''}`;
}
/** Best-effort redaction of a URL we could not parse: hide everything between '://' user ':' and the last '@'. */
function redactRawUrl(raw) {
    const scheme = raw.indexOf('://');
    const at = raw.lastIndexOf('@');
    if (scheme < 0 || at < scheme)
        return raw;
    const userinfo = raw.slice(scheme + 3, at);
    const colon = userinfo.indexOf(':');
    if (colon < 0)
        return raw;
    return `${raw.slice(0, scheme + 3)}${userinfo.slice(0, colon)}:***${raw.slice(at)}`;
}
function decode(part, what, input, raw) {
    try {
        return decodeURIComponent(part);
    }
    catch (cause) {
        throw new errors/* ConfigError */.xL(`The ${what} in ${input} (${redactRawUrl(raw)}) has an invalid percent-encoding.`, {
            cause,
            fix: `${ENCODE_HINT}.`,
        });
    }
}
function parseDatabaseUrl(raw, options) {
    const input = options.input;
    const text = raw.trim();
    if (!text)
        throw new errors/* ConfigError */.xL(`${input} is empty.`, { fix: `give ${input} a postgresql:// URL or a sqlite: path.` });
    const cwd = options.cwd ?? process.cwd();
    const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(text);
    const scheme = schemeMatch?.[1].toLowerCase();
    if (scheme === 'sqlite' || scheme === 'file')
        return parseSqlite(text.slice(schemeMatch[0].length), cwd);
    if (!scheme || /^[a-zA-Z]:[\\/]/.test(text)) {
        if (SQLITE_EXTENSIONS.test(text))
            return { kind: 'sqlite', path: external_node_path_default().resolve(cwd, text) };
        throw new errors/* ConfigError */.xL(`${input} is not a database URL: '${redactRawUrl(text)}'.`, {
            fix: `use postgresql://user:password@host:5432/dbname, sqlite:path/to/file.db, or a path ending in .db or .sqlite.`,
        });
    }
    if (scheme !== 'postgres' && scheme !== 'postgresql') {
        throw new errors/* ConfigError */.xL(`${input} uses the unsupported scheme '${scheme}:' (${redactRawUrl(text)}).`, {
            fix: `cutover reads and writes PostgreSQL (postgres:// or postgresql://) and SQLite (sqlite:path); export other databases to one of these first.`,
        });
    }
    if (!text.slice(schemeMatch[0].length).startsWith('//')) {
        throw new errors/* ConfigError */.xL(`${input} is malformed: expected '//' after '${scheme}:' in '${redactRawUrl(text)}'.`, {
            fix: `write it as postgresql://user:password@host:5432/dbname.`,
        });
    }
    return parsePostgres(text, text.slice(schemeMatch[0].length + 2), input);
}
function parseSqlite(rest, cwd) {
    // sqlite:///abs/path → /abs/path; sqlite://rel/path and sqlite:rel/path → relative to cwd.
    let file = rest.startsWith('///') ? rest.slice(2) : rest.startsWith('//') ? rest.slice(2) : rest;
    const query = file.indexOf('?');
    if (query >= 0)
        file = file.slice(0, query);
    if (!file)
        throw new errors/* ConfigError */.xL(`The sqlite: URL has no file path.`, { fix: `write sqlite:path/to/app.db or sqlite:///absolute/path/app.db.` });
    return { kind: 'sqlite', path: external_node_path_default().resolve(cwd, decodeURIComponentSafe(file)) };
}
function decodeURIComponentSafe(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
function parsePostgres(raw, afterSlashes, input) {
    const at = afterSlashes.lastIndexOf('@');
    let userinfo = '';
    let rest = afterSlashes;
    if (at >= 0) {
        userinfo = afterSlashes.slice(0, at);
        rest = afterSlashes.slice(at + 1);
        const colon = userinfo.indexOf(':');
        const passwordPart = colon >= 0 ? userinfo.slice(colon + 1) : '';
        const userPart = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
        const bad = /[@#/?]/.exec(passwordPart) ?? /[@#/?]/.exec(userPart);
        if (bad) {
            if (passwordPart)
                (0,redact/* registerSecret */.cl)(passwordPart, { input, user: userPart });
            throw new errors/* ConfigError */.xL(`The password in ${input} contains an unencoded '${bad[0]}', so the URL cannot be split into user, password and host reliably (${redactRawUrl(raw)}).`, { fix: `${ENCODE_HINT}.` });
        }
    }
    else if (/[#]/.test(afterSlashes.split('?')[0])) {
        throw new errors/* ConfigError */.xL(`${input} is malformed: unexpected '#' in '${redactRawUrl(raw)}'.`, { fix: `${ENCODE_HINT}.` });
    }
    const colon = userinfo.indexOf(':');
    const user = decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo, 'user name', input, raw);
    const password = colon >= 0 ? decode(userinfo.slice(colon + 1), 'password', input, raw) : undefined;
    const queryStart = rest.indexOf('?');
    const query = queryStart >= 0 ? rest.slice(queryStart + 1) : '';
    const hostAndPath = queryStart >= 0 ? rest.slice(0, queryStart) : rest;
    const slash = hostAndPath.indexOf('/');
    const hostPort = slash >= 0 ? hostAndPath.slice(0, slash) : hostAndPath;
    const database = decode(slash >= 0 ? hostAndPath.slice(slash + 1) : '', 'database name', input, raw);
    // Registered once user and database are known: a password equal to either is not masked as free text.
    if (password !== undefined) {
        (0,redact/* registerSecret */.cl)(password, { input, user: user || 'postgres', database: database || user || 'postgres', alsoWritten: [userinfo.slice(colon + 1)] });
    }
    let host;
    let portText;
    const ipv6 = /^\[([^\]]+)\](?::(.*))?$/.exec(hostPort);
    if (ipv6) {
        host = ipv6[1];
        portText = ipv6[2];
    }
    else {
        const portColon = hostPort.lastIndexOf(':');
        host = portColon >= 0 ? hostPort.slice(0, portColon) : hostPort;
        portText = portColon >= 0 ? hostPort.slice(portColon + 1) : undefined;
    }
    if (!host) {
        throw new errors/* ConfigError */.xL(`${input} has no host name (${redactRawUrl(raw)}).`, { fix: `write it as postgresql://user:password@host:5432/dbname.` });
    }
    if (/[^a-zA-Z0-9.\-_:%]/.test(host)) {
        throw new errors/* ConfigError */.xL(`${input} has an invalid host name '${host}' (${redactRawUrl(raw)}).`, {
            fix: `check the URL; if the password contains special characters, ${ENCODE_HINT}.`,
        });
    }
    let port = 5432;
    if (portText !== undefined && portText !== '') {
        if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
            throw new errors/* ConfigError */.xL(`${input} has an invalid port '${portText}' (${redactRawUrl(raw)}).`, {
                fix: `use a port number between 1 and 65535, e.g. postgresql://user:password@host:5432/dbname.`,
            });
        }
        port = Number(portText);
    }
    const params = {};
    let sslmode;
    let sslrootcert;
    for (const [key, value] of new URLSearchParams(query)) {
        if (key === 'sslmode') {
            if (!SSL_MODES.includes(value)) {
                throw new errors/* ConfigError */.xL(`${input} has sslmode='${value}', which is not a libpq SSL mode.`, {
                    fix: `use one of ${SSL_MODES.join(', ')} (require = encrypted without certificate verification).`,
                });
            }
            sslmode = value;
        }
        else if (key === 'sslrootcert') {
            sslrootcert = value;
        }
        else if (key === 'password') {
            (0,redact/* registerSecret */.cl)(value, { input });
            throw new errors/* ConfigError */.xL(`${input} passes the password as a query parameter.`, {
                fix: `put it in the user-info part instead: postgresql://user:ENCODED_PASSWORD@host:5432/dbname.`,
            });
        }
        else {
            checkUrlParameter(key, value, input);
            params[key] = value;
        }
    }
    return {
        kind: 'postgres',
        host,
        port,
        database: database || user || 'postgres',
        user: user || 'postgres',
        ...(password !== undefined ? { password } : {}),
        ...(sslmode ? { sslmode } : {}),
        ...(sslrootcert ? { sslrootcert } : {}),
        params,
    };
}


/***/ }),

/***/ 7919:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ez: () => (/* binding */ locksHeld),
/* harmony export */   kX: () => (/* binding */ LONG_LOCK_MS),
/* harmony export */   qN: () => (/* binding */ dropFindings),
/* harmony export */   y0: () => (/* binding */ RULES),
/* harmony export */   yo: () => (/* binding */ statementFindings)
/* harmony export */ });
/* harmony import */ var _lock_modes_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9326);

const RULES = {
    'index-blocks-writes': {
        title: 'Index built without CONCURRENTLY',
        why: 'CREATE INDEX holds a SHARE lock on the table for the whole build: every INSERT, UPDATE and DELETE on it waits, and the queries queued behind them too.',
        instead: 'CREATE INDEX CONCURRENTLY in a migration of its own marked `-- cutover:no-transaction` (for a unique constraint: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX).',
    },
    'table-rewrite': {
        title: 'Table rewritten',
        why: 'The whole table is copied under ACCESS EXCLUSIVE: nothing reads or writes it until the migration commits, and the time grows with the table.',
        instead: 'Add a new column, backfill it in batches, switch the application over, then drop the old column; change types in ways that need no rewrite (varchar(n) to a larger n or text, numeric to a larger precision).',
    },
    'validation-scan': {
        title: 'Constraint checked by a full scan under a blocking lock',
        why: 'SET NOT NULL, or a CHECK or FOREIGN KEY added valid, reads every row while the table lock blocks writes (ALTER TABLE: reads too).',
        instead: 'ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later migration (it blocks neither reads nor writes); for NOT NULL, a validated CHECK (col IS NOT NULL) first lets SET NOT NULL skip the scan.',
    },
    'long-exclusive-lock': {
        title: 'ACCESS EXCLUSIVE held 1 s or longer',
        why: 'While it is held every query on the table waits, and they pile up behind it: the application stalls for that long (longer on production-sized data).',
        instead: 'Keep the transaction that takes it short: move backfills and index builds out of it, split the migration, and keep migration-lock-timeout so it never queues behind the application either.',
    },
    'drops-data': {
        title: 'Drops data',
        why: 'The values of a dropped table or column are gone for good, and application code that still reads it fails once this is deployed.',
        instead: 'Stop reading and writing it in a release first (and keep a backup if it may be needed), then drop it in a later migration.',
    },
};
/** An ACCESS EXCLUSIVE lock held at least this long (measured on the throwaway) is a finding. */
const LONG_LOCK_MS = 1_000;
/**
 * The strongest lock on each table while each statement runs: inside a transaction, what earlier
 * statements took is still held (PostgreSQL releases table locks at commit); a no-transaction
 * statement holds only its own.
 */
function locksHeld(statements) {
    const held = new Map();
    return statements.map((statement) => {
        const own = new Map();
        const into = statement.inTransaction ? held : own;
        for (const lock of statement.locks) {
            const known = into.get(lock.relation);
            if (!known || (0,_lock_modes_js__WEBPACK_IMPORTED_MODULE_0__/* .lockStrength */ .JP)(lock.mode) > (0,_lock_modes_js__WEBPACK_IMPORTED_MODULE_0__/* .lockStrength */ .JP)(known.mode))
                into.set(lock.relation, { ...lock, since: statement.line });
        }
        return new Map(into);
    });
}
/** Findings of one migration from its measured statements, in statement order. */
function statementFindings(statements, context) {
    const findings = [];
    const inBase = (table) => context.baseTables.has(table);
    const held = locksHeld(statements);
    statements.forEach((statement, position) => {
        const at = { migration: context.migration, line: statement.line };
        for (const index of statement.indexesBuilt) {
            if (index.concurrently || index.rows === 0 || !inBase(index.table))
                continue;
            const lock = held[position].get(index.table);
            findings.push({ rule: 'index-blocks-writes', ...at, table: index.table, rows: index.rows, durationMs: statement.durationMs, detail: index.index, ...(lock ? { mode: lock.mode } : {}) });
        }
        for (const rewrite of statement.rewrites) {
            if (rewrite.rows === 0 || !inBase(rewrite.table))
                continue;
            findings.push({ rule: 'table-rewrite', ...at, table: rewrite.table, rows: rewrite.rows, durationMs: statement.durationMs });
        }
        for (const validation of statement.validations) {
            const lock = held[position].get(validation.table);
            if (validation.rows === 0 || !inBase(validation.table) || !lock || lock.blocks === 'nothing')
                continue;
            findings.push({ rule: 'validation-scan', ...at, table: validation.table, rows: validation.rows, durationMs: statement.durationMs, detail: validation.what, mode: lock.mode });
        }
        for (const lock of statement.locks) {
            if (lock.mode !== 'AccessExclusiveLock' || !inBase(lock.relation))
                continue;
            // Held until the migration's transaction ends; a no-transaction statement holds it only while it runs.
            const held = statement.inTransaction
                ? statements.slice(position).filter((s) => s.inTransaction).reduce((sum, s) => sum + s.durationMs, 0)
                : statement.durationMs;
            if (held >= LONG_LOCK_MS)
                findings.push({ rule: 'long-exclusive-lock', ...at, table: lock.relation, durationMs: held, mode: lock.mode });
        }
    });
    return findings;
}
/** drops-data: dropped tables and columns that held data on the throwaway, attributed to `migration`. */
function dropFindings(changes, migration) {
    const findings = [];
    for (const table of changes.tables) {
        if (table.change === 'dropped') {
            if (table.rows)
                findings.push({ rule: 'drops-data', migration, table: table.table, rows: table.rows });
            continue;
        }
        for (const item of table.items) {
            if (item.kind === 'column' && item.change === 'dropped' && item.rows)
                findings.push({ rule: 'drops-data', migration, table: table.table, rows: item.rows, detail: `column ${item.name}` });
        }
    }
    return findings;
}


/***/ }),

/***/ 9326:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JP: () => (/* binding */ lockStrength),
/* harmony export */   SH: () => (/* binding */ blocksOf),
/* harmony export */   jU: () => (/* binding */ lockWords),
/* harmony export */   l4: () => (/* binding */ lockName),
/* harmony export */   n9: () => (/* binding */ isLockMode)
/* harmony export */ });
/* unused harmony export LOCK_MODES */
/** Weakest first. */
const LOCK_MODES = [
    'AccessShareLock',
    'RowShareLock',
    'RowExclusiveLock',
    'ShareUpdateExclusiveLock',
    'ShareLock',
    'ShareRowExclusiveLock',
    'ExclusiveLock',
    'AccessExclusiveLock',
];
function isLockMode(mode) {
    return LOCK_MODES.includes(mode);
}
function lockStrength(mode) {
    return LOCK_MODES.indexOf(mode);
}
/** "AccessExclusiveLock" → "ACCESS EXCLUSIVE", as the documentation and LOCK TABLE spell it. */
function lockName(mode) {
    return mode
        .replace(/Lock$/, '')
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toUpperCase();
}
function blocksOf(mode) {
    if (mode === 'AccessExclusiveLock')
        return 'reads and writes';
    if (mode === 'ShareLock' || mode === 'ShareRowExclusiveLock' || mode === 'ExclusiveLock')
        return 'writes';
    return 'nothing';
}
const WORDS = {
    AccessShareLock: 'blocks neither reads nor writes',
    RowShareLock: 'blocks neither reads nor writes',
    RowExclusiveLock: 'blocks neither reads nor writes (rows it changes stay locked for other writers until commit)',
    ShareUpdateExclusiveLock: 'blocks neither reads nor writes (only other schema changes and VACUUM)',
    ShareLock: 'blocks writes; reads go on',
    ShareRowExclusiveLock: 'blocks writes; reads go on',
    ExclusiveLock: 'blocks writes and SELECT … FOR UPDATE; plain reads go on',
    AccessExclusiveLock: 'blocks reads and writes',
};
/** What the mode means for the application, e.g. "blocks writes; reads go on". */
function lockWords(mode) {
    return WORDS[mode];
}


/***/ }),

/***/ 2906:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dz: () => (/* binding */ copySentence),
/* harmony export */   Wp: () => (/* binding */ finalCancellationLine),
/* harmony export */   X1: () => (/* binding */ migrationsSentence),
/* harmony export */   _u: () => (/* binding */ cancellationLine)
/* harmony export */ });
/* unused harmony export cutoverMigrationsSentence */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
// The one line a cancelled run ends with: what cancelled it and what state it left the target in.
// Each sentence is chosen from what the run knows it did (the copy threw its rollback, the copy
// returned after its commit, the migration runner's entries); where it cannot know, it says so.
// The modes (data-modes.ts, migration-mode.ts) throw a CancelledError carrying the state sentence;
// run-mode.ts puts "Cancelled (<cause>)" in front, or the sentence for a run that finished anyway.

/**
 * copy / cutover: what a copy stopped before its commit left. `migrationsApplied` is given for
 * cutover (the names its migration step applied), whose tables are then as the migrations left them.
 */
function copySentence(left, migrationsApplied) {
    const copy = left === 'rolled-back' ? 'the copy was rolled back' : 'the copy had not started';
    if (!migrationsApplied)
        return `${copy}; the target's tables are as they were before this run.`;
    if (migrationsApplied.length === 0)
        return `${cutoverMigrationsSentence([])}; ${copy}; the target's tables are as they were before this run.`;
    return `${cutoverMigrationsSentence(migrationsApplied)}; ${copy}; the target's tables are as the migrations left them.`;
}
function names(list) {
    return list.length > 8 ? `${list.slice(0, 8).join(', ')} and ${list.length - 8} more` : list.join(', ');
}
function migrationsWord(n) {
    return `${n} migration${n === 1 ? '' : 's'}`;
}
function stay(n) {
    return n === 1 ? 'stays' : 'stay';
}
/**
 * migrate / rollback / baseline: what this run changed and what stays so. `entries` are the runner's
 * (undefined when the cancelled runner reported none).
 */
function migrationsSentence(mode, entries) {
    const verb = mode === 'rollback' ? 'rolled back' : mode === 'baseline' ? 'recorded as applied' : 'applied';
    if (!entries || entries.length === 0) {
        return `cutover cannot tell which migrations this run had ${verb} before it stopped (each one commits on its own, so those stay ${verb}; the log above lists them).`;
    }
    const status = mode === 'rollback' ? 'rolled-back' : mode === 'baseline' ? 'baselined' : 'applied';
    const done = entries.filter((e) => e.status === status).map((e) => e.name);
    const interrupted = entries.filter((e) => e.status === 'failed');
    const parts = [done.length ? `the ${migrationsWord(done.length)} this run ${verb} (${names(done)}) ${stay(done.length)} ${verb}` : `this run ${verb} no migration`];
    for (const entry of interrupted)
        parts.push(`${entry.name} did not complete${entry.error ? ` (${entry.error.message.replace(/\.$/, '')})` : ''}`);
    return `${parts.join('; ')}.`;
}
/** cutover: the migrations step's share of the line, from the names the step returned. */
function cutoverMigrationsSentence(applied) {
    return applied.length
        ? `the ${migrationsWord(applied.length)} this run applied (${names(applied)}) ${stay(applied.length)} applied (the report has the command that undoes ${applied.length === 1 ? 'it' : 'them'})`
        : 'this run applied no migration';
}
/** A run that finished although it was cancelled (the cancel came too late to stop it). */
function finishedSentence(result) {
    const applied = result.migrations.filter((m) => m.status === 'applied').map((m) => m.name);
    const copied = `the copy was committed${result.verified ? ' and verified' : ''}: the target holds the copied rows`;
    switch (result.mode) {
        case 'copy':
            return `${copied}.`;
        case 'cutover':
            return `${cutoverMigrationsSentence(applied)}; ${copied}.`;
        case 'dry-run':
            return 'the dry run had finished, writing only to its dry-run database, not to the target.';
        default:
            return migrationsSentence(result.mode, result.migrations);
    }
}
/**
 * The line for a cancelled run. `reason` is the AbortSignal's reason; `error` what the run threw
 * (undefined if it completed); `started` false when the cancel came before the run began.
 */
function cancellationLine(reason, result, error, started = true) {
    const prefix = reason instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc ? reason.message : 'Cancelled';
    if (result.mode === 'status')
        return `${prefix}: status only reads; nothing was written.`;
    if (result.mode === 'verify')
        return `${prefix}: verify only reads; neither database was written.`;
    if (!started)
        return `${prefix}: the run stopped before it began; nothing was written.`;
    if (error === undefined)
        return `${prefix}, too late to stop the run, which completed: ${finishedSentence(result)}`;
    // The modes wrap their cancellations with what they left behind; a bare one has nothing to say.
    if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc && error !== reason)
        return `${prefix}: ${error.message}`;
    if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc)
        return `${prefix}: cutover cannot tell what the run had written before it stopped; check the target before rerunning.`;
    return `${prefix}, and the run ended with an error: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .formatError */ .Wk)(error)}`;
}
/** The line an entry prints: the run's own, or, when the cancel came after the engine had returned, that. */
function finalCancellationLine(result, reason) {
    const prefix = reason instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc ? reason.message : 'Cancelled';
    return result.cancelled ?? `${prefix} after the run had ended; its report states the outcome.`;
}


/***/ }),

/***/ 1645:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  r: () => (/* binding */ runMode)
});

// EXTERNAL MODULE: ./src/db/database-url.ts + 2 modules
var database_url = __webpack_require__(9974);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/redact.ts
var redact = __webpack_require__(6670);
;// CONCATENATED MODULE: ./src/run-result.ts
function emptyResult(mode) {
    return { mode, ok: true, migrations: [], tables: [], verified: null, warnings: [], notes: [], durationMs: 0 };
}

// EXTERNAL MODULE: ./src/engine/cancellation-line.ts
var cancellation_line = __webpack_require__(2906);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
var external_node_crypto_default = /*#__PURE__*/__webpack_require__.n(external_node_crypto_);
;// CONCATENATED MODULE: ./src/db/pg-client-lifecycle.ts
/**
 * Closes without waiting on the server (after failures and cancellations). With a reset (RST), not a
 * FIN: a FIN queues behind COPY data the server is not reading (it waits on a lock, say), so the
 * server would not see the close until that wait ends; an RST reaches it at once, and with
 * client_connection_check_interval (src/db/pg-session.ts) the backend then ends even mid-wait.
 */
function destroyClient(client) {
    const stream = client.connection?.stream;
    if (stream && !stream.destroyed) {
        try {
            if (stream.resetAndDestroy)
                stream.resetAndDestroy();
            else
                stream.destroy?.();
        }
        catch {
            stream.destroy?.();
        }
    }
    client.end().catch(() => undefined);
}
/** Ends politely, but destroys the socket if the server has not let go within `ms`. */
async function closeClient(client, ms = 2000) {
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
    try {
        const outcome = await Promise.race([client.end().then(() => 'ended', () => 'ended'), timedOut]);
        if (outcome === 'timeout')
            destroyClient(client);
    }
    finally {
        clearTimeout(timer);
    }
}
/**
 * Calls `onLost` once if the connection fails or closes before `stop()` is called. Returns `stop`,
 * to be called before closing the client on purpose.
 */
function watchConnection(client, onLost) {
    let active = true;
    const lost = (error) => {
        if (!active)
            return;
        active = false;
        onLost(error);
    };
    const onError = (error) => lost(error);
    const onEnd = () => lost(new Error('the server closed the connection'));
    client.on('error', onError);
    client.on('end', onEnd);
    return () => {
        active = false;
        client.off('error', onError);
        client.off('end', onEnd);
    };
}

;// CONCATENATED MODULE: ./src/copy/cast/target-kind.ts
// How cutover thinks about a target column's type: a small set of kinds that decide both the cast
// rule used on the way in and the canonical form used by checksums. Everything else is 'other'.
const BY_TYPNAME = {
    bool: 'boolean', int2: 'int2', int4: 'int4', int8: 'int8', numeric: 'numeric', float4: 'float4', float8: 'float8',
    text: 'text', citext: 'text', name: 'text', varchar: 'varchar', bpchar: 'bpchar', bytea: 'bytea', date: 'date',
    timestamp: 'timestamp', timestamptz: 'timestamptz', time: 'time', json: 'json', jsonb: 'jsonb', uuid: 'uuid',
};
/** From pg_type.typname and the format_type text (which carries the typmod). */
function classifyPgType(typname, formatted) {
    const kind = BY_TYPNAME[typname] ?? 'other';
    const type = { kind, sql: formatted };
    const args = /\((\d+)(?:,\s*(\d+))?\)/.exec(formatted);
    if ((kind === 'varchar' || kind === 'bpchar') && args)
        type.length = Number(args[1]);
    if (kind === 'numeric' && args) {
        type.precision = Number(args[1]);
        type.scale = args[2] ? Number(args[2]) : 0;
    }
    return type;
}

// EXTERNAL MODULE: ./src/db/pg-identifiers.ts
var pg_identifiers = __webpack_require__(3876);
;// CONCATENATED MODULE: ./src/db/pg-introspect.ts


async function readPgRole(client) {
    const { rows } = await client.query(`SELECT current_user AS name, rolsuper AS superuser, rolbypassrls AS "bypassRls" FROM pg_roles WHERE rolname = current_user`);
    return rows[0];
}
function pgTableKey(schema, name) {
    return `${schema}.${name}`;
}
function pgTableSql(table) {
    return (0,pg_identifiers/* qualifiedName */.OL)(table.schema, table.name);
}
const SYSTEM_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;
async function listPgTables(client) {
    const tables = await client.query(`SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, pg_has_role(c.relowner, 'USAGE') AS owned,
            has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT') AS sel,
            has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'INSERT') AS ins,
            has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'TRUNCATE') AS trunc,
            c.relrowsecurity AS rls, c.relforcerowsecurity AS force, row_security_active(c.oid) AS applies,
            (SELECT e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
              WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
                AND ((d.classid = 'pg_class'::regclass AND d.objid = c.oid) OR (d.classid = 'pg_namespace'::regclass AND d.objid = n.oid))
              ORDER BY d.classid = 'pg_class'::regclass DESC LIMIT 1) AS extension
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${SYSTEM_SCHEMAS}
      ORDER BY n.nspname, c.relname`);
    const byOid = new Map();
    for (const row of tables.rows) {
        byOid.set(row.oid, {
            schema: row.schema, name: row.name, columns: [], primaryKey: [], foreignKeys: [],
            owned: row.owned, rowSecurity: row.rls, forceRowSecurity: row.force, rowSecurityApplies: row.applies, userTriggers: [],
            ...(row.extension ? { extension: row.extension } : {}),
            privileges: { select: row.sel, insert: row.ins, truncate: row.trunc },
        });
    }
    if (byOid.size === 0)
        return [];
    const oids = [...byOid.keys()];
    const columns = await client.query(`SELECT a.attrelid::int AS oid, a.attname AS name, coalesce(bt.typname, t.typname) AS typname,
            format_type(coalesce(bt.oid, t.oid), CASE WHEN bt.oid IS NULL THEN a.atttypmod ELSE t.typtypmod END) AS formatted,
            a.attnotnull AS notnull, a.atthasdef AS hasdef, a.attidentity AS identity, a.attgenerated AS generated,
            coalesce(pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname),
                     substring(pg_get_expr(d.adbin, d.adrelid) from $re$^nextval\\('(.*)'::regclass\\)$$re$)) AS sequence
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`, [oids]);
    for (const row of columns.rows) {
        byOid.get(row.oid).columns.push({
            name: row.name,
            type: classifyPgType(row.typname, row.formatted),
            notNull: row.notnull,
            hasDefault: row.hasdef || row.identity !== '',
            identity: row.identity,
            generated: row.generated !== '',
            ...(row.sequence ? { sequence: row.sequence } : {}),
        });
    }
    const constraints = await client.query(`SELECT c.conrelid::int AS oid, c.contype, c.conname AS name, c.condeferrable AS deferrable,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS cols,
            rn.nspname AS refschema, rc.relname AS reftable,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS refcols
       FROM pg_constraint c
       LEFT JOIN pg_class rc ON rc.oid = c.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      WHERE c.conrelid = ANY($1::oid[]) AND c.contype IN ('p', 'f')
      ORDER BY c.conname`, [oids]);
    for (const row of constraints.rows) {
        const table = byOid.get(row.oid);
        if (row.contype === 'p')
            table.primaryKey = row.cols;
        else
            table.foreignKeys.push({ name: row.name, columns: row.cols, refSchema: row.refschema, refTable: row.reftable, refColumns: row.refcols ?? [], deferrable: row.deferrable });
    }
    const triggers = await client.query(`SELECT tgrelid::int AS oid, tgname AS name, tgtype::int AS type, tgenabled AS enabled
       FROM pg_trigger WHERE tgrelid = ANY($1::oid[]) AND NOT tgisinternal ORDER BY tgname`, [oids]);
    for (const row of triggers.rows)
        byOid.get(row.oid).userTriggers.push(describeTrigger(row));
    return [...byOid.values()];
}
// pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
const ROW = 1, BEFORE = 2, INSERT = 4, DELETE = 8, UPDATE = 16, TRUNCATE = 32, INSTEAD = 64;
function describeTrigger(row) {
    const events = [[INSERT, 'INSERT'], [UPDATE, 'UPDATE'], [DELETE, 'DELETE'], [TRUNCATE, 'TRUNCATE']].filter(([bit]) => row.type & bit).map(([, event]) => event);
    return {
        name: row.name,
        timing: row.type & INSTEAD ? 'INSTEAD OF' : row.type & BEFORE ? 'BEFORE' : 'AFTER',
        events,
        forEachRow: (row.type & ROW) !== 0,
        enabled: row.enabled === 'O' || row.enabled === 'A',
    };
}
async function pgTableIsEmpty(client, table) {
    const result = await client.query(`SELECT 1 FROM ${pgTableSql(table)} LIMIT 1`);
    return result.rowCount === 0;
}

;// CONCATENATED MODULE: ./src/db/pg-session.ts
async function prepareCopySession(client) {
    await client.query(`SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; SET TimeZone = 'UTC';
     SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0; SET client_encoding = 'UTF8'`);
    await noticeLostClients(client);
}
/**
 * When cutover goes away (killed, cancelled: it destroys its sockets) the server must notice at once,
 * even while the session waits on a lock or runs a long statement, or it would keep its transaction
 * and locks: on PostgreSQL 14+ client_connection_check_interval polls the socket during queries; and
 * TCP keepalives from the server side find a client whose machine vanished in about 25 s.
 */
async function noticeLostClients(client) {
    const { rows } = await client.query(`SELECT current_setting('server_version_num')::int AS v`);
    const check = rows[0].v >= 140000 ? `SET client_connection_check_interval = 1000; ` : '';
    await client.query(`${check}SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3`);
}
/** Reader sessions (the source, and the target when verify reads it): with row_security off, as
 *  pg_dump sets it, a table whose policies would filter rows makes the query fail ("query would be
 *  affected by row-level security policy") instead of silently returning fewer rows. The preflight
 *  (src/copy/plan/row-security-preflight.ts) refuses such tables first, with the fix; this is the
 *  guarantee behind it. */
async function prepareSourceReadSession(client) {
    await prepareCopySession(client);
    await client.query('SET row_security = off');
}

// EXTERNAL MODULE: ./src/db/postgres-connect.ts
var postgres_connect = __webpack_require__(7580);
;// CONCATENATED MODULE: ./src/db/same-database.ts
async function fingerprint(client) {
    const { rows } = await client.query(`SELECT extract(epoch FROM pg_postmaster_start_time())::text AS started,
            (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS oid`);
    // Revoked on some managed services; the other checks stand on their own. Asked, not tried: an
    // error would abort the transaction the connection may be in (a source snapshot).
    const { rows: allowed } = await client.query(`SELECT has_function_privilege('pg_control_system()', 'EXECUTE') AS ok`);
    const systemIdentifier = allowed[0].ok ? (await client.query('SELECT system_identifier::text AS id FROM pg_control_system()')).rows[0]?.id : undefined;
    return { ...(systemIdentifier ? { systemIdentifier } : {}), startedAt: rows[0].started, databaseOid: rows[0].oid };
}
/**
 * Compares the databases behind two open connections. `probe` must carry an application_name no
 * other session uses. Neither connection may be inside a transaction that already read
 * pg_stat_activity (Postgres keeps that view fixed for the rest of the transaction).
 */
async function compareConnections(probe, other, otherLabel) {
    const me = await probe.query(`SELECT pg_backend_pid() AS pid, current_setting('application_name') AS app`);
    const seen = await other.query(`SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND application_name = $2 AND datname = current_database()) AS seen`, [me.rows[0].pid, me.rows[0].app]);
    if (seen.rows[0].seen)
        return { same: true, how: `the connection shows up in the pg_stat_activity of ${otherLabel}` };
    const [mine, theirs] = [await fingerprint(probe), await fingerprint(other)];
    const identifiers = mine.systemIdentifier && theirs.systemIdentifier;
    if ((!identifiers || mine.systemIdentifier === theirs.systemIdentifier) && mine.startedAt === theirs.startedAt && mine.databaseOid === theirs.databaseOid) {
        return { same: true, how: `both servers report the same ${identifiers ? 'system identifier, ' : ''}start time and database` };
    }
    return { same: false, how: `compared on the servers: ${identifiers ? 'system identifier, ' : ''}start time, database` };
}

// EXTERNAL MODULE: ./src/db/supabase.ts
var supabase = __webpack_require__(6566);
;// CONCATENATED MODULE: ./src/db/sqlite-sql-tokens.ts
// Splits SQLite SQL text (the CREATE TABLE / CREATE INDEX statements kept in sqlite_schema) into
// tokens with their offsets, so parts of it can be found (CHECK, COLLATE, DEFERRABLE, index
// expressions) and quoted back verbatim in reports. SQLite's pragmas do not expose those parts.
const OPERATORS = ['||', '==', '!=', '<>', '<=', '>=', '<<', '>>', '->>', '->', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '~'];
class SqlTokenError extends Error {
}
function tokenizeSqlite(sql) {
    const tokens = [];
    let i = 0;
    const push = (kind, start, end, value) => tokens.push({ kind, text: sql.slice(start, end), value: value ?? sql.slice(start, end), start, end });
    while (i < sql.length) {
        const c = sql[i];
        if (/\s/.test(c)) {
            i++;
            continue;
        }
        if (sql.startsWith('--', i)) {
            const nl = sql.indexOf('\n', i);
            i = nl < 0 ? sql.length : nl + 1;
            continue;
        }
        if (sql.startsWith('/*', i)) {
            const close = sql.indexOf('*/', i + 2);
            i = close < 0 ? sql.length : close + 2;
            continue;
        }
        const start = i;
        if (c === "'" || c === '"' || c === '`') {
            let value = '';
            i++;
            for (;;) {
                if (i >= sql.length)
                    throw new SqlTokenError(`unterminated ${c} at offset ${start}`);
                if (sql[i] === c) {
                    if (sql[i + 1] === c) {
                        value += c;
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                value += sql[i++];
            }
            push(c === "'" ? 'string' : 'quoted', start, i, value);
            continue;
        }
        if (c === '[') {
            const close = sql.indexOf(']', i);
            if (close < 0)
                throw new SqlTokenError(`unterminated [ at offset ${start}`);
            i = close + 1;
            push('quoted', start, i, sql.slice(start + 1, close));
            continue;
        }
        if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
            const close = sql.indexOf("'", i + 2);
            if (close < 0)
                throw new SqlTokenError(`unterminated blob literal at offset ${start}`);
            i = close + 1;
            push('blob', start, i, sql.slice(start + 2, close));
            continue;
        }
        const number = /^(0x[0-9a-f]+|(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?)/i.exec(sql.slice(i, i + 64));
        if (number && /[\d.]/.test(c) && (c !== '.' || /\d/.test(sql[i + 1] ?? ''))) {
            i += number[0].length;
            push('number', start, i);
            continue;
        }
        const word = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(i, i + 512));
        if (word) {
            i += word[0].length;
            push('word', start, i);
            continue;
        }
        if (c === '(') {
            i++;
            push('open', start, i);
            continue;
        }
        if (c === ')') {
            i++;
            push('close', start, i);
            continue;
        }
        if (c === ',') {
            i++;
            push('comma', start, i);
            continue;
        }
        if (c === ';') {
            i++;
            push('semicolon', start, i);
            continue;
        }
        if (c === '.') {
            i++;
            push('dot', start, i);
            continue;
        }
        const op = OPERATORS.find((o) => sql.startsWith(o, i));
        if (op) {
            i += op.length;
            push('op', start, i);
            continue;
        }
        throw new SqlTokenError(`unexpected character ${JSON.stringify(c)} at offset ${start}`);
    }
    return tokens;
}
/** Is this token the (case-insensitive) keyword? Quoted identifiers never are. */
function isWord(token, ...words) {
    return token?.kind === 'word' && words.some((w) => w.toLowerCase() === token.value.toLowerCase());
}
function isName(token) {
    return token?.kind === 'word' || token?.kind === 'quoted' || token?.kind === 'string';
}
/** Index of the token closing the parenthesis opened at `open`. */
function matchingClose(tokens, open) {
    let depth = 0;
    for (let i = open; i < tokens.length; i++) {
        if (tokens[i].kind === 'open')
            depth++;
        else if (tokens[i].kind === 'close' && --depth === 0)
            return i;
    }
    throw new SqlTokenError('unbalanced parentheses');
}
/** Splits tokens[from, to) at top-level commas. */
function splitTopLevel(tokens, from, to) {
    const parts = [];
    let current = [];
    let depth = 0;
    for (let i = from; i < to; i++) {
        const token = tokens[i];
        if (token.kind === 'open')
            depth++;
        if (token.kind === 'close')
            depth--;
        if (token.kind === 'comma' && depth === 0) {
            parts.push(current);
            current = [];
            continue;
        }
        current.push(token);
    }
    if (current.length > 0)
        parts.push(current);
    return parts;
}
/** The original text spanned by tokens (comments and spacing inside kept as written). */
function sourceText(sql, tokens) {
    return tokens.length === 0 ? '' : sql.slice(tokens[0].start, tokens[tokens.length - 1].end);
}

;// CONCATENATED MODULE: ./src/db/sqlite-schema-sql.ts
// Reads what SQLite's pragmas do not tell from the CREATE TABLE / CREATE INDEX text in
// sqlite_schema: CHECK constraints, column collations, constraint names, AUTOINCREMENT, DEFERRABLE
// clauses of foreign keys, and the expressions and WHERE clause of an index. The pragmas stay the
// authority for columns, keys and actions; this only adds to them.

const COLUMN_CONSTRAINT_START = new Set(['constraint', 'primary', 'not', 'null', 'unique', 'check', 'default', 'collate', 'references', 'generated', 'as']);
function nameOf(token) {
    return token ? token.value : '';
}
function parenthesized(sql, tokens, open) {
    const close = matchingClose(tokens, open);
    return { inner: tokens.slice(open + 1, close), next: close + 1 };
}
function columnList(tokens) {
    // Each item: name [COLLATE x] [ASC|DESC]; only the name matters here.
    return splitTopLevel(tokens, 0, tokens.length).map((item) => nameOf(item[0]));
}
/** REFERENCES … up to the end of the clause; returns table, deferrable and where it ended. */
function references(tokens, at) {
    let i = at + 1;
    const refTable = nameOf(tokens[i++]);
    if (tokens[i]?.kind === 'open')
        i = matchingClose(tokens, i) + 1;
    let deferrable;
    while (i < tokens.length) {
        const t = tokens[i];
        if (isWord(t, 'on')) {
            i += isWord(tokens[i + 2], 'set', 'no') ? 4 : 3;
            continue;
        }
        if (isWord(t, 'match')) {
            i += 2;
            continue;
        }
        if (isWord(t, 'not') && isWord(tokens[i + 1], 'deferrable')) {
            i += 2;
            if (isWord(tokens[i], 'initially'))
                i += 2;
            continue;
        }
        if (isWord(t, 'deferrable')) {
            deferrable = isWord(tokens[i + 1], 'initially') && isWord(tokens[i + 2], 'deferred') ? 'deferred' : 'immediate';
            i += isWord(tokens[i + 1], 'initially') ? 3 : 1;
            continue;
        }
        break;
    }
    return { refTable, ...(deferrable ? { deferrable } : {}), next: i };
}
function parseColumn(sql, item, result) {
    const name = nameOf(item[0]);
    const column = { name, sql: sourceText(sql, item) };
    let i = 1;
    while (i < item.length && !(item[i].kind === 'word' && COLUMN_CONSTRAINT_START.has(item[i].value.toLowerCase()))) {
        i = item[i].kind === 'open' ? matchingClose(item, i) + 1 : i + 1;
    }
    let pendingName;
    let constraintStart = i;
    while (i < item.length) {
        const t = item[i];
        if (isWord(t, 'constraint')) {
            pendingName = nameOf(item[i + 1]);
            constraintStart = i;
            i += 2;
            continue;
        }
        const start = pendingName !== undefined ? constraintStart : i;
        if (isWord(t, 'primary')) {
            result.primaryKey = { ...(pendingName ? { name: pendingName } : {}), columns: [name] };
            i += 2;
        }
        else if (isWord(t, 'unique')) {
            result.uniques.push({ ...(pendingName ? { name: pendingName } : {}), columns: [name] });
            i++;
        }
        else if (isWord(t, 'check') && item[i + 1]?.kind === 'open') {
            const { inner, next } = parenthesized(sql, item, i + 1);
            result.checks.push({ ...(pendingName ? { name: pendingName } : {}), column: name, tokens: inner, text: sourceText(sql, inner), sql: sourceText(sql, item.slice(start, next)) });
            i = next;
        }
        else if (isWord(t, 'collate')) {
            column.collation = nameOf(item[i + 1]).toUpperCase();
            i += 2;
        }
        else if (isWord(t, 'references')) {
            const ref = references(item, i);
            result.foreignKeys.push({ ...(pendingName ? { name: pendingName } : {}), columns: [name], refTable: ref.refTable, ...(ref.deferrable ? { deferrable: ref.deferrable } : {}), sql: sourceText(sql, item.slice(start, ref.next)) });
            i = ref.next;
        }
        else if (isWord(t, 'autoincrement')) {
            result.autoincrement = true;
            i++;
        }
        else if (t.kind === 'open') {
            i = matchingClose(item, i) + 1;
            continue;
        }
        else {
            i++;
            continue;
        }
        pendingName = undefined;
    }
    result.columns.push(column);
}
function parseTableConstraint(sql, item, result) {
    let i = 0;
    let name;
    if (isWord(item[0], 'constraint')) {
        name = nameOf(item[1]);
        i = 2;
    }
    const named = name !== undefined ? { name } : {};
    const t = item[i];
    if (isWord(t, 'primary') && item[i + 2]?.kind === 'open') {
        result.primaryKey = { ...named, columns: columnList(parenthesized(sql, item, i + 2).inner) };
    }
    else if (isWord(t, 'unique') && item[i + 1]?.kind === 'open') {
        result.uniques.push({ ...named, columns: columnList(parenthesized(sql, item, i + 1).inner) });
    }
    else if (isWord(t, 'check') && item[i + 1]?.kind === 'open') {
        const { inner } = parenthesized(sql, item, i + 1);
        result.checks.push({ ...named, tokens: inner, text: sourceText(sql, inner), sql: sourceText(sql, item) });
    }
    else if (isWord(t, 'foreign') && item[i + 2]?.kind === 'open') {
        const { inner, next } = parenthesized(sql, item, i + 2);
        const ref = isWord(item[next], 'references') ? references(item, next) : undefined;
        if (ref)
            result.foreignKeys.push({ ...named, columns: columnList(inner), refTable: ref.refTable, ...(ref.deferrable ? { deferrable: ref.deferrable } : {}), sql: sourceText(sql, item) });
    }
}
const TABLE_CONSTRAINT_START = ['constraint', 'primary', 'unique', 'check', 'foreign'];
function parseCreateTable(sql) {
    const result = { columns: [], checks: [], foreignKeys: [], uniques: [], autoincrement: false };
    const tokens = tokenizeSqlite(sql);
    const open = tokens.findIndex((t) => t.kind === 'open');
    if (open < 0)
        return result;
    const close = matchingClose(tokens, open);
    for (const item of splitTopLevel(tokens, open + 1, close)) {
        if (item.length === 0)
            continue;
        // These keywords are reserved in SQLite: a column so named is quoted, so a bare one starts a table constraint.
        if (item[0].kind === 'word' && TABLE_CONSTRAINT_START.includes(item[0].value.toLowerCase())) {
            parseTableConstraint(sql, item, result);
        }
        else if (isName(item[0])) {
            parseColumn(sql, item, result);
        }
    }
    return result;
}
function parseCreateIndex(sql) {
    const tokens = tokenizeSqlite(sql);
    const on = tokens.findIndex((t) => isWord(t, 'on'));
    const open = tokens.findIndex((t, i) => i > on && t.kind === 'open');
    if (on < 0 || open < 0)
        return undefined;
    const close = matchingClose(tokens, open);
    const terms = splitTopLevel(tokens, open + 1, close).map((item) => {
        let end = item.length;
        if (isWord(item[end - 1], 'asc', 'desc'))
            end--;
        if (end >= 2 && isWord(item[end - 2], 'collate'))
            end -= 2;
        const expr = item.slice(0, end);
        return { tokens: expr, text: sourceText(sql, expr) };
    });
    const whereAt = tokens.findIndex((t, i) => i > close && isWord(t, 'where'));
    if (whereAt < 0)
        return { terms };
    const rest = tokens.slice(whereAt + 1).filter((t) => t.kind !== 'semicolon');
    return { terms, where: { tokens: rest, text: sourceText(sql, rest) } };
}

;// CONCATENATED MODULE: ./src/db/sqlite-introspect.ts

/** Tables cutover never copies: SQLite's own bookkeeping. */
function isSqliteInternalTable(name) {
    return /^sqlite_/i.test(name);
}
const sameName = (a, b) => a.toLowerCase() === b.toLowerCase();
const sameColumns = (a, b) => a.length === b.length && a.every((c, i) => sameName(c, b[i]));
function readTableSql(sql) {
    try {
        return { parsed: parseCreateTable(sql) };
    }
    catch (error) {
        return { parsed: { columns: [], checks: [], foreignKeys: [], uniques: [], autoincrement: false }, unreadable: error.message };
    }
}
function listIndexes(db, table, sqlByName) {
    const list = db.prepare(`SELECT * FROM pragma_index_list(?) ORDER BY name`).all(table);
    return list.map((row) => {
        const terms = db.prepare(`SELECT * FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`).all(row.name);
        const sql = sqlByName.get(row.name) ?? null;
        const index = {
            name: row.name,
            unique: row.unique === 1,
            origin: row.origin,
            columns: terms.map((t) => ({ name: t.cid === -1 ? 'rowid' : t.name, descending: t.desc === 1, collation: (t.coll ?? 'BINARY').toUpperCase() })),
            sql,
        };
        if (sql && (row.partial === 1 || terms.some((t) => t.cid === -2))) {
            try {
                const parsed = parseCreateIndex(sql);
                if (!parsed || parsed.terms.length !== terms.length)
                    throw new Error('its terms do not match PRAGMA index_xinfo');
                parsed.terms.forEach((term, i) => { if (terms[i].cid === -2)
                    index.columns[i].expression = term; });
                if (parsed.where)
                    index.where = parsed.where;
            }
            catch (error) {
                index.unreadable = error.message;
            }
        }
        return index;
    });
}
function readSequences(db) {
    const exists = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_sequence'`).get();
    if (!exists)
        return new Map();
    const rows = db.prepare(`SELECT name, seq FROM sqlite_sequence`).all();
    return new Map(rows.map((r) => [r.name.toLowerCase(), Number(r.seq)]));
}
function listSqliteTables(db) {
    const rows = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all();
    const indexSql = new Map(db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index'`).all().map((r) => [r.name, r.sql]));
    const sequences = readSequences(db);
    const tables = [];
    for (const row of rows) {
        if (isSqliteInternalTable(row.name) || /^\s*CREATE\s+VIRTUAL\s/i.test(row.sql ?? ''))
            continue;
        const { parsed, unreadable } = readTableSql(row.sql ?? '');
        const info = db.prepare(`SELECT * FROM pragma_table_xinfo(?)`).all(row.name);
        // hidden: 1 = virtual-table column, 2/3 = generated column; none of them hold copyable data.
        const columns = info
            .filter((c) => c.hidden === 0)
            .map((c) => {
            const collation = parsed.columns.find((p) => sameName(p.name, c.name))?.collation;
            return { name: c.name, declaredType: (c.type ?? '').trim(), notNull: c.notnull === 1, defaultSql: c.dflt_value, pkPosition: c.pk, ...(collation ? { collation } : {}) };
        });
        const generatedColumns = info.filter((c) => c.hidden === 2 || c.hidden === 3).map((c) => ({ name: c.name, sql: parsed.columns.find((p) => sameName(p.name, c.name))?.sql ?? c.name }));
        const primaryKey = columns.filter((c) => c.pkPosition > 0).sort((a, b) => a.pkPosition - b.pkPosition).map((c) => c.name);
        const fkRows = db.prepare(`SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq`).all(row.name);
        const foreignKeys = new Map();
        for (const fk of fkRows) {
            const entry = foreignKeys.get(fk.id) ?? { columns: [], refTable: fk.table, refColumns: [], onUpdate: fk.on_update, onDelete: fk.on_delete };
            entry.columns.push(fk.from);
            if (fk.to)
                entry.refColumns.push(fk.to);
            foreignKeys.set(fk.id, entry);
        }
        for (const fk of foreignKeys.values()) {
            const written = parsed.foreignKeys.find((p) => sameName(p.refTable, fk.refTable) && sameColumns(p.columns, fk.columns));
            if (written?.name)
                fk.name = written.name;
            if (written?.deferrable)
                fk.deferrable = written.deferrable;
            if (written)
                fk.sql = written.sql;
        }
        const hasRowid = !/\)\s*WITHOUT\s+ROWID\s*;?\s*$/i.test(row.sql ?? '');
        const pkColumn = primaryKey.length === 1 ? columns.find((c) => c.name === primaryKey[0]) : undefined;
        const rowidAlias = hasRowid && pkColumn && /^integer$/i.test(pkColumn.declaredType) ? pkColumn.name : undefined;
        const pkHasNulls = primaryKey.length > 0 && !rowidAlias &&
            db.prepare(`SELECT 1 FROM ${quote(row.name)} WHERE ${primaryKey.map((c) => `${quote(c)} IS NULL`).join(' OR ')} LIMIT 1`).get() !== undefined;
        const sequence = sequences.get(row.name.toLowerCase());
        tables.push({
            name: row.name, columns, primaryKey, foreignKeys: [...foreignKeys.values()], hasRowid, ...(rowidAlias ? { rowidAlias } : {}), pkHasNulls, sql: row.sql ?? '',
            indexes: listIndexes(db, row.name, indexSql),
            checks: parsed.checks,
            ...(parsed.primaryKey?.name ? { primaryKeyName: parsed.primaryKey.name } : {}),
            uniqueNames: parsed.uniques.filter((u) => u.name !== undefined),
            autoincrement: parsed.autoincrement,
            ...(sequence !== undefined ? { sequence } : {}),
            generatedColumns,
            ...(unreadable ? { unreadable } : {}),
        });
    }
    return tables;
}
/** Views and triggers: create-tables does not make them, and says so. */
function listSqliteViewsAndTriggers(db) {
    const rows = db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL ORDER BY type DESC, name`).all();
    return rows.map((r) => ({ kind: r.type, name: r.name, table: r.tbl_name, sql: r.sql }));
}
const quote = (name) => `"${name.replace(/"/g, '""')}"`;
function countSqliteRows(db, table) {
    const row = db.prepare(`SELECT count(*) AS n FROM "${table.replace(/"/g, '""')}"`).get();
    return Number(row.n);
}

// EXTERNAL MODULE: ./src/db/sqlite-open.ts
var sqlite_open = __webpack_require__(2393);
;// CONCATENATED MODULE: ./src/copy/load/copy-failed-error.ts
// A failed copy, with what had been done per table when it failed (for the report).

class CopyFailedError extends errors/* CopyError */.k6 {
    tables;
    constructor(message, options) {
        super(message, options);
        this.tables = options.tables;
    }
}

;// CONCATENATED MODULE: ./src/copy/load/copy-journal.ts


const JOURNAL_TABLE = 'cutover_copy_journal';
class CopyJournal {
    table;
    schema;
    runId;
    groups;
    constructor(schema, runId, groups) {
        this.schema = schema;
        this.runId = runId;
        this.groups = groups;
        this.table = (0,pg_identifiers/* qualifiedName */.OL)(schema, JOURNAL_TABLE);
    }
    /** Creates the journal table (outside any load transaction). Throws when the role cannot. */
    async ensure(client) {
        await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
         run_id text NOT NULL, group_no int NOT NULL, groups int NOT NULL, table_name text NOT NULL,
         display_name text NOT NULL, created boolean NOT NULL, rows bigint NOT NULL, sequences jsonb NOT NULL,
         committed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run_id, table_name))`);
    }
    /** Inside load transaction `groupNo`, just before its COMMIT. */
    async record(client, groupNo, entries) {
        for (const entry of entries) {
            await client.query(`INSERT INTO ${this.table} (run_id, group_no, groups, table_name, display_name, created, rows, sequences) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
                this.runId,
                groupNo,
                this.groups,
                entry.table,
                entry.display,
                entry.created,
                entry.rows,
                JSON.stringify(entry.sequences),
            ]);
        }
    }
    /** After every transaction committed: the run is complete, forget it. */
    async complete(client) {
        await client.query(`DELETE FROM ${this.table} WHERE run_id = $1`, [this.runId]);
        await dropIfEmpty(client, this.table);
    }
}
/**
 * Drops the journal table when no entry is left (a finished copy leaves no trace). Best effort and
 * brief: it gives up after a second rather than wait on a session that holds the table.
 */
async function dropIfEmpty(client, table) {
    await client.query('BEGIN');
    try {
        await client.query(`SET LOCAL lock_timeout = '1s'`);
        const { rows } = await client.query(`SELECT 1 FROM ${table} LIMIT 1`);
        if (rows.length === 0)
            await client.query(`DROP TABLE ${table}`);
        await client.query('COMMIT');
    }
    catch {
        await client.query('ROLLBACK').catch(() => undefined);
    }
}
/** Sequence positions before the load, so an undo puts them back too. */
async function readSequenceStates(client, sequences) {
    const states = [];
    for (const sequence of sequences) {
        const { rows } = await client.query(`SELECT last_value::text, is_called FROM ${sequence}`);
        states.push({ sequence, lastValue: rows[0].last_value, isCalled: rows[0].is_called });
    }
    return states;
}
/**
 * Looks for an earlier copy whose commit was interrupted and undoes it (the tables it filled were
 * empty before it). Runs under the target's copy lock, before anything else is written.
 */
async function repairInterruptedCopy(client, schema, runtime, lockTimeoutMs = 300_000) {
    const table = (0,pg_identifiers/* qualifiedName */.OL)(schema, JOURNAL_TABLE);
    const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [table]);
    if (!exists.rows[0].present)
        return;
    // The undo counts and empties tables an application may be holding: it waits at most lock-timeout.
    await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
    try {
        await repairRuns(client, table, runtime);
    }
    catch (error) {
        // The undo wraps its own failures (a CopyError with the pg error as cause).
        const lock = [error, error.cause].find((e) => e?.code === '55P03');
        if (!lock)
            throw error;
        throw new errors/* LockTimeoutError */.XB(`An earlier copy into the target was interrupted half-way (see ${table}), and undoing it waited longer than lock-timeout for a lock another session holds on its tables. Nothing was changed by this run.`, {
            cause: lock,
            fix: "stop the application's use of the target's tables and run the copy again (it first undoes the interrupted copy), or raise lock-timeout.",
        });
    }
    finally {
        await client.query('RESET lock_timeout').catch(() => undefined);
    }
}
async function repairRuns(client, table, runtime) {
    const { rows } = await client.query(`SELECT * FROM ${table} ORDER BY run_id, group_no, table_name`);
    // Empty: left by a copy that failed or was cancelled before it committed anything.
    if (rows.length === 0)
        return dropIfEmpty(client, table);
    const runs = new Map();
    for (const row of rows)
        runs.set(row.run_id, [...(runs.get(row.run_id) ?? []), row]);
    for (const [runId, entries] of runs) {
        const committed = new Set(entries.map((e) => e.group_no)).size;
        const total = entries[0].groups;
        if (committed >= total) {
            // Every transaction committed; only the bookkeeping after them was cut short.
            await client.query(`DELETE FROM ${table} WHERE run_id = $1`, [runId]);
            runtime.info(`An earlier copy (run ${runId}) committed all its ${total} transactions but was stopped before it cleaned up its journal; its journal entry was removed.`);
            continue;
        }
        await undoPartialCopy(client, table, runId, entries, committed, total, runtime);
    }
    await dropIfEmpty(client, table);
}
async function undoPartialCopy(client, journal, runId, entries, committed, total, runtime) {
    const names = entries.map((e) => e.display_name).join(', ');
    const when = entries[0].committed_at instanceof Date ? entries[0].committed_at.toISOString() : String(entries[0].committed_at);
    const changed = [];
    for (const entry of entries) {
        const { rows } = await client.query(`SELECT count(*) AS n FROM ${entry.table_name}`);
        if (rows[0].n !== String(entry.rows))
            changed.push(`${entry.display_name} (the copy left ${entry.rows} rows, it now holds ${rows[0].n})`);
    }
    if (changed.length > 0) {
        throw new errors/* CopyError */.k6(`An earlier copy into the target (run ${runId}, ${when}) was interrupted after committing ${committed} of its ${total} transactions: ${names} hold its rows while the other tables stayed empty. They have been written to since, so cutover will not empty them: ${changed.join('; ')}.`, { fix: `check those tables in the target; to start over, empty them (TRUNCATE) and run DELETE FROM ${journal} WHERE run_id = ${(0,pg_identifiers/* quoteLiteral */.ce)(runId)}; then run the copy again.` });
    }
    await client.query('BEGIN');
    try {
        const truncated = entries.filter((e) => !e.created).map((e) => e.table_name);
        if (truncated.length > 0)
            await client.query(`TRUNCATE ${truncated.join(', ')}`);
        const created = entries.filter((e) => e.created).map((e) => e.table_name);
        if (created.length > 0)
            await client.query(`DROP TABLE ${created.join(', ')}`);
        for (const entry of entries.filter((e) => !e.created)) {
            for (const s of entry.sequences)
                await client.query(`SELECT setval(${(0,pg_identifiers/* quoteLiteral */.ce)(s.sequence)}::regclass, $1::bigint, $2)`, [s.lastValue, s.isCalled]);
        }
        await client.query(`DELETE FROM ${journal} WHERE run_id = $1`, [runId]);
        await client.query('COMMIT');
    }
    catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new errors/* CopyError */.k6(`An earlier copy into the target (run ${runId}, ${when}) was interrupted after committing ${committed} of its ${total} transactions, and undoing it failed.`, {
            cause: error,
            fix: `empty ${names} in the target by hand (TRUNCATE), run DELETE FROM ${journal} WHERE run_id = ${(0,pg_identifiers/* quoteLiteral */.ce)(runId)}; and run the copy again.`,
        });
    }
    runtime.warning(`An earlier copy into the target (run ${runId}, ${when}) was interrupted after committing ${committed} of its ${total} transactions. The tables it had filled (${names}) were empty before it; they were emptied again and their sequences reset, so the target is as it was before that run.`);
}

;// CONCATENATED MODULE: ./src/tools/history-layouts.ts
// The history tables of the migration tools teams bring, as each tool creates them, and how to tell
// them apart. A table is recognised by its name AND its columns: golang-migrate, dbmate (and Rails)
// and the Supabase CLI all call theirs `schema_migrations`, with different columns. A table with a
// tool's name but other columns is reported as an unknown layout, never guessed at.
//
// Where each layout comes from (the tools' own sources):
// - Alembic: alembic/runtime/migration.py (1.8; alembic/ddl/impl.py `version_table_impl` since 1.9):
//   Table('alembic_version', Column('version_num', String(32), nullable=False), PrimaryKeyConstraint
//   name 'alembic_version_pkc'). It holds only the current head(s), one row per head.
// - Django: django/db/migrations/recorder.py, MigrationRecorder.Migration: db_table 'django_migrations',
//   app CharField(255), name CharField(255), applied DateTimeField(default=now), plus the automatic id.
//   One row per applied migration; a row deleted when it is unapplied.
// - Prisma: prisma-engines, sql-migration-connector flavour/postgres.rs `create_migrations_table`:
//   _prisma_migrations(id VARCHAR(36) PK, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
//   migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ, started_at TIMESTAMPTZ
//   NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0).
// - Flyway: flyway-database-postgresql PostgreSQLDatabase.getRawCreateScript: flyway_schema_history
//   (installed_rank INT NOT NULL, version VARCHAR(50), description VARCHAR(200) NOT NULL, type
//   VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INTEGER, installed_by VARCHAR(100)
//   NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(), execution_time INTEGER NOT NULL, success
//   BOOLEAN NOT NULL), primary key installed_rank.
// - golang-migrate: database/postgres/postgres.go `ensureVersionTable`: schema_migrations(version
//   bigint not null primary key, dirty boolean not null). SetVersion truncates it and inserts one row:
//   only the latest version is kept.
// - dbmate: pkg/driver/postgres/postgres.go `CreateMigrationsTable`: schema_migrations(version
//   varchar(255) primary key) (varchar(128) on SQLite); one row per applied migration. Rails' Active
//   Record creates the same single-column table.
// - Supabase CLI: pkg/migration/history.go: supabase_migrations.schema_migrations(version text NOT
//   NULL PRIMARY KEY) with `statements text[]` and `name text` added by ALTER TABLE; one row per
//   applied file (see src/tools/supabase-history.ts for how cutover writes it).
// - cutover: src/migrate/history-table.ts.
const HISTORY_LAYOUTS = [
    { tool: 'alembic', label: 'Alembic', table: 'alembic_version', columns: ['version_num'] },
    { tool: 'django', label: 'Django', table: 'django_migrations', columns: ['app', 'name', 'applied'] },
    {
        tool: 'prisma',
        label: 'Prisma',
        table: '_prisma_migrations',
        columns: ['id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count'],
    },
    {
        tool: 'flyway',
        label: 'Flyway',
        table: 'flyway_schema_history',
        columns: ['installed_rank', 'version', 'description', 'type', 'script', 'checksum', 'installed_by', 'installed_on', 'execution_time', 'success'],
    },
    // Before the generic schema_migrations layouts: the schema decides.
    { tool: 'supabase', label: 'the Supabase CLI', table: 'schema_migrations', schema: 'supabase_migrations', columns: ['version'] },
    { tool: 'golang-migrate', label: 'golang-migrate', table: 'schema_migrations', columns: ['version', 'dirty'], exact: true },
    { tool: 'dbmate', label: 'dbmate', table: 'schema_migrations', columns: ['version'], exact: true },
    { tool: 'cutover', label: 'cutover', table: 'cutover_migrations', columns: ['name', 'checksum', 'applied_at'] },
];
/** Table names any layout uses (what to look for in a database's catalog). */
const HISTORY_TABLE_NAMES = [...new Set(HISTORY_LAYOUTS.map((l) => l.table))];
/**
 * What a table is, by schema, name and columns: a known tool's history, a table with a history
 * table's name whose columns fit no tool (`unknown`), or undefined for any other table. SQLite tables
 * have no schema.
 */
function matchHistoryTable(schema, name, columns) {
    const byName = HISTORY_LAYOUTS.filter((l) => l.table === name.toLowerCase() && (l.schema === undefined || l.schema === schema));
    if (byName.length === 0)
        return undefined;
    const have = new Set(columns.map((c) => c.toLowerCase()));
    for (const layout of byName) {
        if (!layout.columns.every((c) => have.has(c)))
            continue;
        if (layout.exact && have.size !== layout.columns.length)
            continue;
        return { kind: 'known', layout };
    }
    return { kind: 'unknown', expected: byName };
}
function layoutOf(tool) {
    return HISTORY_LAYOUTS.find((l) => l.tool === tool);
}
/** "migration history of Alembic": the reason copy and verify leave such a table out. */
function historyReason(layout) {
    return layout.tool === 'cutover' ? "cutover's migration history" : `migration history of ${layout.label}`;
}

;// CONCATENATED MODULE: ./src/copy/plan/managed-schemas.ts
// Schemas whose tables are not the application's data, so copy and verify leave them out by default
// (they are listed in the report as left out, with the reason below). This is the one list; the
// README's "Scope" paragraph repeats it.
//
// - System schemas (pg_catalog, information_schema, pg_toast*, pg_temp*) are never even listed:
//   src/db/pg-introspect.ts does not read them.
// - Supabase platform schemas: created and migrated by Supabase's own services (Auth, Storage,
//   Realtime, Vault, pg_graphql, pg_net, pg_cron, Supavisor, …). A new Supabase project already has
//   them, with its own rows; copying them over would clash with (or silently replace) the target
//   project's users and settings. The list follows the Supabase CLI's `InternalSchemas`
//   (supabase/cli pkg/migration/dump.go), which `supabase db dump` leaves out.
// - Other extensions' bookkeeping schemas from the same list (TimescaleDB, PostGIS topology and
//   the TIGER geocoder, pg_repack, pg_tle, pgmq, dbdev).
// Tables of these schemas are copied only when an include entry names the schema literally, e.g.
// `auth.users` or `auth.*` (a wildcard schema such as `*.users` does not pull them in).
const SUPABASE = 'Supabase platform schema';
const MANAGED_SCHEMAS = [
    { schema: 'auth', reason: SUPABASE },
    { schema: 'storage', reason: SUPABASE },
    { schema: 'realtime', reason: SUPABASE },
    { schema: '_realtime', reason: SUPABASE },
    { schema: 'vault', reason: SUPABASE },
    { schema: 'extensions', reason: SUPABASE },
    { schema: 'graphql', reason: SUPABASE },
    { schema: 'graphql_public', reason: SUPABASE },
    { schema: 'pgsodium', reason: SUPABASE },
    { schema: 'pgsodium_masks', reason: SUPABASE },
    { schema: 'supabase_functions', reason: SUPABASE },
    { schema: 'supabase_migrations', reason: SUPABASE },
    { schema: 'net', reason: SUPABASE },
    { schema: 'cron', reason: SUPABASE },
    { schema: 'pgbouncer', reason: SUPABASE },
    { schema: '_analytics', reason: SUPABASE },
    { schema: '_supavisor', reason: SUPABASE },
    { schema: 'pgmq', reason: 'managed schema (pgmq queues)' },
    { schema: 'pgtle', reason: 'managed schema (pg_tle)' },
    { schema: 'dbdev', reason: 'managed schema (database.dev)' },
    { schema: 'repack', reason: 'managed schema (pg_repack)' },
    { schema: 'topology', reason: 'managed schema (PostGIS topology)' },
    { schema: 'tiger', reason: 'managed schema (PostGIS TIGER geocoder)' },
    { schema: 'tiger_data', reason: 'managed schema (PostGIS TIGER geocoder)' },
    { schema: 'timescaledb_*', reason: 'managed schema (TimescaleDB)' },
    { schema: '_timescaledb_*', reason: 'managed schema (TimescaleDB)' },
];
/** The reason a schema is managed, or undefined for an application schema. */
function managedSchemaReason(schema) {
    return MANAGED_SCHEMAS.find((m) => (m.schema.endsWith('*') ? schema.startsWith(m.schema.slice(0, -1)) : schema === m.schema))?.reason;
}
/** cutover's own tables: never copied or verified, whatever include says. */
const managed_schemas_CUTOVER_TABLES = new Map([
    ['cutover_migrations', "cutover's migration history"],
    ['cutover_copy_journal', "cutover's copy journal"],
]);

;// CONCATENATED MODULE: ./src/copy/plan/table-patterns.ts
// include/exclude inputs: comma-separated glob patterns with * and ?, matched case-insensitively
// against a table's name, or against schema.name when the pattern itself contains a dot.

/** Tables no copy or verify ever touches: cutover's own tables and SQLite's bookkeeping. */
function isAlwaysExcluded(table) {
    return CUTOVER_TABLES.has(table.name) || /^sqlite_/i.test(table.name);
}
function globToRegExp(pattern) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp(`^${body}$`, 'i');
}
function splitPattern(pattern) {
    const unquoted = pattern.replace(/"/g, '');
    const dot = unquoted.indexOf('.');
    return dot >= 0 ? { schema: unquoted.slice(0, dot), name: unquoted.slice(dot + 1) } : { name: unquoted };
}
function patternMatches(table, pattern) {
    const parts = splitPattern(pattern);
    if (parts.schema !== undefined && table.schema !== undefined && !globToRegExp(parts.schema).test(table.schema))
        return false;
    return globToRegExp(parts.name).test(table.name);
}
function hasWildcard(pattern) {
    return /[*?]/.test(pattern);
}
/** The pattern names the table's schema without wildcards (`auth.users`, `auth.*`): an explicit choice. */
function namesSchemaOf(pattern, table) {
    const { schema } = splitPattern(pattern);
    return schema !== undefined && table.schema !== undefined && !hasWildcard(schema) && schema.toLowerCase() === table.schema.toLowerCase();
}
function isTableSelected(table, include, exclude) {
    if (isAlwaysExcluded(table))
        return false;
    if (include.length > 0 && !include.some((pattern) => patternMatches(table, pattern)))
        return false;
    return !exclude.some((pattern) => patternMatches(table, pattern));
}
function editDistance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++)
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
    }
    return previous[b.length];
}
/** Up to three tables whose name (or schema.name, for a qualified entry) is a small typo away. */
function similarTables(pattern, tables) {
    const parts = splitPattern(pattern);
    const wanted = (parts.schema !== undefined ? `${parts.schema}.${parts.name}` : parts.name).toLowerCase();
    const allowed = Math.max(1, Math.floor(wanted.length / 3));
    return tables
        .map((table) => ({ table, distance: editDistance(wanted, (parts.schema !== undefined && table.schema !== undefined ? `${table.schema}.${table.name}` : table.name).toLowerCase()) }))
        .filter((c) => c.distance <= allowed)
        .sort((a, b) => a.distance - b.distance)
        .slice(0, 3)
        .map((c) => c.table);
}

;// CONCATENATED MODULE: ./src/copy/plan/table-scope.ts
// Which source tables a copy or verify covers, and why each other one is left out. Default: every
// table the source lists (system schemas are never listed, see pg-introspect.ts) except managed
// schemas and extension-owned tables (managed-schemas.ts), cutover's own tables, and every migration
// tool's history table (src/tools/history-layouts.ts: alembic_version, django_migrations, …, found
// by name and columns); include and exclude narrow it down. An include entry that selects nothing, and an empty scope, are errors:
// a copy that quietly covers less than the user asked for would still report "verified".





const SHOWN = 10;
function listNames(names, limit = SHOWN) {
    return names.length > limit ? `${names.slice(0, limit).join(', ')} and ${names.length - limit} more` : names.join(', ');
}
/** Left out whatever include says: cutover's own tables. */
function alwaysLeftOut(table) {
    return managed_schemas_CUTOVER_TABLES.get(table.name);
}
function historyMatch(table, options) {
    if (!table.columns)
        return undefined;
    return matchHistoryTable(options.sourceKind === 'postgres' ? table.schema : undefined, table.name, table.columns.map((c) => c.name));
}
/** Another tool's migration history: left out unless an include entry names it without wildcards. */
function historyTableReason(table, options) {
    const match = historyMatch(table, options);
    return match?.kind === 'known' ? historyReason(match.layout) : undefined;
}
/** Left out unless an include entry names the schema literally. */
function managedReason(table, options) {
    if (options.sourceKind !== 'postgres' || table.schema === undefined)
        return undefined;
    return managedSchemaReason(table.schema) ?? (table.extension ? `extension-owned (${table.extension})` : undefined);
}
function leftOutReason(table, options) {
    const always = alwaysLeftOut(table);
    if (always)
        return always;
    const hits = options.include.filter((p) => patternMatches(table, p));
    const history = historyTableReason(table, options);
    if (history && !hits.some((p) => !hasWildcard(p)))
        return history;
    const managed = managedReason(table, options);
    if (managed && !hits.some((p) => namesSchemaOf(p, table)))
        return managed;
    if (options.include.length > 0 && hits.length === 0)
        return 'not matched by include';
    const excluded = options.exclude.find((p) => patternMatches(table, p));
    return excluded !== undefined ? `excluded by exclude pattern '${excluded}'` : undefined;
}
function includeProblems(tables, reasons, options) {
    const unknown = [];
    const unusable = [];
    // What to suggest: the application's tables, not the platform's.
    const ordinary = tables.filter((t) => !alwaysLeftOut(t) && !managedReason(t, options));
    for (const pattern of options.include) {
        const hits = tables.filter((t) => patternMatches(t, pattern));
        if (hits.length === 0) {
            const similar = hasWildcard(pattern) ? [] : similarTables(pattern, ordinary.length ? ordinary : tables);
            const known = (ordinary.length ? ordinary : tables).map(options.display).sort();
            unknown.push(similar.length
                ? `'${pattern}' (did you mean ${similar.map(options.display).join(' or ')}?)`
                : `'${pattern}' (matches no table; the source has ${known.length ? listNames(known) : 'no tables'})`);
        }
        else if (hits.every((t) => reasons.get(t) !== undefined)) {
            const why = hits.map((t) => {
                const reason = reasons.get(t);
                const hint = alwaysLeftOut(t)
                    ? 'never copied'
                    : historyTableReason(t, options) === reason
                        ? `name it without wildcards, e.g. ${options.display(t)}, to include it`
                        : managedReason(t, options) === reason
                            ? `name it with its schema, e.g. ${options.display(t)}, to include it`
                            : undefined;
                return `${options.display(t)}, left out: ${reason}${hint ? ` (${hint})` : ''}`;
            });
            unusable.push(`'${pattern}' matches only ${why.slice(0, 3).join('; ')}${why.length > 3 ? ` and ${why.length - 3} more` : ''}`);
        }
    }
    const problems = [];
    if (unknown.length)
        problems.push(`include names ${unknown.length === 1 ? 'a table' : 'tables'} the source does not have: ${unknown.join(', ')}.`);
    if (unusable.length)
        problems.push(`include selects nothing that is copied: ${unusable.join('; ')}.`);
    return problems;
}
function sourceLabel(options) {
    return `The source${options.sourceInput ? ` (${options.sourceInput})` : ''}`;
}
function emptySourceError(options) {
    const input = options.sourceInput ?? 'the source URL';
    let what = 'it has no tables outside the system schemas';
    if (options.sourceLocation?.kind === 'sqlite') {
        const file = options.sourceLocation.path;
        what = external_node_fs_default().statSync(file, { throwIfNoEntry: false })?.size === 0
            ? `the SQLite file ${file} is empty (0 bytes)`
            : `the SQLite file ${file} holds no tables (views and sqlite_* tables are not copied)`;
    }
    return new errors/* ScopeError */.He(`${sourceLabel(options)} has no tables: ${what}. There is nothing to copy or verify.`, {
        fix: `check that ${input} points at the database file or database that holds the data (not an empty placeholder or a freshly created file); relative paths are resolved from ${process.cwd()}.`,
    });
}
/** Splits the source's tables into those in scope and those left out (with why); throws ScopeError. */
function resolveScope(tables, options) {
    if (tables.length === 0)
        throw emptySourceError(options);
    const reasons = new Map(tables.map((t) => [t, leftOutReason(t, options)]));
    const problems = includeProblems(tables, reasons, options);
    if (problems.length) {
        throw new errors/* ScopeError */.He(problems.join(' '), {
            fix: 'correct or remove the include entries named here (names or patterns with * and ?, matched case-insensitively; schema-qualified, e.g. billing.invoices or auth.*, to pick a schema).',
        });
    }
    const selected = tables.filter((t) => reasons.get(t) === undefined);
    const leftOut = tables
        .filter((t) => reasons.get(t) !== undefined)
        .map((t) => ({ table: options.display(t), reason: reasons.get(t) }))
        .sort((a, b) => a.table.localeCompare(b.table));
    const warnings = selected.flatMap((t) => {
        const match = historyMatch(t, options);
        if (match?.kind !== 'unknown')
            return [];
        const tools = match.expected.map((l) => `${l.label} (${l.columns.join(', ')})`).join(' or ');
        return [`${options.display(t)} is named like the migration history of ${tools}, but its columns (${t.columns.map((c) => c.name).join(', ')}) fit no such layout: it is copied and verified like any other table. If it is a migration history, leave it out with exclude.`];
    });
    if (selected.length === 0) {
        throw new errors/* ScopeError */.He(`Every table of the source was left out, so there is nothing to copy or verify: ${describeLeftOut(leftOut).replace(/\.$/, '')}.`, {
            fix: 'name the tables to copy in include (schema-qualified for a platform schema, e.g. auth.users), or narrow exclude.',
        });
    }
    return { selected, leftOut, warnings };
}
/** One line for the log: "Left out 3 tables — Supabase platform schema: auth.users, storage.objects; …". */
function describeLeftOut(leftOut) {
    const byReason = new Map();
    for (const { table, reason } of leftOut)
        byReason.set(reason, [...(byReason.get(reason) ?? []), table]);
    const groups = [...byReason].map(([reason, names]) => `${reason}: ${listNames(names, 5)}`);
    return `Left out ${leftOut.length} table${leftOut.length === 1 ? '' : 's'} — ${groups.join('; ')}.`;
}

;// CONCATENATED MODULE: ./src/verify/differing-keys.ts
/** Rows listed per side at most (summed over the chosen buckets). */
const ROW_BUDGET = 250_000;
const SAMPLES = 5;
function byKey(rows) {
    const keys = new Map();
    for (const [entry, row] of rows) {
        const key = entry.slice(0, entry.lastIndexOf('\u0003'));
        const count = row.count ?? 1;
        let item = keys.get(key);
        if (!item)
            keys.set(key, (item = { display: row.display, hashes: new Map(), total: 0 }));
        item.hashes.set(row.hash, (item.hashes.get(row.hash) ?? 0) + count);
        item.total += count;
    }
    return keys;
}
const keyOrder = (a, b) => a.localeCompare(b, 'en', { numeric: true });
async function findDifferences(source, target, options = {}) {
    const budget = options.rowBudget ?? ROW_BUDGET;
    const [a, b] = await Promise.all([source.buckets(), target.buckets()]);
    const differing = [];
    for (const bucket of new Set([...a.keys(), ...b.keys()])) {
        const x = a.get(bucket);
        const y = b.get(bucket);
        if (x?.rows !== y?.rows || x?.sum !== y?.sum)
            differing.push(bucket);
    }
    if (differing.length === 0)
        return undefined;
    differing.sort((p, q) => p - q);
    const chosen = [];
    let listed = 0;
    for (const bucket of differing) {
        const size = Math.max(a.get(bucket)?.rows ?? 0, b.get(bucket)?.rows ?? 0);
        if (chosen.length > 0 && listed + size > budget)
            break;
        chosen.push(bucket);
        listed += size;
    }
    const [rowsA, rowsB] = await Promise.all([source.rowsInBuckets(chosen), target.rowsInBuckets(chosen)]);
    const keysA = byKey(rowsA);
    const keysB = byKey(rowsB);
    const result = { missing: 0, extra: 0, changed: 0, exact: chosen.length === differing.length, samples: { missing: [], extra: [], changed: [] } };
    for (const key of new Set([...keysA.keys(), ...keysB.keys()])) {
        const x = keysA.get(key);
        const y = keysB.get(key);
        let shared = 0;
        if (x && y)
            for (const [hash, count] of x.hashes)
                shared += Math.min(count, y.hashes.get(hash) ?? 0);
        const inA = x?.total ?? 0;
        const inB = y?.total ?? 0;
        const counts = { missing: Math.max(0, inA - inB), extra: Math.max(0, inB - inA), changed: Math.min(inA, inB) - shared };
        for (const kind of ['missing', 'extra', 'changed']) {
            if (counts[kind] === 0)
                continue;
            result[kind] += counts[kind];
            result.samples[kind].push((x ?? y).display);
        }
    }
    for (const kind of ['missing', 'extra', 'changed'])
        result.samples[kind] = result.samples[kind].sort(keyOrder).slice(0, SAMPLES);
    return result;
}
/** The sample keys of all kinds, in key order (the `differingKeys` of a table entry). */
function sampleKeys(differences, limit = 10) {
    if (!differences)
        return [];
    const { missing, extra, changed } = differences.samples;
    return [...new Set([...missing, ...extra, ...changed])].sort(keyOrder).slice(0, limit);
}

// EXTERNAL MODULE: ./src/verify/canonical-form.ts
var canonical_form = __webpack_require__(7090);
;// CONCATENATED MODULE: ./src/verify/pg-checksums.ts


const BUCKETS = 1024;
function fromClause(t, select) {
    const table = (0,pg_identifiers/* qualifiedName */.OL)(t.schema, t.name);
    if (!t.limit)
        return table;
    const order = t.limit.orderBy.length ? ` ORDER BY ${t.limit.orderBy.map(pg_identifiers/* quoteIdent */.v4).join(', ')}` : '';
    return `(SELECT ${select.map(pg_identifiers/* quoteIdent */.v4).join(', ')} FROM ${table}${order} LIMIT ${t.limit.rows}) AS sampled`;
}
async function pgTotals(client, t, checksums) {
    const from = fromClause(t, t.columns.map((c) => c.name));
    if (!checksums) {
        const { rows } = await client.query(`SELECT count(*) AS n FROM ${from}`);
        return { rows: Number(rows[0].n) };
    }
    const hash = t.columns.length ? (0,canonical_form/* rowHashSql */.nJ)(t.columns) : '0::bigint';
    const { rows } = await client.query(`SELECT count(*) AS n, coalesce(sum(${hash}), 0)::text AS s FROM ${from}`);
    return { rows: Number(rows[0].n), checksum: rows[0].s };
}
function keySql(t) {
    return t.keyColumns.length ? (0,canonical_form/* canonicalRowSql */.t6)(t.keyColumns) : (0,canonical_form/* canonicalRowSql */.t6)(t.columns);
}
async function pgBucketTotals(client, t) {
    const { rows } = await client.query(`SELECT (hashtextextended(${keySql(t)}, 0) & ${BUCKETS - 1})::int AS b, count(*) AS n, sum(${(0,canonical_form/* rowHashSql */.nJ)(t.columns)})::text AS s
       FROM ${fromClause(t, t.columns.map((c) => c.name))} GROUP BY 1`);
    return new Map(rows.map((r) => [r.b, { rows: Number(r.n), sum: r.s }]));
}
/** `${keyCanon}\u0003${hash}` → { display, hash, count } for the rows in the given buckets (count > 1: repeated rows of a table without a key). */
async function pgRowsInBuckets(client, t, buckets) {
    const keys = t.keyColumns.length ? t.keyColumns : [];
    const display = keys.length
        ? `concat_ws(', ', ${keys.map((k) => `${quoteLiteralSql(`${k.name}=`)} || coalesce(${(0,pg_identifiers/* quoteIdent */.v4)(k.name)}::text, 'NULL')`).join(', ')})`
        : `left(${(0,canonical_form/* canonicalRowSql */.t6)(t.columns)}, 120)`;
    const { rows } = await client.query(`SELECT ${keySql(t)} AS k, ${display} AS d, ${(0,canonical_form/* rowHashSql */.nJ)(t.columns)}::text AS h
       FROM ${fromClause(t, t.columns.map((c) => c.name))}
      WHERE (hashtextextended(${keySql(t)}, 0) & ${BUCKETS - 1}) = ANY($1::int[])`, [buckets]);
    const result = new Map();
    for (const row of rows) {
        const id = `${row.k}\u0003${row.h}`;
        const seen = result.get(id);
        if (seen)
            seen.count++;
        else
            result.set(id, { display: row.d, hash: row.h, count: 1 });
    }
    return result;
}
function quoteLiteralSql(text) {
    return `'${text.replace(/'/g, "''")}'`;
}

// EXTERNAL MODULE: ./src/copy/read/sqlite-row-source.ts + 1 modules
var sqlite_row_source = __webpack_require__(5902);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
// EXTERNAL MODULE: ./src/copy/read/sqlite-copy-worker.ts
var sqlite_copy_worker = __webpack_require__(211);
;// CONCATENATED MODULE: ./src/copy/read/parallel-sqlite-source.ts
// The main-thread side of a parallel SQLite read: splits a table into rowid slices, starts one
// worker per slice (src/copy/read/sqlite-copy-worker.ts) and merges their COPY text chunks into one
// Readable for the target's COPY stream. COPY does not care about row order, and the checksum is an
// order-independent sum, so slices can arrive interleaved. Same counters as SqliteRowSource.







/** Below this many rows, starting workers costs more than it saves. */
const MIN_ROWS_FOR_WORKERS = 50_000;
/**
 * Where a worker's code is: the bundle itself when running from dist/ (its entry dispatches on
 * isMainThread), the compiled worker module in the npm package's lib/, or the TypeScript source with
 * the loader hook when running from src/ (tests, bench).
 */
function workerEntry() {
    const here = import.meta.url;
    if (here.endsWith('.ts')) {
        return { url: new URL('./sqlite-copy-worker-main.ts', here), execArgv: ['--import', new URL('../../../scripts/register-ts.mjs', here).href] };
    }
    // The npm package's lib/ (compiled, not bundled): the worker module sits next to this one.
    const compiled = new URL('./sqlite-copy-worker-main.js', here);
    if (external_node_fs_default().existsSync((0,external_node_url_.fileURLToPath)(compiled)))
        return { url: compiled, execArgv: [] };
    // In a bundle this module may sit in a chunk next to the entry: start the entry, index.js.
    return { url: new URL('./index.js', here), execArgv: [] };
}
/**
 * Slices per table: the `jobs` setting, capped by the cores left once Postgres' COPY backend has
 * one. On a 2-core machine that is 1 (no workers): measured there, two workers did not shorten the
 * copy (the CPU was already shared with Postgres) and raised peak RSS from ~150 to ~250 MB.
 */
function workerCount(jobs, cores = external_node_os_default().availableParallelism(), env = process.env) {
    // CUTOVER_COPY_THREADS overrides the choice (tuning, and tests of the worker path on small machines).
    const forced = Number(env.CUTOVER_COPY_THREADS);
    if (Number.isInteger(forced) && forced >= 1)
        return Math.min(forced, 16);
    return Math.max(1, Math.min(jobs, cores - 1));
}
/**
 * Threads for verification's SQLite side: Postgres computes the other side's checksums in SQL at the
 * same time, but does not need a core for the whole time as a COPY backend does: every core may hash.
 */
function verifyThreadCount(jobs, cores = external_node_os_default().availableParallelism(), env = process.env) {
    const forced = Number(env.CUTOVER_COPY_THREADS);
    if (Number.isInteger(forced) && forced >= 1)
        return Math.min(forced, 16);
    return Math.max(1, Math.min(jobs, cores));
}
/** Rowid slices for `slices` workers, or undefined when the table should be read on one thread. */
function planSlices(db, spec, slices) {
    if (slices < 2 || !spec.hasRowid || spec.limit !== undefined || db.memory || !db.name)
        return undefined;
    const stats = db.prepare(`SELECT min(_rowid_) AS lo, max(_rowid_) AS hi, count(*) AS n FROM ${(0,pg_identifiers/* quoteIdent */.v4)(spec.table)}`).safeIntegers(true).get();
    if (stats.lo === null || stats.hi === null || stats.n < BigInt(MIN_ROWS_FOR_WORKERS))
        return undefined;
    const span = stats.hi - stats.lo + 1n;
    const ranges = [];
    for (let i = 0n; i < BigInt(slices); i++) {
        const first = stats.lo + (span * i) / BigInt(slices);
        const last = i === BigInt(slices) - 1n ? stats.hi : stats.lo + (span * (i + 1n)) / BigInt(slices) - 1n;
        if (first <= last)
            ranges.push([first, last]);
    }
    return ranges;
}
class ParallelSqliteSource extends external_node_stream_.Readable {
    rows = 0;
    copied = 0;
    rejected = 0;
    workers = [];
    rowsPerWorker;
    awaitingAck = [];
    running;
    options;
    constructor(file, spec, slices, options) {
        super({ highWaterMark: 4 * 64 * 1024 });
        this.options = options;
        const entry = workerEntry();
        this.rowsPerWorker = slices.map(() => 0);
        this.running = slices.length;
        slices.forEach((range, index) => {
            const workerData = { kind: sqlite_copy_worker/* SQLITE_COPY_WORKER */.k, file, spec: { ...spec, rowidRange: range }, checksums: options.hash !== null };
            const worker = new external_node_worker_threads_.Worker(entry.url, { workerData, execArgv: entry.execArgv });
            worker.on('message', (message) => this.onMessage(worker, index, message));
            worker.on('error', (error) => this.destroy(error));
            this.workers.push(worker);
        });
    }
    onMessage(worker, index, message) {
        if (this.destroyed)
            return;
        try {
            switch (message.type) {
                case 'chunk':
                    this.rowsPerWorker[index] = message.rows;
                    this.options.onRows?.(this.rowsPerWorker.reduce((a, b) => a + b, 0));
                    if (this.push(Buffer.from(message.data)))
                        worker.postMessage('ack');
                    else
                        this.awaitingAck.push(worker);
                    return;
                case 'failure':
                    this.options.onFailure(message.failure);
                    return;
                case 'done':
                    this.rows += message.rows;
                    this.copied += message.copied;
                    this.rejected += message.rejected;
                    if (message.hashTotal !== undefined)
                        this.options.hash?.addTotal(message.hashTotal, message.hashCount ?? 0);
                    if (--this.running === 0)
                        this.push(null);
                    return;
                case 'error':
                    throw Object.assign(new Error(message.message), message.stack ? { stack: message.stack } : {});
            }
        }
        catch (error) {
            this.destroy(error);
        }
    }
    _read() {
        for (const worker of this.awaitingAck.splice(0))
            worker.postMessage('ack');
    }
    _destroy(error, callback) {
        Promise.all(this.workers.map((worker) => worker.terminate())).then(() => callback(error), () => callback(error));
    }
}

// EXTERNAL MODULE: ./src/verify/row-hash.ts
var row_hash = __webpack_require__(7254);
;// CONCATENATED MODULE: ./src/verify/parallel-sqlite-totals.ts
// Verification's SQLite side on several cores: a big table's rowid slices are hashed by worker threads
// (the copy's worker, in totals-only mode: no COPY text), and their sums added up. The checksum is an
// order-independent sum, so slices combine exactly.




function sliceTotals(file, spec, range) {
    const entry = workerEntry();
    const workerData = { kind: sqlite_copy_worker/* SQLITE_COPY_WORKER */.k, file, spec: { ...spec, rowidRange: range }, checksums: true, totalsOnly: true };
    return new Promise((resolve, reject) => {
        const worker = new external_node_worker_threads_.Worker(entry.url, { workerData, execArgv: entry.execArgv });
        let settled = false;
        const settle = (fn) => {
            if (settled)
                return;
            settled = true;
            fn();
            void worker.terminate();
        };
        worker.on('message', (message) => {
            if (message.type === 'done')
                settle(() => resolve({ rows: message.rows, rejected: message.rejected, hashTotal: message.hashTotal ?? '0', hashCount: message.hashCount ?? 0 }));
            else if (message.type === 'error')
                settle(() => reject(Object.assign(new Error(message.message), message.stack ? { stack: message.stack } : {})));
        });
        worker.on('error', (error) => settle(() => reject(error)));
        worker.on('exit', (code) => settle(() => reject(new Error(`a verification worker thread exited with code ${code} before it finished`))));
    });
}
async function parallelSqliteTotals(file, spec, slices) {
    const parts = await Promise.all(slices.map((range) => sliceTotals(file, spec, range)));
    const sum = new row_hash/* HashSum */.is();
    for (const part of parts)
        sum.addTotal(part.hashTotal, part.hashCount);
    return { rows: parts.reduce((n, p) => n + p.rows, 0), checksum: sum.value(), unconvertible: parts.reduce((n, p) => n + p.rejected, 0), readByWorkers: true };
}

;// CONCATENATED MODULE: ./src/verify/sqlite-checksums.ts





async function scan(db, spec, onRow, onFailure) {
    const source = new sqlite_row_source/* SqliteRowSource */.I(db, spec, { hash: null, copyText: false, onRow, onFailure });
    for await (const _chunk of source)
        void _chunk;
    return source.rows;
}
/** `threads` > 1: a big table is hashed in rowid slices by that many worker threads. */
async function sqliteTotals(db, spec, checksums, threads = 1) {
    if (!checksums) {
        const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM "${spec.table.replace(/"/g, '""')}"${spec.limit !== undefined ? ` LIMIT ${spec.limit}` : ''})`;
        return { rows: Number(db.prepare(sql).get().n), unconvertible: 0 };
    }
    const slices = planSlices(db, spec, threads);
    if (slices)
        return parallelSqliteTotals(db.name, spec, slices);
    const sum = new row_hash/* HashSum */.is();
    let unconvertible = 0;
    const source = new sqlite_row_source/* SqliteRowSource */.I(db, spec, { hash: sum, copyText: false, onFailure: () => unconvertible++ });
    for await (const _chunk of source)
        void _chunk;
    return { rows: source.rows, checksum: sum.value(), unconvertible };
}
async function sqliteBucketTotals(db, spec) {
    const sums = new Map();
    await scan(db, spec, (high, low, keyCanon) => {
        const bucket = (0,row_hash/* pgHashText */.vK)(keyCanon)[1] & (BUCKETS - 1);
        let sum = sums.get(bucket);
        if (!sum)
            sums.set(bucket, (sum = new row_hash/* HashSum */.is()));
        sum.add(high, low);
    }, () => undefined);
    return new Map([...sums].map(([bucket, sum]) => [bucket, { rows: sum.count, sum: sum.value() }]));
}
async function sqliteRowsInBuckets(db, spec, buckets) {
    const wanted = new Set(buckets);
    const result = new Map();
    await scan(db, spec, (high, low, keyCanon, display) => {
        if (!wanted.has((0,row_hash/* pgHashText */.vK)(keyCanon)[1] & (BUCKETS - 1)))
            return;
        const hash = (BigInt(high) * 4294967296n + BigInt(low)).toString();
        const id = `${keyCanon}\u0003${hash}`;
        const seen = result.get(id);
        if (seen)
            seen.count++;
        else
            result.set(id, { display: display(), hash, count: 1 });
    }, () => undefined);
    return result;
}

;// CONCATENATED MODULE: ./src/copy/plan/plan-canonical.ts
function targetCanonical(table) {
    const columns = table.columns.map((c) => ({ name: c.target.name, type: c.target.type }));
    return { schema: table.target.schema, name: table.target.name, columns, keyColumns: table.keyColumns.map((k) => ({ name: k.target.name, type: k.target.type })) };
}
function pgSourceCanonical(table, sampleRows) {
    const columns = table.columns.map((c) => ({ name: c.source, type: c.target.type, ...(c.sourceType ? { castTo: c.target.type.sql } : {}) }));
    const keyColumns = table.keyColumns.map((k) => ({ name: k.source, type: k.target.type, ...(k.sourceType ? { castTo: k.target.type.sql } : {}) }));
    return {
        schema: table.sourceSchema,
        name: table.sourceName,
        columns,
        keyColumns,
        ...(sampleRows !== undefined ? { limit: { orderBy: table.keyColumns.map((k) => k.source), rows: sampleRows } } : {}),
    };
}
/** How a SQLite table is read, for the copy and for its verification alike. */
function sqliteReadSpec(table, limit) {
    return {
        table: table.sourceName,
        columns: table.columns.map((c) => ({ source: c.source, type: c.target.type })),
        keyColumns: table.keyColumns.length ? table.keyColumns.map((c) => c.source) : table.sqlite?.primaryKey ?? [],
        hasRowid: table.sqlite?.hasRowid ?? true,
        ...(limit !== undefined ? { limit } : {}),
    };
}

// EXTERNAL MODULE: ./src/copy/cast/cast-rules.ts + 3 modules
var cast_rules = __webpack_require__(8773);
;// CONCATENATED MODULE: ./src/copy/plan/display-name.ts
// Table names as people read them and SQL accepts them: public.users, public."Order Details".
// Keywords that cannot stand unquoted as a table name (so the display name stays valid SQL).
const KEYWORDS = new Set(('all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast char character check coalesce collate collation column concurrently constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user dec decimal default deferrable desc distinct do double else end except exists extract false fetch float for foreign freeze from full grant greatest group grouping having ilike in initially inner inout int integer intersect interval into is isnull join lateral leading least left like limit localtime localtimestamp national natural nchar none normalize not notnull null nullif numeric offset on only or order out outer overlaps overlay placing position precision primary real references returning right row select session_user setof similar smallint some substring symmetric table tablesample then time timestamp to trailing treat trim true union unique user using values varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable').split(' '));
/** An identifier as SQL would need it: quoted only when it must be. */
function displayIdentifier(part) {
    return /^[a-z_][a-z0-9_$]*$/.test(part) && !KEYWORDS.has(part) ? part : `"${part.replace(/"/g, '""')}"`;
}
function displayName(schema, name) {
    return `${displayIdentifier(schema)}.${displayIdentifier(name)}`;
}

;// CONCATENATED MODULE: ./src/copy/plan/long-identifiers.ts
// Postgres keeps the first 63 bytes of an identifier (NAMEDATALEN - 1) and drops the rest with only a
// NOTICE; SQLite keeps names of any length. So `create-tables` names a long identifier as Postgres
// would (the first 63 bytes, cut at a character boundary) when that is unique, and names that would
// collide after the cut get a deterministic unique name instead: their first 54 bytes, '_', and 8
// hex digits of the SHA-256 of the full name. Copy and verify find a target column or table through
// the same rules, so they also match a schema made by migrations, where Postgres did the cut.

const MAX_IDENTIFIER_BYTES = 63;
const HASH_HEX = 8;
/** The first `bytes` bytes of `name`, never splitting a character (as Postgres' pg_mbcliplen). */
function clipBytes(name, bytes) {
    if (Buffer.byteLength(name, 'utf8') <= bytes)
        return name;
    let out = '';
    let used = 0;
    for (const char of name) {
        const size = Buffer.byteLength(char, 'utf8');
        if (used + size > bytes)
            break;
        out += char;
        used += size;
    }
    return out;
}
function isTooLong(name) {
    return Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES;
}
/** What Postgres makes of the name. */
function postgresTruncated(name) {
    return clipBytes(name, MAX_IDENTIFIER_BYTES);
}
/** The collision-free form: a prefix, '_' and a short hash of the full name. */
function hashedIdentifier(name) {
    const hash = external_node_crypto_default().createHash('sha256').update(name, 'utf8').digest('hex').slice(0, HASH_HEX);
    return `${clipBytes(name, MAX_IDENTIFIER_BYTES - HASH_HEX - 1)}_${hash}`;
}
/**
 * Postgres names for a set of names that must stay distinct (one table's columns, or the relations
 * of one schema). `taken` are names already used there (case-sensitive, as quoted identifiers are).
 * The result does not depend on the order of `names`.
 */
function assignIdentifiers(names, taken = []) {
    const used = new Set(taken);
    const result = new Map();
    const renames = [];
    for (const name of names)
        if (!isTooLong(name) && !used.has(name)) {
            result.set(name, name);
            used.add(name);
        }
    const cut = new Map();
    for (const name of names.filter((n) => isTooLong(n)))
        cut.set(postgresTruncated(name), [...(cut.get(postgresTruncated(name)) ?? []), name]);
    for (const [truncated, group] of cut) {
        if (group.length === 1 && !used.has(truncated)) {
            result.set(group[0], truncated);
            used.add(truncated);
            renames.push({ from: group[0], to: truncated, why: `longer than ${MAX_IDENTIFIER_BYTES} bytes: cut as Postgres does` });
            continue;
        }
        for (const name of [...group].sort()) {
            const hashed = uniqueVariant(hashedIdentifier(name), used);
            result.set(name, hashed);
            used.add(hashed);
            const clash = group.length > 1 ? `${group.length} names share these first ${MAX_IDENTIFIER_BYTES} bytes` : 'its first 63 bytes are already a name here';
            renames.push({ from: name, to: hashed, why: `longer than ${MAX_IDENTIFIER_BYTES} bytes and ${clash}: cut and given a hash of the full name` });
        }
    }
    // Short names already taken (e.g. an index name an existing table's index has): numbered, as Postgres does.
    for (const name of names.filter((n) => !result.has(n))) {
        const numbered = uniqueVariant(name, used);
        result.set(name, numbered);
        used.add(numbered);
        renames.push({ from: name, to: numbered, why: 'the name is already taken in the target schema' });
    }
    return { names: result, renames };
}
function uniqueVariant(name, used) {
    if (!used.has(name))
        return name;
    for (let n = 1;; n++) {
        const suffix = String(n);
        const candidate = `${clipBytes(name, MAX_IDENTIFIER_BYTES - suffix.length)}${suffix}`;
        if (!used.has(candidate))
            return candidate;
    }
}
/**
 * The target item for a source name: the same name, else case-insensitively, else the name
 * Postgres' 63-byte cut made of it (a schema made by migrations), else its hashed form (a table
 * made by create-tables whose long names collided).
 */
function findTargetByName(items, sourceName) {
    const exact = items.find((i) => i.name === sourceName) ?? items.find((i) => i.name.toLowerCase() === sourceName.toLowerCase());
    if (exact || !isTooLong(sourceName))
        return exact;
    const truncated = postgresTruncated(sourceName);
    const hashed = hashedIdentifier(sourceName);
    return items.find((i) => i.name === hashed) ?? items.find((i) => i.name === truncated) ?? items.find((i) => i.name.toLowerCase() === truncated.toLowerCase());
}

;// CONCATENATED MODULE: ./src/copy/plan/schema-objects.ts

/** Names that must stay distinct — the relations of a schema (tables, indexes), or one table's
 *  constraints: what exists, and what this copy creates. */
class SchemaNames {
    used;
    constructor(taken) {
        this.used = new Set(taken);
    }
    /** A free name for `wanted` (cut, hashed or numbered when needed), now taken. */
    claim(wanted) {
        const { names, renames } = assignIdentifiers([wanted], this.used);
        const name = names.get(wanted);
        this.used.add(name);
        return { name, ...(renames[0] ? { rename: renames[0] } : {}) };
    }
    reserve(name) {
        this.used.add(name);
    }
}

;// CONCATENATED MODULE: ./src/copy/plan/sqlite-default.ts
// A SQLite column DEFAULT as a Postgres default of the same meaning, or the reason there is none.
// Literals go through the same cast rules as the copied values (so DEFAULT 0 on a DATETIME gives
// what a copied 0 gives); the current date and time in all of SQLite's spellings (CURRENT_TIMESTAMP,
// datetime('now'), strftime(…, 'now'), unixepoch()) become Postgres' clock in the column's type.
// SQLite's clock is UTC ('localtime' asks for the server's zone), and a zone-less time is UTC to
// the cast rules too, so the UTC wall time is what goes into a timestamp column.



const UTC_NOW = `(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')`;
const LOCAL_NOW = 'LOCALTIMESTAMP';
const TEXT_KINDS = new Set(['text', 'varchar', 'bpchar', 'other']);
/** strftime conversions → to_char patterns (letters outside them are quoted for to_char). */
const STRFTIME = { Y: 'YYYY', m: 'MM', d: 'DD', H: 'HH24', M: 'MI', S: 'SS', f: 'SS.MS', j: 'DDD', '%': '%' };
function toCharPattern(format) {
    let out = '';
    for (let i = 0; i < format.length; i++) {
        if (format[i] === '%') {
            const pattern = STRFTIME[format[++i]];
            if (!pattern)
                return null;
            out += pattern;
        }
        else {
            out += /[A-Za-z]/.test(format[i]) ? `"${format[i]}"` : format[i];
        }
    }
    return out;
}
const DATE_TIME = 'YYYY-MM-DD HH24:MI:SS';
/** CURRENT_TIMESTAMP, datetime('now'[, 'localtime'|'utc']), strftime(f, 'now'), unixepoch() … or null. */
function clockCall(tokens) {
    if (tokens.length === 1 && isWord(tokens[0], 'current_timestamp'))
        return { pattern: DATE_TIME, local: false };
    if (tokens.length === 1 && isWord(tokens[0], 'current_date'))
        return { pattern: 'YYYY-MM-DD', local: false };
    if (tokens.length === 1 && isWord(tokens[0], 'current_time'))
        return { pattern: 'HH24:MI:SS', local: false };
    if (tokens[0]?.kind !== 'word' || tokens[1]?.kind !== 'open' || matchingClose(tokens, 1) !== tokens.length - 1)
        return null;
    const name = tokens[0].value.toLowerCase();
    const args = tokens.slice(2, -1).filter((t) => t.kind !== 'comma');
    if (args.some((t) => t.kind !== 'string'))
        return 'other';
    const values = args.map((t) => t.value.toLowerCase());
    let pattern;
    let rest;
    if (name === 'unixepoch') {
        pattern = 'epoch';
        rest = values;
    }
    else if (name === 'strftime') {
        pattern = args[0]?.value === '%s' ? 'epoch' : toCharPattern(args[0]?.value ?? '');
        rest = values.slice(1);
    }
    else {
        pattern = { datetime: DATE_TIME, date: 'YYYY-MM-DD', time: 'HH24:MI:SS' }[name] ?? null;
        rest = values;
    }
    if (pattern === null)
        return 'other';
    if (rest.length > 0 && rest[0] !== 'now')
        return 'other';
    const modifiers = rest.slice(1);
    if (modifiers.some((m) => m !== 'localtime' && m !== 'utc'))
        return 'other';
    return { pattern, local: modifiers.at(-1) === 'localtime' };
}
function clockDefault(call, type) {
    const now = call.local ? LOCAL_NOW : UTC_NOW;
    const hasDate = call.pattern.includes('YYYY') && call.pattern.includes('MM') && call.pattern.includes('DD');
    const hasTime = call.pattern.includes('HH24') && call.pattern.includes('MI');
    if (call.pattern === 'epoch')
        return ['int2', 'int4', 'int8', 'numeric', 'float8'].includes(type.kind) ? 'CAST(floor(extract(epoch FROM CURRENT_TIMESTAMP)) AS bigint)' : null;
    switch (type.kind) {
        case 'timestamp':
            return hasDate ? (hasTime ? now : `date_trunc('day', ${now})`) : null;
        case 'timestamptz':
            if (!hasDate)
                return null;
            if (hasTime && !call.local)
                return 'CURRENT_TIMESTAMP';
            return `(${hasTime ? now : `date_trunc('day', ${now})`} AT TIME ZONE 'UTC')`;
        case 'date':
            return hasDate ? `CAST(${now} AS date)` : null;
        case 'time':
            return hasTime && !hasDate ? `CAST(${now} AS time(0))` : null;
        default:
            return TEXT_KINDS.has(type.kind) ? `to_char(${now}, ${(0,pg_identifiers/* quoteLiteral */.ce)(call.pattern)})` : null;
    }
}
function literalValue(tokens) {
    const [first, second] = tokens;
    if (tokens.length === 1 && (first.kind === 'string' || (first.kind === 'quoted' && first.text.startsWith('"'))))
        return first.value;
    if (tokens.length === 1 && first.kind === 'blob')
        return Buffer.from(first.value, 'hex');
    if (tokens.length === 1 && isWord(first, 'true', 'false'))
        return isWord(first, 'true') ? 1n : 0n;
    const sign = tokens.length === 2 && first.kind === 'op' && (first.text === '-' || first.text === '+') ? first.text : '';
    const number = sign ? second : tokens.length === 1 ? first : undefined;
    if (number?.kind !== 'number')
        return undefined;
    if (/^0x/i.test(number.text))
        return BigInt(`${sign}${BigInt(number.text)}`);
    return /^\d+$/.test(number.text) ? BigInt(`${sign}${number.text}`) : Number(`${sign}${number.text}`);
}
function translateDefault(defaultSql, type) {
    const text = defaultSql?.trim();
    if (!text)
        return { none: true };
    let tokens;
    try {
        tokens = tokenizeSqlite(text);
    }
    catch (error) {
        return { reason: `it could not be read (${error.message})` };
    }
    while (tokens.length > 2 && tokens[0].kind === 'open' && matchingClose(tokens, 0) === tokens.length - 1)
        tokens = tokens.slice(1, -1);
    if (tokens.length === 1 && isWord(tokens[0], 'null'))
        return { none: true };
    const clock = clockCall(tokens);
    if (clock && clock !== 'other') {
        const sql = clockDefault(clock, type);
        return sql ? { sql } : { reason: `the current date/time in this form does not fit a ${type.sql} column` };
    }
    const literal = literalValue(tokens);
    if (literal === undefined)
        return { reason: 'only literals and the current date/time are translated' };
    try {
        const converted = (0,cast_rules/* columnConverter */.p)({ ...type, strict: true })(literal);
        return converted === null ? { none: true } : { sql: (0,pg_identifiers/* quoteLiteral */.ce)(converted) };
    }
    catch (error) {
        if (error instanceof cast_rules/* CastFailure */.c3)
            return { reason: `the value ${error.message}` };
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/copy/plan/sqlite-type-mapping.ts
// SQLite declared type → Postgres column type for create-tables, as ONE DATA TABLE: first match
// wins, an explicit catch-all at the end. Declared types are kept where Postgres has them
// (varchar(n), numeric(p,s), boolean, date, timestamp, json, uuid). SQLite never enforces a length
// or a scale, so a value that does not fit stops the copy naming the row (it is never cut or
// rounded; see `strict` in target-kind.ts) — unless lengths are dropped (create-tables-lengths:
// drop), which gives text and plain numeric as pgloader does. The README's table is generated from
// this one (typeMappingMarkdown), next to what pgloader 3.6.7 creates for the same declaration.
const fixed = (typname, sql) => () => ({ typname, sql });
const args = (declared) => /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(declared);
function sized(declared, options) {
    const length = args(declared)?.[1];
    if (!length || !options.keepLengths || Number(length) < 1 || Number(length) > 10485760)
        return { typname: 'text', sql: 'text' };
    return { typname: 'varchar', sql: `character varying(${length})`, strict: true };
}
function decimal(declared, options) {
    const m = args(declared);
    const precision = Number(m?.[1]);
    const scale = Number(m?.[2] ?? 0);
    // Postgres allows precision 1..1000 and 0 ≤ scale ≤ precision here; anything else stays unconstrained.
    if (!m || !options.keepLengths || precision < 1 || precision > 1000 || scale > precision)
        return { typname: 'numeric', sql: 'numeric' };
    return { typname: 'numeric', sql: `numeric(${precision},${scale})`, strict: true };
}
const sqliteTypeRules = [
    { sqlite: '(none)', example: '', test: /^$/, map: fixed('text', 'text'), pgloader: 'text', why: 'no declared type: any value; text holds them all' },
    { sqlite: 'BOOLEAN, BOOL', example: 'BOOLEAN', test: /^(bool|boolean)$/, map: fixed('bool', 'boolean'), pgloader: 'boolean', why: '0/1, t/f, true/false convert' },
    { sqlite: 'TINYINT/SMALLINT … UNSIGNED', example: 'SMALLINT UNSIGNED', test: /^(tinyint|smallint|int2|short)\b.*unsigned/, map: fixed('int4', 'integer'), pgloader: 'smallint', why: 'unsigned 16-bit needs 32 bits' },
    // tinyint(1) is MySQL's boolean, but in SQLite it holds whatever the app wrote: keep it numeric.
    { sqlite: 'TINYINT, SMALLINT, INT2, SHORT', example: 'SMALLINT', test: /^(tinyint|smallint|int2|short integer|short)\b/, map: fixed('int2', 'smallint'), pgloader: 'smallint (INT2: parse error)', why: 'small integers' },
    { sqlite: 'INT4, MEDIUMINT', example: 'INT4', test: /^(int4|mediumint)\b/, map: fixed('int4', 'integer'), pgloader: 'fails (INT4: parse error; MEDIUMINT: no such type)', why: 'declared 32-bit' },
    // Only real integer type names: a typo like pgloader's "intege" holds text too, so it falls to text.
    { sqlite: 'INTEGER, INT, BIGINT, INT8', example: 'INTEGER', test: /^(int|integer|bigint|int8|unsigned big int)\b/, map: fixed('int8', 'bigint'), pgloader: 'bigint (INT: integer; INT8: parse error)', why: 'SQLite integers are 64-bit' },
    { sqlite: 'NUMERIC(p,s), DECIMAL(p,s)', example: 'NUMERIC(10,2)', test: /^(numeric|decimal)\s*\(\s*\d+\s*(,\s*\d+\s*)?\)/, map: decimal, pgloader: 'numeric(p,s)', why: 'precision and scale kept; a value with more digits fails rather than being rounded' },
    { sqlite: 'NUMERIC, DECIMAL, NUMBER, MONEY', example: 'NUMERIC', test: /^(numeric|decimal|number|money)/, map: fixed('numeric', 'numeric'), pgloader: 'numeric (MONEY: money; NUMBER: fails)', why: 'exact numbers' },
    { sqlite: 'REAL, DOUBLE, DOUBLE PRECISION, FLOAT', example: 'REAL', test: /^(real|double|float|double precision)/, map: fixed('float8', 'double precision'), pgloader: 'real for REAL, else double precision', why: 'SQLite REAL is an 8-byte IEEE float: real (4 bytes) would lose digits' },
    { sqlite: 'TIMESTAMPTZ, TIMESTAMP WITH TIME ZONE', example: 'TIMESTAMPTZ', test: /^(timestamptz|timestamp with time zone|datetimeoffset)/, map: fixed('timestamptz', 'timestamp with time zone'), pgloader: 'timestamp with time zone (DATETIMEOFFSET: fails)', why: 'explicit zone' },
    { sqlite: 'DATETIME, TIMESTAMP', example: 'DATETIME', test: /^(datetime|timestamp|smalldatetime)/, map: fixed('timestamp', 'timestamp without time zone'), pgloader: 'timestamptz for DATETIME, timestamp for TIMESTAMP', why: 'SQLite date-times carry no zone (its CURRENT_TIMESTAMP is UTC)' },
    { sqlite: 'DATE', example: 'DATE', test: /^date$/, map: fixed('date', 'date'), pgloader: 'date', why: 'calendar date' },
    { sqlite: 'TIME', example: 'TIME', test: /^time$/, map: fixed('time', 'time without time zone'), pgloader: 'time without time zone', why: 'time of day' },
    { sqlite: 'BLOB, BYTEA, BINARY, VARBINARY, IMAGE', example: 'BLOB', test: /^(blob|bytea|binary|varbinary|image)/, map: fixed('bytea', 'bytea'), pgloader: 'bytea (BINARY, VARBINARY, IMAGE: fail)', why: 'bytes' },
    { sqlite: 'JSON', example: 'JSON', test: /^json$/, map: fixed('json', 'json'), pgloader: 'json', why: 'validated, stored as written' },
    { sqlite: 'JSONB', example: 'JSONB', test: /^jsonb$/, map: fixed('jsonb', 'jsonb'), pgloader: 'jsonb', why: 'validated' },
    { sqlite: 'UUID, UNIQUEIDENTIFIER, GUID', example: 'UUID', test: /^(uuid|uniqueidentifier|guid)$/, map: fixed('uuid', 'uuid'), pgloader: 'uuid (GUID, UNIQUEIDENTIFIER: fail)', why: 'validated UUIDs' },
    // char(n) becomes varchar(n), not char(n): Postgres would pad the values with spaces, SQLite does not.
    { sqlite: 'VARCHAR(n), NVARCHAR(n), CHAR(n), CHARACTER(n), NCHAR(n)', example: 'VARCHAR(40)', test: /^(varchar|nvarchar|character varying|varying character|native character|nchar|char|character)\s*\(\s*\d+\s*\)/, map: sized, pgloader: 'text', why: 'the length is kept; a longer value fails rather than being cut (CHAR(n) is not padded)' },
    { sqlite: 'VARCHAR, TEXT, CLOB, STRING, … (no length)', example: 'TEXT', test: /char|clob|text|string/, map: fixed('text', 'text'), pgloader: 'text (STRING: fails)', why: 'text' },
    { sqlite: 'anything else', example: 'GEOMETRY', test: /.*/, map: fixed('text', 'text'), pgloader: 'as declared (an unknown type fails, e.g. GEOMETRY)', why: 'catch-all: unknown declared types hold text' },
];
function normalizeDeclaredType(declaredType) {
    return declaredType.toLowerCase().replace(/["'`[\]]/g, '').replace(/\s+/g, ' ').trim();
}
function mapSqliteType(declaredType, options = { keepLengths: true }) {
    const declared = normalizeDeclaredType(declaredType);
    return sqliteTypeRules.find((rule) => rule.test.test(declared)).map(declared, options);
}
/** The README's table of the rules above. */
function typeMappingMarkdown() {
    const rows = sqliteTypeRules.map((rule) => {
        const cutover = mapSqliteType(rule.example).sql.replace('(40)', '(n)').replace('(10,2)', '(p,s)');
        return `| ${rule.sqlite} | ${cutover} | ${rule.pgloader} | ${rule.why} |`;
    });
    return ['| SQLite declared type | cutover creates | pgloader 3.6.7 creates | why |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

;// CONCATENATED MODULE: ./src/copy/plan/sqlite-expression.ts
// Translates a SQLite expression (a CHECK constraint, an index term or a partial index's WHERE) into
// Postgres SQL, token by token, or says why it cannot. Only what means the same on both sides is
// translated: column references (through the target's names), literals, operators, CASE, CAST and
// a list of functions; anything else (GLOB, JSON operators, date functions, unknown functions,
// COLLATE NOCASE) is refused with the reason, and the report shows the SQLite text. What passes
// here is still checked by Postgres when it is created (in a savepoint, see create-schema-objects.ts).



class Untranslatable extends Error {
}
const refuse = (reason) => {
    throw new Untranslatable(reason);
};
/** SQLite function → Postgres function of the same meaning (for the argument counts listed). */
const FUNCTIONS = {
    lower: { pg: 'lower', args: (n) => n === 1 },
    upper: { pg: 'upper', args: (n) => n === 1 },
    length: { pg: 'length', args: (n) => n === 1 },
    abs: { pg: 'abs', args: (n) => n === 1 },
    coalesce: { pg: 'coalesce', args: (n) => n >= 2 },
    ifnull: { pg: 'coalesce', args: (n) => n === 2 },
    nullif: { pg: 'nullif', args: (n) => n === 2 },
    trim: { pg: 'btrim', args: (n) => n === 1 || n === 2 },
    ltrim: { pg: 'ltrim', args: (n) => n === 1 || n === 2 },
    rtrim: { pg: 'rtrim', args: (n) => n === 1 || n === 2 },
    substr: { pg: 'substr', args: (n) => n === 2 || n === 3 },
    substring: { pg: 'substr', args: (n) => n === 2 || n === 3 },
    replace: { pg: 'replace', args: (n) => n === 3 },
    instr: { pg: 'strpos', args: (n) => n === 2 },
    round: { pg: 'round', args: (n) => n === 1 || n === 2 },
    // With two or more arguments SQLite's max/min are scalar functions.
    max: { pg: 'greatest', args: (n) => n >= 2 },
    min: { pg: 'least', args: (n) => n >= 2 },
};
const sqlite_expression_KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'between', 'case', 'when', 'then', 'else', 'end', 'true', 'false', 'distinct', 'from', 'isnull', 'notnull', 'exists']);
const COMPARISONS = new Set(['=', '==', '!=', '<>']);
function argumentCount(tokens, open, close) {
    if (close === open + 1)
        return 0;
    let depth = 0;
    let count = 1;
    for (let i = open + 1; i < close; i++) {
        if (tokens[i].kind === 'open')
            depth++;
        else if (tokens[i].kind === 'close')
            depth--;
        else if (tokens[i].kind === 'comma' && depth === 0)
            count++;
    }
    return count;
}
function translateExpression(tokens, columns) {
    try {
        return { sql: new ExpressionWriter(tokens, columns).write() };
    }
    catch (error) {
        if (error instanceof Untranslatable)
            return { reason: error.message };
        throw error;
    }
}
class ExpressionWriter {
    /** Depth of an IN list whose left side is a boolean column (its 0/1 become false/true). */
    booleanList = -1;
    depth = 0;
    tokens;
    columns;
    constructor(tokens, columns) {
        this.tokens = tokens;
        this.columns = columns;
    }
    write() {
        if (this.tokens.length === 0)
            refuse('the expression is empty');
        for (let i = 0; i < this.tokens.length;)
            i = this.token(i);
        return this.text;
    }
    text = '';
    /** No space after '(' or a function name. */
    glue = true;
    emit(part, options = {}) {
        this.text += this.glue || options.tight ? part : ` ${part}`;
        this.glue = options.opens ?? false;
    }
    column(token) {
        if (!token || (token.kind !== 'word' && token.kind !== 'quoted'))
            return undefined;
        return this.columns.get(token.value.toLowerCase());
    }
    /** Is the token at i a boolean column compared with this literal (either side)? */
    comparedWithBoolean(i) {
        const before = this.tokens[i - 1];
        const after = this.tokens[i + 1];
        if (before && (COMPARISONS.has(before.text) || isWord(before, 'is')) && this.column(this.tokens[i - 2])?.kind === 'boolean')
            return true;
        if (before && isWord(before, 'not') && isWord(this.tokens[i - 2], 'is') && this.column(this.tokens[i - 3])?.kind === 'boolean')
            return true;
        return Boolean(after && COMPARISONS.has(after.text) && this.column(this.tokens[i + 2])?.kind === 'boolean');
    }
    token(i) {
        const t = this.tokens[i];
        switch (t.kind) {
            case 'number': {
                const inBooleanList = this.booleanList === this.depth;
                if ((inBooleanList || this.comparedWithBoolean(i)) && (t.text === '0' || t.text === '1'))
                    this.emit(t.text === '1' ? 'true' : 'false');
                else
                    this.emit(/^0x/i.test(t.text) ? BigInt(t.text).toString() : t.text);
                return i + 1;
            }
            case 'string':
                this.emit((0,pg_identifiers/* quoteLiteral */.ce)(t.value));
                return i + 1;
            case 'blob':
                this.emit(`${(0,pg_identifiers/* quoteLiteral */.ce)(`\\x${t.value}`)}::bytea`);
                return i + 1;
            case 'open':
                this.depth++;
                this.emit('(', { opens: true });
                return i + 1;
            case 'close':
                if (this.booleanList === this.depth)
                    this.booleanList = -1;
                this.depth--;
                this.emit(')', { tight: true });
                return i + 1;
            case 'comma':
                this.emit(',', { tight: true });
                return i + 1;
            case 'op':
                if (t.text === '->' || t.text === '->>')
                    refuse(`the JSON operator ${t.text} works on text in SQLite and on json in Postgres`);
                this.emit(t.text === '==' ? '=' : t.text);
                return i + 1;
            case 'dot':
                refuse('qualified names (table.column) are not translated');
                return i + 1;
            case 'semicolon':
                return i + 1;
            case 'quoted':
            case 'word':
                return this.word(i);
        }
    }
    word(i) {
        const t = this.tokens[i];
        const next = this.tokens[i + 1];
        const lower = t.value.toLowerCase();
        if (t.kind === 'word' && next?.kind === 'open' && !sqlite_expression_KEYWORDS.has(lower) && lower !== 'cast')
            return this.call(i);
        const column = this.column(t);
        if (column) {
            this.emit((0,pg_identifiers/* quoteIdent */.v4)(column.name));
            if (column.kind === 'boolean') {
                const at = isWord(next, 'not') ? i + 2 : i + 1;
                if (isWord(this.tokens[at], 'in') && this.tokens[at + 1]?.kind === 'open')
                    this.booleanList = this.depth + 1;
            }
            return i + 1;
        }
        // SQLite reads a "double-quoted" word that names no column as a string literal.
        if (t.kind === 'quoted') {
            if (t.text.startsWith('"')) {
                this.emit((0,pg_identifiers/* quoteLiteral */.ce)(t.value));
                return i + 1;
            }
            refuse(`${t.text} names no column of this table`);
        }
        if (['glob', 'regexp', 'match'].includes(lower))
            refuse(`${t.value.toUpperCase()} has no Postgres equivalent of the same meaning`);
        if (['current_timestamp', 'current_date', 'current_time'].includes(lower))
            refuse(`${t.value.toUpperCase()} changes over time`);
        if (lower === 'collate') {
            const collation = this.tokens[i + 1]?.value.toUpperCase();
            if (collation === 'BINARY')
                return i + 2;
            refuse(`COLLATE ${collation}: Postgres has no such collation`);
        }
        if (lower === 'like') {
            const pattern = this.tokens[i + 1];
            if (pattern?.kind !== 'string' || pattern.value.includes('\\') || isWord(this.tokens[i + 2], 'escape'))
                refuse('LIKE is translated only with a plain string pattern (SQLite has no escape character by default, Postgres uses \\)');
            // SQLite's LIKE ignores case (for ASCII letters); Postgres' ILIKE does.
            this.emit('ILIKE');
            return i + 1;
        }
        if (lower === 'not' && isWord(next, 'null') && !isWord(this.tokens[i - 1], 'is')) {
            this.emit('IS NOT NULL');
            return i + 2;
        }
        if (lower === 'is')
            return this.is(i);
        if (lower === 'cast')
            return this.cast(i);
        if (sqlite_expression_KEYWORDS.has(lower)) {
            this.emit(t.value.toUpperCase());
            return i + 1;
        }
        return refuse(`${t.value} is not a column of this table or a keyword cutover translates`);
    }
    /** SQLite's IS compares any two values (NULL-safe equality); Postgres' only with NULL/TRUE/FALSE. */
    is(i) {
        const negated = isWord(this.tokens[i + 1], 'not');
        const operand = this.tokens[i + (negated ? 2 : 1)];
        if (isWord(operand, 'null', 'true', 'false', 'distinct')) {
            this.emit(negated ? 'IS NOT' : 'IS');
            return i + (negated ? 2 : 1);
        }
        this.emit(negated ? 'IS DISTINCT FROM' : 'IS NOT DISTINCT FROM');
        return i + (negated ? 2 : 1);
    }
    cast(i) {
        const open = i + 1;
        const close = matchingClose(this.tokens, open);
        const as = this.tokens.findIndex((t, at) => at > open && at < close && isWord(t, 'as'));
        if (as < 0)
            refuse('CAST without AS');
        const inner = new ExpressionWriter(this.tokens.slice(open + 1, as), this.columns).write();
        const type = this.tokens.slice(as + 1, close).map((t) => t.text).join(' ');
        this.emit(`CAST(${inner} AS ${mapSqliteType(type).sql})`);
        return close + 1;
    }
    call(i) {
        const name = this.tokens[i].value.toLowerCase();
        const open = i + 1;
        const close = matchingClose(this.tokens, open);
        const fn = FUNCTIONS[name];
        const count = argumentCount(this.tokens, open, close);
        if (!fn)
            refuse(`the function ${name}() is not one cutover translates`);
        if (fn.args && !fn.args(count))
            refuse(`${name}() with ${count} argument${count === 1 ? '' : 's'} is not translated`);
        this.emit(fn.pg, { opens: true });
        return open;
    }
}

;// CONCATENATED MODULE: ./src/copy/plan/schema-objects-ddl.ts




function expressionColumns(table, naming) {
    return new Map(table.columns.map((c, i) => [c.name.toLowerCase(), { name: naming.columns[i].name, kind: naming.columns[i].type.kind }]));
}
function indexSqliteText(index, table) {
    if (index.sql)
        return index.sql;
    const names = index.columns.map((c) => `${c.name}${c.collation !== 'BINARY' ? ` COLLATE ${c.collation}` : ''}`).join(', ');
    return index.origin === 'pk' ? `PRIMARY KEY (${names}) of ${table.name}` : `UNIQUE (${names}) of ${table.name}`;
}
function indexObjects(table, naming) {
    const built = { objects: [], notTranslated: [] };
    const exprColumns = expressionColumns(table, naming);
    for (const index of [...table.indexes].sort((a, b) => a.name.localeCompare(b.name))) {
        const nocase = index.columns.some((c) => c.name && c.collation === 'NOCASE');
        // The primary key itself is created with the table's keys; only a case-insensitive one needs more.
        if (index.origin === 'pk' && !nocase)
            continue;
        const sqlite = indexSqliteText(index, table);
        const terms = [];
        const notes = [];
        let reason;
        for (const column of index.columns) {
            if (column.name === 'rowid')
                reason ??= 'it indexes the rowid, which has no Postgres equivalent';
            let term;
            if (column.name === null) {
                const translated = column.expression ? translateExpression(column.expression.tokens, exprColumns) : { reason: `its expression could not be read${index.unreadable ? ` (${index.unreadable})` : ''}` };
                if ('reason' in translated) {
                    reason ??= `the expression ${column.expression?.text ?? '?'}: ${translated.reason}`;
                    continue;
                }
                term = `(${translated.sql})`;
            }
            else {
                term = (0,pg_identifiers/* quoteIdent */.v4)(naming.col(column.name));
                if (column.collation === 'NOCASE' && index.unique) {
                    term = `lower(${term})`;
                    notes.push(`COLLATE NOCASE kept as a unique index on lower(${(0,pg_identifiers/* quoteIdent */.v4)(naming.col(column.name))}): values differing only in case stay refused`);
                }
                else if (column.collation !== 'BINARY') {
                    notes.push(`COLLATE ${column.collation} of ${column.name} dropped: Postgres compares ${(0,pg_identifiers/* quoteIdent */.v4)(naming.col(column.name))} as written`);
                }
            }
            terms.push(column.descending ? `${term} DESC` : term);
        }
        let where;
        if (index.where) {
            const translated = translateExpression(index.where.tokens, exprColumns);
            if ('reason' in translated)
                reason ??= `its WHERE ${index.where.text}: ${translated.reason}`;
            else
                where = translated.sql;
        }
        else if (index.unreadable && index.origin === 'c') {
            reason ??= `its SQL could not be read (${index.unreadable})`;
        }
        const kind = index.unique ? 'unique' : 'index';
        if (reason) {
            built.notTranslated.push({ kind, sqlite, reason });
            continue;
        }
        const plainColumns = index.columns.every((c) => c.name !== null && (c.collation === 'BINARY' || !index.unique || c.collation !== 'NOCASE'));
        const given = index.origin === 'c' ? index.name : table.uniqueNames.find((u) => u.columns.length === index.columns.length && u.columns.every((c, i) => c.toLowerCase() === index.columns[i].name?.toLowerCase()))?.name;
        const name = naming.claimRelation(given ?? `${naming.targetName}_${index.columns.map((c) => naming.col(c.name ?? 'expr')).join('_')}${nocase ? '_lower' : ''}_key`, given !== undefined);
        const definition = `(${terms.join(', ')})${where ? ` WHERE ${where}` : ''}`;
        // A UNIQUE constraint (or plain unique index) SQLite enforced: the data satisfies it, so a failure is a real error.
        const required = index.unique && plainColumns && !where && !nocase;
        const sql = required && index.origin === 'u' && index.columns.every((c) => !c.descending)
            ? `ALTER TABLE ${naming.target} ADD CONSTRAINT ${(0,pg_identifiers/* quoteIdent */.v4)(name)} UNIQUE (${terms.join(', ')})`
            : `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${(0,pg_identifiers/* quoteIdent */.v4)(name)} ON ${naming.target} (${terms.join(', ')})${where ? ` WHERE ${where}` : ''}`;
        built.objects.push({ kind, name, definition, sqlite, sql, stage: required ? 'constraint' : 'optional', ...(notes.length ? { note: notes.join('; ') } : {}) });
    }
    return built;
}
/** `col IN (0, 1)` on a column created as boolean: the type itself enforces it. */
function isBooleanDomainCheck(tokens, columns) {
    const [column, inWord, open, a, comma, b, close] = tokens;
    return tokens.length === 7 && columns.get(column.value.toLowerCase())?.kind === 'boolean' && isWord(inWord, 'in') && open.kind === 'open' && comma.kind === 'comma' && close.kind === 'close'
        && [a.text, b.text].sort().join() === '0,1';
}
function checkObjects(table, naming) {
    const built = { objects: [], notTranslated: [] };
    const exprColumns = expressionColumns(table, naming);
    for (const check of table.checks) {
        if (isBooleanDomainCheck(check.tokens, exprColumns)) {
            built.objects.push({ kind: 'check', definition: `${(0,pg_identifiers/* quoteIdent */.v4)(naming.col(check.tokens[0].value))} is boolean`, sqlite: check.sql, note: 'the boolean type allows only true/false (SQLite\'s 0/1), so no CHECK is needed' });
            continue;
        }
        const translated = translateExpression(check.tokens, exprColumns);
        if ('reason' in translated) {
            built.notTranslated.push({ kind: 'check', sqlite: check.sql, reason: translated.reason });
            continue;
        }
        const name = naming.claimConstraint(check.name ?? `${naming.targetName}${check.column ? `_${naming.col(check.column)}` : ''}_check`, check.name !== undefined);
        built.objects.push({ kind: 'check', name, definition: translated.sql, sqlite: check.sql, sql: `ALTER TABLE ${naming.target} ADD CONSTRAINT ${(0,pg_identifiers/* quoteIdent */.v4)(name)} CHECK (${translated.sql})`, stage: 'optional' });
    }
    return built;
}
function defaultObjects(table, naming) {
    const built = { objects: [], notTranslated: [] };
    table.columns.forEach((column, i) => {
        if (table.rowidAlias === column.name || column.defaultSql === null)
            return;
        const target = naming.columns[i];
        const translated = translateDefault(column.defaultSql, target.type);
        if ('none' in translated)
            return;
        const sqlite = `${column.name} DEFAULT ${column.defaultSql}`;
        if ('reason' in translated) {
            built.notTranslated.push({ kind: 'default', sqlite, reason: translated.reason });
            return;
        }
        built.objects.push({ kind: 'default', definition: `${(0,pg_identifiers/* quoteIdent */.v4)(target.name)} DEFAULT ${translated.sql}`, sqlite, sql: `ALTER TABLE ${naming.target} ALTER COLUMN ${(0,pg_identifiers/* quoteIdent */.v4)(target.name)} SET DEFAULT ${translated.sql}`, stage: 'optional' });
    });
    return built;
}
/** AUTOINCREMENT never reuses an id, even of deleted rows: continue after the highest one handed out. */
function sequenceStart(table, naming) {
    if (!table.rowidAlias || !table.autoincrement || !table.sequence || table.sequence < 1)
        return undefined;
    const column = (0,pg_identifiers/* quoteIdent */.v4)(naming.col(table.rowidAlias));
    const seq = table.sequence;
    return {
        kind: 'identity',
        definition: `${column} continues after ${seq}`,
        sqlite: `AUTOINCREMENT (sqlite_sequence: ${seq})`,
        note: 'SQLite handed out ids up to this one (rows may have been deleted since); AUTOINCREMENT never reuses them',
        sql: `SELECT setval(pg_get_serial_sequence(${(0,pg_identifiers/* quoteLiteral */.ce)(naming.target)}, ${(0,pg_identifiers/* quoteLiteral */.ce)(naming.col(table.rowidAlias))}), ${seq}) FROM ${naming.target} HAVING coalesce(max(${column}), 0) < ${seq}`,
        stage: 'optional',
    };
}

;// CONCATENATED MODULE: ./src/copy/plan/create-table-ddl.ts







/** Target column names of a SQLite table (deterministic: the same for the table and its children's FKs). */
function targetColumnNames(table) {
    return assignIdentifiers(table.columns.map((c) => c.name));
}
const sameSet = (a, b) => a.length === b.length && a.every((c) => b.some((d) => d.toLowerCase() === c.toLowerCase()));
const list = (names) => names.map(pg_identifiers/* quoteIdent */.v4).join(', ');
/** Columns a foreign key may reference in a table being created: its primary key or a plain UNIQUE. */
function referenceableKeys(parent) {
    const keys = parent.pkHasNulls || parent.primaryKey.length === 0 ? [] : [parent.primaryKey];
    for (const index of parent.indexes) {
        if (index.unique && index.origin !== 'pk' && !index.where && index.columns.every((c) => c.name && c.name !== 'rowid' && c.collation !== 'NOCASE'))
            keys.push(index.columns.map((c) => c.name));
    }
    return keys;
}
const ACTIONS = new Set(['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT']);
function foreignKeyClause(fk) {
    const parts = [];
    if (ACTIONS.has(fk.onDelete.toUpperCase()))
        parts.push(`ON DELETE ${fk.onDelete.toUpperCase()}`);
    if (ACTIONS.has(fk.onUpdate.toUpperCase()))
        parts.push(`ON UPDATE ${fk.onUpdate.toUpperCase()}`);
    if (fk.deferrable === 'deferred')
        parts.push('DEFERRABLE INITIALLY DEFERRED');
    if (fk.deferrable === 'immediate')
        parts.push('DEFERRABLE INITIALLY IMMEDIATE');
    return parts.join(' ');
}
function sqliteForeignKeyText(fk) {
    return fk.sql ?? `FOREIGN KEY (${fk.columns.join(', ')}) REFERENCES ${fk.refTable}${fk.refColumns.length ? ` (${fk.refColumns.join(', ')})` : ''}`;
}
function resolveParent(fk, ctx) {
    const created = ctx.creating.get(fk.refTable.toLowerCase());
    if (created) {
        const parent = created.sqlite;
        const refColumns = fk.refColumns.length > 0 ? fk.refColumns : parent.primaryKey;
        if (refColumns.length !== fk.columns.length)
            return { reason: `${fk.refTable} has no primary key of ${fk.columns.length} column${fk.columns.length === 1 ? '' : 's'} to reference` };
        if (!referenceableKeys(parent).some((key) => sameSet(key, refColumns))) {
            return { reason: `Postgres needs a primary key or UNIQUE constraint on ${fk.refTable} (${refColumns.join(', ')}), and the SQLite table has none that can be created` };
        }
        const names = targetColumnNames(parent).names;
        const actual = refColumns.map((c) => parent.columns.find((p) => p.name.toLowerCase() === c.toLowerCase())?.name);
        if (actual.some((c) => c === undefined))
            return { reason: `${fk.refTable} has no column ${refColumns.join(', ')}` };
        return { schema: ctx.schema, name: created.name, columns: actual.map((c) => names.get(c)) };
    }
    const existing = ctx.existing.find((t) => t.schema === ctx.schema && t.name.toLowerCase() === fk.refTable.toLowerCase());
    if (existing) {
        const refColumns = fk.refColumns.length > 0 ? fk.refColumns : existing.primaryKey;
        if (!sameSet(refColumns, existing.primaryKey))
            return { reason: `${displayName(existing.schema, existing.name)} exists in the target, and cutover references only its primary key` };
        return { schema: existing.schema, name: existing.name, columns: refColumns.map((c) => existing.columns.find((p) => p.name.toLowerCase() === c.toLowerCase()).name) };
    }
    return { reason: `${fk.refTable} is neither copied by this run nor in the target` };
}
function createTableDdl(table, targetName, ctx) {
    const target = (0,pg_identifiers/* qualifiedName */.OL)(ctx.schema, targetName);
    const { names: columnNames, renames: columnRenames } = targetColumnNames(table);
    const objects = [];
    const notTranslated = [];
    const renames = columnRenames.map((r) => ({ ...r, kind: 'column' }));
    // Constraint names are unique per table; those backed by an index (PRIMARY KEY, UNIQUE) per schema.
    const constraintNames = new SchemaNames([]);
    const claimConstraint = (wanted, given, relation) => {
        const claimed = (relation ? ctx.relationNames : constraintNames).claim(wanted);
        constraintNames.reserve(claimed.name);
        if (given && claimed.rename)
            renames.push({ ...claimed.rename, kind: relation ? 'index' : 'constraint' });
        return claimed.name;
    };
    const col = (name) => columnNames.get(name) ?? columnNames.get(table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.name ?? '') ?? name;
    const columns = [];
    const lines = [];
    for (const column of table.columns) {
        const identity = table.rowidAlias === column.name;
        const mapped = identity ? { typname: 'int8', sql: 'bigint' } : mapSqliteType(column.declaredType, ctx.types);
        const parts = [(0,pg_identifiers/* quoteIdent */.v4)(col(column.name)), mapped.sql];
        // INTEGER PRIMARY KEY is SQLite's rowid: an identity that still accepts the copied values.
        if (identity)
            parts.push('GENERATED BY DEFAULT AS IDENTITY');
        const notNull = column.notNull || (column.pkPosition > 0 && !table.pkHasNulls);
        if (notNull)
            parts.push('NOT NULL');
        lines.push(parts.join(' '));
        const type = classifyPgType(mapped.typname, mapped.sql);
        if ('strict' in mapped && mapped.strict)
            type.strict = true;
        columns.push({ name: col(column.name), type, notNull, hasDefault: identity || column.defaultSql !== null, identity: identity ? 'd' : '', generated: false });
        if (identity)
            objects.push({ kind: 'identity', definition: `${(0,pg_identifiers/* quoteIdent */.v4)(col(column.name))} bigint GENERATED BY DEFAULT AS IDENTITY`, sqlite: `${column.name} INTEGER PRIMARY KEY${table.autoincrement ? ' AUTOINCREMENT' : ''}`, note: 'sequence set after the load' });
    }
    const constraints = [];
    const primaryKey = table.pkHasNulls ? [] : table.primaryKey.map(col);
    if (table.pkHasNulls) {
        notTranslated.push({ kind: 'primary key', sqlite: `PRIMARY KEY (${table.primaryKey.join(', ')})`, reason: 'SQLite holds NULLs in it (a legacy quirk allows them in non-INTEGER keys); Postgres refuses NULLs in a primary key' });
    }
    else if (primaryKey.length > 0) {
        const name = claimConstraint(table.primaryKeyName ?? `${targetName}_pkey`, table.primaryKeyName !== undefined, true);
        const sql = `ALTER TABLE ${target} ADD CONSTRAINT ${(0,pg_identifiers/* quoteIdent */.v4)(name)} PRIMARY KEY (${list(primaryKey)})`;
        constraints.push(sql);
        objects.push({ kind: 'primary key', name, definition: `(${list(primaryKey)})`, sql, stage: 'constraint', sqlite: `PRIMARY KEY (${table.primaryKey.join(', ')})` });
    }
    const indexes = indexObjects(table, { target, targetName, col, claimRelation: (wanted, given) => claimConstraint(wanted, given, true), columns });
    for (const object of indexes.objects)
        if (object.stage === 'constraint')
            constraints.push(object.sql);
    objects.push(...indexes.objects);
    notTranslated.push(...indexes.notTranslated);
    const foreignKeys = [];
    const plannedForeignKeys = [];
    for (const fk of table.foreignKeys) {
        const parent = resolveParent(fk, ctx);
        if ('reason' in parent) {
            notTranslated.push({ kind: 'foreign key', sqlite: sqliteForeignKeyText(fk), reason: parent.reason });
            continue;
        }
        const childColumns = fk.columns.map(col);
        const name = claimConstraint(fk.name ?? `${targetName}_${childColumns.join('_')}_fkey`, fk.name !== undefined, false);
        const clause = foreignKeyClause(fk);
        const sql = `ALTER TABLE ${target} ADD CONSTRAINT ${(0,pg_identifiers/* quoteIdent */.v4)(name)} FOREIGN KEY (${list(childColumns)}) REFERENCES ${(0,pg_identifiers/* qualifiedName */.OL)(parent.schema, parent.name)} (${list(parent.columns)})${clause ? ` ${clause}` : ''}`;
        foreignKeys.push(sql);
        objects.push({ kind: 'foreign key', name, definition: `(${list(childColumns)}) → ${displayName(parent.schema, parent.name)} (${list(parent.columns)})${clause ? ` ${clause}` : ''}`, sql, stage: 'foreign key', sqlite: sqliteForeignKeyText(fk) });
        // Created after the load: the load order never waits for it (hence deferrable for planning).
        plannedForeignKeys.push({ name, columns: childColumns, refSchema: parent.schema, refTable: parent.name, refColumns: parent.columns, deferrable: true });
    }
    const checks = checkObjects(table, { target, targetName, col, claimConstraint: (wanted, given) => claimConstraint(wanted, given, false), columns });
    const defaults = defaultObjects(table, { target, col, columns });
    const sequence = sequenceStart(table, { target, col });
    objects.push(...checks.objects, ...defaults.objects, ...(sequence ? [sequence] : []));
    notTranslated.push(...checks.notTranslated, ...defaults.notTranslated);
    for (const column of table.columns.filter((c) => c.collation === 'NOCASE' || c.collation === 'RTRIM')) {
        notTranslated.push({ kind: 'collation', sqlite: `${column.name} … COLLATE ${column.collation}`, reason: `Postgres has no ${column.collation} collation: comparisons on ${(0,pg_identifiers/* quoteIdent */.v4)(col(column.name))} ${column.collation === 'NOCASE' ? 'become case-sensitive (compare lower() values, or use citext)' : 'keep trailing spaces'}` });
    }
    for (const generated of table.generatedColumns) {
        notTranslated.push({ kind: 'generated column', sqlite: generated.sql, reason: 'generated columns are computed, not copied, and cutover does not translate their expressions' });
    }
    if (table.unreadable)
        notTranslated.push({ kind: 'table', sqlite: table.sql, reason: `its CREATE TABLE text could not be read (${table.unreadable}), so CHECK constraints and collations are unknown` });
    return {
        create: `CREATE TABLE ${target} (\n  ${lines.join(',\n  ')}\n)`,
        constraints: [...constraints.filter((s) => s.includes(' PRIMARY KEY (')), ...constraints.filter((s) => !s.includes(' PRIMARY KEY ('))],
        foreignKeys,
        optional: objects.filter((o) => o.stage === 'optional'),
        // Created by this run's role: owned, no row-level security, no triggers.
        table: { schema: ctx.schema, name: targetName, columns, primaryKey, foreignKeys: plannedForeignKeys, owned: true, rowSecurity: false, forceRowSecurity: false, rowSecurityApplies: false, userTriggers: [], privileges: { select: true, insert: true, truncate: true } },
        columnNames,
        objects,
        notTranslated,
        renames,
    };
}

;// CONCATENATED MODULE: ./src/copy/plan/privilege-preflight.ts

function privilegeProblems(plans, sourceTables, ifTargetNotEmpty) {
    const problems = [];
    const unreadable = plans.filter((p) => sourceTables.get(p)?.privileges.select === false);
    if (unreadable.length > 0) {
        const names = unreadable.map((p) => displayName(p.sourceSchema, p.sourceName)).join(', ');
        problems.push(`the source role may not read ${names} (no SELECT on the table, or no USAGE on its schema): grant it on the source (GRANT SELECT ON … TO …), connect to the source as the tables' owner, or exclude ${unreadable.length === 1 ? 'the table' : 'them'}`);
    }
    const existing = plans.filter((p) => !p.ddl);
    const unwritable = existing.filter((p) => !p.target.privileges.insert);
    if (unwritable.length > 0) {
        problems.push(`the target role may not write ${unwritable.map((p) => p.display).join(', ')} (no INSERT on the table, or no USAGE on its schema): grant it on the target, copy as the tables' owner, or exclude ${unwritable.length === 1 ? 'the table' : 'them'}`);
    }
    if (ifTargetNotEmpty === 'truncate') {
        const untruncatable = existing.filter((p) => p.target.privileges.insert && !p.target.privileges.truncate);
        if (untruncatable.length > 0) {
            problems.push(`if-target-not-empty: truncate, but the target role may not TRUNCATE ${untruncatable.map((p) => p.display).join(', ')}: grant TRUNCATE on the target, or copy as the tables' owner`);
        }
    }
    return problems;
}

;// CONCATENATED MODULE: ./src/copy/plan/row-security-preflight.ts


function why(table) {
    return table.owned && table.forceRowSecurity ? ' (FORCE ROW LEVEL SECURITY: the policies apply to its owner too)' : '';
}
/** Throws when row-level security would filter what is read from these tables on `side`. */
function refuseFilteredReads(tables, side) {
    const filtered = tables.filter((t) => t.rowSecurityApplies);
    if (filtered.length === 0)
        return;
    const names = filtered.map((t) => displayName(t.schema, t.name));
    const listed = filtered.slice(0, 10).map((t, i) => `${names[i]}${why(t)}`).join(', ') + (filtered.length > 10 ? ` and ${filtered.length - 10} more` : '');
    const role = side.role ? `the role ${side.role}` : 'the role cutover connects as';
    throw new errors/* RowSecurityError */.Lr(`Row-level security on the ${side.name}${side.input ? ` (${side.input})` : ''} hides rows from ${role}: ${filtered.length === 1 ? 'its policies apply' : 'policies apply'} to ${listed}. ` +
        `Reading ${filtered.length === 1 ? 'it' : 'them'} would see only the rows the policies allow, so the ${side.name === 'source' ? 'copy and its verification would be silently partial' : 'comparison would be wrong'}; nothing was read or written.`, {
        fix: `connect to the ${side.name} as a role that bypasses row-level security: a superuser or a role with BYPASSRLS (on Supabase the postgres role, which pg_dump also needs), or the tables' owner when they do not FORCE ROW LEVEL SECURITY; or leave ${filtered.length === 1 ? 'the table' : 'those tables'} out with exclude: ${names.slice(0, 10).join(',')}.`,
    });
}
function checkSourceRowSecurity(tables, options) {
    const role = options.sourceLocation?.kind === 'postgres' && options.sourceLocation.user ? options.sourceLocation.user : undefined;
    refuseFilteredReads(tables, { name: 'source', ...(options.sourceInput ? { input: options.sourceInput } : {}), ...(role ? { role } : {}) });
}
function row_security_preflight_describeTrigger(trigger) {
    return `${trigger.name} (${trigger.timing} ${trigger.events.join(' OR ')}, ${trigger.forEachRow ? 'for each row' : 'once per statement'})`;
}
/** Preflight findings about writing into the target tables (copy mode). */
function targetAccessFindings(plans) {
    const problems = [];
    const warnings = [];
    for (const plan of plans) {
        const table = plan.target;
        if (table.rowSecurityApplies && !table.owned) {
            problems.push(`target table ${plan.display} has row-level security enabled, and the role cutover connects as neither owns it nor has BYPASSRLS, so Postgres refuses COPY into it and filters what verification reads (copy as the table's owner or a role with BYPASSRLS, or exclude the table)`);
        }
        const firing = table.owned ? [] : table.userTriggers.filter((t) => t.enabled && t.events.includes('INSERT'));
        if (firing.length > 0) {
            warnings.push(`${plan.display}: the role cutover connects as does not own this target table, so it cannot disable its triggers, which will fire during the load: ${firing.map(row_security_preflight_describeTrigger).join(', ')}. If they change the copied rows, verification before COMMIT finds the difference and the whole copy is rolled back; to copy the rows exactly, copy as the table's owner (cutover then disables them for the load).`);
        }
    }
    return { problems, warnings };
}

;// CONCATENATED MODULE: ./src/copy/plan/copy-plan.ts











const findByName = findTargetByName;
/** Declared SQLite storage class that is certain enough to check against the target type. */
function declaredClass(declaredType) {
    const typname = mapSqliteType(declaredType).typname;
    if (typname === 'int2' || typname === 'int8')
        return 'integer';
    if (typname === 'float8')
        return 'real';
    if (typname === 'bytea')
        return 'blob';
    return null;
}
function sourceViews(source, targetSchema) {
    if (source.kind === 'sqlite') {
        // SQLite has no schemas: its tables go to the target's current schema.
        return source.tables.map((t) => ({ schema: targetSchema, name: t.name, columns: t.columns.map((c) => ({ name: c.name, declaredType: c.declaredType })), sqlite: t }));
    }
    return source.tables.map((t) => ({ schema: t.schema, name: t.name, columns: t.columns.filter((c) => !c.generated).map((c) => ({ name: c.name, pgType: c.type.sql, ...(c.sequence ? { sequence: c.sequence } : {}) })), pg: t, ...(t.extension ? { extension: t.extension } : {}) }));
}
function buildCopyPlan(source, targetTables, options) {
    const problems = [];
    const warnings = [];
    const { selected: views, leftOut, warnings: scopeWarnings } = resolveScope(sourceViews(source, options.targetSchema), {
        include: options.include,
        exclude: options.exclude,
        sourceKind: source.kind,
        ...(options.sourceInput ? { sourceInput: options.sourceInput } : {}),
        ...(options.sourceLocation ? { sourceLocation: options.sourceLocation } : {}),
        display: (t) => displayName(t.schema ?? options.targetSchema, t.name),
    });
    warnings.push(...scopeWarnings);
    checkSourceRowSecurity(views.flatMap((v) => (v.pg ? [v.pg] : [])), options);
    const targetSchemas = new Set(targetTables.map((t) => t.schema));
    const toCreate = [];
    const missingTables = [];
    const plans = [];
    for (const view of views) {
        const schema = view.schema ?? options.targetSchema;
        let target = findByName(targetTables.filter((t) => t.schema === schema), view.name);
        if (!target && options.createTables && view.sqlite) {
            toCreate.push(view.sqlite);
        }
        else if (!target && options.leaveOutMissing) {
            leftOut.push({ table: displayName(schema, view.name), reason: options.leaveOutMissing });
            continue;
        }
        else if (!target) {
            missingTables.push({ display: displayName(schema, view.name), sourceName: view.name, ...(view.schema ? { sourceSchema: view.schema } : {}) });
            const hint = source.kind === 'sqlite' ? ' (use create-tables to create it from the SQLite schema, or run the migrations first)' : targetSchemas.has(schema) ? '' : ` (the target has no tables in schema ${displayIdentifier(schema)})`;
            problems.push(`table ${displayName(schema, view.name)} does not exist in the target${hint}`);
            continue;
        }
        plans.push({ key: target ? pgTableKey(target.schema, target.name) : pgTableKey(schema, view.name), display: displayName(schema, target?.name ?? view.name), sourceName: view.name, ...(source.kind === 'postgres' ? { sourceSchema: view.schema } : {}), target: target, columns: [], keyColumns: [], ...(view.sqlite ? { sqlite: view.sqlite } : {}) });
    }
    if (toCreate.length > 0) {
        // Table names (long ones cut or hashed) first: foreign keys and index names depend on them.
        const existingNames = targetTables.filter((t) => t.schema === options.targetSchema).map((t) => t.name);
        const taken = new Set([...(options.targetRelations ?? []), ...existingNames]);
        const tableNames = assignIdentifiers(toCreate.map((t) => t.name), taken);
        const relationNames = new SchemaNames([...taken, ...tableNames.names.values()]);
        const creating = new Map(toCreate.map((t) => [t.name.toLowerCase(), { sqlite: t, name: tableNames.names.get(t.name) }]));
        const context = { schema: options.targetSchema, creating, existing: targetTables, relationNames, types: options.typeMapping ?? { keepLengths: true } };
        for (const plan of plans) {
            if (plan.target)
                continue;
            const name = tableNames.names.get(plan.sqlite.name);
            plan.ddl = createTableDdl(plan.sqlite, name, context);
            const rename = tableNames.renames.find((r) => r.from === plan.sqlite.name);
            if (rename)
                plan.ddl.renames.unshift({ ...rename, kind: 'table' });
            plan.target = plan.ddl.table;
            plan.key = pgTableKey(options.targetSchema, name);
            plan.display = displayName(options.targetSchema, name);
        }
    }
    for (const plan of plans) {
        const view = views.find((v) => v.name === plan.sourceName && (plan.sourceSchema === undefined || v.schema === plan.sourceSchema));
        const used = new Set();
        for (const column of view.columns) {
            const created = plan.ddl?.columnNames.get(column.name);
            const target = created !== undefined ? plan.target.columns.find((c) => c.name === created) : findByName(plan.target.columns, column.name);
            if (!target) {
                problems.push(`column ${plan.display}.${column.name} exists in the source but not in the target table`);
                continue;
            }
            used.add(target);
            if (target.generated)
                continue; // computed by Postgres from the other columns
            const declared = column.declaredType !== undefined ? declaredClass(column.declaredType) : null;
            if (declared && (0,cast_rules/* findCastRule */.jg)(target.type.kind, declared).target === '*') {
                problems.push(`column ${plan.display}.${target.name}: SQLite declares ${column.declaredType}, which cannot convert to ${target.type.sql}`);
            }
            plan.columns.push({ source: column.name, target, ...(column.pgType && column.pgType !== target.type.sql ? { sourceType: column.pgType } : {}), ...(column.sequence ? { sourceSequence: column.sequence } : {}) });
        }
        for (const column of plan.target.columns) {
            if (!used.has(column) && column.notNull && !column.hasDefault && !column.generated) {
                problems.push(`column ${plan.display}.${column.name} is NOT NULL without a default, and the source has no such column`);
            }
        }
        plan.keyColumns = plan.target.primaryKey.map((name) => plan.columns.find((c) => c.target.name === name)).filter((c) => c !== undefined);
        if (plan.keyColumns.length !== plan.target.primaryKey.length)
            plan.keyColumns = [];
    }
    const access = targetAccessFindings(plans);
    problems.push(...access.problems);
    const sourceTables = new Map(plans.flatMap((p) => {
        const view = views.find((v) => v.name === p.sourceName && v.schema === p.sourceSchema && v.pg);
        return view?.pg ? [[p, view.pg]] : [];
    }));
    problems.push(...privilegeProblems(plans, sourceTables, options.ifTargetNotEmpty));
    warnings.push(...access.warnings);
    const keys = new Set(plans.map((p) => p.key));
    const edges = [];
    // Adding a foreign key locks its parent SHARE ROW EXCLUSIVE until COMMIT: two created tables whose
    // keys reference one table outside the copy, loading in two transactions, would wait on each other.
    const outsideParents = new Map();
    for (const plan of plans) {
        for (const fk of plan.target.foreignKeys) {
            const parent = pgTableKey(fk.refSchema, fk.refTable);
            if (keys.has(parent))
                edges.push({ child: plan.key, parent, deferrable: fk.deferrable });
            else if (plan.ddl)
                outsideParents.set(parent, [...(outsideParents.get(parent) ?? []), plan.key]);
        }
    }
    const links = [...outsideParents.values()].flatMap((children) => children.slice(1).map((child, i) => [children[i], child]));
    return { tables: plans, edges, links, problems, warnings, missingTables, leftOut };
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/copy/load/rejects-file.ts
// on-error: skip — every row that cannot convert becomes one JSON line (table, key, column, reason,
// a truncated value; never the whole row) in the rejects file, created on the first reject.


const MAX_VALUE_CHARS = 80;
function truncateValue(value) {
    const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
    return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} chars)` : text;
}
class RejectsFile {
    file;
    count = 0;
    fd;
    constructor(file) {
        this.file = file;
    }
    write(record) {
        if (this.fd === undefined) {
            external_node_fs_default().mkdirSync(external_node_path_default().dirname(this.file), { recursive: true });
            this.fd = external_node_fs_default().openSync(this.file, 'w');
        }
        external_node_fs_default().writeSync(this.fd, `${JSON.stringify({ ...record, value: truncateValue(record.value) })}\n`);
        this.count++;
    }
    close() {
        if (this.fd !== undefined)
            external_node_fs_default().closeSync(this.fd);
        this.fd = undefined;
    }
}

;// CONCATENATED MODULE: ./src/copy/load/load-errors.ts
// Turns what can go wrong while loading tables into a CopyError that names the table, the side that
// failed (source or target) and the fix that fits this case; pg's code/detail/hint travel along
// through `cause` (describePgError). Every load error is raised inside the load transactions, which
// are then rolled back, so "the target was left as it was" is true whenever one of these is thrown.



/** Errors raised by the source's side of a COPY pipe carry this mark (see copy-table.ts). */
const SOURCE_SIDE = Symbol('cutover.sourceSide');
function markSourceSide(error) {
    if (error && typeof error === 'object')
        error[SOURCE_SIDE] = true;
}
function fromSource(error) {
    return Boolean(error && typeof error === 'object' && error[SOURCE_SIDE]);
}
/** `declaredBySqlite`: a length or scale create-tables kept from the SQLite declaration (never enforced there). */
function conversionError(table, failure, targetType, declaredBySqlite = false) {
    const fix = declaredBySqlite
        ? `SQLite does not enforce the length or scale it declares, so the value is valid there: shorten or round it in the source; or set create-tables-lengths: drop to create such columns as text and numeric (as pgloader does); or create ${table} yourself (e.g. a migration) with a wider column before the copy (create-tables creates only missing tables); or set on-error: skip to copy everything else and write such rows to the rejects file.`
        : 'correct that value in the source, or set on-error: skip to copy everything else and write such rows to the rejects file.';
    return new errors/* CopyError */.k6(`Cannot copy ${table}: the row with ${failure.key}, column "${failure.column}" (${targetType}): value ${truncateValue(failure.value)} ${failure.reason}. Nothing was written to the target.`, { fix });
}
const LEFT_AS_IT_WAS = 'The target was left as it was (the load is rolled back).';
function foreignKeyFix(error, tables, ctx) {
    const fk = tables.flatMap((t) => t.target.foreignKeys.map((k) => ({ table: t, k }))).find(({ k }) => k.name === error.constraint);
    if (fk && !ctx.copied.has(`${fk.k.refSchema}.${fk.k.refTable}`)) {
        const parent = displayName(fk.k.refSchema, fk.k.refTable);
        return `${fk.table.display} references ${parent} (constraint ${fk.k.name}), which this copy does not fill (left out by include/exclude or the default scope), and the target's ${parent} lacks those parent rows: include ${parent} in the copy, or load it into the target first.`;
    }
    return ctx.sourceKind === 'sqlite'
        ? 'the source has rows whose parent row does not exist (SQLite does not enforce foreign keys unless PRAGMA foreign_keys is on): fix or delete those rows in the source, or exclude the table.'
        : 'the source has rows whose parent row does not exist in what was copied: check the detail above in the source, fix those rows there, or exclude the table.';
}
function uniqueFix(ctx) {
    if (ctx.ifTargetNotEmpty === 'append' && !ctx.targetWasEmpty)
        return 'the target already holds rows with these keys: use if-target-not-empty: truncate to replace them, or exclude the table.';
    // The table was empty (or truncated) before the load: both rows came from the source.
    return ctx.sourceKind === 'sqlite'
        ? 'the source itself holds two rows with this key (SQLite lets a column without a UNIQUE or PRIMARY KEY constraint, or with mixed types such as 1 and \'1\', hold duplicates that the target\'s constraint refuses): remove the duplicates in the source, or relax the constraint in the target.'
        : 'the source itself holds two rows with this key (its table lacks the constraint the target has, or compares differently, e.g. another collation): remove the duplicates in the source, or align the target constraint.';
}
const ROW_SECURITY_FIX = 'row-level security on the target table refuses COPY for this role: copy as the table owner (cutover lifts FORCE ROW LEVEL SECURITY for the load inside its transaction) or as a role with BYPASSRLS, or disable row-level security on the table for the cutover.';
function targetFix(code, error, tables, ctx) {
    switch (code) {
        case '23505':
            return uniqueFix(ctx);
        case '23P01':
            return ctx.ifTargetNotEmpty === 'append' && !ctx.targetWasEmpty
                ? 'a copied row conflicts with a row already in the target under an exclusion constraint: use if-target-not-empty: truncate, or remove the conflicting rows.'
                : 'two source rows conflict under an exclusion constraint of the target (e.g. overlapping ranges): fix those rows in the source, or change the constraint in a migration.';
        case '23503':
            return foreignKeyFix(error, tables, ctx);
        case '23502':
            return 'the source has NULLs in a column that is NOT NULL in the target: fill them in the source or relax the target column.';
        case '23514':
            return 'a source row breaks a CHECK constraint of the target: fix the row in the source or change the constraint in a migration.';
        case '42501':
            return /row-level security/i.test(error.message ?? '')
                ? ROW_SECURITY_FIX
                : 'grant the target role INSERT (and TRUNCATE for if-target-not-empty: truncate) on the table and USAGE/UPDATE on its sequences, or copy as the table owner.';
        case '22001':
            return 'a value is longer than the target column allows: widen the column in a migration.';
        case '55P03':
            return "another session (the application, say) held a lock the load needed (on a table it writes, or a row or table its foreign keys check) for longer than lock-timeout: stop the application's use of the target's tables for the copy, or raise lock-timeout.";
        case '0A000':
            if (/row-level security/i.test(error.message ?? ''))
                return ROW_SECURITY_FIX;
            return /truncate/i.test(error.message ?? '')
                ? 'TRUNCATE fails when a table that is not copied references this one: include the referencing table, or use if-target-not-empty: append.'
                : undefined;
        default:
            return undefined;
    }
}
/** The server ended the session (terminated backend, shutdown, failover) or the socket broke. */
function isConnectionFailure(error) {
    const code = error?.code ?? '';
    if (/^08/.test(code) || ['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code))
        return true;
    return error instanceof Error && /Connection terminated|connection (was )?closed|socket hang up/i.test(error.message);
}
function connectionLost(side, cause) {
    return new errors/* ConnectionError */.Rc(`The connection to the ${side} was lost during the copy: ${(0,errors/* describeCause */.V$)(cause)}. Nothing was committed: the target is as it was.`, {
        cause,
        fix: `check the ${side} server (a restart, a failover, a pooler that closed the connection, or a backend ended by pg_terminate_backend) and run the copy again; a rerun starts from a clean slate.`,
    });
}
function loadError(table, cause, ctx, tables = []) {
    if (cause instanceof errors/* CopyError */.k6 || cause instanceof errors/* ConnectionError */.Rc)
        return cause;
    if (isConnectionFailure(cause))
        return connectionLost(fromSource(cause) ? 'source' : 'target', cause);
    const code = (0,errors/* isPgError */.QO)(cause) ? cause.code : undefined;
    if (fromSource(cause)) {
        const fix = code === '42501'
            ? 'grant the source role SELECT on the table (and USAGE on its schema), or read the source as its owner.'
            : 'check the source database and its logs, then run the copy again; a rerun starts from a clean slate.';
        return new errors/* CopyError */.k6(`Reading ${table} from the source failed: ${(0,errors/* describeCause */.V$)(cause)}. ${LEFT_AS_IT_WAS}`, { cause, fix });
    }
    const fix = (ctx && (0,errors/* isPgError */.QO)(cause) ? targetFix(code, cause, tables, ctx) : undefined) ?? 'fix the cause above and run the copy again; a rerun starts from a clean slate.';
    return new errors/* CopyError */.k6(`Loading ${table} into the target failed: ${(0,errors/* describeCause */.V$)(cause)}. ${LEFT_AS_IT_WAS}`, { cause, fix });
}

;// CONCATENATED MODULE: ./src/copy/verify/verify-copied-tables.ts





function pgSide(client, target) {
    return { buckets: () => pgBucketTotals(client, target), rowsInBuckets: (b) => pgRowsInBuckets(client, target, b) };
}
function sqliteSide(db, table, limit) {
    const spec = sqliteReadSpec(table, limit);
    return { buckets: () => sqliteBucketTotals(db, spec), rowsInBuckets: (b) => sqliteRowsInBuckets(db, spec, b) };
}
/** A failure on the source's connection is the source's (load-errors.ts names the side). */
function sourceSide(error) {
    markSourceSide(error);
    throw error;
}
function minus(after, before) {
    if (!before)
        return after;
    return { rows: after.rows - before.rows, ...(after.checksum !== undefined ? { checksum: (BigInt(after.checksum) - BigInt(before.checksum ?? '0')).toString() } : {}) };
}
/** Verifies one table on its load transaction's connection; true when it matches. */
async function verifyTable(table, target, reader, ctx) {
    const checksums = ctx.copy.checksums;
    const entry = ctx.entries.get(table.key);
    const targetSpec = targetCanonical(table);
    const sourceSpec = reader ? pgSourceCanonical(table, ctx.copy.sampleRows) : undefined;
    const [after, pgSource] = await Promise.all([
        pgTotals(target, targetSpec, checksums),
        sourceSpec ? (ctx.sourceTotals?.get(table.key) ?? pgTotals(reader, sourceSpec, checksums)).catch(sourceSide) : Promise.resolve(undefined),
    ]);
    const copied = minus(after, ctx.baselines.get(table.key));
    // A sample that left rows out for foreign keys: the target holds what was copied, counts only.
    if (ctx.sampleSkipped.has(table.key)) {
        Object.assign(entry, { targetRows: copied.rows, checksumMatch: null });
        return copied.rows === entry.copiedRows;
    }
    const expected = pgSource ?? { rows: (entry.sourceRows ?? 0) - (entry.rejectedRows ?? 0), ...(checksums ? { checksum: ctx.hashes.get(table.key)?.value() ?? '0' } : {}) };
    if (pgSource)
        entry.sourceRows = pgSource.rows;
    entry.targetRows = copied.rows;
    entry.checksumMatch = checksums ? expected.checksum === copied.checksum : null;
    if (checksums)
        Object.assign(entry, { sourceChecksum: expected.checksum, targetChecksum: copied.checksum });
    if (expected.rows === copied.rows && entry.checksumMatch !== false)
        return true;
    if (checksums && !ctx.baselines.has(table.key)) {
        const source = ctx.sqlite ? sqliteSide(ctx.sqlite, table, ctx.copy.sampleRows) : pgSide(reader, sourceSpec);
        const differences = await findDifferences(source, pgSide(target, targetSpec));
        if (differences)
            Object.assign(entry, { differences, differingKeys: sampleKeys(differences) });
    }
    return false;
}
/** Verifies a group's tables inside its open load transaction; true when all match. */
async function verifyBeforeCommit(tables, target, reader, ctx) {
    let ok = true;
    for (const table of tables)
        if (!(await verifyTable(table, target, reader, ctx)))
            ok = false;
    return ok;
}

// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./node_modules/pg-copy-streams/index.js
var pg_copy_streams = __webpack_require__(6901);
;// CONCATENATED MODULE: ./src/copy/load/copy-table.ts
// Moves one table's rows into the target with COPY … FROM STDIN, from SQLite (converted row by row)
// or from Postgres (COPY … TO STDOUT piped straight through: same text format on both ends).








function copyIntoSql(plan, into = (0,pg_identifiers/* qualifiedName */.OL)(plan.target.schema, plan.target.name)) {
    return `COPY ${into} (${plan.columns.map((c) => (0,pg_identifiers/* quoteIdent */.v4)(c.target.name)).join(', ')}) FROM STDIN`;
}
const STAGE = 'cutover_sample_stage';
/**
 * Samples (dry runs): the first N rows of a child may reference parent rows outside the parent's
 * sample. Such rows go through a temporary table and only those whose parents were copied are kept
 * (self-references only to rows already in the table). Returns the COPY target and a finisher
 * that moves the kept rows and returns how many were skipped.
 */
async function sampleStage(target, plan) {
    if (plan.target.foreignKeys.length === 0)
        return undefined;
    const table = (0,pg_identifiers/* qualifiedName */.OL)(plan.target.schema, plan.target.name);
    await target.query(`DROP TABLE IF EXISTS pg_temp.${STAGE}; CREATE TEMP TABLE ${STAGE} (LIKE ${table})`);
    const columns = plan.columns.map((c) => (0,pg_identifiers/* quoteIdent */.v4)(c.target.name)).join(', ');
    const conditions = plan.target.foreignKeys.map((fk) => {
        const anyNull = fk.columns.map((c) => `s.${(0,pg_identifiers/* quoteIdent */.v4)(c)} IS NULL`).join(' OR ');
        const match = fk.columns.map((c, i) => `p.${(0,pg_identifiers/* quoteIdent */.v4)(fk.refColumns[i])} = s.${(0,pg_identifiers/* quoteIdent */.v4)(c)}`).join(' AND ');
        return `(${anyNull} OR EXISTS (SELECT 1 FROM ${(0,pg_identifiers/* qualifiedName */.OL)(fk.refSchema, fk.refTable)} p WHERE ${match}))`;
    });
    return {
        into: `pg_temp.${STAGE}`,
        finish: async () => {
            const staged = await target.query(`SELECT count(*)::int AS n FROM pg_temp.${STAGE}`);
            const moved = await target.query(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM pg_temp.${STAGE} s WHERE ${conditions.join(' AND ')}`);
            await target.query(`DROP TABLE pg_temp.${STAGE}`);
            return staged.rows[0].n - (moved.rowCount ?? 0);
        },
    };
}
async function copySqliteTable(target, db, plan, options) {
    const spec = sqliteReadSpec(plan, options.limit);
    const sourceOptions = { hash: options.hash, onFailure: options.onFailure, onRows: options.onRows };
    // Big tables are read and converted by several worker threads, one rowid slice each.
    const slices = planSlices(db, spec, workerCount(options.jobs));
    if (slices)
        options.log(`${plan.display}: reading ${slices.length} rowid slices in parallel worker threads.`);
    const source = slices ? new ParallelSqliteSource(db.name, spec, slices, sourceOptions) : new sqlite_row_source/* SqliteRowSource */.I(db, spec, sourceOptions);
    if (plan.columns.length === 0) {
        // Nothing to write per row (a table of only generated columns); still count the rows.
        for await (const _chunk of source)
            void _chunk;
        return { rowsRead: source.rows, copied: 0, rejected: source.rejected, parallel: Boolean(slices) };
    }
    const stage = options.limit !== undefined ? await sampleStage(target, plan) : undefined;
    const sink = target.query((0,pg_copy_streams/* from */.H)(copyIntoSql(plan, stage?.into)));
    blameSource(source, sink);
    await (0,promises_.pipeline)(source, sink, { signal: options.signal });
    const skipped = stage ? await stage.finish() : 0;
    return { rowsRead: source.rows, copied: source.copied - skipped, rejected: source.rejected, parallel: Boolean(slices), ...(stage ? { skipped } : {}) };
}
/**
 * Marks errors that start on the source's side of a pipe (see load-errors.ts). When the target fails
 * first, pipeline() destroys the source with the target's error: that one is not the source's.
 */
function blameSource(source, sink) {
    let sinkFailed = false;
    sink.once('error', () => (sinkFailed = true));
    source.once('error', (error) => {
        if (!sinkFailed)
            markSourceSide(error);
    });
}
/** Counts COPY text lines as they pass (one '\n' per row: embedded newlines are escaped). */
function lineCounter(onRows) {
    let rows = 0;
    return new external_node_stream_.Transform({
        transform(chunk, _encoding, callback) {
            for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1))
                rows++;
            onRows(rows);
            callback(null, chunk);
        },
    });
}
function pgSourceSelectSql(plan, limit) {
    const columns = plan.columns.map((c) => (0,pg_identifiers/* quoteIdent */.v4)(c.source)).join(', ');
    const order = limit !== undefined && plan.keyColumns.length ? ` ORDER BY ${plan.keyColumns.map((c) => (0,pg_identifiers/* quoteIdent */.v4)(c.source)).join(', ')}` : '';
    return `SELECT ${columns} FROM ${(0,pg_identifiers/* qualifiedName */.OL)(plan.sourceSchema, plan.sourceName)}${order}${limit !== undefined ? ` LIMIT ${limit}` : ''}`;
}
async function copyPgTable(target, reader, plan, options) {
    const stage = options.limit !== undefined ? await sampleStage(target, plan) : undefined;
    const out = reader.query((0,pg_copy_streams.to)(`COPY (${pgSourceSelectSql(plan, options.limit)}) TO STDOUT`));
    const sink = target.query((0,pg_copy_streams/* from */.H)(copyIntoSql(plan, stage?.into)));
    blameSource(out, sink);
    await (0,promises_.pipeline)(out, lineCounter(options.onRows), sink, { signal: options.signal });
    const rows = Number(sink.rowCount);
    const skipped = stage ? await stage.finish() : 0;
    return { rowsRead: rows, copied: rows - skipped, rejected: 0, ...(stage ? { skipped } : {}) };
}

;// CONCATENATED MODULE: ./src/copy/load/create-schema-objects.ts


async function createOptionalObjects(client, tables, signal) {
    for (const table of tables) {
        for (const object of table.ddl?.optional ?? []) {
            signal.throwIfAborted();
            await client.query('SAVEPOINT cutover_schema_object');
            try {
                await client.query(object.sql);
                await client.query('RELEASE SAVEPOINT cutover_schema_object');
            }
            catch (error) {
                if (!(0,errors/* isPgError */.QO)(error) || isConnectionFailure(error) || signal.aborted)
                    throw error;
                await client.query('ROLLBACK TO SAVEPOINT cutover_schema_object');
                await client.query('RELEASE SAVEPOINT cutover_schema_object');
                object.refused = `Postgres refused it: ${(0,errors/* describeCause */.V$)(error)}`;
            }
        }
    }
}

;// CONCATENATED MODULE: ./src/copy/load/sequence-positions.ts


function sequencesOf(table) {
    const target = (0,pg_identifiers/* qualifiedName */.OL)(table.target.schema, table.target.name);
    return table.target.columns
        .filter((c) => c.sequence || c.identity !== '')
        .map((c) => (c.sequence ? (0,pg_identifiers/* quoteLiteral */.ce)(c.sequence) : `pg_get_serial_sequence(${(0,pg_identifiers/* quoteLiteral */.ce)(target)}, ${(0,pg_identifiers/* quoteLiteral */.ce)(c.name)})`));
}
/**
 * Where the source's own counter stands, per target column: ids the source handed out and then
 * deleted must not be handed out again by the target (pg_dump copies sequence values for that reason).
 * Postgres: the source column's sequence (null when the role may not read it); SQLite: sqlite_sequence
 * of an AUTOINCREMENT table, whose ids are never reused.
 */
async function sourcePositions(reader, table, runtime) {
    const positions = new Map();
    if (table.sqlite?.autoincrement && table.sqlite.sequence !== undefined && table.sqlite.rowidAlias) {
        const column = table.columns.find((c) => c.source === table.sqlite.rowidAlias);
        if (column)
            positions.set(column.target.name, String(table.sqlite.sequence));
    }
    if (!reader)
        return positions;
    for (const column of table.columns) {
        if (!column.sourceSequence || (!column.target.sequence && column.target.identity === ''))
            continue;
        const { rows } = await reader.query(`SELECT s.last_value::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_sequences s ON s.schemaname = n.nspname AND s.sequencename = c.relname
        WHERE c.oid = $1::regclass AND has_sequence_privilege(c.oid, 'SELECT, USAGE')`, [column.sourceSequence]);
        if (rows[0]?.last_value != null)
            positions.set(column.target.name, rows[0].last_value);
        else if (rows.length === 0)
            runtime.info(`${table.display}.${column.target.name}: the source's sequence ${column.sourceSequence} cannot be read by this role; the target's is set from the copied values only.`);
    }
    return positions;
}
/**
 * Each sequence to the copied maximum, or the source's own position when that is higher. setval is
 * not transactional (a rollback keeps its change), ALTER SEQUENCE … RESTART is: sequences the role
 * owns restart inside the load transaction; the others get their setval in the commit phase, after
 * everything was verified (`atCommit`), so that a failed or rolled-back copy leaves them as they were.
 */
async function resetSequences(client, table, positions, atCommit) {
    const target = (0,pg_identifiers/* qualifiedName */.OL)(table.target.schema, table.target.name);
    for (const column of table.target.columns) {
        if (!column.sequence && column.identity === '')
            continue;
        const state = await readTargetSequence(client, column.sequence ? (0,pg_identifiers/* quoteLiteral */.ce)(column.sequence) : `pg_get_serial_sequence(${(0,pg_identifiers/* quoteLiteral */.ce)(target)}, ${(0,pg_identifiers/* quoteLiteral */.ce)(column.name)})`);
        if (!state)
            continue;
        const { rows: [copied] } = await client.query(`SELECT max(${(0,pg_identifiers/* quoteIdent */.v4)(column.name)})::bigint::text AS max FROM ${target}`);
        const position = positions.get(column.name);
        const candidates = [copied.max, position].filter((v) => v != null).map(BigInt);
        // Nothing copied and no source position: the sequence stays; a descending one is left alone.
        if (candidates.length === 0 || state.increment < 0n)
            continue;
        const value = candidates.reduce((a, b) => (a > b ? a : b));
        // Checked here, inside the load, so that the commit phase's setval cannot fail half-way.
        if (!state.owned && !state.mayUpdate) {
            throw new errors/* CopyError */.k6(`Cannot set sequence ${state.name} of ${table.display} on the target: the role neither owns it nor has UPDATE on it. Nothing was written to the target.`, {
                fix: `GRANT UPDATE ON SEQUENCE ${state.name} TO the copying role on the target (or copy as the sequence's owner).`,
            });
        }
        if (value + state.increment > state.max) {
            throw new errors/* CopyError */.k6(`Cannot set sequence ${state.name} of ${table.display} on the target to ${value}: its maximum is ${state.max}${position !== undefined && BigInt(position) === value ? ` (${value} is where the source's sequence stands)` : ''}. Nothing was written to the target.`, {
                fix: `widen the target's sequence (ALTER SEQUENCE ${state.name} AS bigint, and the column's type) with a migration before the copy.`,
            });
        }
        await placeSequence(client, state, value, atCommit);
    }
}
/** `regclass`: SQL naming the sequence (a literal, pg_get_serial_sequence(…), to_regclass($1)); undefined when there is none. */
async function readTargetSequence(client, regclass, params = []) {
    // Not the pg_sequences view: it reads every sequence of the database, and would wait on one another
    // load transaction of this copy has restarted (that transaction waits at the commit barrier).
    const { rows: [row] } = await client.query(`SELECT c.oid::regclass::text AS name, pg_has_role(c.relowner, 'USAGE') AS owned, has_sequence_privilege(c.oid, 'UPDATE') AS may_update,
            has_sequence_privilege(c.oid, 'SELECT') AS may_read, s.seqincrement::text AS increment, s.seqmax::text AS max
       FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
      WHERE c.oid = (${regclass})::regclass`, params);
    if (!row)
        return undefined;
    return { name: row.name, owned: row.owned, mayUpdate: row.may_update, mayRead: row.may_read, increment: BigInt(row.increment), max: BigInt(row.max) };
}
/** Makes `value` the last value handed out: ALTER SEQUENCE … RESTART inside the load when the role owns the sequence, else a setval for the commit phase. */
async function placeSequence(client, sequence, value, atCommit) {
    if (sequence.owned)
        await client.query(`ALTER SEQUENCE ${sequence.name} RESTART WITH ${value + sequence.increment}`);
    else
        atCommit.push({ sequence: sequence.name, value: value.toString() });
}
/** Resolved sequence names (the journal stores them to put the positions back on undo). */
async function sequenceNames(client, table) {
    const expressions = sequencesOf(table);
    if (expressions.length === 0)
        return [];
    // Only sequences the role may read (SELECT): an undo then puts back what it could record.
    const { rows } = await client.query(`SELECT s::regclass::text AS s FROM unnest(ARRAY[${expressions.map((e) => `${e}::regclass::oid`).join(', ')}]) AS s WHERE has_sequence_privilege(s, 'SELECT')`);
    return rows.map((r) => r.s).filter((s) => s !== null);
}

;// CONCATENATED MODULE: ./src/copy/load/deferred-checks.ts

/** Deferrable constraints still on the owned tables of a loaded component (the ones the load did not drop). */
async function pendingDeferrableConstraints(client, tables) {
    if (tables.length === 0)
        return [];
    const { rows } = await client.query(`SELECT DISTINCT format('%I.%I', n.nspname, c.conname) AS name
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.condeferrable AND c.conrelid = ANY ($1::regclass[]) AND pg_has_role(t.relowner, 'USAGE')`, [tables.map((t) => (0,pg_identifiers/* qualifiedName */.OL)(t.target.schema, t.target.name))]);
    return rows.map((r) => r.name);
}

;// CONCATENATED MODULE: ./src/copy/load/fk-bulk-check.ts

async function dropForeignKeysForLoad(client, tables, component) {
    const held = [];
    const parents = component.map((t) => (0,pg_identifiers/* qualifiedName */.OL)(t.target.schema, t.target.name));
    for (const table of tables) {
        const target = (0,pg_identifiers/* qualifiedName */.OL)(table.target.schema, table.target.name);
        const { rows } = await client.query(`SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE c.contype = 'f' AND c.conrelid = $1::regclass AND pg_has_role(t.relowner, 'USAGE')
          AND c.confrelid = ANY ($2::regclass[])
        ORDER BY c.conname`, [target, parents]);
        for (const row of rows) {
            await client.query(`ALTER TABLE ${target} DROP CONSTRAINT ${(0,pg_identifiers/* quoteIdent */.v4)(row.name)}`);
            held.push({ table: target, name: row.name, definition: row.definition });
        }
    }
    return held;
}
async function restoreForeignKeys(client, held) {
    for (const constraint of held) {
        await client.query(`ALTER TABLE ${constraint.table} ADD CONSTRAINT ${(0,pg_identifiers/* quoteIdent */.v4)(constraint.name)} ${constraint.definition}`);
    }
}

;// CONCATENATED MODULE: ./src/copy/load/index-rebuild.ts



// Everything about a table's indexes that a drop would lose. Foreign keys still referencing an index
// at this point come from tables whose keys are not dropped for this load (not copied, or not owned).
const INDEX_SQL = `
  SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS index_def,
         c.contype, c.conname, CASE WHEN c.oid IS NOT NULL THEN pg_get_constraintdef(c.oid) END AS con_def,
         obj_description(i.indexrelid, 'pg_class') AS index_comment,
         CASE WHEN c.oid IS NOT NULL THEN obj_description(c.oid, 'pg_constraint') END AS con_comment,
         i.indisclustered AS clustered, i.indisreplident AS replident, i.indisvalid AND i.indisready AS valid,
         i.indisunique AS unique, c.condeferrable AS deferrable, c.condeferred AS deferred,
         (SELECT string_agg(quote_ident(split_part(o, '=', 1)) || '=' || quote_literal(substr(o, strpos(o, '=') + 1)), ', ')
            FROM unnest(ic.reloptions) AS o) AS options,
         (SELECT spcname FROM pg_tablespace WHERE oid = ic.reltablespace) AS tablespace,
         ic.reltablespace = 0 OR has_tablespace_privilege(ic.reltablespace, 'CREATE') AS tablespace_create,
         (SELECT json_agg(json_build_object('n', a.attnum, 'v', a.attstattarget) ORDER BY a.attnum)
            FROM pg_attribute a WHERE a.attrelid = i.indexrelid AND coalesce(a.attstattarget, -1) >= 0) AS stats,
         (SELECT array_agg(format('%s on %s', quote_ident(f.conname), f.conrelid::regclass) ORDER BY f.conname)
            FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid) AS referenced_by
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
   WHERE i.indrelid = $1::regclass
   ORDER BY c.contype = 'p' DESC NULLS LAST, ic.relname`;
/**
 * The constraint's definition with what pg_get_constraintdef leaves out (it prints WITH and USING
 * INDEX TABLESPACE only for Postgres' internal use): put back before DEFERRABLE, where the grammar
 * wants them. Null when that cannot be done safely (an exclusion constraint, whose WHERE comes last).
 */
function constraintDefinition(row) {
    const extra = `${row.options ? ` WITH (${row.options})` : ''}${row.tablespace ? ` USING INDEX TABLESPACE ${(0,pg_identifiers/* quoteIdent */.v4)(row.tablespace)}` : ''}`;
    if (!extra)
        return row.con_def;
    const suffix = `${row.deferrable ? ' DEFERRABLE' : ''}${row.deferred ? ' INITIALLY DEFERRED' : ''}`;
    if (row.contype === 'x' || !row.con_def.endsWith(suffix))
        return null;
    return `${row.con_def.slice(0, row.con_def.length - suffix.length)}${extra}${suffix}`;
}
/** Why an index stays in place during the load (maintained row by row), or null when it can be rebuilt. */
function reasonToKeep(row) {
    if (row.referenced_by?.length)
        return `referenced by foreign key ${row.referenced_by.join(', ')}, which this load does not drop`;
    if (!row.valid)
        return 'invalid (left by a failed CREATE INDEX CONCURRENTLY): rebuilding it would change it';
    if (row.tablespace && !row.contype)
        return `in tablespace ${row.tablespace}, which its definition does not carry`;
    if (row.tablespace && !row.tablespace_create)
        return `in tablespace ${row.tablespace}, where the role may not create`;
    if (row.contype && constraintDefinition(row) === null)
        return 'an exclusion constraint with storage parameters or a tablespace, which its definition does not carry';
    return null;
}
function heldIndex(plan, table, row) {
    const after = [];
    if (row.contype && row.con_comment !== null)
        after.push(`COMMENT ON CONSTRAINT ${(0,pg_identifiers/* quoteIdent */.v4)(row.conname)} ON ${table} IS ${(0,pg_identifiers/* quoteLiteral */.ce)(row.con_comment)}`);
    if (row.index_comment !== null)
        after.push(`COMMENT ON INDEX ${(0,pg_identifiers/* qualifiedName */.OL)(plan.target.schema, row.name)} IS ${(0,pg_identifiers/* quoteLiteral */.ce)(row.index_comment)}`);
    for (const { n, v } of row.stats ?? [])
        after.push(`ALTER INDEX ${(0,pg_identifiers/* qualifiedName */.OL)(plan.target.schema, row.name)} ALTER COLUMN ${n} SET STATISTICS ${v}`);
    if (row.clustered)
        after.push(`ALTER TABLE ${table} CLUSTER ON ${(0,pg_identifiers/* quoteIdent */.v4)(row.name)}`);
    if (row.replident)
        after.push(`ALTER TABLE ${table} REPLICA IDENTITY USING INDEX ${(0,pg_identifiers/* quoteIdent */.v4)(row.name)}`);
    return {
        plan,
        table,
        name: row.name,
        constraint: row.contype,
        unique: row.unique,
        create: row.contype ? `ALTER TABLE ${table} ADD CONSTRAINT ${(0,pg_identifiers/* quoteIdent */.v4)(row.conname)} ${constraintDefinition(row)}` : row.index_def,
        after,
    };
}
/** Runs `sql` in a savepoint: false (and nothing changed) when Postgres refuses it. */
async function tryInSavepoint(client, sql) {
    await client.query('SAVEPOINT cutover_index_drop');
    try {
        await client.query(sql);
        await client.query('RELEASE SAVEPOINT cutover_index_drop');
        return { ok: true };
    }
    catch (error) {
        if (!(0,errors/* isPgError */.QO)(error))
            throw error;
        await client.query('ROLLBACK TO SAVEPOINT cutover_index_drop');
        await client.query('RELEASE SAVEPOINT cutover_index_drop');
        return { ok: false, error };
    }
}
/**
 * Drops the indexes and key constraints of the given tables for the load, inside the caller's open
 * transaction (the foreign keys touching them must already be dropped). Tables the role does not
 * own, partitioned tables and tables that hold rows keep everything.
 */
async function dropIndexesForLoad(client, tables) {
    const hold = { held: [], notes: [] };
    for (const plan of tables) {
        const table = (0,pg_identifiers/* qualifiedName */.OL)(plan.target.schema, plan.target.name);
        const { rows: [info] } = await client.query(`SELECT pg_has_role(c.relowner, 'USAGE') AS owned, c.relkind AS kind, c.relispartition AS partition,
              has_schema_privilege(c.relnamespace, 'CREATE') AS create, n.nspname AS schema
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::regclass`, [table]);
        if (!info.owned)
            continue;
        if (info.kind !== 'r' || info.partition) {
            hold.notes.push(`${plan.display}: indexes kept during the load (partitioned table: its partitions' index names would not survive a rebuild).`);
            continue;
        }
        // Creating an index needs CREATE on its schema, which an owner may lack (PostgreSQL 15's public).
        if (!info.create) {
            hold.notes.push(`${plan.display}: indexes kept during the load and maintained row by row (the role may not create in schema ${info.schema}, so it could not build them again afterwards).`);
            continue;
        }
        // The lock a DROP INDEX takes anyway, taken first so that the table cannot fill between the check and the drops.
        await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
        const { rows: [filled] } = await client.query(`SELECT EXISTS (SELECT 1 FROM ${table}) AS any`);
        const { rows } = await client.query(INDEX_SQL, [table]);
        if (rows.length === 0)
            continue;
        if (filled.any) {
            hold.notes.push(`${plan.display}: indexes kept during the load (the table already holds rows).`);
            continue;
        }
        const dropped = [];
        const kept = [];
        for (const row of rows) {
            let why = reasonToKeep(row);
            if (!why) {
                const drop = row.contype ? `ALTER TABLE ${table} DROP CONSTRAINT ${(0,pg_identifiers/* quoteIdent */.v4)(row.conname)}` : `DROP INDEX ${(0,pg_identifiers/* qualifiedName */.OL)(plan.target.schema, row.name)}`;
                const outcome = await tryInSavepoint(client, drop);
                if (outcome.ok) {
                    hold.held.push(heldIndex(plan, table, row));
                    dropped.push(row.name);
                    continue;
                }
                why = `Postgres refused to drop it (${outcome.error.message})`;
            }
            kept.push(`${row.name}: ${why}`);
        }
        const parts = [];
        if (dropped.length)
            parts.push(`${dropped.length === 1 ? '1 index' : `${dropped.length} indexes`} (keys included) dropped for the load and built after it: ${dropped.join(', ')}`);
        if (kept.length)
            parts.push(`kept and maintained row by row: ${kept.join('; ')}`);
        hold.notes.push(`${plan.display}: ${parts.join('; ')}.`);
    }
    return hold;
}
/**
 * Builds order: primary keys, unique and exclusion constraints first (the foreign keys re-added after
 * them need them), then the other indexes; within each, the biggest table first. Every build is one
 * statement, so Postgres can give each btree its parallel maintenance workers.
 */
function buildOrder(held, rowsOf) {
    const rank = (h) => (h.constraint === 'p' ? 0 : h.constraint ? 1 : 2);
    return [...held].sort((a, b) => rank(a) - rank(b) || rowsOf(b.plan) - rowsOf(a.plan));
}
/** Re-creates what dropIndexesForLoad dropped, in buildOrder, and says how long it took. */
async function buildAfterLoad(client, held, ctx) {
    if (held.length === 0)
        return;
    const started = Date.now();
    const rowsOf = (plan) => ctx.entries.get(plan.key)?.copiedRows ?? 0;
    for (const index of buildOrder(held, rowsOf)) {
        try {
            await client.query(index.create);
            for (const sql of index.after)
                await client.query(sql);
        }
        catch (error) {
            // The table was empty before its load: a duplicate found now is in what was copied (the source).
            throw loadError(index.plan.display, error, { ...ctx.errorContext, targetWasEmpty: true }, [index.plan]);
        }
    }
    const tables = new Set(held.map((h) => h.plan.display));
    ctx.runtime.info(`Built ${held.length === 1 ? '1 index' : `${held.length} indexes`} and keys on ${[...tables].join(', ')} after the load in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

;// CONCATENATED MODULE: ./src/copy/load/owned-table-guards.ts

async function readTableGuards(client, schema, name) {
    const table = (0,pg_identifiers/* qualifiedName */.OL)(schema, name);
    const { rows } = await client.query(`SELECT pg_has_role(c.relowner, 'USAGE') AS owned, c.relforcerowsecurity AS force, c.relrowsecurity AS rls,
            (SELECT json_agg(json_build_object('name', t.tgname, 'enabled', t.tgenabled) ORDER BY t.tgname)
               FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgenabled <> 'D') AS triggers
       FROM pg_class c WHERE c.oid = $1::regclass`, [table]);
    const row = rows[0];
    return { table, owned: row.owned, forceRowSecurity: row.force, rowSecurity: row.rls, triggers: row.triggers ?? [] };
}
/** Disables what an owner may disable; returns what was changed, for `restoreGuards`. */
async function liftGuards(client, guards) {
    const lifted = { ...guards, triggers: [], forceRowSecurity: false };
    if (!guards.owned)
        return lifted;
    for (const trigger of guards.triggers) {
        await client.query(`ALTER TABLE ${guards.table} DISABLE TRIGGER ${(0,pg_identifiers/* quoteIdent */.v4)(trigger.name)}`);
        lifted.triggers.push(trigger);
    }
    if (guards.forceRowSecurity) {
        await client.query(`ALTER TABLE ${guards.table} NO FORCE ROW LEVEL SECURITY`);
        lifted.forceRowSecurity = true;
    }
    return lifted;
}
const ENABLE = { O: 'ENABLE TRIGGER', R: 'ENABLE REPLICA TRIGGER', A: 'ENABLE ALWAYS TRIGGER' };
async function restoreGuards(client, lifted) {
    for (const trigger of lifted.triggers)
        await client.query(`ALTER TABLE ${lifted.table} ${ENABLE[trigger.enabled]} ${(0,pg_identifiers/* quoteIdent */.v4)(trigger.name)}`);
    if (lifted.forceRowSecurity)
        await client.query(`ALTER TABLE ${lifted.table} FORCE ROW LEVEL SECURITY`);
}

;// CONCATENATED MODULE: ./src/copy/load/progress-reporter.ts
/** First line after a second (rows are flowing), then every five seconds. */
const FIRST_MS = 1000;
const INTERVAL_MS = 5000;
class TableProgress {
    started = Date.now();
    nextLog = Date.now() + FIRST_MS;
    runtime;
    label;
    expected;
    /** Progress samples, repeated inside the table's log group when it is done. */
    samples = [];
    constructor(runtime, label, expected) {
        this.runtime = runtime;
        this.label = label;
        this.expected = expected;
    }
    update(rows) {
        const now = Date.now();
        if (now < this.nextLog)
            return;
        this.nextLog = now + INTERVAL_MS;
        const rate = rows / Math.max(0.001, (now - this.started) / 1000);
        const eta = this.expected && rate > 0 && this.expected > rows ? `, ETA ${Math.ceil((this.expected - rows) / rate)} s` : '';
        const of = this.expected !== undefined ? ` of ${this.expected.toLocaleString('en-US')}` : '';
        const line = `${this.label}: ${rows.toLocaleString('en-US')}${of} rows (${Math.round(rate).toLocaleString('en-US')} rows/s${eta})`;
        this.samples.push(`after ${((now - this.started) / 1000).toFixed(0)} s: ${line}`);
        this.runtime.info(line);
    }
    done(rows) {
        const ms = Date.now() - this.started;
        const rate = Math.round(rows / Math.max(0.001, ms / 1000));
        // One collapsible group per table (core.group in the Action), opened when the table is done so
        // that tables loading in parallel do not interleave inside each other's groups.
        const title = `${this.label}: ${rows.toLocaleString('en-US')} rows copied in ${(ms / 1000).toFixed(1)} s (${rate.toLocaleString('en-US')} rows/s)`;
        void this.runtime.group(title, async () => {
            for (const sample of this.samples)
                this.runtime.info(sample);
            this.runtime.info(`${rows.toLocaleString('en-US')} rows in ${ms} ms${this.expected !== undefined ? ` (source had ${this.expected.toLocaleString('en-US')})` : ''}.`);
        });
        return ms;
    }
}

;// CONCATENATED MODULE: ./src/copy/load/load-component.ts















/** Samples: rows left out for foreign keys make the sample's checksum incomparable (see verify). */
function noteSkipped(ctx, table, skipped) {
    if (!skipped)
        return;
    ctx.sampleSkipped.set(table.key, skipped);
    ctx.hashes.delete(table.key);
}
async function loadTable(client, reader, table, ctx, signal) {
    const entry = ctx.entries.get(table.key);
    const progress = new TableProgress(ctx.runtime, table.display, ctx.expectedRows.get(table.key));
    const started = Date.now();
    try {
        if (ctx.sqlite) {
            const hash = ctx.copy.checksums ? new row_hash/* HashSum */.is() : null;
            if (hash)
                ctx.hashes.set(table.key, hash);
            const result = await copySqliteTable(client, ctx.sqlite, table, {
                hash,
                jobs: ctx.copy.jobs,
                log: (message) => ctx.runtime.info(message),
                ...(ctx.copy.sampleRows !== undefined ? { limit: ctx.copy.sampleRows } : {}),
                signal,
                onRows: (rows) => progress.update(rows),
                onFailure: (failure) => {
                    const type = table.columns.find((c) => c.source === failure.column)?.target.type;
                    if (ctx.copy.onError === 'fail')
                        throw conversionError(table.display, failure, type?.sql ?? '?', type?.strict);
                    ctx.rejects.write({ table: table.display, key: failure.keyValues, column: failure.column, reason: failure.reason, value: failure.value });
                },
            });
            Object.assign(entry, { sourceRows: result.rowsRead, copiedRows: result.copied, rejectedRows: result.rejected });
            if (result.parallel)
                ctx.readByWorkers = true;
            noteSkipped(ctx, table, result.skipped);
        }
        else {
            const result = await copyPgTable(client, reader, table, { ...(ctx.copy.sampleRows !== undefined ? { limit: ctx.copy.sampleRows } : {}), signal, onRows: (rows) => progress.update(rows) });
            Object.assign(entry, { sourceRows: result.rowsRead, copiedRows: result.copied, rejectedRows: 0 });
            noteSkipped(ctx, table, result.skipped);
        }
        progress.done(entry.copiedRows ?? 0);
    }
    catch (error) {
        throw signal.aborted && !(error instanceof errors/* CopyError */.k6) ? signal.reason : loadError(table.display, error, ctx.errorContext, [table]);
    }
    finally {
        entry.durationMs = Date.now() - started;
    }
}
async function loadComponent(client, reader, tables, ctx, signal, changes) {
    const names = tables.map((t) => t.display).join(', ');
    for (const table of tables)
        if (table.ddl)
            await client.query(table.ddl.create);
    const existing = tables.filter((t) => !t.ddl);
    for (const table of tables) {
        changes.journal.push({ table: (0,pg_identifiers/* qualifiedName */.OL)(table.target.schema, table.target.name), display: table.display, created: Boolean(table.ddl), rows: 0, sequences: table.ddl || !ctx.journaling ? [] : await readSequenceStates(client, await sequenceNames(client, table)) });
    }
    // Before TRUNCATE: it fires ON TRUNCATE user triggers too.
    for (const table of existing) {
        const guards = await readTableGuards(client, table.target.schema, table.target.name);
        // Tables the role does not own keep their triggers (the preflight warned); verification catches them.
        changes.guards.push(await liftGuards(client, guards));
    }
    if (ctx.copy.ifTargetNotEmpty === 'truncate' && existing.length > 0) {
        // One statement for the whole component: truncating a parent alone fails while a child references it.
        try {
            await client.query(`TRUNCATE ${existing.map((t) => (0,pg_identifiers/* qualifiedName */.OL)(t.target.schema, t.target.name)).join(', ')}`);
        }
        catch (error) {
            throw loadError(existing.map((t) => t.display).join(', '), error, ctx.errorContext, existing);
        }
    }
    if (ctx.copy.ifTargetNotEmpty === 'append') {
        for (const table of existing)
            ctx.baselines.set(table.key, await pgTotals(client, targetCanonical(table), ctx.copy.checksums));
    }
    // Samples filter child rows by their parents in SQL, which needs no dropped keys; otherwise bulk checks.
    const held = ctx.copy.sampleRows === undefined ? await dropForeignKeysForLoad(client, existing, tables) : [];
    // Then the indexes and keys of tables that start empty: built once after the load (index-rebuild.ts).
    const indexes = ctx.copy.sampleRows === undefined ? await dropIndexesForLoad(client, existing) : { held: [], notes: [] };
    for (const note of indexes.notes)
        ctx.runtime.info(note);
    for (const table of tables)
        await loadTable(client, reader, table, ctx, signal);
    const checkNow = await pendingDeferrableConstraints(client, existing);
    if (checkNow.length > 0) {
        try {
            await client.query(`SET CONSTRAINTS ${checkNow.join(', ')} IMMEDIATE`);
        }
        catch (error) {
            throw loadError(names, error, ctx.errorContext, tables);
        }
    }
    await buildAfterLoad(client, indexes.held, ctx);
    const keysStarted = Date.now();
    try {
        await restoreForeignKeys(client, held);
    }
    catch (error) {
        throw loadError(names, error, ctx.errorContext, tables);
    }
    if (held.length > 0)
        ctx.runtime.info(`Re-added ${held.length === 1 ? '1 foreign key' : `${held.length} foreign keys`} on ${names} (one check each) in ${((Date.now() - keysStarted) / 1000).toFixed(1)} s.`);
    // create-tables: keys after the data (one bulk check each), primary keys and UNIQUE before the FKs that need them.
    const constraints = tables.flatMap((t) => t.ddl?.constraints ?? []);
    const foreignKeys = tables.flatMap((t) => t.ddl?.foreignKeys ?? []);
    for (const sql of [...constraints.filter((s) => s.includes('PRIMARY KEY')), ...constraints.filter((s) => !s.includes('PRIMARY KEY')), ...foreignKeys]) {
        try {
            await client.query(sql);
        }
        catch (error) {
            throw loadError(names, error, ctx.errorContext, tables);
        }
    }
    for (const table of tables)
        await resetSequences(client, table, await sourcePositions(reader, table, ctx.runtime), changes.sequencesAtCommit);
    await createOptionalObjects(client, tables, signal);
    for (const table of tables) {
        const journal = changes.journal.find((j) => j.display === table.display);
        if (journal)
            journal.rows = ctx.entries.get(table.key)?.copiedRows ?? 0;
    }
}

;// CONCATENATED MODULE: ./src/copy/load/standalone-sequences.ts




/** Reads them on the source (the snapshot's coordinating connection). */
async function readStandaloneSequences(source, tables) {
    const schemas = [...new Set(tables.map((t) => t.sourceSchema).filter((s) => s !== undefined))];
    if (schemas.length === 0)
        return { found: [], notes: [] };
    const used = tables.flatMap((t) => t.columns.flatMap((c) => (c.sourceSequence ? [c.sourceSequence] : [])));
    // Not owned by a column (serial, identity: they belong to their table) nor part of an extension.
    const { rows } = await source.query(`SELECT n.nspname AS schema, c.relname AS name, s.last_value::text AS last_value, has_sequence_privilege(c.oid, 'SELECT, USAGE') AS readable
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_sequences s ON s.schemaname = n.nspname AND s.sequencename = c.relname
      WHERE c.relkind = 'S' AND n.nspname = ANY ($1::text[])
        AND c.oid <> ALL (SELECT u::regclass::oid FROM unnest($2::text[]) AS u)
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
      ORDER BY 1, 2`, [schemas, used]);
    const notes = [];
    const found = [];
    for (const row of rows) {
        if (!row.readable)
            notes.push(`Sequence ${displayName(row.schema, row.name)}: the source role may not read it, so the target's is left as it is.`);
        else if (row.last_value !== null)
            found.push({ schema: row.schema, name: row.name, lastValue: row.last_value });
    }
    return { found, notes };
}
/**
 * Sets the target's, inside the load transaction `client`. Returns what to log, and where each one
 * stood before (the journal puts them back if a later transaction of the copy fails to commit).
 */
async function setStandaloneSequences(client, found, mode, atCommit) {
    const lines = [];
    const previous = [];
    for (const sequence of found) {
        const display = displayName(sequence.schema, sequence.name);
        const target = await readTargetSequence(client, 'to_regclass($1)', [(0,pg_identifiers/* qualifiedName */.OL)(sequence.schema, sequence.name)]);
        if (!target) {
            lines.push(`Sequence ${display} is not in the target: its position (${sequence.lastValue}) was not carried over.`);
            continue;
        }
        // Where it stands now: recorded for an undo, and an append only moves it forward.
        const [before] = target.mayRead ? await readSequenceStates(client, [target.name]) : [];
        let value = BigInt(sequence.lastValue);
        const current = before?.isCalled ? BigInt(before.lastValue) : undefined;
        if (mode === 'append' && current !== undefined && (target.increment > 0n ? current > value : current < value))
            value = current;
        if (!target.owned && !target.mayUpdate) {
            lines.push(`Sequence ${display}: the target role neither owns it nor has UPDATE on it, so it stays where it is (the source's is at ${sequence.lastValue}).`);
            continue;
        }
        if (target.increment > 0n && value + target.increment > target.max) {
            lines.push(`Sequence ${display}: the source's position ${value} is beyond the target's maximum ${target.max}, so it stays where it is.`);
            continue;
        }
        if (before)
            previous.push(before);
        await placeSequence(client, target, value, atCommit);
        lines.push(`Sequence ${display} set to the source's position ${value}.`);
    }
    return { lines, previous };
}

;// CONCATENATED MODULE: ./src/seconds-text.ts
// Waits and timeouts as the logs print them: whole seconds plainly ("5 s"), others to a tenth ("2.5 s").
function secondsText(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

;// CONCATENATED MODULE: ./src/abortable-pause.ts
// Waiting between retries (a lock held by another session) without outliving a cancellation: the
// pause ends early, and quietly, when the signal aborts; the caller then checks the signal.
function pause(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
    });
}

;// CONCATENATED MODULE: ./src/db/lock-blockers.ts
const QUERY_MAX = 160;
/** The blocker's query without string literals (they may hold user data) and cut to a readable length. */
function redactQuery(query) {
    const flat = query
        .replace(/'(?:[^']|'')*'/g, "'…'")
        .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, () => '$$…$$')
        .replace(/\s+/g, ' ')
        .trim();
    return flat.length > QUERY_MAX ? `${flat.slice(0, QUERY_MAX - 1)}…` : flat;
}
/** A pg_stat_activity row (pid, application_name, usename, state, query, transaction_ms) as a Blocker. */
function toBlocker(row) {
    return {
        pid: Number(row.pid),
        applicationName: row.application_name ?? '',
        user: row.usename ?? null,
        state: row.state ?? null,
        query: redactQuery(String(row.query ?? '')),
        transactionMs: row.transaction_ms === null || row.transaction_ms === undefined ? null : Number(row.transaction_ms),
    };
}
/** The sessions blocking backend `pid`, or undefined when it is not waiting for a lock right now. */
async function findBlockers(monitor, pid) {
    // The lateral join calls pg_blocking_pids (which briefly locks the lock manager) only while the
    // migration actually waits for a lock.
    const { rows } = await monitor.query(`SELECT b.pid, b.application_name, b.usename, b.state, b.query,
            (extract(epoch FROM clock_timestamp() - b.xact_start) * 1000)::bigint AS transaction_ms
       FROM pg_stat_activity w
      CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid)
       JOIN pg_stat_activity b ON b.pid = bp.pid
      WHERE w.pid = $1 AND w.wait_event_type = 'Lock'
      ORDER BY b.xact_start NULLS LAST`, [pid]);
    if (rows.length === 0)
        return undefined;
    const waiting = await monitor.query(`SELECT l.mode, l.locktype, CASE WHEN l.relation IS NOT NULL THEN l.relation::regclass::text END AS relation
       FROM pg_locks l WHERE l.pid = $1 AND NOT l.granted LIMIT 1`, [pid]);
    const lock = waiting.rows[0];
    return {
        waitingFor: lock ? `${lock.mode} on ${lock.relation ?? `a ${lock.locktype} lock`}` : null,
        blockers: rows.map(toBlocker),
    };
}
const CONFLICTS = {
    'ACCESS EXCLUSIVE': ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
    'ROW EXCLUSIVE': ['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
};
/** Other sessions holding (or queued for) locks on `relations` that conflict with the wanted modes, with the relations they hold. */
async function findLockHolders(client, wanted) {
    const { rows } = await client.query(`SELECT b.pid, b.application_name, b.usename, b.state, b.query,
            (extract(epoch FROM clock_timestamp() - b.xact_start) * 1000)::bigint AS transaction_ms,
            array_agg(DISTINCT w.relation ORDER BY w.relation) AS relations
       FROM unnest($1::text[], $2::text[]) AS w(relation, conflicts)
       JOIN pg_locks l ON l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND l.relation = w.relation::regclass AND l.mode = ANY (string_to_array(w.conflicts, ','))
       JOIN pg_stat_activity b ON b.pid = l.pid
      WHERE l.pid <> pg_backend_pid()
      GROUP BY b.pid, b.application_name, b.usename, b.state, b.query, b.xact_start`, [wanted.map((w) => w.relation), wanted.map((w) => CONFLICTS[w.mode].join(','))]);
    const display = new Map(wanted.map((w) => [w.relation, w.display ?? w.relation]));
    return rows
        .map((row) => ({ ...toBlocker(row), relations: row.relations.map((r) => display.get(r) ?? r) }))
        .sort((a, b) => (b.transactionMs ?? -1) - (a.transactionMs ?? -1));
}
/** Looks every `everyMs` whether backend `pid` is blocked, remembering the last observation. */
function watchBlockers(monitor, pid, everyMs) {
    let last;
    let stopped = false;
    let timer;
    let inFlight = Promise.resolve();
    const tick = () => {
        inFlight = findBlockers(monitor, pid)
            .then((seen) => {
            if (seen)
                last = seen;
        })
            .catch(() => undefined) // a failed look must not fail the migration
            .finally(() => {
            if (!stopped)
                timer = setTimeout(tick, everyMs);
        });
    };
    timer = setTimeout(tick, Math.min(everyMs, 100));
    return {
        async stop() {
            stopped = true;
            clearTimeout(timer);
            await inFlight;
            return last;
        },
    };
}
function duration(ms) {
    return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
function describeBlocker(blocker) {
    const parts = [`application_name '${blocker.applicationName}'`];
    if (blocker.user)
        parts.push(`user ${blocker.user}`);
    if (blocker.state)
        parts.push(`state ${blocker.state}`);
    if (blocker.transactionMs !== null)
        parts.push(`in a transaction open for ${duration(blocker.transactionMs)}, holding the lock until it ends`);
    // A role without pg_read_all_stats sees other users' sessions without their state and query.
    if (blocker.query === '<insufficient privilege>')
        parts.push('its state and query are hidden from this role (pg_read_all_stats would show them)');
    else if (blocker.query)
        parts.push(`${blocker.state === 'active' ? 'running' : 'last query'}: ${blocker.query}`);
    return `backend pid ${blocker.pid} (${parts.join('; ')})`;
}
/** "waiting for AccessExclusiveLock on public.users, held by backend pid 42 (…)" */
function describeWait(wait) {
    const who = wait.blockers.map(describeBlocker).join(' and ');
    return `${wait.waitingFor ? `waiting for ${wait.waitingFor}, ` : ''}blocked by ${who}`;
}

;// CONCATENATED MODULE: ./src/copy/load/table-locks.ts





/**
 * The strongest lock the load takes on each existing table: ACCESS EXCLUSIVE where it truncates, or
 * where the role owns the table (it may drop and rebuild keys and indexes, lift triggers and FORCE
 * RLS); ROW EXCLUSIVE, what COPY takes, elsewhere. Tables create-tables makes do not exist yet.
 */
async function wantedLocks(client, tables, copy) {
    const existing = tables.filter((t) => !t.ddl);
    if (existing.length === 0)
        return [];
    const names = existing.map((t) => (0,pg_identifiers/* qualifiedName */.OL)(t.target.schema, t.target.name));
    const { rows } = await client.query(`SELECT pg_has_role(c.relowner, 'USAGE') AS owned FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n) JOIN pg_class c ON c.oid = t.name::regclass ORDER BY t.n`, [names]);
    return existing.map((table, i) => ({
        relation: names[i],
        display: table.display,
        mode: copy.ifTargetNotEmpty === 'truncate' || rows[i].owned ? 'ACCESS EXCLUSIVE' : 'ROW EXCLUSIVE',
    }));
}
/**
 * Takes every lock of the group's load inside its open transaction, or throws LockTimeoutError; then
 * bounds any other lock wait of the transaction (a row a foreign key's check must lock, the parent
 * table a created table's foreign key is added to) by lock-timeout.
 */
async function lockTablesForLoad(client, tables, options) {
    const wanted = await wantedLocks(client, tables, options.copy);
    if (wanted.length > 0)
        await takeLocks(client, wanted, options);
    const { times } = options;
    await client.query(`SET LOCAL lock_timeout = ${Math.max(1000, times.totalMs, times.attemptMs)}`);
}
async function takeLocks(client, wanted, options) {
    const { times, runtime, signal } = options;
    const started = Date.now();
    for (let attempt = 1;; attempt++) {
        const left = Math.max(1, times.totalMs - (Date.now() - started));
        const wait = times.attemptMs > 0 ? Math.min(times.attemptMs, left) : left;
        await client.query('SAVEPOINT cutover_table_locks');
        try {
            // lock_timeout 0 would mean no limit: never set it below 1 ms.
            await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(wait))}`);
            for (const lock of wanted)
                await client.query(`LOCK TABLE ${lock.relation} IN ${lock.mode} MODE`);
            await client.query('RELEASE SAVEPOINT cutover_table_locks');
            break;
        }
        catch (error) {
            if (error.code !== '55P03')
                throw error;
            await client.query('ROLLBACK TO SAVEPOINT cutover_table_locks');
            await client.query('RELEASE SAVEPOINT cutover_table_locks');
            const holders = await findLockHolders(client, wanted);
            // Name the tables that are held, by whom; all of them only when the holders had gone already.
            const held = holders.length > 0 ? holders.map((h) => `${h.relations.join(', ')} held by ${describeBlocker(h)}`).join('; ') : undefined;
            const who = held ?? 'held by sessions that had ended by the time cutover looked';
            const names = holders.length > 0 ? [...new Set(holders.flatMap((h) => h.relations))].map((r) => `${r} (${wanted.find((w) => w.display === r)?.mode ?? 'a lock'})`).join(', ') : wanted.map((w) => `${w.display} (${w.mode})`).join(', ');
            const waited = Date.now() - started;
            if (waited >= times.totalMs || signal?.aborted) {
                if (signal?.aborted)
                    throw signal.reason;
                throw new errors/* LockTimeoutError */.XB(`Timed out after ${secondsText(waited)} waiting for locks on the target's tables ${names}: ${who}. The copy needs them before it writes anything; nothing was written to the target.`, {
                    cause: error,
                    fix: holders.length > 0
                        ? `stop the application's use of these tables for the copy (a cutover is best run with the application stopped or read-only elsewhere), or end that session with SELECT pg_terminate_backend(${holders[0].pid}); on the target; or raise lock-timeout to wait longer.`
                        : 'run the copy again, or raise lock-timeout to wait longer.',
                });
            }
            const delay = Math.min(1000 * 2 ** (attempt - 1), 10_000, Math.max(0, times.totalMs - waited));
            // The first time as a warning (an application using the target during a copy is worth knowing).
            (attempt === 1 ? runtime.warning : runtime.info)(`Waiting for locks on ${names}: ${who}; the request was withdrawn so that it does not queue the application's queries (attempt ${attempt}, ${secondsText(waited)} of lock-timeout ${secondsText(times.totalMs)}).`);
            await pause(delay, signal);
            if (signal?.aborted)
                throw signal.reason;
        }
    }
}

;// CONCATENATED MODULE: ./src/copy/load/load-groups.ts










async function openGroup(tables, ctx, controller, sessions, stops) {
    const client = await ctx.connectTarget();
    const session = { client, tables, changes: { guards: [], journal: [], sequencesAtCommit: [] }, verified: false };
    sessions.push(session);
    stops.push(watchConnection(client, (error) => controller.abort(connectionLost('target', error))));
    await prepareCopySession(client);
    if (ctx.snapshot) {
        session.reader = await ctx.snapshot.reader();
        stops.push(watchConnection(session.reader, (error) => controller.abort(connectionLost('source', error))));
    }
    await client.query('BEGIN');
    // Deferrable FKs (the only way to load a cycle) are checked before COMMIT, below.
    await client.query('SET CONSTRAINTS ALL DEFERRED');
    return session;
}
/** Loads, checks and verifies one group inside its transaction; leaves it open for the commit phase. */
async function runGroup(components, ctx, controller, sessions, stops) {
    const tables = components.flat();
    const session = await openGroup(tables, ctx, controller, sessions, stops);
    const { client, reader } = session;
    await lockTablesForLoad(client, tables, { copy: ctx.copy, times: ctx.tableLocks, runtime: ctx.runtime, signal: controller.signal });
    for (const component of components)
        await loadComponent(client, reader, component, ctx, controller.signal, session.changes);
    try {
        await client.query('SET CONSTRAINTS ALL IMMEDIATE');
    }
    catch (error) {
        throw loadError(tables.map((t) => t.display).join(', '), error, ctx.errorContext, tables);
    }
    if (controller.signal.aborted)
        throw controller.signal.reason;
    const verifyStarted = Date.now();
    session.verified = await verifyBeforeCommit(tables, client, reader, ctx);
    ctx.runtime.info(`Counted${ctx.copy.checksums ? ' and checksummed' : ''} ${tables.map((t) => t.display).join(', ')} inside the transaction in ${((Date.now() - verifyStarted) / 1000).toFixed(1)} s.`);
    for (const lifted of session.changes.guards)
        await restoreGuards(client, lifted);
}
/** Runs every group in its own transaction and commits them only when all loaded and verified. */
async function loadAllOrNothing(groups, ctx, options = {}) {
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(ctx.signal?.reason ?? new errors/* CopyError */.k6('The copy was cancelled.'));
    if (ctx.signal?.aborted)
        onOuterAbort();
    ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const sessions = [];
    const stops = [];
    let committing = false;
    // A failed or cancelled load must not wait on its connections: a COPY blocked on a lock the
    // application holds, or a server busy building a key, would keep the process (and the lock) alive.
    // Destroyed connections end their transactions on the server at once.
    const dropAll = () => {
        if (committing)
            return;
        for (const stop of stops)
            stop();
        for (const session of sessions) {
            destroyClient(session.client);
            if (session.reader)
                destroyClient(session.reader);
        }
    };
    controller.signal.addEventListener('abort', dropAll, { once: true });
    try {
        const results = await Promise.allSettled(groups.map(async (components) => {
            try {
                await runGroup(components, ctx, controller, sessions, stops);
            }
            catch (error) {
                // Steps outside a table's COPY (keys, sequences, verification) can fail on a lost connection
                // too: named like any load error (the side, the fix), never a bare driver error.
                const tables = components.flat();
                if (!controller.signal.aborted)
                    controller.abort(error instanceof errors/* CutoverError */.DB ? error : loadError(tables.map((t) => t.display).join(', '), error, ctx.errorContext, tables));
                throw error;
            }
        }));
        if (results.some((r) => r.status === 'rejected'))
            throw controller.signal.reason;
        const verified = sessions.every((s) => s.verified);
        try {
            if (verified)
                options.beforeCommit?.();
            if (verified)
                await setStandaloneSequencesFirst(sessions, ctx);
        }
        catch (error) {
            for (const session of sessions)
                await session.client.query('ROLLBACK').catch(() => undefined);
            throw error instanceof errors/* CutoverError */.DB ? error : loadError('the sequences of the target', error);
        }
        if (!verified) {
            for (const session of sessions)
                await session.client.query('ROLLBACK');
            return { verified: false };
        }
        // From here on a cancellation waits: stopping between two COMMITs is what the journal is for.
        committing = true;
        options.onCommitPhase?.();
        ctx.signal?.removeEventListener('abort', onOuterAbort);
        if (options.journal)
            await Promise.all(sessions.map((s, i) => options.journal.record(s.client, i + 1, s.changes.journal)));
        await setSequencesAtCommit(sessions);
        await commitAll(sessions, ctx, options);
        return { verified: true };
    }
    finally {
        ctx.signal?.removeEventListener('abort', onOuterAbort);
        controller.signal.removeEventListener('abort', dropAll);
        for (const stop of stops)
            stop();
        // After a failure a connection may be stuck in a COPY: destroy it (the server rolls back).
        const failed = controller.signal.aborted && !committing;
        for (const session of sessions) {
            if (failed) {
                destroyClient(session.client);
                if (session.reader)
                    destroyClient(session.reader);
            }
            else {
                await session.client.end().catch(() => undefined);
            }
        }
    }
}
/**
 * Sequences no copied column uses (standalone-sequences.ts), in the transaction that commits first:
 * should a later one fail to commit, the journal entry of that transaction puts them back too.
 */
async function setStandaloneSequencesFirst(sessions, ctx) {
    if (!ctx.standaloneSequences?.length)
        return;
    const first = sessions[0];
    const { lines, previous } = await setStandaloneSequences(first.client, ctx.standaloneSequences, ctx.copy.ifTargetNotEmpty, first.changes.sequencesAtCommit);
    for (const line of lines)
        ctx.runtime.info(line);
    first.changes.journal.find((entry) => !entry.created)?.sequences.push(...previous);
}
/** The last statements before COMMIT: setval is not undone by a rollback, so it comes after every check. */
async function setSequencesAtCommit(sessions) {
    for (const session of sessions) {
        for (const { sequence, value } of session.changes.sequencesAtCommit) {
            try {
                await session.client.query('SELECT setval($1::regclass, $2::bigint)', [sequence, value]);
            }
            catch (error) {
                for (const each of sessions)
                    await each.client.query('ROLLBACK').catch(() => undefined);
                throw loadError(`sequence ${sequence}`, error);
            }
        }
    }
}
async function commitAll(sessions, ctx, options) {
    for (const [index, session] of sessions.entries()) {
        try {
            await session.client.query('COMMIT');
        }
        catch (error) {
            for (const rest of sessions.slice(index + 1))
                await rest.client.query('ROLLBACK').catch(() => undefined);
            if (index === 0)
                throw loadError('the target (at COMMIT)', error);
            throw await undoHalfCommit(index, sessions.length, error, ctx, options);
        }
        if (sessions.length > 1)
            ctx.runtime.info(`Committed transaction ${index + 1} of ${sessions.length}.`);
    }
    if (options.journal)
        await options.journal.complete(sessions[0].client);
}
/** A COMMIT failed after others succeeded: undo those at once, through the journal. */
async function undoHalfCommit(index, total, cause, ctx, options) {
    const what = `COMMIT failed on transaction ${index + 1} of ${total} after ${index} had committed`;
    if (!options.journal || !options.repairConnection) {
        return new errors/* CopyError */.k6(`${what}: some tables were copied and others not.`, { cause, fix: 'rerun the copy with if-target-not-empty: truncate to load every table again.', targetLeftPartial: true });
    }
    let client;
    try {
        client = await options.repairConnection();
        await repairInterruptedCopy(client, options.journal.schema, ctx.runtime);
        return new errors/* CopyError */.k6(`${what}; the tables those had filled were emptied again, so the target is as it was before this run.`, { cause, fix: 'check the cause above and run the copy again.' });
    }
    catch (repairError) {
        return new errors/* CopyError */.k6(`${what}, and undoing them failed: some tables hold copied rows while others are empty.`, {
            cause: repairError,
            targetLeftPartial: true,
            fix: `run the copy again: it first undoes the interrupted copy recorded in ${options.journal.table} when the tables have not been written to since.`,
        });
    }
    finally {
        await client?.end().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/copy/verify/early-source-totals.ts


function startSourceTotals(coordinator, tables, checksums, sampleRows) {
    const totals = new Map();
    // One query at a time on the connection: pg queues concurrent ones, but warns that pg 9 will not.
    let previous = Promise.resolve();
    for (const table of tables) {
        const run = () => pgTotals(coordinator, pgSourceCanonical(table, sampleRows), checksums);
        const pending = previous.then(run, run);
        // Awaited by the verification; a failure is reported there (or the load failed first).
        pending.catch(() => undefined);
        totals.set(table.key, pending);
        previous = pending;
    }
    return totals;
}

;// CONCATENATED MODULE: ./src/db/advisory-lock.ts
async function tryAdvisoryLock(client, key) {
    const { rows } = await client.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [key[0], key[1]]);
    return rows[0].locked;
}
async function releaseAdvisoryLock(client, key) {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [key[0], key[1]]);
}
async function findAdvisoryLockHolder(client, key) {
    const { rows } = await client.query(`SELECT l.pid, a.application_name, a.usename, a.client_addr::text AS client_addr, a.backend_start, a.state
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1::int4::oid AND l.objid = $2::int4::oid AND l.objsubid = 2
        AND l.pid <> pg_backend_pid()
      LIMIT 1`, [key[0], key[1]]);
    const row = rows[0];
    if (!row)
        return undefined;
    return {
        pid: Number(row.pid),
        applicationName: row.application_name ?? null,
        user: row.usename ?? null,
        clientAddr: row.client_addr ?? null,
        backendStart: row.backend_start instanceof Date ? row.backend_start.toISOString() : row.backend_start ?? null,
        state: row.state ?? null,
    };
}
function describeHolder(holder) {
    const parts = [`application_name '${holder.applicationName ?? ''}'`];
    if (holder.user)
        parts.push(`user ${holder.user}`);
    if (holder.clientAddr)
        parts.push(`from ${holder.clientAddr}`);
    if (holder.backendStart)
        parts.push(`connected since ${holder.backendStart}`);
    if (holder.state)
        parts.push(`state ${holder.state}`);
    return `backend pid ${holder.pid} (${parts.join(', ')})`;
}
const sleep = (ms, signal) => new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
});
/**
 * Takes the lock, polling until `timeoutMs`. Resolves true when taken; false when the time ran out
 * (the caller names the holder with findAdvisoryLockHolder) or the signal aborted.
 */
async function pollAdvisoryLock(client, key, options) {
    if (await tryAdvisoryLock(client, key))
        return true;
    const started = Date.now();
    const progressMs = options.progressMs ?? 10_000;
    let nextReport = started;
    let pollMs = options.pollMs ?? 100;
    for (;;) {
        const waited = Date.now() - started;
        if (Date.now() >= nextReport) {
            options.onWait(await findAdvisoryLockHolder(client, key), waited);
            nextReport = Date.now() + progressMs;
        }
        if (waited >= options.timeoutMs || options.signal?.aborted)
            return false;
        await sleep(Math.min(pollMs, Math.max(1, options.timeoutMs - waited)), options.signal);
        pollMs = Math.min(pollMs * 2, 1000);
        if (await tryAdvisoryLock(client, key))
            return true;
    }
}

;// CONCATENATED MODULE: ./src/copy/load/target-copy-lock.ts


/** 'cutv' and 2 (= copies); the migration lock is ('cutv', 1). */
const COPY_LOCK_KEY = [0x63757476, 2];
function seconds(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
async function lockTargetForCopy(client, options) {
    const taken = await pollAdvisoryLock(client, COPY_LOCK_KEY, {
        timeoutMs: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
        onWait: (holder, waited) => options.runtime.info(waited === 0
            ? `Another copy is writing to ${options.input} (${holder ? describeHolder(holder) : 'another session'}); waiting up to ${seconds(options.timeoutMs)} for it to finish.`
            : `Still waiting for the copy lock on ${options.input} after ${Math.round(waited / 1000)} s (held by ${holder ? describeHolder(holder) : 'another session'}).`),
    });
    if (taken)
        return;
    if (options.signal?.aborted)
        throw options.signal.reason;
    const holder = await findAdvisoryLockHolder(client, COPY_LOCK_KEY);
    throw new errors/* LockTimeoutError */.XB(`Timed out after ${seconds(options.timeoutMs)} waiting for the copy lock on ${options.input}: ${holder ? `it is held by ${describeHolder(holder)}` : 'another session held it'}, probably another cutover run copying into the same database. Nothing was written.`, {
        fix: holder
            ? `wait for that run to finish and retry, raise lock-timeout, or if that session is stuck end it with SELECT pg_terminate_backend(${holder.pid});`
            : 'retry the run, or raise lock-timeout.',
    });
}

;// CONCATENATED MODULE: ./src/copy/plan/schema-report.ts
const SKIPPED_REASONS = {
    view: 'create-tables makes tables only; create the view in Postgres yourself (SQLite SQL often needs changes)',
    trigger: 'create-tables does not translate triggers (Postgres triggers call a function); recreate its logic in Postgres',
};
function schemaCreatedReport(tables, others = []) {
    const created = [];
    for (const table of tables) {
        if (!table.ddl)
            continue;
        const { objects, notTranslated, renames } = table.ddl;
        created.push({
            table: table.display,
            sqliteName: table.sourceName,
            columns: table.target.columns.length,
            objects: objects.filter((o) => !o.refused).map((o) => ({ kind: o.kind, ...(o.name ? { name: o.name } : {}), definition: o.definition, ...(o.note ? { note: o.note } : {}) })),
            notTranslated: [
                ...notTranslated.map((n) => ({ kind: n.kind, sqlite: n.sqlite, reason: n.reason })),
                ...objects.filter((o) => o.refused).map((o) => ({ kind: o.kind, sqlite: o.sqlite ?? o.definition, reason: `${o.refused} (translated as: ${o.definition})` })),
            ],
            renames: renames.map((r) => ({ kind: r.kind, from: r.from, to: r.to, why: r.why })),
        });
    }
    // Triggers of tables that are not copied are not this copy's business.
    const copied = new Set(tables.map((t) => t.sourceName.toLowerCase()));
    const skipped = others.filter((o) => o.kind === 'view' || copied.has(o.table.toLowerCase())).map((o) => ({ kind: o.kind, name: o.name, sqlite: o.sql, reason: SKIPPED_REASONS[o.kind] }));
    return { created, existing: tables.filter((t) => !t.ddl).map((t) => t.display), ...(skipped.length ? { skipped } : {}) };
}
/** One log line for what could not be translated (the report lists it in full). */
function notTranslatedWarning(schema) {
    const items = [...schema.created.flatMap((t) => t.notTranslated.map((n) => `${t.table}: ${n.kind}`)), ...(schema.skipped ?? []).map((s) => `${s.kind} ${s.name}`)];
    if (items.length === 0)
        return undefined;
    const shown = items.slice(0, 8).join('; ');
    return `create-tables did not translate ${items.length} part${items.length === 1 ? '' : 's'} of the SQLite schema (the report's "Schema created" section gives the SQLite text and why): ${shown}${items.length > 8 ? `; … and ${items.length - 8} more` : ''}.`;
}

;// CONCATENATED MODULE: ./src/copy/plan/fk-order.ts
// Load order from foreign keys: tables connected by FKs (in either direction) form a component that
// must load in ONE transaction (a child's rows are checked against its parent's uncommitted rows);
// inside it, parents come before children. Self-references need no order (COPY checks FKs at the end
// of the statement). A cycle is reported; it is loadable only when one FK on it is DEFERRABLE.
class ForeignKeyCycleError extends Error {
    tables;
    constructor(tables) {
        super(`foreign keys form a cycle between ${tables.join(', ')}`);
        this.tables = tables;
    }
}
function components(tables, edges, links) {
    const parent = new Map(tables.map((t) => [t, t]));
    const find = (t) => {
        while (parent.get(t) !== t)
            t = parent.get(t);
        return t;
    };
    for (const edge of edges)
        parent.set(find(edge.child), find(edge.parent));
    for (const [a, b] of links)
        if (parent.has(a) && parent.has(b) && find(a) !== find(b))
            parent.set(find(a), find(b));
    const groups = new Map();
    for (const table of tables)
        groups.set(find(table), [...(groups.get(find(table)) ?? []), table]);
    return [...groups.values()];
}
/** Kahn's algorithm, ties broken by name so the order is stable; returns the leftover (cyclic) tables. */
function topological(tables, edges) {
    const pending = new Map(tables.map((t) => [t, new Set()]));
    for (const edge of edges)
        if (edge.child !== edge.parent)
            pending.get(edge.child).add(edge.parent);
    const order = [];
    for (;;) {
        const ready = [...pending.entries()].filter(([, parents]) => parents.size === 0).map(([t]) => t).sort();
        if (ready.length === 0)
            break;
        for (const table of ready) {
            order.push(table);
            pending.delete(table);
            for (const parents of pending.values())
                parents.delete(table);
        }
    }
    return { order, leftover: [...pending.keys()].sort() };
}
/**
 * Components with their load order; throws ForeignKeyCycleError when a cycle has no deferrable FK.
 * `links` join tables into one component without ordering them (they share a transaction).
 */
function planLoadOrder(tables, allEdges, links = []) {
    const selected = new Set(tables);
    const edges = allEdges.filter((e) => selected.has(e.child) && selected.has(e.parent));
    return components(tables, edges, links).map((group) => {
        const inGroup = edges.filter((e) => group.includes(e.child));
        const first = topological(group, inGroup);
        if (first.leftover.length === 0)
            return { tables: first.order, cycle: [] };
        // Deferred constraints are checked at commit: ignore deferrable edges and try again.
        const second = topological(group, inGroup.filter((e) => !e.deferrable));
        if (second.leftover.length > 0)
            throw new ForeignKeyCycleError(second.leftover);
        return { tables: second.order, cycle: first.leftover };
    });
}
/** Spreads components over at most `jobs` connections, biggest first onto the least loaded. */
function assignToConnections(items, jobs) {
    const bins = Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, () => ({ load: 0, items: [] }));
    for (const item of [...items].sort((a, b) => b.weight - a.weight)) {
        const bin = bins.reduce((least, b) => (b.load < least.load ? b : least));
        bin.items.push(item);
        bin.load += item.weight;
    }
    return bins.map((b) => b.items).filter((items) => items.length > 0);
}

;// CONCATENATED MODULE: ./src/copy/read/pg-snapshot.ts



class PgSnapshot {
    coordinator;
    id;
    readers = [];
    connect;
    constructor(coordinator, id, connect) {
        this.coordinator = coordinator;
        this.id = id;
        this.connect = connect;
    }
    /** `purpose` names the connection in application_name (two snapshots of one run must differ: same-database.ts). */
    static async open(location, connect, purpose = 'snapshot') {
        const client = await connect(location, purpose);
        try {
            await prepareSourceReadSession(client);
            await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
            const { rows } = await client.query('SELECT pg_export_snapshot() AS id');
            return new PgSnapshot(client, rows[0].id, () => connect(location, 'reader'));
        }
        catch (cause) {
            await client.end().catch(() => undefined);
            throw new errors/* CopyError */.k6('Could not take a consistent snapshot of the source database.', {
                cause,
                fix: 'connect to the primary (not a hot standby older than Postgres 10) and not through a transaction pooler (port 6543); use a session-mode URL.',
            });
        }
    }
    /** A connection that sees exactly the snapshot (in a read-only transaction). */
    async reader() {
        const client = await this.connect();
        this.readers.push(client);
        await prepareSourceReadSession(client);
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await client.query(`SET TRANSACTION SNAPSHOT '${this.id.replace(/'/g, "''")}'`);
        return client;
    }
    /**
     * Ends the snapshot. After a failure a reader may be stuck in a COPY nobody reads any more (the
     * server blocks sending rows, and would never answer a ROLLBACK): then every connection is destroyed,
     * which ends the read-only transactions at once instead of leaving them idle in transaction.
     */
    /** Destroys every connection at once (a cancellation before the load started). */
    abort() {
        for (const client of [...this.readers, this.coordinator])
            destroyClient(client);
    }
    async close(failed = false) {
        for (const client of [...this.readers, this.coordinator]) {
            if (failed)
                destroyClient(client);
            else
                await closeClient(client);
        }
    }
}

// EXTERNAL MODULE: ./src/db/sqlite-driver.ts
var sqlite_driver = __webpack_require__(9831);
;// CONCATENATED MODULE: ./src/copy/read/sqlite-snapshot.ts


class SqliteSnapshot {
    db;
    watcher;
    startVersion;
    journalMode;
    constructor(db, watcher, startVersion, journalMode) {
        this.db = db;
        this.watcher = watcher;
        this.startVersion = startVersion;
        this.journalMode = journalMode;
    }
    static async begin(db) {
        const Database = await (0,sqlite_driver/* loadSqlite */.T)();
        const watcher = new Database(db.name, { readonly: true, fileMustExist: true });
        const startVersion = Number(watcher.pragma('data_version', { simple: true }));
        const journalMode = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
        db.exec('BEGIN');
        // BEGIN is deferred: the snapshot starts with the first read.
        db.prepare('SELECT count(*) FROM sqlite_schema').get();
        return new SqliteSnapshot(db, watcher, startVersion, journalMode);
    }
    /** True when another connection committed to the file since the snapshot began. */
    changed() {
        return Number(this.watcher.pragma('data_version', { simple: true })) !== this.startVersion;
    }
    /**
     * Before COMMIT: if worker threads (their own connections) read while the file changed, the tables
     * may come from different points in time.
     */
    assertConsistent(usedWorkers, file) {
        if (!usedWorkers || !this.changed())
            return;
        throw new errors/* CopyError */.k6(`The SQLite source ${file} was written to by another process during the copy, and some tables were read by worker threads that may have seen the newer state, so the copied tables might not come from one point in time. Nothing was committed: the target is as it was.`, {
            fix: 'stop the application writing to the SQLite file during the copy (a cutover normally does), or set CUTOVER_COPY_THREADS=1 to read every table through one snapshot; then run again.',
        });
    }
    /** A sentence for the log when the file changed but every table came from the snapshot. */
    changeNote(file) {
        if (!this.changed())
            return undefined;
        return `The SQLite source ${file} was written to by another process during the copy; every table was read from one snapshot taken when the copy started, so those later writes are not in the target.`;
    }
    end() {
        try {
            if (this.db.inTransaction)
                this.db.exec('COMMIT');
        }
        catch {
            // the connection is closing anyway
        }
        this.watcher.close();
    }
}

;// CONCATENATED MODULE: ./src/copy/copy-data.ts
// copy: source → target, verified before it commits. Pipeline: open the source (SQLite read-only in
// one read transaction, or one Postgres snapshot) → connect the target, refuse if it is the source,
// take the target's copy lock, undo a copy whose commit was interrupted → introspect both sides →
// plan and preflight (nothing written if anything is wrong) → all-or-nothing load with verification
// inside the load transactions (load/load-groups.ts) → commit, or roll everything back.























function connector(options) {
    const label = options.runLabel ?? `cutover/${external_node_crypto_default().randomBytes(3).toString('hex')}`;
    return (location, purpose) => (0,postgres_connect/* connectPostgres */.Mq)(location, {
        input: location === options.target ? options.targetInput : options.sourceInput,
        attempts: options.connectAttempts,
        connectTimeoutMs: options.connectTimeoutMs,
        onRetry: (message) => options.runtime.warning(message),
        applicationName: `${label} ${purpose}`,
    });
}
// The fix of a preflight failure: one hint per kind of problem found (the problems name the tables).
const PREFLIGHT_HINTS = [
    [/does not exist in the target|not in the target table|NOT NULL without a default|cannot convert/, 'align the target schema with the source (migrations, create-tables) or narrow the tables with include/exclude'],
    [/is not empty/, 'for non-empty target tables choose if-target-not-empty: truncate or append'],
    [/row-level security/, 'copy as the tables\' owner or a role with BYPASSRLS'],
    [/may not (read|write|TRUNCATE)/, 'grant the missing privileges named above on that side, or connect as the tables\' owner'],
    [/form a cycle/, 'make one foreign key of the cycle DEFERRABLE'],
];
function preflightError(problems) {
    const shown = problems.slice(0, 20).map((p) => `- ${p}`).join('\n');
    const hints = PREFLIGHT_HINTS.filter(([pattern]) => problems.some((p) => pattern.test(p))).map(([, hint]) => hint);
    return new errors/* CopyError */.k6(`Preflight found ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written to the target:\n${shown}${problems.length > 20 ? `\n- … and ${problems.length - 20} more` : ''}`, {
        fix: hints.length > 0 ? `${hints.join('; ')}.` : 'fix the problems listed above and run again.',
    });
}
function sameDatabaseError(options) {
    return new errors/* CopyError */.k6(`${options.sourceInput} and ${options.targetInput} lead to the same database: a copy would read and write the same tables${options.copy.ifTargetNotEmpty === 'truncate' ? ' (and if-target-not-empty: truncate would empty them)' : ''}. Nothing was done.`, {
        fix: 'point the target at the new database (or the source at the old one); a host alias, a pooler or localhost vs 127.0.0.1 can hide that two URLs are the same server.',
    });
}
/** A copy needs sessions (snapshot export, SET, the copy lock): transaction poolers are swapped for session poolers. */
function inSessionMode(options) {
    const target = (0,supabase/* sessionModeOf */.zx)(options.target, options.targetInput, 'the sessions a copy needs (its lock, its session settings)', 'the copy writes');
    const source = options.source.kind === 'postgres' ? (0,supabase/* sessionModeOf */.zx)(options.source, options.sourceInput, 'the exported snapshot a copy reads in', 'the copy reads') : undefined;
    for (const warning of [target.warning, source?.warning])
        if (warning)
            options.runtime.warning(warning);
    return { ...options, target: target.location, ...(source ? { source: source.location } : {}) };
}
/** Several transactions need the journal; without it (no CREATE on the schema) the load uses one. */
async function prepareJournal(control, schema, groups, runId, runtime) {
    if (groups <= 1)
        return undefined;
    const journal = new CopyJournal(schema, runId, groups);
    try {
        await journal.ensure(control);
        return journal;
    }
    catch (error) {
        if (!(0,errors/* isPgError */.QO)(error) || error.code !== '42501')
            throw error;
        runtime.info(`The target role cannot create ${journal.table} (no CREATE on schema ${schema}): loading in one transaction instead of ${groups}, so the copy still commits at one point.`);
        return undefined;
    }
}
async function copyData(given) {
    const options = inSessionMode(given);
    const { runtime, copy } = options;
    const runId = external_node_crypto_default().randomBytes(6).toString('hex');
    const connect = connector({ ...options, runLabel: options.runLabel ?? `cutover/copy/${runId}` });
    const warnings = [];
    let sqlite;
    let sqliteSnapshot;
    let snapshot;
    let control;
    let failed = true;
    const entries = new Map();
    const rejects = new RejectsFile(copy.rejectsFile);
    // A cancellation before the commit phase closes every connection at once, whatever it waits on
    // (a lock, a catalog query): the load's own connections are handled in load-groups.ts.
    let committing = false;
    let journal;
    const onAbort = () => {
        if (committing)
            return;
        if (control)
            destroyClient(control);
        snapshot?.abort();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
        options.signal?.throwIfAborted();
        if (options.source.kind === 'sqlite') {
            sqlite = await (0,sqlite_open/* openSqlite */.L)(options.source, { input: options.sourceInput, readonly: true });
            sqliteSnapshot = await SqliteSnapshot.begin(sqlite);
            if (sqliteSnapshot.journalMode !== 'wal')
                runtime.info('Reading the SQLite source in one read transaction: other processes cannot commit writes to it until the copy ends.');
        }
        else {
            if (copy.createTables) {
                throw new errors/* CopyError */.k6('create-tables creates target tables from a SQLite schema; the source is PostgreSQL.', {
                    fix: 'create the target schema with your migrations or `pg_dump --schema-only | psql` first, then copy without create-tables.',
                });
            }
            snapshot = await PgSnapshot.open(options.source, connect);
        }
        control = await connect(options.target, 'target');
        await prepareCopySession(control);
        if (snapshot && (await compareConnections(control, snapshot.coordinator, options.sourceInput)).same)
            throw sameDatabaseError(options);
        await lockTargetForCopy(control, { timeoutMs: options.lockTimeoutMs ?? 300_000, runtime, input: options.targetInput, ...(options.signal ? { signal: options.signal } : {}) });
        const targetSchema = (await control.query('SELECT current_schema() AS s')).rows[0].s ?? 'public';
        await repairInterruptedCopy(control, targetSchema, runtime, options.lockTimeoutMs ?? 300_000);
        const source = sqlite ? { kind: 'sqlite', tables: listSqliteTables(sqlite) } : { kind: 'postgres', tables: await listPgTables(snapshot.coordinator) };
        // create-tables names indexes and long identifiers around what the target schema already holds.
        const targetRelations = copy.createTables ? (await control.query('SELECT relname AS name FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)', [targetSchema])).rows.map((r) => r.name) : [];
        const plan = buildCopyPlan(source, await listPgTables(control), {
            include: copy.include, exclude: copy.exclude, createTables: copy.createTables, targetSchema, sourceInput: options.sourceInput, sourceLocation: options.source, ifTargetNotEmpty: copy.ifTargetNotEmpty,
            targetRelations, typeMapping: { keepLengths: copy.createTablesLengths !== 'drop' },
            ...(options.leaveOutMissing ? { leaveOutMissing: options.leaveOutMissing } : {}),
        });
        if (plan.leftOut.length > 0)
            runtime.info(describeLeftOut(plan.leftOut));
        warnings.push(...plan.warnings);
        if (copy.ifTargetNotEmpty === 'fail') {
            for (const table of plan.tables) {
                if (!table.ddl && !(await pgTableIsEmpty(control, table.target)))
                    plan.problems.push(`target table ${table.display} is not empty (if-target-not-empty: fail)`);
            }
        }
        let components = [];
        try {
            const order = planLoadOrder(plan.tables.map((t) => t.key), plan.edges, plan.links);
            for (const component of order.filter((c) => c.cycle.length > 0)) {
                warnings.push(`Foreign keys form a cycle between ${component.cycle.join(', ')}; loaded with deferred constraints (checked before commit).`);
            }
            components = order.map((c) => c.tables);
        }
        catch (error) {
            if (!(error instanceof ForeignKeyCycleError))
                throw error;
            plan.problems.push(`foreign keys form a cycle between ${error.tables.join(', ')} and none of them is DEFERRABLE, so no load order satisfies them (make one of those constraints DEFERRABLE INITIALLY IMMEDIATE in a migration, or exclude a table)`);
        }
        if (plan.problems.length > 0)
            throw preflightError(plan.problems);
        const byKey = new Map(plan.tables.map((t) => [t.key, t]));
        const expectedRows = new Map();
        for (const table of plan.tables) {
            entries.set(table.key, { table: table.display });
            if (sqlite) {
                const count = countSqliteRows(sqlite, table.sourceName);
                expectedRows.set(table.key, copy.sampleRows !== undefined ? Math.min(count, copy.sampleRows) : count);
            }
        }
        // Only a copy into empty tables can be undone after a half-finished commit (see copy-journal.ts):
        // truncate and append load in one transaction, which commits at one point.
        const connections = copy.ifTargetNotEmpty === 'fail' ? copy.jobs : 1;
        const weighted = components.map((keys) => ({ tables: keys.map((k) => byKey.get(k)), weight: keys.reduce((sum, k) => sum + (expectedRows.get(k) ?? 1), 0) }));
        let groups = assignToConnections(weighted, connections).map((group) => group.map((c) => c.tables));
        journal = await prepareJournal(control, targetSchema, groups.length, runId, runtime);
        if (groups.length > 1 && !journal)
            groups = [groups.flat()];
        const why = copy.ifTargetNotEmpty !== 'fail' && components.length > 1 ? ` (one transaction: if-target-not-empty: ${copy.ifTargetNotEmpty} cannot be undone once part of a copy has committed)` : '';
        runtime.info(`Copying ${plan.tables.length} table${plan.tables.length === 1 ? '' : 's'} in ${groups.length} transaction${groups.length === 1 ? '' : 's'}${why}; rows are verified before anything is committed.`);
        const hashes = new Map();
        const baselines = new Map();
        const sampleSkipped = new Map();
        const started = Date.now();
        const sequences = snapshot ? await readStandaloneSequences(snapshot.coordinator, plan.tables) : undefined;
        for (const note of sequences?.notes ?? [])
            runtime.info(note);
        const ctx = {
            sampleSkipped,
            ...(sequences?.found.length ? { standaloneSequences: sequences.found } : {}),
            copy,
            runtime,
            connectTarget: () => connect(options.target, 'target'),
            ...(sqlite ? { sqlite } : {}),
            ...(snapshot ? { snapshot, sourceTotals: startSourceTotals(snapshot.coordinator, groups.flat(2), copy.checksums, copy.sampleRows) } : {}),
            rejects,
            entries,
            hashes,
            baselines,
            expectedRows,
            errorContext: { sourceKind: options.source.kind, copied: new Set(plan.tables.map((t) => t.key)), ifTargetNotEmpty: copy.ifTargetNotEmpty },
            journaling: journal !== undefined,
            tableLocks: { attemptMs: options.tableLockAttemptMs ?? 5_000, totalMs: options.lockTimeoutMs ?? 300_000 },
            ...(options.signal ? { signal: options.signal } : {}),
        };
        const { verified: matched } = await loadAllOrNothing(groups, ctx, {
            ...(journal ? { journal, repairConnection: () => connect(options.target, 'repair') } : {}),
            onCommitPhase: () => (committing = true),
            beforeCommit: () => {
                sqliteSnapshot?.assertConsistent(Boolean(ctx.readByWorkers), options.source.path);
                if (options.requireEveryRow && rejects.count > 0) {
                    throw new errors/* CopyError */.k6(`${rejects.count} source row${rejects.count === 1 ? '' : 's'} could not be converted (written to ${rejects.file}); a cutover needs every row, so nothing was committed: the target is as it was.`, {
                        fix: 'correct those rows in the source (the rejects file names table, key, column and value) and run the cutover again.',
                    });
                }
            },
        });
        rejects.close();
        const what = copy.checksums ? 'row counts and checksums' : 'row counts';
        runtime.info(`Verified ${plan.tables.length} table${plan.tables.length === 1 ? '' : 's'} (${what}) before commit in ${((Date.now() - started) / 1000).toFixed(1)} s: ${matched ? 'source and target match; committed' : 'DIFFERENCES FOUND; rolled back, the target is as it was'}.`);
        const changeNote = sqliteSnapshot?.changeNote(options.source.path);
        if (changeNote)
            warnings.push(changeNote);
        if (rejects.count > 0)
            warnings.push(`${rejects.count} row${rejects.count === 1 ? '' : 's'} could not be converted and ${rejects.count === 1 ? 'was' : 'were'} written to ${rejects.file} instead (on-error: skip).`);
        for (const [key, skipped] of sampleSkipped) {
            warnings.push(`${byKey.get(key).display}: ${skipped} sampled row${skipped === 1 ? '' : 's'} left out because ${skipped === 1 ? 'it references' : 'they reference'} rows outside the sample (sample-rows).`);
        }
        const schema = copy.createTables && sqlite ? schemaCreatedReport(plan.tables, listSqliteViewsAndTriggers(sqlite)) : undefined;
        const untranslated = schema && notTranslatedWarning(schema);
        if (untranslated)
            warnings.push(untranslated);
        failed = false;
        return { tables: [...entries.values()], warnings, rejectedRows: rejects.count, ...(rejects.count > 0 ? { rejectsFile: rejects.file } : {}), matched, verified: matched && rejects.count === 0, leftOut: plan.leftOut, ...(schema ? { schema } : {}) };
    }
    catch (error) {
        // Whatever a destroyed connection made fail, the cause is the cancellation (nothing was committed).
        if (options.signal?.aborted && !committing)
            throw options.signal.reason;
        const tables = [...entries.values()];
        if (error instanceof errors/* CopyError */.k6 && !(error instanceof CopyFailedError)) {
            throw Object.assign(new CopyFailedError(error.message, { cause: error.cause, ...(error.fix ? { fix: error.fix } : {}), targetLeftPartial: error.targetLeftPartial, tables }), { stack: error.stack });
        }
        throw error;
    }
    finally {
        options.signal?.removeEventListener('abort', onAbort);
        rejects.close();
        // A journal table this run created stays only while it records a commit in progress.
        if (journal && !committing && control && !options.signal?.aborted)
            await dropIfEmpty(control, journal.table).catch(() => undefined);
        if (control)
            await closeClient(control);
        await snapshot?.close(failed);
        sqliteSnapshot?.end();
        sqlite?.close();
    }
}

// EXTERNAL MODULE: ./src/settings.ts
var src_settings = __webpack_require__(8750);
// EXTERNAL MODULE: ./src/verify/describe-differences.ts
var describe_differences = __webpack_require__(8097);
;// CONCATENATED MODULE: ./src/verify/run-pool.ts
// Runs `work` over items with at most `size` in flight; each call gets a stable worker index so it
// can reuse that worker's connection. Stops at the first error (the others finish their item).
async function runPool(items, size, work) {
    let next = 0;
    let failure;
    const worker = async (index) => {
        while (failure === undefined && next < items.length) {
            const item = items[next++];
            try {
                await work(item, index);
            }
            catch (error) {
                failure ??= error;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(size, items.length) }, (_, i) => worker(i)));
    if (failure !== undefined)
        throw failure;
}

;// CONCATENATED MODULE: ./src/verify/verify-data.ts



















async function verifyData(options) {
    if (options.target.kind !== 'postgres') {
        throw new errors/* VerifyError */.Gz(`verify compares against a PostgreSQL target, but ${options.targetInput} is a SQLite file (${options.target.path}).`, {
            fix: 'swap the two URLs if the SQLite file is the source, or point the target at the PostgreSQL database.',
        });
    }
    const { runtime } = options;
    const connect = connector(options);
    const warnings = [];
    const started = Date.now();
    let sqlite;
    let sqliteSnapshot;
    let sourceSnapshot;
    let targetSnapshot;
    try {
        if (options.source.kind === 'sqlite') {
            sqlite = await (0,sqlite_open/* openSqlite */.L)(options.source, { input: options.sourceInput, readonly: true });
            // Every table compared as of one instant, like a Postgres source's snapshot.
            sqliteSnapshot = await SqliteSnapshot.begin(sqlite);
        }
        else
            sourceSnapshot = await PgSnapshot.open(options.source, connect, 'source snapshot');
        targetSnapshot = await PgSnapshot.open(options.target, connect, 'target snapshot');
        const control = targetSnapshot.coordinator;
        // A database compared with itself always "matches": that says nothing about a copy.
        if (sourceSnapshot && (await compareConnections(control, sourceSnapshot.coordinator, options.sourceInput)).same) {
            throw new errors/* VerifyError */.Gz(`${options.sourceInput} and ${options.targetInput} lead to the same database: verify would compare it with itself, and a match would say nothing. Nothing was compared.`, {
                fix: 'point the source at the old database and the target at the new one; a host alias, a pooler or localhost vs 127.0.0.1 can hide that two URLs are the same server.',
            });
        }
        const targetSchema = (await control.query('SELECT current_schema() AS s')).rows[0].s ?? 'public';
        const source = sqlite ? { kind: 'sqlite', tables: listSqliteTables(sqlite) } : { kind: 'postgres', tables: await listPgTables(sourceSnapshot.coordinator) };
        const plan = buildCopyPlan(source, await listPgTables(control), { include: options.include, exclude: options.exclude, createTables: false, targetSchema, sourceInput: options.sourceInput, sourceLocation: options.source });
        // The target is read too: policies that filter it would make the comparison wrong.
        refuseFilteredReads(plan.tables.map((t) => t.target), { name: 'target', input: options.targetInput, ...(options.target.user ? { role: options.target.user } : {}) });
        if (plan.leftOut.length > 0)
            runtime.info(describeLeftOut(plan.leftOut));
        let verified = true;
        const entries = [];
        for (const missing of plan.missingTables) {
            verified = false;
            entries.push({ table: missing.display, missingInTarget: true });
            warnings.push(`Table ${missing.display} exists in the source but not in the target, so it was not compared.`);
        }
        for (const problem of plan.problems.filter((p) => /exists in the source but not in the target table|cannot convert/.test(p))) {
            verified = false;
            warnings.push(`Column ${problem}.`);
        }
        // Every connection is opened before any table is read: hashing a SQLite table runs on this
        // thread without yielding, and a connection still handshaking meanwhile would time out.
        const jobs = Math.max(1, Math.min(options.jobs, plan.tables.length));
        const sourceReaders = sourceSnapshot ? [sourceSnapshot.coordinator] : [];
        const targetReaders = [control];
        while (targetReaders.length < jobs)
            targetReaders.push(await targetSnapshot.reader());
        while (sourceSnapshot && sourceReaders.length < jobs)
            sourceReaders.push(await sourceSnapshot.reader());
        let readByWorkers = false;
        await runPool(plan.tables, jobs, async (table, worker) => {
            const entry = { table: table.display };
            entries.push(entry);
            const targetSpec = targetCanonical(table);
            const tableStarted = Date.now();
            // The target's query is sent first, so Postgres works while this thread hashes the SQLite side.
            const targetPending = pgTotals(targetReaders[worker], targetSpec, options.checksums);
            const [sourceTotals, targetTotals] = await Promise.all([
                sqlite ? sqliteTotals(sqlite, sqliteReadSpec(table), options.checksums, verifyThreadCount(options.jobs)) : pgTotals(sourceReaders[worker], pgSourceCanonical(table), options.checksums),
                targetPending,
            ]);
            Object.assign(entry, { sourceRows: sourceTotals.rows, targetRows: targetTotals.rows, checksumMatch: options.checksums ? sourceTotals.checksum === targetTotals.checksum : null });
            if (options.checksums)
                Object.assign(entry, { sourceChecksum: sourceTotals.checksum, targetChecksum: targetTotals.checksum });
            if (sourceTotals.readByWorkers)
                readByWorkers = true;
            const unconvertible = sourceTotals.unconvertible ?? 0;
            if (unconvertible > 0) {
                warnings.push(`${table.display}: ${unconvertible} source row${unconvertible === 1 ? '' : 's'} cannot convert to the target's column types.`);
            }
            if (entry.sourceRows !== entry.targetRows || entry.checksumMatch === false) {
                verified = false;
                if (options.checksums) {
                    const sourceSide = sqlite ? sqliteSide(sqlite, table) : pgSide(sourceReaders[worker], pgSourceCanonical(table));
                    const differences = await findDifferences(sourceSide, pgSide(targetReaders[worker], targetSpec));
                    if (differences)
                        Object.assign(entry, { differences, differingKeys: sampleKeys(differences) });
                }
            }
            entry.durationMs = Date.now() - tableStarted;
            runtime.info(`${table.display}: source ${entry.sourceRows} rows, target ${entry.targetRows} rows${options.checksums ? `, checksums ${entry.checksumMatch ? 'match' : 'DIFFER'}` : ''}${entry.differences ? ` — ${(0,describe_differences/* describeDifferences */.g)(entry.differences)}` : ''}`);
        });
        // Worker threads read outside the main read transaction: a write meanwhile could mix two states.
        if (readByWorkers && sqliteSnapshot?.changed()) {
            verified = false;
            warnings.push(`The SQLite source ${options.source.path} was written to during verification and some tables were read by worker threads, which may have seen the newer state, so this comparison cannot say whether source and target match. Stop the writes (or set CUTOVER_COPY_THREADS=1) and verify again.`);
        }
        entries.sort((a, b) => a.table.localeCompare(b.table));
        const compared = entries.filter((e) => !e.missingInTarget).length;
        runtime.info(`Verified ${compared} table${compared === 1 ? '' : 's'} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${verified ? 'source and target match' : 'DIFFERENCES FOUND'}${plan.missingTables.length ? ` (${plan.missingTables.length} missing in the target)` : ''}.`);
        return { tables: entries, verified, warnings, leftOut: plan.leftOut };
    }
    finally {
        await sourceSnapshot?.close();
        await targetSnapshot?.close();
        sqliteSnapshot?.end();
        sqlite?.close();
    }
}

// EXTERNAL MODULE: ./node_modules/umzug/lib/index.js
var lib = __webpack_require__(1252);
;// CONCATENATED MODULE: ./src/migrate/history-table.ts
// The history table `cutover_migrations` (same shape on PostgreSQL and SQLite): one row per applied
// migration with its checksum, when, how long and by whom. On PostgreSQL it lives in the schema that
// was current when the run started, so a migration that changes search_path cannot misplace it.

const HISTORY_TABLE = 'cutover_migrations';
async function historyTable(database) {
    if (database.dialect === 'sqlite')
        return sqliteHistory(database);
    const [{ schema }] = await database.query('SELECT current_schema() AS schema');
    return postgresHistory(database, schema ?? 'public');
}
function toRow(raw) {
    const appliedAt = raw.applied_at instanceof Date ? raw.applied_at.toISOString() : String(raw.applied_at);
    return {
        name: String(raw.name),
        checksum: String(raw.checksum),
        appliedAt,
        durationMs: raw.duration_ms === null || raw.duration_ms === undefined ? null : Number(raw.duration_ms),
        appliedBy: raw.applied_by === null || raw.applied_by === undefined ? null : String(raw.applied_by),
    };
}
function postgresHistory(database, schema) {
    const table = `${(0,pg_identifiers/* quoteIdent */.v4)(schema)}.${(0,pg_identifiers/* quoteIdent */.v4)(HISTORY_TABLE)}`;
    const exists = async () => {
        const [row] = await database.query('SELECT to_regclass($1) AS oid', [table]);
        return row.oid !== null;
    };
    return {
        qualifiedName: `${schema}.${HISTORY_TABLE}`,
        exists,
        async ensure() {
            if (await exists())
                return;
            await database.execScript(`CREATE TABLE IF NOT EXISTS ${table} (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer,
  applied_by text
)`);
        },
        async read() {
            if (!(await exists()))
                return [];
            return (await database.query(`SELECT name, checksum, applied_at, duration_ms, applied_by FROM ${table} ORDER BY name`)).map(toRow);
        },
        async has(name) {
            return (await database.query(`SELECT 1 FROM ${table} WHERE name = $1`, [name])).length > 0;
        },
        async insert(row) {
            await database.query(`INSERT INTO ${table} (name, checksum, applied_at, duration_ms, applied_by) VALUES ($1, $2, now(), $3, $4)`, [row.name, row.checksum, row.durationMs, row.appliedBy]);
        },
        async remove(name) {
            await database.query(`DELETE FROM ${table} WHERE name = $1`, [name]);
        },
        async updateChecksum(name, checksum) {
            await database.query(`UPDATE ${table} SET checksum = $2 WHERE name = $1`, [name, checksum]);
        },
    };
}
function sqliteHistory(database) {
    const table = (0,pg_identifiers/* quoteIdent */.v4)(HISTORY_TABLE);
    const exists = async () => (await database.query(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`, [HISTORY_TABLE])).length > 0;
    return {
        qualifiedName: HISTORY_TABLE,
        exists,
        async ensure() {
            // Checked first: CREATE TABLE IF NOT EXISTS would wait for the write lock even when it exists.
            if (await exists())
                return;
            await database.execScript(`CREATE TABLE IF NOT EXISTS ${table} (
  name TEXT PRIMARY KEY NOT NULL,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  duration_ms INTEGER,
  applied_by TEXT
)`);
        },
        async read() {
            if (!(await exists()))
                return [];
            return (await database.query(`SELECT name, checksum, applied_at, duration_ms, applied_by FROM ${table} ORDER BY name`)).map(toRow);
        },
        async has(name) {
            return (await database.query(`SELECT 1 FROM ${table} WHERE name = ?`, [name])).length > 0;
        },
        async insert(row) {
            await database.query(`INSERT INTO ${table} (name, checksum, applied_at, duration_ms, applied_by) VALUES (?, ?, ?, ?, ?)`, [row.name, row.checksum, new Date().toISOString(), row.durationMs, row.appliedBy]);
        },
        async remove(name) {
            await database.query(`DELETE FROM ${table} WHERE name = ?`, [name]);
        },
        async updateChecksum(name, checksum) {
            await database.query(`UPDATE ${table} SET checksum = ? WHERE name = ?`, [checksum, name]);
        },
    };
}

;// CONCATENATED MODULE: ./src/migrate/migration-database.ts
function postgresDatabase(client) {
    return {
        dialect: 'postgres',
        raw: client,
        async execScript(sql) {
            await client.query(sql);
        },
        async query(sql, params) {
            const result = await client.query(sql, params);
            // A multi-statement script returns one result per statement: hand back the last one's rows.
            const last = Array.isArray(result) ? result[result.length - 1] : result;
            return (last?.rows ?? []);
        },
        async begin() {
            await client.query('BEGIN');
        },
        async commit() {
            await client.query('COMMIT');
        },
        async rollback() {
            await client.query('ROLLBACK').catch(() => undefined);
        },
    };
}
function sqliteQuery(db, sql, params = []) {
    let statement;
    try {
        statement = db.prepare(sql);
    }
    catch (error) {
        // prepare() takes exactly one statement; a parameterless script goes through exec().
        if (params.length === 0 && /more than one statement/i.test(error.message)) {
            db.exec(sql);
            return [];
        }
        throw error;
    }
    if (statement.reader)
        return statement.all(...params);
    statement.run(...params);
    return [];
}
function sqliteDatabase(db) {
    return {
        dialect: 'sqlite',
        raw: db,
        async execScript(sql) {
            db.exec(sql);
        },
        async query(sql, params) {
            return sqliteQuery(db, sql, params);
        },
        async begin() {
            db.exec('BEGIN IMMEDIATE');
        },
        async commit() {
            db.exec('COMMIT');
        },
        async rollback() {
            if (db.inTransaction) {
                try {
                    db.exec('ROLLBACK');
                }
                catch {
                    // SQLite may already have rolled back after the error
                }
            }
        },
    };
}
/** The `sql(text, params?)` helper JS migrations receive: returns the rows (empty for non-queries). */
function sqlHelper(database) {
    // Without parameters, node-postgres uses the simple protocol and SQLite falls back to exec(), so a
    // multi-statement script works in both.
    return (text, params) => database.query(text, params ?? []);
}

;// CONCATENATED MODULE: ./src/tools/alembic-revisions.ts
// Reads an Alembic versions directory without running Python: each revision file's `revision` and
// `down_revision` (None, one id, or a tuple for a merge point), its message (the docstring's first
// line), the order revisions run in and the heads. alembic_version holds only the current head(s),
// so what is applied is each recorded head and everything it revises, transitively.


// `revision = 'x'`, `revision: str = "x"` at the start of a line (the templates Alembic generates).
const REVISION = /^revision\s*(?::[^=\n]+)?=\s*['"]([^'"]+)['"]/m;
const DOWN_REVISION = /^down_revision\s*(?::[^=\n]+)?=\s*(.+)$/m;
const DOCSTRING = /^\s*[rRuU]?("""|''')\s*([^\n]*)/;
function parseAlembicRevision(source, file) {
    const revision = REVISION.exec(source)?.[1];
    if (!revision)
        return undefined;
    const down = DOWN_REVISION.exec(source)?.[1] ?? 'None';
    // Everything quoted on that line: one id, or a tuple of ids (a merge); None or () means a base.
    const downRevisions = [...down.matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]);
    const message = DOCSTRING.exec(source)?.[2]?.replace(/("""|''')\s*$/, '').trim();
    return { id: revision, downRevisions, ...(message ? { message } : {}), file };
}
/** Whether `dir` holds Alembic revision files. */
function holdsAlembicRevisions(dir) {
    return readAlembicVersions(dir).revisions.length > 0;
}
function readAlembicVersions(dir) {
    const script = { dir, revisions: [], heads: [], problems: [] };
    const entries = external_node_fs_default().existsSync(dir) ? external_node_fs_default().readdirSync(dir, { withFileTypes: true }) : [];
    const byId = new Map();
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isFile() || !entry.name.endsWith('.py') || entry.name.startsWith('__'))
            continue;
        const file = external_node_path_default().join(dir, entry.name);
        const revision = parseAlembicRevision(external_node_fs_default().readFileSync(file, 'utf8'), file);
        if (!revision)
            continue;
        const other = byId.get(revision.id);
        if (other) {
            script.problems.push(`revision ${revision.id} is defined twice (${external_node_path_default().basename(other.file)} and ${entry.name})`);
            continue;
        }
        byId.set(revision.id, revision);
    }
    for (const revision of byId.values()) {
        for (const down of revision.downRevisions) {
            if (!byId.has(down))
                script.problems.push(`${external_node_path_default().basename(revision.file)} revises ${down}, which no file in ${dir} defines`);
        }
    }
    script.revisions = runOrder([...byId.values()]);
    const revised = new Set(script.revisions.flatMap((r) => r.downRevisions));
    script.heads = script.revisions.filter((r) => !revised.has(r.id)).map((r) => r.id);
    return script;
}
/** Kahn's order: a revision after everything it revises; ties by file name, so the order is stable. */
function runOrder(revisions) {
    const known = new Set(revisions.map((r) => r.id));
    const placed = new Set();
    const ordered = [];
    let remaining = [...revisions].sort((a, b) => a.file.localeCompare(b.file));
    while (remaining.length > 0) {
        const ready = remaining.filter((r) => r.downRevisions.every((d) => placed.has(d) || !known.has(d)));
        // A cycle: keep the rest in file order rather than loop forever.
        const next = ready.length > 0 ? ready : remaining;
        for (const revision of next) {
            ordered.push(revision);
            placed.add(revision.id);
        }
        remaining = remaining.filter((r) => !placed.has(r.id));
    }
    return ordered;
}
/** Every revision at or below the recorded heads; heads no file defines are returned as unknown. */
function appliedRevisions(script, recordedHeads) {
    const byId = new Map(script.revisions.map((r) => [r.id, r]));
    const applied = new Set();
    const unknown = [];
    const stack = [];
    for (const head of recordedHeads) {
        if (byId.has(head))
            stack.push(head);
        else
            unknown.push(head);
    }
    while (stack.length > 0) {
        const id = stack.pop();
        if (applied.has(id))
            continue;
        applied.add(id);
        for (const down of byId.get(id)?.downRevisions ?? [])
            if (byId.has(down))
                stack.push(down);
    }
    return { applied, unknown };
}

;// CONCATENATED MODULE: ./src/tools/tool-migration-files.ts
// Lists a migration tool's files without running the tool, so that status can say what is pending:
// where each tool keeps them by default, how its file names encode what it records in its history
// table, and in which order it runs them. The tool's own file-name rules are followed:
// - Prisma: prisma/migrations/<name>/migration.sql; _prisma_migrations.migration_name is <name>.
// - Flyway: V<version>__<description>.sql (version parts separated by . or _, recorded with dots),
//   R__<description>.sql for repeatable ones (recorded with no version).
// - Supabase CLI: supabase/migrations/<digits>_<name>.sql (pkg/migration/file.go `^([0-9]+)_(.*)\.sql$`);
//   the digits are the recorded version.
// - golang-migrate: <version>_<title>.up.sql; the version is recorded as a bigint (0001 → 1), and only
//   the latest one, so everything up to it counts as applied.
// - dbmate: db/migrations/<version>_<name>.sql, the version recorded as written.
// - Django: <app>/migrations/<name>.py of every app in the project (recorded as app + name); apps
//   installed as packages (django.contrib.*) have no files here.
// - Alembic: alembic-revisions.ts (the versions directory from alembic.ini's script_location).



const SKIP_DIRS = new Set(['node_modules', '.git', 'venv', '.venv', 'env', 'site-packages', '__pycache__', 'dist', 'build', '.tox']);
function filesIn(dir) {
    try {
        return external_node_fs_default().readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
    }
    catch {
        return [];
    }
}
function dirsIn(dir) {
    try {
        return external_node_fs_default().readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    }
    catch {
        return [];
    }
}
/** Flyway compares versions numerically part by part, and 1.0 equals 1. */
function flywayVersionKey(version) {
    const parts = version.split(/[._]/).map((p) => (/^\d+$/.test(p) ? BigInt(p).toString() : p));
    while (parts.length > 1 && parts[parts.length - 1] === '0')
        parts.pop();
    return parts.join('.');
}
function compareKeys(a, b) {
    const pa = a.split('.');
    const pb = b.split('.');
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const x = BigInt(/^\d+$/.test(pa[i] ?? '') ? pa[i] : '0');
        const y = BigInt(/^\d+$/.test(pb[i] ?? '') ? pb[i] : '0');
        if (x !== y)
            return x < y ? -1 : 1;
    }
    return 0;
}
/** The key a history row is compared under (the same normalisation as the files'). */
function recordKey(tool, id) {
    if (tool === 'flyway')
        return id.startsWith('R ') ? id : flywayVersionKey(id);
    if (tool === 'golang-migrate' && /^-?\d+$/.test(id))
        return BigInt(id).toString();
    return id;
}
const LISTERS = {
    prisma: (dir) => dirsIn(dir)
        .filter((name) => external_node_fs_default().existsSync(external_node_path_default().join(dir, name, 'migration.sql')))
        .map((name) => ({ key: name, name, path: external_node_path_default().join(dir, name, 'migration.sql') })),
    flyway: (dir) => {
        const versioned = [];
        const repeatable = [];
        for (const file of filesIn(dir)) {
            const v = /^V([0-9][0-9._]*)__(.+)\.sql$/.exec(file);
            if (v)
                versioned.push({ key: flywayVersionKey(v[1]), name: file.replace(/\.sql$/, ''), path: external_node_path_default().join(dir, file) });
            const r = /^R__(.+)\.sql$/.exec(file);
            if (r)
                repeatable.push({ key: `R ${r[1].replace(/_/g, ' ')}`, name: file.replace(/\.sql$/, ''), path: external_node_path_default().join(dir, file) });
        }
        return [...versioned.sort((a, b) => compareKeys(a.key, b.key)), ...repeatable];
    },
    supabase: (dir) => filesIn(dir)
        .flatMap((file) => {
        const m = /^([0-9]+)_(.*)\.sql$/.exec(file);
        return m ? [{ key: m[1], name: file.replace(/\.sql$/, ''), path: external_node_path_default().join(dir, file) }] : [];
    }),
    'golang-migrate': (dir) => filesIn(dir)
        .flatMap((file) => {
        const m = /^([0-9]+)_(.*)\.up\.[a-z]+$/.exec(file);
        return m ? [{ key: BigInt(m[1]).toString(), name: file.replace(/\.up\.[a-z]+$/, ''), path: external_node_path_default().join(dir, file) }] : [];
    })
        .sort((a, b) => compareKeys(a.key, b.key)),
    dbmate: (dir) => filesIn(dir)
        .flatMap((file) => {
        const m = /^([0-9]+)_?.*\.sql$/.exec(file);
        return m ? [{ key: m[1], name: file.replace(/\.sql$/, ''), path: external_node_path_default().join(dir, file) }] : [];
    }),
};
/** Where each tool keeps its files unless told otherwise, relative to the project directory. */
const CONVENTIONAL = {
    prisma: ['prisma/migrations'],
    flyway: ['sql', 'db/migration', 'src/main/resources/db/migration', 'migrations'],
    supabase: ['supabase/migrations'],
    'golang-migrate': ['migrations', 'db/migrations'],
    dbmate: ['db/migrations', 'migrations'],
    alembic: ['alembic/versions', 'migrations/versions'],
};
/** alembic.ini's script_location (`%(here)s` is the ini's directory), + /versions. */
function alembicIniVersions(projectDir) {
    const ini = external_node_path_default().join(projectDir, 'alembic.ini');
    if (!external_node_fs_default().existsSync(ini))
        return undefined;
    const location = /^\s*script_location\s*=\s*(.+?)\s*$/m.exec(external_node_fs_default().readFileSync(ini, 'utf8'))?.[1];
    if (!location || location.includes(':'))
        return undefined; // package resources (pkg:dir) are not files here
    return external_node_path_default().resolve(projectDir, location.replace(/%\(here\)s/g, projectDir), 'versions');
}
function djangoApps(projectDir, depth = 4) {
    const found = [];
    const walk = (dir, level) => {
        for (const name of dirsIn(dir)) {
            if (SKIP_DIRS.has(name) || name.startsWith('.'))
                continue;
            const child = external_node_path_default().join(dir, name);
            if (name === 'migrations' && external_node_fs_default().existsSync(external_node_path_default().join(child, '__init__.py'))) {
                const app = external_node_path_default().basename(dir);
                // Django loads every module of the package except those starting with _ or ~.
                for (const file of filesIn(child).filter((f) => f.endsWith('.py') && !/^[_~]/.test(f))) {
                    const migration = file.replace(/\.py$/, '');
                    found.push({ key: `${app}.${migration}`, name: `${app}.${migration}`, path: external_node_path_default().join(child, file) });
                }
            }
            else if (level < depth) {
                walk(child, level + 1);
            }
        }
    };
    walk(projectDir, 1);
    return found;
}
function alembicSet(dir) {
    const script = readAlembicVersions(dir);
    if (script.revisions.length === 0)
        return undefined;
    const files = script.revisions.map((r) => ({ key: r.id, name: r.message ? `${r.id} (${r.message})` : r.id, path: r.file }));
    return { tool: 'alembic', dir, files, alembic: script };
}
function setIn(tool, dir) {
    if (!external_node_fs_default().statSync(dir, { throwIfNoEntry: false })?.isDirectory())
        return undefined;
    if (tool === 'alembic')
        return alembicSet(dir);
    // <version>_<name>.up.sql pairs are golang-migrate's (or cutover's), not one-file-per-migration tools'.
    if ((tool === 'supabase' || tool === 'dbmate') && filesIn(dir).some((f) => /\.(up|down)\.sql$/.test(f)))
        return undefined;
    const files = LISTERS[tool]?.(dir) ?? [];
    return files.length > 0 ? { tool, dir, files } : undefined;
}
/**
 * The tool's migration files: in migrations-dir when it holds them, else where the tool keeps them
 * by default under the project directory; undefined when none are found (pending is then unknown).
 */
function findToolFiles(tool, roots) {
    if (tool === 'cutover')
        return undefined;
    if (tool === 'django') {
        const files = djangoApps(roots.projectDir);
        return files.length > 0 ? { tool, dir: roots.projectDir, files } : undefined;
    }
    const candidates = [roots.migrationsDir];
    if (tool === 'alembic') {
        const fromIni = alembicIniVersions(roots.projectDir);
        if (fromIni)
            candidates.push(fromIni);
    }
    candidates.push(...(CONVENTIONAL[tool] ?? []).map((dir) => external_node_path_default().resolve(roots.projectDir, dir)));
    for (const dir of candidates) {
        const set = setIn(tool, dir);
        if (set)
            return set;
    }
    return undefined;
}
/**
 * Which other tool's files a directory holds, if any: what the report names when a migrations-dir
 * is not cutover's (files cutover would not list at all, such as Alembic's .py revisions).
 */
function foreignToolOfDir(dir) {
    if (!external_node_fs_default().statSync(dir, { throwIfNoEntry: false })?.isDirectory())
        return undefined;
    if (alembicSet(dir))
        return 'alembic';
    if (external_node_fs_default().existsSync(external_node_path_default().join(dir, '__init__.py')) && filesIn(dir).some((f) => /^\d{4}_\w+\.py$/.test(f)))
        return 'django';
    if ((LISTERS.prisma(dir)).length > 0)
        return 'prisma';
    if (filesIn(dir).some((f) => /^V[0-9][0-9._]*__.+\.sql$/.test(f)))
        return 'flyway';
    const sql = filesIn(dir).filter((f) => f.endsWith('.sql'));
    // Without .up/.down: a Supabase CLI directory, or dbmate's files with their -- migrate:up marker.
    if (sql.length > 0 && sql.every((f) => !/\.(up|down)\.sql$/.test(f))) {
        if (sql.some((f) => /^\s*--\s*migrate:up/m.test(external_node_fs_default().readFileSync(external_node_path_default().join(dir, f), 'utf8'))))
            return 'dbmate';
        if (/(^|[/\\])supabase[/\\]migrations[/\\]?$/.test(dir) || sql.every((f) => /^\d{14}_.+\.sql$/.test(f)))
            return 'supabase';
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/migrate/supabase-layout.ts
// Supabase CLI projects: supabase/migrations/<version>_<name>.sql, one file per migration, no down
// files. cutover's own runner applies them (lock, transaction, checksums, error lines, transaction
// control checked like any SQL migration) and records each in cutover_migrations AND, as the CLI
// does, in supabase_migrations.schema_migrations (supabase-history.ts), so that `supabase migration
// list` agrees afterwards. File names follow the CLI's pattern (pkg/migration/file.go):
// `^([0-9]+)_(.*)\.sql$`, the digits being the version it records.




const SUPABASE_FILE = /^([0-9]+)_(.*)\.sql$/;
function readSupabaseMigrationFiles(dir, options) {
    const problems = [];
    const byVersion = new Map();
    const migrations = [];
    for (const entry of external_node_fs_default().readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isFile() || entry.name.startsWith('.'))
            continue;
        const match = SUPABASE_FILE.exec(entry.name);
        if (!match) {
            if (/\.sql$/i.test(entry.name))
                problems.push(`${entry.name} does not match the Supabase CLI's <timestamp>_<name>.sql (the CLI would skip it): rename it, e.g. with \`supabase migration new <name>\``);
            continue;
        }
        const [, version, name] = match;
        const other = byVersion.get(version);
        if (other) {
            problems.push(`${other} and ${entry.name} have the same version ${version}: give one a new timestamp`);
            continue;
        }
        byVersion.set(version, entry.name);
        const upPath = external_node_path_default().join(dir, entry.name);
        migrations.push({ ...withChecksums({ name: `${version}_${name}`, id: version, kind: 'sql', upPath }, external_node_fs_default().readFileSync(upPath, 'utf8')), supabase: { version, name } });
    }
    problems.push(...orderingProblems(migrations));
    if (problems.length > 0) {
        throw new errors/* MigrationPlanError */.eJ(`The Supabase migrations directory ${dir} has ${problems.length} problem${problems.length === 1 ? '' : 's'}, so nothing was run: ${problems.join('; ')}.`, {
            fix: 'name every migration <timestamp>_<name>.sql (as `supabase migration new` does), one version per file.',
        });
    }
    if (migrations.length === 0 && options.requireMigrations) {
        throw new errors/* MigrationPlanError */.eJ(`The Supabase migrations directory ${dir} contains no migrations.`, { fix: 'add <timestamp>_<name>.sql files (`supabase migration new <name>`), or point migrations-dir at the right directory.' });
    }
    return migrations.sort(compareMigrationIds);
}

;// CONCATENATED MODULE: ./src/migrate/migration-files.ts
// Reads a migrations directory into an ordered list and rejects, before anything runs, every layout
// that would make the order or the identity of a migration ambiguous: duplicate ids or names, ids of
// different widths whose text order differs from their numeric order, stray down files, and files
// that look like migrations but match no pattern (usually a typo such as `001_x.sql` without `.up`).






/** A history row applied by another tool (the Supabase CLI), which records no checksum: nothing to compare. */
const UNRECORDED_CHECKSUM = '';
const SQL_FILE = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\.(up|down)\.sql$/;
const JS_FILE = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\.(js|mjs)$/;
/** Names that look like a migration attempt: an id prefix, or a code/SQL extension. */
const LOOKS_LIKE_MIGRATION = /^\d+[_\-.\s]|\.(sql|js|mjs|cjs|ts|mts|cts)$/i;
const NO_TRANSACTION_MARKER = 'cutover:no-transaction';
const SQL_MARKER = /^[ \t]*--[ \t]*cutover:no-transaction[ \t]*\r?$/m;
const JS_MARKER = /^[ \t]*(?:\/\/|--)[ \t]*cutover:no-transaction\b/m;
/** True when the file opts out of the per-migration transaction with the marker comment. */
function hasNoTransactionMarker(text, kind = 'sql') {
    return (kind === 'sql' ? SQL_MARKER : JS_MARKER).test(text.replace(/^\uFEFF/, ''));
}
const normalise = (text) => text.replace(/\r\n/g, '\n');
/**
 * The checksum recorded for a migration: what is applied, i.e. the up file only, so that adding,
 * editing or removing its down file is not drift. Line endings are normalised (a Windows checkout
 * with core.autocrlf is not an edit) and a leading UTF-8 byte-order mark is dropped (an editor adding
 * or removing one is not an edit either; the BOM is not run).
 */
function migrationChecksum(upText) {
    return external_node_crypto_default().createHash('sha256').update(normalise(upText).replace(/^\uFEFF/, '')).digest('hex');
}
/** What earlier versions recorded: sha256 of the up text then the down text, CRLF as LF, a BOM kept. */
function legacyMigrationChecksum(upText, downText) {
    const hash = external_node_crypto_default().createHash('sha256');
    hash.update(normalise(upText));
    if (downText !== undefined)
        hash.update(normalise(downText));
    return hash.digest('hex');
}
/**
 * Whether a history row's checksum matches the file. Rows written by earlier versions hold the
 * legacy form (up + down); both forms are accepted so that an upgrade does not make every applied
 * migration look edited. The first migrate/rollback/baseline run then records the current form for
 * such rows (run-migrations.ts), after which the down file no longer counts. A down file edited or
 * removed before that run cannot be told from an edit of the migration: it shows as drift.
 */
function checksumMatches(file, recorded) {
    if (recorded === UNRECORDED_CHECKSUM)
        return true;
    return recorded === file.checksum || (file.legacyChecksum !== undefined && recorded === file.legacyChecksum);
}
function withChecksums(file, up, down) {
    const checksum = migrationChecksum(up);
    const legacy = legacyMigrationChecksum(up, down);
    return { ...file, checksum, ...(legacy !== checksum ? { legacyChecksum: legacy } : {}) };
}
/** Where the file is, for messages and annotations: relative to the workspace when inside it. */
function displayPath(file) {
    const base = process.env.GITHUB_WORKSPACE || process.cwd();
    const relative = external_node_path_default().relative(base, file);
    return relative && !relative.startsWith('..') && !external_node_path_default().isAbsolute(relative) ? relative.split((external_node_path_default()).sep).join('/') : file;
}
function typoAdvice(file) {
    if (/^\d+_[^.]+\.sql$/i.test(file))
        return `rename it to ${file.replace(/\.sql$/i, '.up.sql')} (and its undo to ${file.replace(/\.sql$/i, '.down.sql')})`;
    if (/\.(ts|mts|cts)$/i.test(file))
        return 'TypeScript migrations are not loaded: compile it to .js or .mjs (or write it in SQL)';
    if (/\.cjs$/i.test(file))
        return 'rename it to .js or .mjs and export async functions up and down';
    if (/^\d+[-.\s]/.test(file))
        return `separate the id from the name with an underscore, e.g. ${file.replace(/^(\d+)[-.\s]+/, '$1_')}`;
    if (/\.sql$/i.test(file) && !/^\d/.test(file))
        return 'start the name with a sortable id, e.g. 001_create_users.up.sql';
    return 'rename it to <id>_<name>.up.sql / .down.sql or <id>_<name>.js, or move it out of the migrations directory';
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
/** Lists, validates and orders the migrations in `dir` (absolute). Reads every file to checksum it. */
function readMigrationFiles(dir, options) {
    if (foreignToolOfDir(dir) === 'supabase')
        return readSupabaseMigrationFiles(dir, options);
    const stat = external_node_fs_default().statSync(dir, { throwIfNoEntry: false });
    if (!stat) {
        throw new errors/* MigrationPlanError */.eJ(`The migrations directory ${dir} does not exist.`, {
            fix: `check migrations-dir (relative paths are resolved from the working directory ${process.cwd()}), or create it with \`cutover new <name>\`.`,
        });
    }
    if (!stat.isDirectory()) {
        throw new errors/* MigrationPlanError */.eJ(`The migrations directory ${dir} is a file, not a directory.`, { fix: 'point migrations-dir at the directory that holds the migration files.' });
    }
    const problems = [];
    const sql = new Map();
    const js = new Map();
    for (const entry of external_node_fs_default().readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isFile() || entry.name.startsWith('.'))
            continue;
        const file = entry.name;
        const sqlMatch = SQL_FILE.exec(file);
        const jsMatch = JS_FILE.exec(file);
        if (sqlMatch) {
            const name = `${sqlMatch[1]}_${sqlMatch[2]}`;
            const slot = sql.get(name) ?? { id: sqlMatch[1] };
            slot[sqlMatch[3]] = external_node_path_default().join(dir, file);
            sql.set(name, slot);
        }
        else if (jsMatch) {
            const name = `${jsMatch[1]}_${jsMatch[2]}`;
            const other = js.get(name);
            if (other)
                problems.push(`${external_node_path_default().basename(other.file)} and ${file} are both migration ${name}`);
            else
                js.set(name, { id: jsMatch[1], file: external_node_path_default().join(dir, file) });
        }
        else if (LOOKS_LIKE_MIGRATION.test(file)) {
            problems.push(`${file} matches no migration pattern: ${typoAdvice(file)}`);
        }
    }
    const migrations = [];
    for (const [name, slot] of sql) {
        if (!slot.up) {
            problems.push(`${name}.down.sql has no ${name}.up.sql: add the up file or delete the down file`);
            continue;
        }
        if (js.has(name)) {
            problems.push(`${name} exists both as SQL (${name}.up.sql) and as a module (${external_node_path_default().basename(js.get(name).file)})`);
            continue;
        }
        const up = external_node_fs_default().readFileSync(slot.up, 'utf8');
        const down = slot.down ? external_node_fs_default().readFileSync(slot.down, 'utf8') : undefined;
        migrations.push(withChecksums({ name, id: slot.id, kind: 'sql', upPath: slot.up, ...(slot.down ? { downPath: slot.down } : {}) }, up, down));
    }
    for (const [name, module] of js) {
        if (sql.has(name))
            continue; // reported above
        migrations.push(withChecksums({ name, id: module.id, kind: 'js', upPath: module.file }, external_node_fs_default().readFileSync(module.file, 'utf8')));
    }
    problems.push(...orderingProblems(migrations));
    if (problems.length > 0) {
        throw new errors/* MigrationPlanError */.eJ(`The migrations directory ${dir} has ${plural(problems.length, 'problem')}, so nothing was run: ${problems.join('; ')}.`, {
            fix: 'rename or remove the files listed so that every migration is <id>_<name>.up.sql (+ optional .down.sql) or <id>_<name>.js|.mjs, with one id per migration and ids of the same width (e.g. 001, 002, … 010).',
        });
    }
    if (migrations.length === 0 && options.requireMigrations) {
        throw new errors/* MigrationPlanError */.eJ(`The migrations directory ${dir} contains no migrations.`, {
            fix: 'add files named <id>_<name>.up.sql (e.g. 001_create_users.up.sql, created with `cutover new create_users`), or point migrations-dir at the right directory.',
        });
    }
    return migrations.sort(compareMigrationIds);
}
function compareMigrationIds(a, b) {
    const diff = BigInt(a.id) - BigInt(b.id);
    if (diff !== 0n)
        return diff < 0n ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
/** Order of two history/file names by their id (names without an id sort last, by text). */
function compareMigrationNames(a, b) {
    const ia = /^(\d+)_/.exec(a)?.[1];
    const ib = /^(\d+)_/.exec(b)?.[1];
    if (ia && ib)
        return compareMigrationIds({ id: ia, name: a }, { id: ib, name: b });
    if (ia || ib)
        return ia ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
}
/**
 * Duplicate ids (also `1_a` next to `01_b`), and ids whose text order differs from their numeric
 * order (`1_a`, `10_b`, `2_c`): tools, editors and `ls` disagree on what runs first.
 */
function orderingProblems(migrations) {
    const problems = [];
    const byValue = new Map();
    for (const migration of migrations) {
        const value = BigInt(migration.id);
        byValue.set(value, [...(byValue.get(value) ?? []), migration]);
    }
    for (const group of byValue.values()) {
        if (group.length > 1)
            problems.push(`id ${group[0].id} is used by more than one migration (${group.map((m) => m.name).join(', ')}): give each migration its own id`);
    }
    if (byValue.size !== migrations.length)
        return problems;
    // Any pair whose numeric and text order disagree makes the whole order ambiguous.
    const numeric = [...migrations].sort(compareMigrationIds);
    for (let i = 0; i < numeric.length; i++) {
        const later = numeric.slice(i + 1).find((m) => m.id < numeric[i].id);
        if (!later)
            continue;
        const width = Math.max(...migrations.map((m) => m.id.length));
        problems.push(`the ids have different widths and sort ambiguously: ${numeric[i].name} comes before ${later.name} by number but after it as text; ` +
            `zero-pad every id to the same width (e.g. ${numeric[i].id.padStart(width, '0')}_…, ${later.id.padStart(width, '0')}_…)`);
        break;
    }
    return problems;
}

;// CONCATENATED MODULE: ./src/migrate/migration-lock.ts


/** Two-int advisory key: 'cutv' and 1 (= migrations). pg_locks shows it as classid/objid, objsubid 2. */
const LOCK_KEY = [0x63757476, 1];
function migration_lock_seconds(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
/**
 * Takes the lock on `client` (a connection used for nothing else) or throws LockTimeoutError.
 * Waiting polls (src/db/advisory-lock.ts): a waiter blocked in `SELECT pg_advisory_lock(…)` would
 * hold a snapshot that a `CREATE INDEX CONCURRENTLY` migration of the lock's holder waits for.
 */
async function acquireMigrationLock(client, options) {
    const started = Date.now();
    let waited = false;
    const taken = await pollAdvisoryLock(client, LOCK_KEY, {
        timeoutMs: options.timeoutMs,
        progressMs: options.progressEveryMs ?? 30_000,
        ...(options.signal ? { signal: options.signal } : {}),
        onWait: (holder, ms) => {
            if (options.timeoutMs === 0)
                return;
            waited = true;
            const who = holder ? describeHolder(holder) : 'another session';
            if (ms === 0)
                options.runtime.info(`Waiting up to ${migration_lock_seconds(options.timeoutMs)} for the migration lock on ${options.input}, held by ${who}.`);
            else
                options.runtime.info(`Still waiting for the migration lock on ${options.input} after ${Math.round(ms / 1000)} s (${Math.max(0, Math.round((options.timeoutMs - ms) / 1000))} s left), held by ${who}.`);
        },
    });
    if (taken) {
        if (waited)
            options.runtime.info(`Got the migration lock on ${options.input} after ${((Date.now() - started) / 1000).toFixed(1)} s.`);
        return;
    }
    if (options.signal?.aborted)
        throw new errors/* CancelledError */.cc(`Cancelled while waiting for the migration lock on ${options.input}: no migration was run by this run.`);
    const current = await findAdvisoryLockHolder(client, LOCK_KEY);
    const who = current ? describeHolder(current) : 'another session (it was released just as we gave up)';
    throw new errors/* LockTimeoutError */.XB(`Timed out after ${migration_lock_seconds(options.timeoutMs)} waiting for the migration lock on ${options.input}: it is held by ${who}, probably another cutover run migrating the same database.`, {
        fix: current
            ? `wait for that run to finish and retry, raise lock-timeout, or if that session is stuck end it with SELECT pg_terminate_backend(${current.pid});`
            : 'retry the run, or raise lock-timeout.',
    });
}
async function releaseMigrationLock(client) {
    await releaseAdvisoryLock(client, LOCK_KEY);
}
/** True for SQLite's "database is locked" errors (another connection holds the write lock). */
function isSqliteBusy(error) {
    return /^SQLITE_(BUSY|LOCKED)/.test(String(error?.code ?? ''));
}
function sqliteBusyError(cause, timeoutMs, input) {
    return new errors/* LockTimeoutError */.XB(`Timed out after ${migration_lock_seconds(timeoutMs)} waiting for the write lock on the SQLite database ${input}: another process is writing to it.`, {
        cause,
        fix: 'stop the other writer (another cutover run, the app, or a DB browser with a transaction open), or raise lock-timeout.',
    });
}

;// CONCATENATED MODULE: ./src/migrate/migration-plan.ts
// Pure decisions made after the lock is taken and the history is read, before anything changes:
// which applied migrations drifted from their files, what `to` refers to, and which migrations a
// mode touches. Also turns files + history into the ordered entries every report is built from.


function findDrift(files, history) {
    const byName = new Map(files.map((f) => [f.name, f]));
    const drift = { changed: [], missing: [] };
    for (const row of history) {
        const file = byName.get(row.name);
        if (!file)
            drift.missing.push(row);
        else if (!checksumMatches(file, row.checksum))
            drift.changed.push({ file, row });
    }
    return drift;
}
function describeDrift(drift, dir) {
    const parts = [];
    if (drift.changed.length) {
        parts.push(`edited after being applied: ${drift.changed.map(({ file, row }) => `${file.name} (recorded sha256 ${row.checksum.slice(0, 12)}…, file now ${file.checksum.slice(0, 12)}…)`).join(', ')}`);
    }
    if (drift.missing.length)
        parts.push(`applied but no longer in ${dir}: ${drift.missing.map((r) => r.name).join(', ')}`);
    return parts.join('; ');
}
function driftError(drift, dir) {
    const count = drift.changed.length + drift.missing.length;
    return new errors/* MigrationPlanError */.eJ(`${count} applied migration${count === 1 ? '' : 's'} no longer match${count === 1 ? 'es' : ''} the files, so nothing was run: ${describeDrift(drift, dir)}.`, {
        fix: 'restore the applied files as they were (e.g. git checkout <commit> -- <file>) and put the change in a new migration; or, if the edit is intentional and harmless, pass allow-changed-migrations: true. ' +
            '(Only a .down.sql changed, on a database last migrated by an earlier cutover whose checksum covered down files too? Restore the down file and run migrate once: it records the up-only checksum.)',
    });
}
/** All names (files and history) in run order. */
function orderedNames(files, history) {
    return [...new Set([...files.map((f) => f.name), ...history.map((r) => r.name)])].sort(compareMigrationNames);
}
/** Resolves `to` (a full name such as 002_create_orders, or just its id 002) to a migration name. */
function resolveTo(to, files, history, dir) {
    const wanted = to.trim().replace(/\.(up|down)\.sql$|\.m?js$/, '');
    const names = orderedNames(files, history);
    if (names.includes(wanted))
        return wanted;
    const byId = names.filter((name) => /^(\d+)_/.exec(name)?.[1] === wanted);
    if (byId.length === 1)
        return byId[0];
    const known = names.length ? `known migrations: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}` : 'there are no migrations at all';
    throw new errors/* MigrationPlanError */.eJ(`'to' names the migration '${to}', which is neither in ${dir} nor in the history table (${known}).`, {
        fix: 'set to to the name of a migration file without its extension (e.g. 002_create_orders) or leave it empty.',
    });
}
/** Pending files up to and including `to` (migrate, baseline). */
function selectPending(files, history, to) {
    const applied = new Set(history.map((r) => r.name));
    const pending = files.filter((f) => !applied.has(f.name));
    if (to === undefined)
        return pending;
    return pending.filter((f) => compareMigrationNames(f.name, to) <= 0);
}
/** Pending files that sort before an applied one (e.g. merged from an older branch). */
function outOfOrder(selected, history) {
    const lastApplied = history.map((r) => r.name).sort(compareMigrationNames).at(-1);
    return lastApplied ? selected.filter((f) => compareMigrationNames(f.name, lastApplied) < 0) : [];
}
/**
 * Applied migrations to roll back, newest first: those after `to` (exclusive) when given, else the
 * last `steps` in migration order (the order they run in, not the time they were applied).
 */
function selectRollback(history, options) {
    const applied = history.map((r) => r.name).sort(compareMigrationNames);
    const chosen = options.to !== undefined ? applied.filter((name) => compareMigrationNames(name, options.to) > 0) : applied.slice(Math.max(0, applied.length - options.steps));
    return chosen.reverse();
}
/**
 * One entry per migration, in run order. In status mode an applied migration is `applied`; in the
 * other modes `applied` means "applied by this run" and earlier ones are `already-applied`.
 */
function buildEntries(files, history, options) {
    const fileByName = new Map(files.map((f) => [f.name, f]));
    const rowByName = new Map(history.map((r) => [r.name, r]));
    return orderedNames(files, history).map((name) => {
        const file = fileByName.get(name);
        const row = rowByName.get(name);
        let status;
        if (options.failed?.name === name)
            status = 'failed';
        else if (options.touched.has(name))
            status = options.touched.get(name);
        else if (!row)
            status = 'pending';
        else if (!file)
            status = 'missing-file';
        else if (!checksumMatches(file, row.checksum))
            status = 'changed';
        else
            status = options.mode === 'status' ? 'applied' : 'already-applied';
        const entry = { name, status, checksum: file?.checksum ?? row.checksum };
        if (row) {
            if (row.appliedAt)
                entry.appliedAt = row.appliedAt;
            if (row.appliedBy !== null)
                entry.appliedBy = row.appliedBy;
            if (row.durationMs !== null)
                entry.durationMs = row.durationMs;
        }
        if (options.failed?.name === name) {
            const { message, file: failedFile, line } = options.failed;
            entry.error = { message, ...(failedFile ? { file: failedFile } : {}), ...(line ? { line } : {}) };
        }
        return entry;
    });
}

;// CONCATENATED MODULE: ./src/migrate/error-position.ts
// Maps PostgreSQL's error `position` (1-based, counted in characters of the query text we sent) to the
// 1-based line of the migration file, so annotations point at the offending line.

/** Line (1-based) of the character at `position` (1-based, code points) in `text`. */
function lineAtPosition(text, position) {
    if (!Number.isFinite(position) || position < 1)
        return 1;
    let line = 1;
    let seen = 0;
    for (const char of text) {
        seen += 1;
        if (seen >= position)
            break;
        if (char === '\n')
            line += 1;
    }
    return line;
}
/** Line (1-based) of the UTF-16 index `index` in `text`. */
function lineAtIndex(text, index) {
    let line = 1;
    for (let i = 0; i < Math.min(index, text.length); i++)
        if (text.charCodeAt(i) === 10)
            line += 1;
    return line;
}
/**
 * The line in the file for a pg error raised by `statementText`, which starts at line `startLine` of
 * the file; undefined when the error carries no position.
 */
function errorLine(error, statementText, startLine = 1) {
    const position = Number(error?.position);
    if (!position)
        return undefined;
    return startLine + lineAtPosition(statementText, position) - 1;
}
/** For errors thrown by a JS migration: the line of `file` (a path or file: URL) in the stack trace. */
function stackLine(error, file) {
    const stack = error?.stack;
    if (!stack)
        return undefined;
    const filePath = file.startsWith('file:') ? (0,external_node_url_.fileURLToPath)(file) : file;
    const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // Frames name the module by URL, with the ?checksum=… query it was imported with (js-migration.ts),
    // or by plain path where source maps rewrite stacks (e.g. under jest).
    const match = new RegExp(`(?:${escape((0,external_node_url_.pathToFileURL)(filePath).href)}|${escape(filePath)})(?:\\?[^:\\s)]*)?:(\\d+)`).exec(stack);
    return match ? Number(match[1]) : undefined;
}

;// CONCATENATED MODULE: ./src/migrate/sql-statements.ts
// Splits a SQL script into statements, as psql does. Needed where a file is run one statement at a
// time (no-transaction files: a multi-statement query string is one implicit transaction block,
// which CREATE INDEX CONCURRENTLY refuses) and to find transaction control before anything runs.
// Understands quotes, E'' escapes, dollar quoting (PostgreSQL), `…` and […] identifiers (SQLite),
// (nested) comments, parentheses, and BEGIN … END bodies of CREATE FUNCTION/PROCEDURE (BEGIN ATOMIC)
// and SQLite's CREATE TRIGGER: semicolons inside any of them do not split.
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;
const WORD_START = /[A-Za-z_\u0080-\uFFFF]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uFFFF]/;
/** Index just past the comment, quoted text or identifier starting at `i`, or -1 if none starts there. */
function skipQuoted(script, i, dialect) {
    const ch = script[i];
    const next = script[i + 1];
    if (ch === '-' && next === '-') {
        const eol = script.indexOf('\n', i);
        return eol < 0 ? script.length : eol + 1;
    }
    if (ch === '/' && next === '*') {
        let depth = 1;
        let j = i + 2;
        while (j < script.length && depth > 0) {
            if (script[j] === '/' && script[j + 1] === '*')
                (depth += 1), (j += 2);
            else if (script[j] === '*' && script[j + 1] === '/')
                (depth -= 1), (j += 2);
            else
                j += 1;
        }
        return j;
    }
    if (ch === "'" || ch === '"' || (dialect === 'sqlite' && ch === '`')) {
        const escapes = dialect === 'postgres' && ch === "'" && i > 0 && /[eE]/.test(script[i - 1]) && !/[A-Za-z0-9_]/.test(script[i - 2] ?? ' ');
        let j = i + 1;
        while (j < script.length) {
            if (escapes && script[j] === '\\')
                j += 2;
            else if (script[j] === ch && script[j + 1] === ch)
                j += 2;
            else if (script[j] === ch)
                break;
            else
                j += 1;
        }
        return j + 1;
    }
    if (dialect === 'sqlite' && ch === '[') {
        const close = script.indexOf(']', i + 1);
        return close < 0 ? script.length : close + 1;
    }
    if (dialect === 'postgres' && ch === '$' && !WORD_CHAR.test(script[i - 1] ?? ' ')) {
        const tag = DOLLAR_TAG.exec(script.slice(i, i + 80))?.[0];
        if (tag) {
            const close = script.indexOf(tag, i + tag.length);
            return close < 0 ? script.length : close + tag.length;
        }
    }
    return -1;
}
/** Whether the statement's leading words open a body whose BEGIN … END may contain semicolons. */
function hasBeginEndBody(words, dialect) {
    if (words[0] !== 'create')
        return false;
    const rest = words[1] === 'or' && words[2] === 'replace' ? words.slice(3) : words.slice(1);
    if (dialect === 'postgres')
        return rest[0] === 'function' || rest[0] === 'procedure';
    return rest[0] === 'trigger' || (['temp', 'temporary'].includes(rest[0]) && rest[1] === 'trigger');
}
function splitSqlStatements(script, dialect = 'postgres') {
    const statements = [];
    let start = 0;
    let i = 0;
    let parens = 0;
    let blocks = 0;
    let words = [];
    const push = (end) => {
        const text = script.slice(start, end);
        if (hasCode(text, dialect))
            statements.push({ text, index: start });
    };
    while (i < script.length) {
        const skipped = skipQuoted(script, i, dialect);
        if (skipped >= 0) {
            i = skipped;
            continue;
        }
        const ch = script[i];
        if (WORD_START.test(ch) && !WORD_CHAR.test(script[i - 1] ?? ' ')) {
            let j = i + 1;
            while (j < script.length && WORD_CHAR.test(script[j]))
                j += 1;
            const word = script.slice(i, j).toLowerCase();
            if (words.length < 4)
                words.push(word);
            // psql's heuristic: inside such a body CASE … END nests too.
            if (parens === 0 && hasBeginEndBody(words, dialect)) {
                if (word === 'begin')
                    blocks += 1;
                else if (word === 'case' && blocks > 0)
                    blocks += 1;
                else if (word === 'end' && blocks > 0)
                    blocks -= 1;
            }
            i = j;
        }
        else if (ch === '(') {
            parens += 1;
            i += 1;
        }
        else if (ch === ')') {
            parens = Math.max(0, parens - 1);
            i += 1;
        }
        else if (ch === ';' && parens === 0 && blocks === 0) {
            push(i + 1);
            start = i + 1;
            words = [];
            i += 1;
        }
        else {
            i += 1;
        }
    }
    push(script.length);
    return statements;
}
/** The first `count` words of a statement, lower-cased, after any leading comments. */
function leadingWords(text, count, dialect = 'postgres') {
    const words = [];
    let i = 0;
    while (i < text.length && words.length < count) {
        if (/\s/.test(text[i])) {
            i += 1;
            continue;
        }
        const skipped = skipQuoted(text, i, dialect);
        if (skipped >= 0) {
            // Only comments may come before the first word; quoted text ends the words.
            if (text[i] === '-' || text[i] === '/') {
                i = skipped;
                continue;
            }
            break;
        }
        const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i, i + 64));
        if (!match)
            break;
        words.push(match[0].toLowerCase());
        i += match[0].length;
    }
    return words;
}
/** True when `text` has something besides whitespace, comments and semicolons. */
function hasCode(text, dialect) {
    let i = 0;
    while (i < text.length) {
        if (/[\s;]/.test(text[i])) {
            i += 1;
            continue;
        }
        if ((text[i] === '-' && text[i + 1] === '-') || (text[i] === '/' && text[i + 1] === '*')) {
            i = skipQuoted(text, i, dialect);
            continue;
        }
        return true;
    }
    return false;
}

;// CONCATENATED MODULE: ./src/migrate/transaction-control.ts
// Finds transaction control (BEGIN, COMMIT, ROLLBACK, …) in a SQL migration before anything runs.
// cutover runs each migration in its own transaction together with its history row; a COMMIT inside
// the file would commit part of it on its own, and a later failure would leave that part behind while
// the migration is not recorded. Only statements at the top level count: words inside strings,
// comments, dollar quotes and function bodies are not statements (sql-statements.ts).


/** What kind of transaction control a statement is, if any. */
function controlKind(text, dialect) {
    const [first, second, third] = leadingWords(text, 3, dialect);
    const noise = (word) => word === undefined || word === 'work' || word === 'transaction';
    switch (first) {
        case 'begin':
            // PostgreSQL: BEGIN [WORK|TRANSACTION]; SQLite: BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION].
            if (dialect === 'sqlite')
                return { kind: 'begin', plain: noise(second) || (['deferred', 'immediate', 'exclusive'].includes(second) && noise(third)) };
            return { kind: 'begin', plain: noise(second) && third === undefined };
        case 'start':
            return dialect === 'postgres' && second === 'transaction' ? { kind: 'begin', plain: third === undefined } : undefined;
        case 'commit':
        case 'end':
            // COMMIT PREPARED and COMMIT AND CHAIN are control too, but not a plain end of the wrapper.
            return { kind: 'commit', plain: noise(second) && third === undefined };
        case 'rollback':
            // ROLLBACK TO [SAVEPOINT] x stays inside the transaction.
            if (second === 'to' || (noise(second) && second !== undefined && third === 'to'))
                return undefined;
            return { kind: 'rollback', plain: false };
        case 'abort':
            return dialect === 'postgres' ? { kind: 'rollback', plain: false } : undefined;
        case 'prepare':
            return dialect === 'postgres' && second === 'transaction' ? { kind: 'other', plain: false } : undefined;
        default:
            return undefined;
    }
}
function firstLine(text) {
    const trimmed = text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '');
    return trimmed.split('\n')[0].replace(/;\s*$/, '').trim().slice(0, 60);
}
function findTransactionControl(script, dialect) {
    const statements = splitSqlStatements(script, dialect);
    const found = [];
    statements.forEach((statement, position) => {
        const control = controlKind(statement.text, dialect);
        if (!control)
            return;
        const codeStart = statement.index + (statement.text.length - statement.text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').length);
        found.push({ kind: control.kind, plain: control.plain, text: firstLine(statement.text), line: lineAtIndex(script, codeStart), position, end: statement.index + statement.text.length });
    });
    if (found.length === 0)
        return { kind: 'none' };
    const [begin, commit] = found;
    const last = statements.length - 1;
    if (found.length === 2 && begin.kind === 'begin' && begin.plain && begin.position === 0 && commit.kind === 'commit' && commit.plain && commit.position === last) {
        return { kind: 'wrapped', innerStart: begin.end, innerEnd: statements[last].index, begin, commit };
    }
    return { kind: 'mixed', statements: found.map(({ kind, text, line }) => ({ kind, text, line })) };
}

;// CONCATENATED MODULE: ./src/migrate/sql-file-body.ts
// What running a SQL migration file means. By default its text is sent as one script inside
// cutover's transaction for the migration; a file wrapped exactly in `BEGIN; … COMMIT;` (Alembic's
// --sql output) has the wrapper left out; a file marked `-- cutover:no-transaction` is sent one
// statement at a time, and its progress is kept so that a failure can say what remains.
// With an observer (measuring mode, migration-observer.ts) every statement is sent on its own, also
// inside the transaction, so that each one can be measured.






/** Thrown between statements when the run was cancelled. */
class StepCancelled extends Error {
    constructor() {
        super('cancelled');
    }
}
/** A SQL migration's text without a leading UTF-8 byte-order mark (Windows editors add one). */
function readSqlFile(file) {
    return external_node_fs_default().readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}
function statementsOf(script, dialect, offset = 0, baseScript = script) {
    return splitSqlStatements(script, dialect).map((statement) => {
        const codeStart = statement.index + (statement.text.length - statement.text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').length);
        return { text: statement.text, line: lineAtIndex(baseScript, offset + codeStart), startLine: lineAtIndex(baseScript, offset + statement.index) };
    });
}
/** Sends one statement, through the observer when measuring (its result carries command and rowCount). */
function sendStatement(db, statement, index, total, sqlPath, inTransaction, measuring) {
    const execute = () => (db.dialect === 'postgres' ? db.raw.query(statement.text) : db.execScript(statement.text));
    if (!measuring)
        return db.execScript(statement.text);
    return measuring.observer.observe({ migration: measuring.migration, direction: measuring.direction, index, total, sql: statement.text, path: sqlPath, line: statement.line, inTransaction, database: db }, execute);
}
function sqlBody(sqlPath, dialect, runtime, measuring) {
    const script = readSqlFile(sqlPath);
    const noTransaction = hasNoTransactionMarker(script);
    if (noTransaction)
        return statementByStatement(sqlPath, script, dialect, measuring);
    let text = script;
    let startLine = 1;
    const control = findTransactionControl(script, dialect);
    // Mixed transaction control was refused before the run (migration-preflight.ts).
    if (control.kind === 'wrapped') {
        text = script.slice(control.innerStart, control.innerEnd);
        startLine = lineAtIndex(script, control.innerStart);
        runtime.info(`${external_node_path_default().basename(sqlPath)} is wrapped in its own BEGIN; (line ${control.begin.line}) … COMMIT; (line ${control.commit.line}), as alembic --sql writes it: its statements run inside cutover's transaction for the migration instead.`);
    }
    if (measuring)
        return measuredInTransaction(sqlPath, script, control.kind === 'wrapped' ? control.innerStart : 0, text, dialect, measuring);
    return {
        noTransaction: false,
        path: sqlPath,
        run: (db) => db.execScript(text),
        lineOf: (error) => errorLine(error, text, startLine),
    };
}
/** Measuring mode for a file that runs in the migration's transaction: one statement at a time. */
function measuredInTransaction(sqlPath, script, offset, text, dialect, measuring) {
    const statements = statementsOf(text, dialect, offset, script);
    let current;
    return {
        noTransaction: false,
        path: sqlPath,
        async run(db) {
            for (const [index, statement] of statements.entries()) {
                current = statement;
                await sendStatement(db, statement, index, statements.length, sqlPath, true, measuring);
            }
        },
        lineOf: (error) => (current ? (errorLine(error, current.text, current.startLine) ?? current.line) : undefined),
    };
}
function statementByStatement(sqlPath, script, dialect, measuring) {
    const statements = statementsOf(script, dialect);
    const progress = { total: statements.length, kept: [], notRun: 0 };
    let current;
    return {
        noTransaction: true,
        path: sqlPath,
        progress,
        async run(db, signal) {
            // Statements inside the file's own BEGIN … COMMIT only remain once it commits.
            let ownBegin;
            let inOwnTransaction = [];
            for (const [index, statement] of statements.entries()) {
                current = statement;
                if (signal?.aborted) {
                    progress.stoppedBeforeLine = statement.line;
                    progress.notRun = statements.length - index - 1;
                    throw new StepCancelled();
                }
                try {
                    // One statement per query: a multi-statement string would be one implicit transaction block.
                    await sendStatement(db, statement, index, statements.length, sqlPath, ownBegin !== undefined, measuring);
                }
                catch (error) {
                    progress.failedLine = statement.line;
                    progress.failedWords = leadingWords(statement.text, 5, dialect);
                    progress.notRun = statements.length - index - 1;
                    if (ownBegin !== undefined)
                        progress.ownTransactionLine = ownBegin;
                    throw error;
                }
                const control = controlKind(statement.text, dialect)?.kind;
                if (control === 'begin') {
                    ownBegin = statement.line;
                }
                else if (control) {
                    if (control === 'commit')
                        progress.kept.push(...inOwnTransaction);
                    ownBegin = undefined;
                    inOwnTransaction = [];
                }
                else if (ownBegin !== undefined) {
                    inOwnTransaction.push(statement.line);
                }
                else {
                    progress.kept.push(statement.line);
                }
            }
        },
        // pg's position when it gives one, else the statement's own line (e.g. division by zero).
        lineOf: (error) => (current ? (errorLine(error, current.text, current.startLine) ?? current.line) : undefined),
    };
}

;// CONCATENATED MODULE: ./src/migrate/migration-failure.ts
// The paragraph a failed migration step turns into: where it failed, why, and — only as far as it is
// true — what it left behind: nothing when its transaction was rolled back; for a migration that ran
// without a transaction, what may remain.




function migration_failure_seconds(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
function pgCode(error) {
    return error?.code;
}
function lines(list) {
    const shown = list.slice(0, 12).join(', ');
    return `line${list.length === 1 ? '' : 's'} ${shown}${list.length > 12 ? ', …' : ''}`;
}
function migration_failure_plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
/** What a no-transaction SQL file left behind, from its statement-by-statement progress. */
function statementsLeft(progress, how) {
    const parts = [];
    const at = progress.failedLine ?? progress.stoppedBeforeLine;
    const event = progress.failedLine !== undefined ? `the statement at line ${progress.failedLine} ${how === 'failing' ? 'failed' : 'was cancelled'}` : `it was stopped before the statement at line ${at}`;
    if (progress.kept.length > 0) {
        parts.push(`${progress.kept.length} of its ${migration_failure_plural(progress.total, 'statement')} completed and ${progress.kept.length === 1 ? 'remains' : 'remain'} (${lines(progress.kept)})`, event);
    }
    else {
        parts.push(`${event} and nothing it did before it remains`);
    }
    if (progress.ownTransactionLine !== undefined)
        parts.push(`the file's own transaction (BEGIN at line ${progress.ownTransactionLine}) was open and was rolled back, with what it did since`);
    if (progress.notRun > 0)
        parts.push(`${migration_failure_plural(progress.notRun, 'statement')} after it did not run`);
    let text = parts.join('; ');
    const words = progress.failedWords ?? [];
    const concurrently = words.includes('concurrently') && (words[0] === 'create' || words[0] === 'reindex');
    if (concurrently) {
        text += `. A failed ${words[0] === 'create' ? 'CREATE INDEX' : 'REINDEX'} CONCURRENTLY can leave an INVALID index behind: drop it (DROP INDEX CONCURRENTLY IF EXISTS …) before running it again`;
    }
    return text;
}
/** What the failed (or stopped) step left behind, as one or two sentences. */
function aftermath(failure, how = 'failing') {
    const up = failure.direction === 'up';
    const recorded = up ? 'It is not recorded as applied.' : 'It is still recorded as applied.';
    if (failure.inTransaction) {
        return `Its transaction was rolled back: nothing it did remains${up ? ' and it is not recorded as applied' : ' and it is still recorded as applied'}.`;
    }
    if (failure.progress && (failure.progress.failedLine !== undefined || failure.progress.stoppedBeforeLine !== undefined)) {
        return `It ran without a transaction (cutover:no-transaction): ${statementsLeft(failure.progress, how)}. ${recorded}`;
    }
    // A JS module without a transaction: cutover cannot see which of its queries completed.
    return `It ran without a transaction (cutover:no-transaction), so what it did before the ${how === 'failing' ? 'error' : 'cancel'} remains (cutover cannot tell which of its queries completed). ${recorded}`;
}
/**
 * The run was cancelled (options.signal): which migrations this run had already applied (they stay),
 * and what became of the one that was running, or which one would have been next.
 */
function cancelledError(mode, done, at) {
    const verb = mode === 'rollback' ? 'rolled back' : 'applied';
    const where = at.stopped
        ? `Cancelled while ${at.stopped.file.name} was ${at.stopped.direction === 'up' ? 'running' : 'being rolled back'}. ${aftermath(at.stopped, 'cancelled')}`
        : `Cancelled before ${at.next ?? 'the next migration'} started.`;
    const before = done.length
        ? `Before the cancel this run ${verb} ${done.join(', ')}; ${done.length === 1 ? 'it stays' : 'they stay'} ${verb}.`
        : `This run had ${verb} no migration before the cancel.`;
    return new errors/* CancelledError */.cc(`${where} ${before} No later migration was started.`, {
        ...(at.stopped && !(at.stopped.error instanceof StepCancelled) ? { cause: at.stopped.error } : {}),
        fix: `run ${mode} again to continue.`,
    });
}
/** Why it could not get its lock, when that is what failed. */
function lockSentence(failure) {
    const lock = failure.lock;
    if (!lock || pgCode(failure.error) !== '55P03')
        return '';
    const tries = lock.attempts === 1 ? 'once' : `${lock.attempts} times (with backoff between tries)`;
    const who = lock.wait ? describeWait(lock.wait) : 'the session holding the lock was not seen while it waited';
    return ` It waited migration-lock-timeout (${migration_failure_seconds(lock.lockTimeoutMs)}) for a lock ${tries}: ${who}.`;
}
function fixFor(failure, where) {
    const blocker = failure.lock?.wait?.blockers[0];
    if (pgCode(failure.error) === '55P03' && failure.lock) {
        const stuck = blocker ? ` (if it is stuck: SELECT pg_terminate_backend(${blocker.pid});)` : '';
        return `let the blocking transaction finish or end it${stuck} and run again, run the migration when the application is quiet, or raise migration-lock-timeout (0 waits without limit, which makes the application's queries on that table wait behind the migration).`;
    }
    if (failure.inTransaction)
        return `fix ${where} and run again; migrations completed before it stay ${failure.direction === 'up' ? 'applied' : 'rolled back'}.`;
    return `undo or keep what remains (or make the statements idempotent, e.g. IF NOT EXISTS), fix ${where} and run again.`;
}
function migrationError(failure) {
    const file = displayPath(failure.path);
    const where = `${file}${failure.line ? `, line ${failure.line}` : ''}`;
    const verb = failure.direction === 'up' ? 'Migration' : 'Rolling back migration';
    return new errors/* MigrationError */.Py(`${verb} ${failure.file.name} failed (${where}): ${(0,errors/* describeCause */.V$)(failure.error)}.${lockSentence(failure)} ${aftermath(failure)}`, {
        migration: failure.file.name,
        file,
        ...(failure.line ? { line: failure.line } : {}),
        cause: failure.error,
        fix: fixFor(failure, file),
    });
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/migrate/js-migration.ts
// Loading JavaScript migrations (`<id>_<name>.js` / `.mjs` exporting `up` and optionally `down`).
// Node's SyntaxError from import() names neither the file nor the line; `node --check` on the same
// Node does, so a module that fails to parse is checked once more to point at the right place.




/** A module that could not be loaded, with the line of the problem when it is known. */
class JsLoadError extends Error {
    file;
    line;
    constructor(message, details) {
        super(message, { cause: details.cause });
        this.file = details.file;
        this.line = details.line;
    }
}
/** The line `node --check` reports for `file` ("<file>:<line>" on its first line), if any. */
function checkSyntax(file) {
    const result = (0,external_node_child_process_.spawnSync)(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 15_000, env: { ...process.env, NODE_OPTIONS: '' } });
    const match = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)\\s*$`, 'm').exec(result.stderr ?? '');
    return match ? Number(match[1]) : undefined;
}
function js_migration_loadError(error, file) {
    const name = error?.name ?? 'Error';
    const message = error?.message ?? String(error);
    // Errors thrown by the module's top-level code carry the file in their stack; parse errors do not.
    const line = stackLine(error, (0,external_node_url_.pathToFileURL)(file.upPath).href) ?? (name === 'SyntaxError' ? checkSyntax(file.upPath) : undefined);
    return new JsLoadError(`${name}: ${message}`, { file: file.upPath, ...(line ? { line } : {}), cause: error });
}
const modules = new Map();
/** Imports a JS migration module once per run; rejects with JsLoadError. */
function loadJsMigration(file) {
    const key = `${file.upPath}#${file.checksum}`;
    let loaded = modules.get(key);
    if (!loaded) {
        // The checksum in the query string makes an edited file load fresh rather than from the cache.
        const specifier = `${(0,external_node_url_.pathToFileURL)(file.upPath).href}?checksum=${file.checksum.slice(0, 12)}`;
        // webpackIgnore: ncc (webpack) would otherwise turn import(<expression>) into an empty context
        // that throws "Cannot find module"; with it, the bundle keeps Node's own import().
        loaded = import(/* webpackIgnore: true */ specifier).then((module) => {
            const source = typeof module.up === 'function' ? module : (module.default ?? {});
            if (typeof source.up !== 'function')
                throw new JsLoadError(`${external_node_path_default().basename(file.upPath)} does not export an async function up`, { file: file.upPath, cause: undefined });
            return source;
        }, (error) => {
            throw js_migration_loadError(error, file);
        });
        modules.set(key, loaded);
    }
    return loaded;
}

;// CONCATENATED MODULE: ./src/migrate/migration-step.ts
// Runs one migration in one direction. By default the migration and its history-row change share a
// transaction (BEGIN; migration; INSERT/DELETE history; COMMIT), so a failure leaves neither behind.
// Inside that transaction the history is checked again: on SQLite, where there is no run-wide lock,
// a concurrent process that applied the migration first makes this one a no-op instead of a rerun.
// Files marked `-- cutover:no-transaction` run statement by statement without a transaction.









async function bodyOf(file, direction, database, runtime, observer) {
    if (file.kind === 'sql') {
        const sqlPath = direction === 'up' ? file.upPath : file.downPath;
        if (!sqlPath)
            throw new Error(`${file.name} has no down file`);
        return sqlBody(sqlPath, database.dialect, runtime, observer ? { observer, migration: file.name, direction } : undefined);
    }
    const module = await loadJsMigration(file);
    const fn = module[direction];
    if (typeof fn !== 'function')
        throw new Error(`${external_node_path_default().basename(file.upPath)} does not export a ${direction} function`);
    const source = external_node_fs_default().readFileSync(file.upPath, 'utf8');
    const url = (0,external_node_url_.pathToFileURL)(file.upPath).href;
    const context = { sql: sqlHelper(database), client: database.raw, dialect: database.dialect, name: file.name };
    context.context = context;
    const noTransaction = module.transaction === false || hasNoTransactionMarker(source, 'js');
    // Measured as one unit: cutover cannot see the queries inside the function one by one.
    const unit = { migration: file.name, direction, index: 0, total: 1, path: file.upPath, line: 1, inTransaction: !noTransaction, database };
    return {
        noTransaction,
        path: file.upPath,
        run: async () => void (observer ? await observer.observe(unit, () => fn(context)) : await fn(context)),
        lineOf: (error) => stackLine(error, url),
    };
}
/** A step that failed or was stopped; turned into MigrationError or CancelledError by the caller. */
class StepFailure extends Error {
    file;
    direction;
    /** The file the failing code is in. */
    path;
    line;
    /** True: the step's transaction was rolled back. False: it ran without one. */
    inTransaction;
    error;
    /** No-transaction SQL files: which statements ran. */
    progress;
    /** Set by the guard when the failure was a lock wait that timed out. */
    lock;
    constructor(details) {
        super((0,errors/* describeCause */.V$)(details.error), { cause: details.error });
        this.file = details.file;
        this.direction = details.direction;
        this.path = details.path;
        this.line = details.line;
        this.inTransaction = details.inTransaction;
        this.error = details.error;
        if (details.progress)
            this.progress = details.progress;
    }
}
/** Applies (`up`) or reverts (`down`) `file`, together with its history row. */
async function runMigrationStep(file, direction, context) {
    const { database, history, control } = context;
    const body = await bodyOf(file, direction, database, context.runtime, context.observer);
    const alreadyDone = async () => (direction === 'up' ? history.has(file.name) : !(await history.has(file.name)));
    const record = async (durationMs) => {
        if (direction === 'up')
            await history.insert({ name: file.name, checksum: file.checksum, durationMs, appliedBy: context.appliedBy });
        else
            await history.remove(file.name);
    };
    const fail = (error, inTransaction) => new StepFailure({ file, direction, path: body.path, line: body.lineOf(error), inTransaction, error, ...(body.progress ? { progress: body.progress } : {}) });
    if (body.noTransaction) {
        if (await alreadyDone())
            return { skipped: true, durationMs: 0 };
        const started = Date.now();
        control.phase = 'body';
        try {
            await body.run(database, control.signal);
        }
        catch (error) {
            // Ends a transaction the file itself opened (BEGIN without its COMMIT); a no-op otherwise.
            await database.rollback();
            throw fail(error, false);
        }
        finally {
            control.phase = 'idle';
        }
        const durationMs = Date.now() - started;
        await record(durationMs);
        return { skipped: false, durationMs };
    }
    await database.begin();
    let committed = false;
    try {
        if (await alreadyDone())
            return { skipped: true, durationMs: 0 };
        const started = Date.now();
        control.phase = 'body';
        try {
            await body.run(database, control.signal);
            // A cancel that came while the body ran rolls it back rather than committing it.
            if (control.signal?.aborted)
                throw new StepCancelled();
            await record(Date.now() - started);
        }
        catch (error) {
            throw fail(error, true);
        }
        control.phase = 'commit';
        try {
            await database.commit();
        }
        catch (error) {
            throw fail(error, true);
        }
        committed = true;
        return { skipped: false, durationMs: Date.now() - started };
    }
    finally {
        control.phase = 'idle';
        if (!committed)
            await database.rollback();
    }
}

;// CONCATENATED MODULE: ./src/migrate/guarded-step.ts




/** SQLite: no server to cancel and no lock_timeout (writers wait busy_timeout for the file lock). */
const plainGuard = { run: runMigrationStep };
/**
 * `client` runs the migrations; `monitor` is the run's lock connection, idle while migrations run,
 * which only ever runs short catalog queries (it must never hold a snapshot for long: a
 * CREATE INDEX CONCURRENTLY on `client` would wait for it).
 */
async function postgresGuard(client, monitor, settings) {
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    const pid = Number(rows[0].pid);
    const { lockTimeoutMs, statementTimeoutMs, lockRetries, retryDelayMs, signal, runtime } = settings;
    const watchEveryMs = lockTimeoutMs > 0 ? Math.max(50, Math.min(250, Math.floor(lockTimeoutMs / 4))) : 250;
    return {
        async run(file, direction, context) {
            for (let attempt = 1;; attempt++) {
                // Set before every step, so that a migration changing them does not carry that into the next.
                await client.query(`SET lock_timeout = ${Math.floor(lockTimeoutMs)}`);
                await client.query(`SET statement_timeout = ${Math.floor(statementTimeoutMs)}`);
                const watch = watchBlockers(monitor, pid, watchEveryMs);
                let cancelling = Promise.resolve();
                // Only while the migration's own code runs: never during its COMMIT, whose outcome we report.
                const onAbort = () => {
                    if (context.control.phase === 'body')
                        cancelling = monitor.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
                };
                signal?.addEventListener('abort', onAbort, { once: true });
                try {
                    return await runMigrationStep(file, direction, context);
                }
                catch (error) {
                    const wait = await watch.stop();
                    if (!(error instanceof StepFailure) || error.error?.code !== '55P03')
                        throw error;
                    error.lock = { attempts: attempt, lockTimeoutMs, ...(wait ? { wait } : {}) };
                    // A no-transaction step may have done part of its work: running it again is not safe.
                    if (!error.inTransaction || attempt > lockRetries || lockTimeoutMs === 0 || signal?.aborted)
                        throw error;
                    const delay = retryDelayMs * 2 ** (attempt - 1);
                    runtime.warning(`${file.name} could not get a lock within migration-lock-timeout (${secondsText(lockTimeoutMs)}): ${wait ? describeWait(wait) : 'the session holding the lock was not seen'}. ` +
                        `Its transaction was rolled back (nothing it did remains); retry ${attempt} of ${lockRetries} in ${secondsText(delay)}.`);
                    await pause(delay, signal);
                    if (signal?.aborted)
                        throw error;
                }
                finally {
                    signal?.removeEventListener('abort', onAbort);
                    await watch.stop();
                    await cancelling;
                }
            }
        },
    };
}

;// CONCATENATED MODULE: ./src/migrate/legacy-checksums.ts
/**
 * Rows recorded by earlier versions hold the legacy checksum (up + down files). While it still
 * matches, the up file is unchanged: record the current form (up file only), so that a later edit or
 * removal of the down file is not drift. Only under the migration lock (never in status).
 */
async function upgradeLegacyChecksums(files, rows, history, runtime) {
    const byName = new Map(files.map((f) => [f.name, f]));
    const legacy = rows.filter((row) => {
        const file = byName.get(row.name);
        return file?.legacyChecksum !== undefined && row.checksum === file.legacyChecksum;
    });
    for (const row of legacy) {
        const file = byName.get(row.name);
        await history.updateChecksum(row.name, file.checksum);
        row.checksum = file.checksum;
    }
    if (legacy.length > 0) {
        runtime.info(`Recorded the current checksum form (up file only) for ${legacy.length} migration${legacy.length === 1 ? '' : 's'} applied by an earlier version of cutover (whose checksum also covered the down file): ${legacy.map((r) => r.name).join(', ')}. Their files are unchanged.`);
    }
}

;// CONCATENATED MODULE: ./src/migrate/supabase-statements.ts
// The Supabase CLI's statement splitter (supabase/cli pkg/parser: state.go, token.go), ported state
// for state, so that the `statements` column cutover writes to supabase_migrations.schema_migrations
// is what `supabase db push` would have written for the same file. It splits on `;` outside quotes,
// comments, dollar quotes, parentheses and BEGIN ATOMIC … END bodies, keeps each statement as written
// (comments included), then trims trailing `;` and white space and drops empty ones (SplitAndTrim).
// This is not cutover's own splitter (sql-statements.ts): the point here is to agree with the CLI.
const isSpace = (ch) => ch !== undefined && /^[\t\n\v\f\r \u0085\u00a0]$/.test(ch);
class Ready {
    next(ch, data) {
        switch (ch) {
            case '$':
                return new Tag(data.length - 1);
            case "'":
            case '"':
                return new Quote(ch);
            case '-':
                return new Comment();
            case '/':
                return new Block();
            case '\\':
                return new Escape();
            case ';':
                return undefined;
            case '(':
                return new Atomic(this, ')');
            case 'c':
            case 'C': {
                // BEGIN ATOMIC: only ATOMIC is matched (any white space may separate it from BEGIN).
                const offset = data.length - 'ATOMIC'.length;
                if (offset > 0 && data.slice(offset).toUpperCase() === 'ATOMIC' && isSpace(data[offset - 1]))
                    return new Atomic(this, 'END');
                return this;
            }
            default:
                return this;
        }
    }
}
class Comment {
    next(ch, data) {
        // `--`: nothing is escaped until the end of the line.
        if (ch === '-')
            return new Dollar('\n');
        return new Ready().next(ch, data);
    }
}
class Block {
    depth = 0;
    next(ch, data) {
        const window = data.slice(-2);
        if (window === '/*') {
            this.depth += 1;
            return this;
        }
        if (this.depth === 0)
            return new Ready().next(ch, data);
        if (window === '*/') {
            this.depth -= 1;
            if (this.depth === 0)
                return new Ready();
        }
        return this;
    }
}
class Quote {
    escape = false;
    delimiter;
    constructor(delimiter) {
        this.delimiter = delimiter;
    }
    next(ch, data) {
        if (this.escape) {
            // A doubled quote stays inside the literal.
            if (ch === this.delimiter) {
                this.escape = false;
                return this;
            }
            return new Ready().next(ch, data);
        }
        if (ch === this.delimiter)
            this.escape = true;
        return this;
    }
}
class Dollar {
    delimiter;
    constructor(delimiter) {
        this.delimiter = delimiter;
    }
    next(_ch, data) {
        return data.slice(-this.delimiter.length) === this.delimiter ? new Ready() : this;
    }
}
class Tag {
    offset;
    constructor(offset) {
        this.offset = offset;
    }
    next(ch, data) {
        if (ch === '$')
            return new Dollar(data.slice(this.offset));
        if (/^[\p{L}\p{Nd}_]$/u.test(ch))
            return this;
        return new Ready().next(ch, data);
    }
}
class Escape {
    next() {
        return new Ready();
    }
}
class Atomic {
    prev;
    delimiter;
    constructor(prev, delimiter) {
        this.prev = prev;
        this.delimiter = delimiter;
    }
    next(ch, data) {
        // Inside a quote or comment the delimiter does not count; a `;` does not end the statement.
        const current = this.prev.next(ch, data);
        if (current)
            this.prev = current;
        if (this.prev instanceof Ready && data.slice(-this.delimiter.length).toUpperCase() === this.delimiter.toUpperCase())
            return new Ready();
        return this;
    }
}
/** `Split`: every statement as written, `;` included; a last statement without `;` too. */
function splitLikeSupabase(sql) {
    const statements = [];
    let state = new Ready();
    let data = '';
    for (const ch of sql) {
        data += ch;
        const next = state.next(ch, data);
        if (next === undefined) {
            statements.push(data);
            data = '';
            state = new Ready();
        }
        else {
            state = next;
        }
    }
    if (data.length > 0)
        statements.push(data);
    return statements;
}
// Go's strings.TrimSpace (unicode.IsSpace); unlike String.prototype.trim it keeps a byte-order mark.
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');
/** `SplitAndTrim`: what the CLI records in schema_migrations.statements. */
function supabaseStatements(sql) {
    return splitLikeSupabase(sql)
        .map((statement) => statement.replace(/;+$/, '').replace(TRIM, ''))
        .filter((statement) => statement.length > 0);
}

;// CONCATENATED MODULE: ./src/migrate/supabase-history.ts
// The history of a Supabase CLI project on PostgreSQL: cutover_migrations (checksums, durations, who)
// kept in step with supabase_migrations.schema_migrations, written exactly as the CLI writes it
// (supabase/cli pkg/migration/history.go): the table created by the CLI's own statements, one row
// per applied file with its version, name and statements (SplitAndTrim, supabase-statements.ts).
// Both rows are written inside the migration's transaction, so they cannot disagree.
// Versions the CLI applied (`supabase db push`) count as applied; having no checksum, they are not
// checked for drift (UNRECORDED_CHECKSUM).



const SUPABASE_HISTORY = 'supabase_migrations.schema_migrations';
// The CLI's CreateMigrationTable batch, in its order (lock_timeout: cutover's own lock_timeout applies).
const CREATE = [
    'CREATE SCHEMA IF NOT EXISTS supabase_migrations',
    'CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY)',
    'ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]',
    'ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text',
];
function supabaseHistory(inner, database, files) {
    const byName = new Map(files.map((f) => [f.name, f]));
    const byVersion = new Map(files.filter((f) => f.supabase).map((f) => [f.supabase.version, f]));
    const versionOf = (name) => byName.get(name)?.supabase?.version ?? /^(\d+)_/.exec(name)?.[1] ?? name;
    const columns = async () => {
        const [row] = await database.query(`SELECT to_regclass('${SUPABASE_HISTORY}')::oid AS oid`);
        if (row.oid === null)
            return undefined;
        const rows = await database.query('SELECT attname FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped', [row.oid]);
        return new Set(rows.map((r) => r.attname));
    };
    return {
        qualifiedName: `${inner.qualifiedName} and ${SUPABASE_HISTORY}`,
        exists: inner.exists,
        async ensure() {
            await inner.ensure();
            const have = await columns();
            if (have?.has('statements') && have.has('name'))
                return;
            for (const statement of CREATE)
                await database.execScript(statement);
        },
        async read() {
            const own = await inner.read();
            const have = await columns();
            if (!have)
                return own;
            const recorded = new Set(own.map((r) => versionOf(r.name)));
            const rows = await database.query(`SELECT version, ${have.has('name') ? 'name' : 'NULL::text AS name'} FROM ${SUPABASE_HISTORY} ORDER BY version`);
            const cli = rows
                .filter((r) => !recorded.has(r.version))
                .map((r) => ({ name: byVersion.get(r.version)?.name ?? `${r.version}_${r.name ?? ''}`, checksum: UNRECORDED_CHECKSUM, appliedAt: '', durationMs: null, appliedBy: 'the Supabase CLI (no checksum recorded)' }));
            return [...own, ...cli].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        },
        async has(name) {
            if (await inner.has(name))
                return true;
            if (!(await columns()))
                return false;
            return (await database.query(`SELECT 1 FROM ${SUPABASE_HISTORY} WHERE version = $1`, [versionOf(name)])).length > 0;
        },
        async insert(row) {
            await inner.insert(row);
            const file = byName.get(row.name);
            if (!file?.supabase)
                return;
            // The CLI reads the file as it is (a byte-order mark included) and splits it with its parser.
            const statements = supabaseStatements(external_node_fs_default().readFileSync(file.upPath, 'utf8'));
            await database.query(`INSERT INTO ${SUPABASE_HISTORY}(version, name, statements) VALUES($1, $2, $3)`, [file.supabase.version, file.supabase.name, statements]);
        },
        async remove(name) {
            await inner.remove(name);
            if (await columns())
                await database.query(`DELETE FROM ${SUPABASE_HISTORY} WHERE version = $1`, [versionOf(name)]);
        },
        updateChecksum: inner.updateChecksum,
    };
}

;// CONCATENATED MODULE: ./src/migrate/migration-preflight.ts
// Checks made on the migrations a run is about to run, before the first one starts, so that a
// problem in the fifth file does not leave the first four applied: SQL files that control their own
// transaction (refused unless wrapped exactly in BEGIN; … COMMIT; or marked no-transaction), and
// JS modules that cannot be loaded (a syntax error, named with file and line), and for rollback a
// down for every migration to revert.





function jsLoadFailure(file, error) {
    const where = displayPath(file.upPath);
    const line = error instanceof JsLoadError ? error.line : undefined;
    const what = error instanceof Error ? error.message : String(error);
    return new errors/* MigrationError */.Py(`Migration ${file.name} cannot be loaded (${where}${line ? `, line ${line}` : ''}): ${what}, so nothing was run.`, {
        migration: file.name,
        file: where,
        ...(line ? { line } : {}),
        cause: error instanceof JsLoadError ? error.cause : error,
        fix: `fix ${where} and run again (\`node --check ${where}\` shows the same error).`,
    });
}
async function checkBeforeRunning(files, direction, dialect) {
    const problems = [];
    for (const file of files) {
        if (file.kind !== 'sql')
            continue;
        const sqlPath = direction === 'up' ? file.upPath : file.downPath;
        if (!sqlPath)
            continue;
        const script = readSqlFile(sqlPath);
        // A no-transaction file runs statement by statement: its own BEGIN/COMMIT work as written.
        if (hasNoTransactionMarker(script))
            continue;
        const control = findTransactionControl(script, dialect);
        if (control.kind === 'mixed')
            problems.push(`${displayPath(sqlPath)} has ${control.statements.map((s) => `${s.text} at line ${s.line}`).join(', ')}`);
    }
    if (problems.length > 0) {
        const count = problems.length === 1 ? 'A migration file controls its own transaction' : `${problems.length} migration files control their own transaction`;
        throw new errors/* MigrationPlanError */.eJ(`${count}, so nothing was run: ${problems.join('; ')}. cutover runs each migration in one transaction together with its history row; a COMMIT or ROLLBACK in the file would end that transaction early, and a later failure would leave part of the migration applied but not recorded.`, {
            fix: 'split the file so that each migration is one transaction without BEGIN/COMMIT (a file wrapped exactly in BEGIN; … COMMIT; is accepted), or, if it must manage its own transactions, mark it with a line -- cutover:no-transaction (it then runs statement by statement, outside any transaction of cutover).',
        });
    }
    for (const file of files) {
        if (file.kind !== 'js')
            continue;
        try {
            await loadJsMigration(file);
        }
        catch (error) {
            throw jsLoadFailure(file, error);
        }
    }
}
/** Every migration to roll back needs a down: check them all before reverting any. */
async function assertReversible(names, files, dir) {
    const byName = new Map(files.map((f) => [f.name, f]));
    const problems = [];
    for (const name of names) {
        const file = byName.get(name);
        if (!file)
            problems.push(`${name} (its file is no longer in ${dir})`);
        else if (file.kind === 'sql' && !file.downPath)
            problems.push(`${name} (there is no ${name}.down.sql)`);
        else if (file.kind === 'js' && typeof (await loadJsMigration(file)).down !== 'function')
            problems.push(`${name} (its module exports no down function)`);
    }
    if (problems.length === 0)
        return;
    throw new errors/* MigrationPlanError */.eJ(`Cannot roll back ${problems.join(', ')}, so nothing was rolled back.`, {
        fix: `add the missing down file${problems.length === 1 ? '' : 's'} next to the up file (same name, .down.sql), or roll back fewer migrations (steps, or to a later migration).`,
    });
}

;// CONCATENATED MODULE: ./src/migrate/run-migrations.ts
// The migration runner: status / migrate / rollback / baseline on PostgreSQL and SQLite, on top of
// Umzug (ordering, up/down bookkeeping) with what Umzug lacks: a run-wide lock, one transaction per
// migration including its history row, and checksums of applied files.
//
// Order of a run: read and validate the files (nothing connected yet) → connect → take the lock
// (PostgreSQL) → read the history → refuse drifted files → decide what to run → check those files
// (transaction control, JS that does not load) → run, each step guarded (lock_timeout, retries,
// cancel; guarded-step.ts) → re-read the history to report. Nothing changes before running, except
// that the history table is created and legacy checksums are brought to the current form.
















const MIGRATION_DEFAULTS = { lockTimeoutMs: 5_000, statementTimeoutMs: 0, lockRetries: 3, retryDelayMs: 1_000 };
async function runMigrations(options) {
    const files = readMigrationFiles(options.migrationsDir, { requireMigrations: options.mode !== 'status' });
    const warnings = [];
    const state = {
        options,
        files,
        warnings,
        warn(message) {
            warnings.push(message);
            options.runtime.warning(message);
        },
    };
    return options.target.kind === 'postgres' ? runOnPostgres(options.target, state) : runOnSqlite(options.target, state);
}
async function runOnPostgres(target, state) {
    const { options } = state;
    const session = (0,supabase/* sessionModeOf */.zx)(target, options.input, 'the session advisory lock migrations need', 'migrations run');
    const location = session.location;
    if (session.warning)
        state.warn(session.warning);
    const connect = (role) => (0,postgres_connect/* connectPostgres */.Mq)(location, {
        input: options.input,
        attempts: options.connectAttempts,
        connectTimeoutMs: options.connectTimeoutMs,
        onRetry: (message) => options.runtime.info(message),
        ...(role === options.mode ? { onConnected: (message) => options.runtime.info(message) } : {}),
        ...(location.params.application_name ? {} : { applicationName: `${options.runLabel ?? 'cutover'} ${role}` }),
    });
    let client;
    let lockClient;
    try {
        client = await connect(options.mode);
        // status only reads: it neither waits for nor blocks a running migration.
        if (options.mode !== 'status') {
            lockClient = await connect('migration lock');
            await acquireMigrationLock(lockClient, { timeoutMs: options.lockTimeoutMs, runtime: options.runtime, input: options.input, ...(options.signal ? { signal: options.signal } : {}) });
        }
        const guard = lockClient
            ? await postgresGuard(client, lockClient, {
                lockTimeoutMs: options.migrationLockTimeoutMs ?? MIGRATION_DEFAULTS.lockTimeoutMs,
                statementTimeoutMs: options.migrationStatementTimeoutMs ?? MIGRATION_DEFAULTS.statementTimeoutMs,
                lockRetries: options.migrationLockRetries ?? MIGRATION_DEFAULTS.lockRetries,
                retryDelayMs: options.migrationRetryDelayMs ?? MIGRATION_DEFAULTS.retryDelayMs,
                runtime: options.runtime,
                ...(options.signal ? { signal: options.signal } : {}),
            })
            : plainGuard;
        return await execute(postgresDatabase(client), state, guard);
    }
    finally {
        await client?.end().catch(() => undefined);
        if (lockClient) {
            await releaseMigrationLock(lockClient).catch(() => undefined);
            await lockClient.end().catch(() => undefined);
        }
    }
}
async function runOnSqlite(target, state) {
    const { options } = state;
    const db = await (0,sqlite_open/* openSqlite */.L)(target, {
        input: options.input,
        readonly: options.mode === 'status',
        create: options.mode === 'migrate' || options.mode === 'baseline',
    });
    try {
        // No server-side lock on SQLite: each migration takes the file's write lock (BEGIN IMMEDIATE),
        // waiting up to lock-timeout for another writer.
        db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.lockTimeoutMs))}`);
        return await execute(sqliteDatabase(db), state, plainGuard);
    }
    catch (error) {
        if (isSqliteBusy(error))
            throw sqliteBusyError(error, options.lockTimeoutMs, options.input);
        throw error;
    }
    finally {
        db.close();
    }
}
async function execute(database, state, guard) {
    const { options, files } = state;
    const { mode, runtime } = options;
    const own = await historyTable(database);
    // A Supabase CLI directory on PostgreSQL: recorded in supabase_migrations.schema_migrations too.
    const history = database.dialect === 'postgres' && files.some((f) => f.supabase) ? supabaseHistory(own, database, files) : own;
    if (mode === 'migrate' || mode === 'baseline')
        await history.ensure();
    const rows = await history.read();
    const drift = findDrift(files, rows);
    if (drift.changed.length + drift.missing.length > 0) {
        if (mode === 'status')
            state.warn(`Applied migrations differ from their files: ${describeDrift(drift, options.migrationsDir)}.`);
        else if (!options.allowChangedMigrations)
            throw driftError(drift, options.migrationsDir);
        else
            state.warn(`Continuing because allow-changed-migrations is set, although ${describeDrift(drift, options.migrationsDir)}.`);
    }
    if (mode !== 'status')
        await upgradeLegacyChecksums(files, rows, history, runtime);
    const to = mode !== 'status' && options.to?.trim() ? resolveTo(options.to, files, rows, options.migrationsDir) : undefined;
    const touched = new Map();
    const done = [];
    const finish = async (failed) => {
        const after = await history.read().catch(() => rows);
        const applied = new Set(after.map((r) => r.name));
        const entries = buildEntries(files, after, {
            mode,
            touched,
            ...(failed ? { failed: { name: failed.migration, message: failed.message, ...(failed.file ? { file: failed.file } : {}), ...(failed.line ? { line: failed.line } : {}) } } : {}),
        });
        const recorded = after.map((r) => r.name).sort(compareMigrationNames);
        return { entries, applied: done, pending: files.filter((f) => !applied.has(f.name)).map((f) => f.name), history: recorded, warnings: state.warnings };
    };
    if (mode === 'status') {
        const pending = files.filter((f) => !rows.some((r) => r.name === f.name)).length;
        runtime.info(`${rows.length} migration${rows.length === 1 ? '' : 's'} applied, ${pending} pending (${history.qualifiedName} on ${options.input}).`);
        return finish();
    }
    if (mode === 'baseline') {
        await baseline(selectPending(files, rows, to), database, history, state, touched, done);
        return finish();
    }
    const { signal } = options;
    const context = { database, history, appliedBy: options.appliedBy, runtime, control: { phase: 'idle', ...(signal ? { signal } : {}) }, ...(options.observer ? { observer: options.observer } : {}) };
    const step = async (file, direction) => {
        if (signal?.aborted)
            throw cancelledError(mode, done, { next: file.name });
        try {
            return await guard.run(file, direction, context);
        }
        catch (error) {
            if (!(error instanceof StepFailure))
                throw error;
            throw signal?.aborted ? cancelledError(mode, done, { stopped: error }) : migrationError(error);
        }
    };
    const umzug = new lib.Umzug({
        migrations: files.map((file) => ({
            name: file.name,
            path: file.upPath,
            up: async () => record(file, await step(file, 'up'), 'applied'),
            down: async () => record(file, await step(file, 'down'), 'rolled-back'),
        })),
        // Rows are written inside each migration's own transaction, so Umzug's log calls do nothing.
        storage: { executed: async () => (await history.read()).map((r) => r.name), logMigration: async () => undefined, unlogMigration: async () => undefined },
        logger: undefined,
        context: {},
    });
    const record = (file, result, status) => {
        if (result.skipped) {
            runtime.info(`${file.name} was already ${status === 'applied' ? 'applied' : 'rolled back'} by a concurrent run; skipped.`);
            return;
        }
        touched.set(file.name, status);
        done.push(file.name);
        runtime.info(`${status === 'applied' ? 'Applied' : 'Rolled back'} ${file.name} (${result.durationMs} ms).`);
    };
    try {
        if (mode === 'migrate') {
            const selected = selectPending(files, rows, to).filter((f) => !options.only || options.only.has(f.name));
            const early = outOfOrder(selected, rows);
            if (early.length)
                state.warn(`Applying out of order (they sort before migrations already applied): ${early.map((f) => f.name).join(', ')}.`);
            await checkBeforeRunning(selected, 'up', database.dialect);
            if (selected.length === 0 && options.only)
                runtime.info(`None of the ${options.only.size} migration${options.only.size === 1 ? '' : 's'} asked for is pending on ${options.input}.`);
            else if (selected.length === 0)
                runtime.info(`No pending migrations${to ? ` up to ${to}` : ''}: ${options.input} is up to date.`);
            else
                runtime.info(`Applying ${selected.length} migration${selected.length === 1 ? '' : 's'}: ${selected.map((f) => f.name).join(', ')}.`);
            await umzug.up({ migrations: selected.map((f) => f.name), rerun: 'SKIP' });
        }
        else {
            const names = selectRollback(rows, { ...(to !== undefined ? { to } : {}), steps: options.steps });
            await checkBeforeRunning(files.filter((f) => names.includes(f.name)), 'down', database.dialect);
            await assertReversible(names, files, options.migrationsDir);
            if (names.length === 0)
                runtime.info(`Nothing to roll back${to ? ` after ${to}` : ''}.`);
            else
                runtime.info(`Rolling back ${names.length} migration${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`);
            await umzug.down({ migrations: names, rerun: 'SKIP' });
        }
    }
    catch (thrown) {
        const error = thrown instanceof lib.MigrationError ? (thrown.cause ?? thrown) : thrown;
        if (error instanceof errors/* MigrationError */.Py) {
            runtime.error((0,errors/* formatError */.Wk)(error), { title: `Migration ${error.migration} failed`, ...(error.file ? { file: error.file } : {}), ...(error.line ? { line: error.line } : {}) });
            error.outcome = await finish(error);
        }
        // Carried like MigrationError's outcome, so the report shows what the run did before the cancel.
        if (error instanceof errors/* CancelledError */.cc)
            Object.assign(error, { outcome: await finish() });
        throw error;
    }
    return finish();
}
/** Records `selected` as applied without running them, in one transaction. */
async function baseline(selected, database, history, state, touched, done) {
    const { runtime, appliedBy, input } = state.options;
    if (selected.length === 0) {
        runtime.info(`Nothing to baseline: every migration${state.options.to ? ` up to ${state.options.to}` : ''} is already recorded on ${input}.`);
        return;
    }
    await database.begin();
    try {
        for (const file of selected) {
            if (await history.has(file.name))
                continue;
            await history.insert({ name: file.name, checksum: file.checksum, durationMs: null, appliedBy: `${appliedBy} (baseline)` });
            touched.set(file.name, 'baselined');
            done.push(file.name);
        }
        await database.commit();
    }
    catch (error) {
        await database.rollback();
        touched.clear();
        done.length = 0;
        throw error;
    }
    runtime.info(`Recorded ${done.length} migration${done.length === 1 ? '' : 's'} as applied without running them: ${done.join(', ')}.`);
}

;// CONCATENATED MODULE: ./src/tools/tool-commands.ts
const TOOL_COMMANDS = {
    alembic: { migrate: 'alembic upgrade head', rollback: 'alembic downgrade -1', install: 'actions/setup-python, then `pip install -r requirements.txt` (or `pip install alembic psycopg2-binary`)' },
    django: { migrate: 'python manage.py migrate --noinput', rollback: 'python manage.py migrate <app> <previous migration>', install: 'actions/setup-python, then `pip install -r requirements.txt` (Django and psycopg2)' },
    prisma: { migrate: 'npx prisma migrate deploy', install: 'actions/setup-node, then `npm ci` (prisma is a dev dependency of the project)' },
    flyway: { migrate: 'flyway migrate', rollback: 'flyway undo', install: "a step that installs the Flyway command-line tool (see Flyway's documentation)" },
    'golang-migrate': { migrate: 'migrate -path migrations -database "$DATABASE_URL" up', rollback: 'migrate -path migrations -database "$DATABASE_URL" down 1', install: "a step that installs golang-migrate's migrate CLI (see its README, \"CLI usage\")" },
    dbmate: { migrate: 'dbmate --no-dump-schema up', rollback: 'dbmate --no-dump-schema rollback', install: 'a step that installs dbmate (see its README, "Installation")' },
    supabase: { migrate: 'supabase db push --db-url "$DATABASE_URL"', install: 'the supabase/setup-cli action' },
};
/** The first word that is a program: env assignments, `npx`, `poetry run` and the like skipped. */
function programOf(command) {
    const words = command.trim().split(/\s+/);
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]))
        i++;
    if (['env', 'exec', 'time', 'command'].includes(words[i] ?? ''))
        i++;
    const word = words[i];
    return word ? word.replace(/^.*\//, '') : undefined;
}
/** The tool a command runs, recognised by its words; undefined when it is not one cutover knows. */
function toolOfCommand(command) {
    const text = ` ${command.toLowerCase()} `;
    if (/\balembic\b/.test(text))
        return 'alembic';
    if (/manage\.py\s+migrate|django-admin\s+migrate/.test(text))
        return 'django';
    if (/\bprisma\s+migrate\b/.test(text))
        return 'prisma';
    if (/\bflyway\b/.test(text))
        return 'flyway';
    if (/\bdbmate\b/.test(text))
        return 'dbmate';
    if (/\bsupabase\s+(db|migration)\b/.test(text))
        return 'supabase';
    if (/(^|\s|\/)migrate\s.*(-database|-path|-source)\b/.test(text))
        return 'golang-migrate';
    return undefined;
}

;// CONCATENATED MODULE: ./src/engine/native-tools.ts
// Tools whose migration directories cutover's own runner applies, rather than running the tool:
// Supabase CLI directories (supabase/migrations/<timestamp>_<name>.sql).
const NATIVE_TOOLS = ['supabase'];

;// CONCATENATED MODULE: ./src/engine/foreign-directory.ts
// cutover's own runner applies <id>_<name>.up.sql / .js files (and Supabase CLI directories). A
// migrations-dir holding another tool's files (Alembic's .py revisions, Prisma's directories, Flyway's
// V1__x.sql…) would otherwise read as "contains no migrations": say whose files they are and how to
// run them under cutover's lock instead.







function refuseAnotherToolsDirectory(settings) {
    const tool = foreignToolOfDir(settings.migrationsDir);
    if (!tool || NATIVE_TOOLS.includes(tool))
        return;
    const label = layoutOf(tool).label;
    const dir = external_node_path_default().relative(settings.workingDirectory, settings.migrationsDir) || '.';
    const commands = TOOL_COMMANDS[tool];
    const name = settings.mode === 'rollback' ? 'rollback-command' : 'migrate-command';
    const suggestion = settings.mode === 'rollback' ? commands?.rollback : commands?.migrate;
    throw new errors/* ConfigError */.xL(`${(0,src_settings/* inputLabel */.NB)(settings.origin, 'migrations-dir')} (${dir}) holds ${label} migrations, which cutover does not run itself.`, {
        fix: `let cutover run ${label} under its migration lock: set ${(0,src_settings/* inputLabel */.NB)(settings.origin, name)}${suggestion ? ` to \`${suggestion}\`` : ''} (and ${(0,src_settings/* inputLabel */.NB)(settings.origin, 'migrate-command-dir')} to the directory it runs from); cutover then reports what it applied from ${layoutOf(tool).table}.`,
    });
}

// EXTERNAL MODULE: ./src/shell-quote.ts
var shell_quote = __webpack_require__(3412);
;// CONCATENATED MODULE: ./src/tools/command/command-failure.ts
// The one paragraph for a command that did not succeed: its exit code (or that it was stopped), what
// it changed before that according to the tool's history table, the tail of its output (redacted),
// and the fix that fits: a tool missing from the job (exit 127, a Python module not found), a
// timeout, or the tool's own error.


const TAIL_SHOWN = 12;
function changedSentence(context) {
    if (context.mode === 'status')
        return '';
    const verb = context.mode === 'rollback' ? 'rolled back' : 'applied';
    const changed = context.reports.flatMap((r) => r.changed.map((name) => `${name} (${r.label})`));
    if (context.reports.length === 0)
        return 'No migration history table of a known tool was found, so cutover cannot say what it changed.';
    return changed.length ? `Before that it ${verb}, by its history table: ${changed.join(', ')}.` : `By its history table it ${verb} nothing.`;
}
function tailText(run) {
    if (run.tail.length === 0)
        return 'It printed nothing.';
    const shown = run.tail.slice(-TAIL_SHOWN);
    return `Its last ${shown.length === 1 ? 'line' : `${shown.length} lines`}: ${shown.map((l) => l.trim()).filter(Boolean).join(' ⏎ ')}`;
}
/** exit 127 and Python's ModuleNotFoundError: the job lacks the tool or the project's dependencies. */
function missingTool(run, command) {
    const program = programOf(command);
    const tool = toolOfCommand(command);
    const install = tool ? TOOL_COMMANDS[tool]?.install : undefined;
    const notFound = run.tail.find((l) => /command not found|No such file or directory/.test(l));
    if (run.exitCode === 127 && program) {
        const missing = notFound?.match(/(?:bash: (?:line \d+: )?)?([^\s:]+): command not found/)?.[1] ?? program;
        return `${missing} is not installed in this job (exit 127: command not found): add a setup step that installs it before cutover's step${install && missing === program ? `, e.g. ${install}` : ''}.`;
    }
    const module = run.tail.map((l) => /ModuleNotFoundError: No module named '([^']+)'/.exec(l)?.[1]).find(Boolean);
    if (module)
        return `the Python module ${module} is not installed in this job: add a setup step that installs the project's dependencies before cutover's step, e.g. actions/setup-python, then \`pip install -r requirements.txt\`.`;
    return undefined;
}
function commandFailure(run, context) {
    const name = `${context.inputName} \`${context.command}\``;
    const what = run.stopped === 'timeout'
        ? `${name} was still running after ${Math.round(context.timeoutMs / 1000)} s (migrate-command-timeout) and was stopped (SIGTERM to its process group, SIGKILL to what was still running 5 s later); the migration lock was released.`
        : `${name} failed with exit code ${run.exitCode} (in ${context.cwd}).`;
    const fix = run.stopped === 'timeout'
        ? 'find what it waited for (a lock held by the application shows in pg_stat_activity; a prompt for input never gets an answer, so pass the tool\'s non-interactive flag), or raise migrate-command-timeout.'
        : missingTool(run, context.command) ??
            `read the tool's error above (the whole output is in the log group "${context.inputName}: ${context.command}"), fix it and run again${context.mode === 'migrate' ? '; migrations the tool applied before the failure stay applied (a tool that runs each migration in a transaction leaves none half-applied)' : ''}.`;
    const entries = context.reports.flatMap((r) => r.entries);
    const history = context.reports.flatMap((r) => r.history);
    return new errors/* CommandError */.Qd([what, changedSentence(context), tailText(run)].filter(Boolean).join(' '), {
        ...(run.stopped ? {} : { exitCode: run.exitCode }),
        tail: run.tail,
        fix,
        outcome: { entries, history },
    });
}

;// CONCATENATED MODULE: ./src/tools/find-history-tables.ts



function postgresReader(client) {
    return { dialect: 'postgres', rows: async (sql) => (await client.query(sql)).rows };
}
function sqliteReader(db) {
    return { dialect: 'sqlite', rows: async (sql) => db.prepare(sql).all() };
}
const find_history_tables_quote = (part) => `"${part.replace(/"/g, '""')}"`;
async function candidates(reader) {
    const names = HISTORY_TABLE_NAMES.map(pg_identifiers/* quoteLiteral */.ce).join(', ');
    if (reader.dialect === 'postgres') {
        const rows = await reader.rows(`SELECT n.nspname AS schema, c.relname AS table, array_agg(a.attname::text ORDER BY a.attnum) AS columns
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p') AND c.relname IN (${names})
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        GROUP BY n.nspname, c.relname
        ORDER BY n.nspname, c.relname`);
        return rows.map((r) => ({ schema: String(r.schema), table: String(r.table), columns: r.columns }));
    }
    const tables = await reader.rows(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN (${names}) ORDER BY name`);
    const result = [];
    for (const { name } of tables) {
        const columns = await reader.rows(`SELECT name FROM pragma_table_info(${(0,pg_identifiers/* quoteLiteral */.ce)(String(name))})`);
        result.push({ table: String(name), columns: columns.map((c) => String(c.name)) });
    }
    return result;
}
async function findHistoryTables(reader) {
    const result = { found: [], unknown: [] };
    for (const { schema, table, columns } of await candidates(reader)) {
        const match = matchHistoryTable(schema, table, columns);
        if (!match)
            continue;
        const display = schema === undefined ? table : displayName(schema, table);
        if (match.kind === 'unknown') {
            result.unknown.push({ ...(schema !== undefined ? { schema } : {}), table, display, columns, expected: match.expected });
            continue;
        }
        result.found.push({ layout: match.layout, ...(schema !== undefined ? { schema } : {}), table, display, sql: schema === undefined ? find_history_tables_quote(table) : `${find_history_tables_quote(schema)}.${find_history_tables_quote(table)}`, columns: columns.map((c) => c.toLowerCase()) });
    }
    return result;
}
/** "public.schema_migrations has columns (version, applied_at), which is none of the layouts of golang-migrate (version, dirty), dbmate (version)". */
function describeUnknown(unknown) {
    const expected = unknown.expected.map((l) => `${l.label} (${l.columns.join(', ')})`).join(', ');
    return `${unknown.display} has columns (${unknown.columns.join(', ')}), which is not the layout of ${expected}`;
}

;// CONCATENATED MODULE: ./src/tools/read-tool-history.ts
function isoOf(value) {
    if (value === null || value === undefined)
        return undefined;
    if (value instanceof Date)
        return value.toISOString();
    return String(value);
}
const read_tool_history_text = (value) => (value === null || value === undefined ? undefined : String(value));
const truthy = (value) => value === true || value === 1 || value === '1' || value === 't' || value === 'true';
const READERS = {
    async alembic(table, reader) {
        const rows = await reader.rows(`SELECT version_num FROM ${table.sql} ORDER BY version_num`);
        return { records: rows.map((r) => ({ id: String(r.version_num), state: 'applied' })), problems: [] };
    },
    async django(table, reader) {
        const rows = await reader.rows(`SELECT app, name, applied FROM ${table.sql} ORDER BY applied, app, name`);
        return { records: rows.map((r) => ({ id: `${r.app}.${r.name}`, ...(isoOf(r.applied) ? { appliedAt: isoOf(r.applied) } : {}), state: 'applied' })), problems: [] };
    },
    async prisma(table, reader) {
        const rows = await reader.rows(`SELECT migration_name, started_at, finished_at, rolled_back_at, logs FROM ${table.sql} ORDER BY started_at, migration_name`);
        const problems = [];
        const records = rows.map((r) => {
            const id = String(r.migration_name);
            const state = r.rolled_back_at != null ? 'rolled-back' : r.finished_at == null ? 'failed' : 'applied';
            const appliedAt = isoOf(r.finished_at ?? r.started_at);
            const logs = read_tool_history_text(r.logs)?.trim().split('\n')[0];
            if (state === 'failed') {
                problems.push({
                    message: `Prisma migration ${id} started at ${isoOf(r.started_at)} and did not finish (finished_at is empty${logs ? `; its log: ${logs}` : ''}): it failed, or is running right now. Prisma applies no further migration while it stands (error P3009).`,
                    fix: `undo or complete what ${id} changed by hand, then record the outcome with \`npx prisma migrate resolve --rolled-back ${id}\` (or \`--applied ${id}\` when you completed it) and run \`npx prisma migrate deploy\` again.`,
                });
            }
            return { id, state, ...(appliedAt ? { appliedAt } : {}) };
        });
        return { records, problems };
    },
    async flyway(table, reader) {
        const rows = await reader.rows(`SELECT installed_rank, version, description, type, installed_on, execution_time, success FROM ${table.sql} ORDER BY installed_rank`);
        const problems = [];
        const records = [];
        for (const r of rows) {
            // SCHEMA rows mark schemas Flyway created, DELETE rows entries `repair` removed: not migrations.
            if (r.type === 'SCHEMA' || r.type === 'DELETE')
                continue;
            const version = read_tool_history_text(r.version);
            const id = version ?? `R ${r.description}`;
            const failed = !truthy(r.success);
            if (failed) {
                problems.push({
                    message: `Flyway records migration ${id} (${r.description}) as failed (success = false): Flyway refuses to migrate while a failed migration is in ${table.display}.`,
                    fix: 'undo what the failed migration changed by hand, then run `flyway repair` (it removes the failed entry) and `flyway migrate` again.',
                });
            }
            const appliedAt = isoOf(r.installed_on);
            records.push({ id, description: String(r.description), state: failed ? 'failed' : 'applied', ...(appliedAt ? { appliedAt } : {}), ...(r.execution_time != null ? { durationMs: Number(r.execution_time) } : {}) });
        }
        return { records, problems };
    },
    async 'golang-migrate'(table, reader) {
        const rows = await reader.rows(`SELECT version, dirty FROM ${table.sql}`);
        const problems = [];
        const records = rows.map((r) => {
            const version = String(r.version);
            if (truthy(r.dirty)) {
                problems.push({
                    message: `golang-migrate's ${table.display} says version ${version} is dirty: the migration to ${version} failed part-way, and golang-migrate refuses to run ("Dirty database version ${version}. Fix and force version.").`,
                    fix: `undo or complete by hand what migration ${version} did, then run \`migrate -path <migrations dir> -database "$DATABASE_URL" force <version>\` with the version the database now matches (${version} if you completed it, the one before it if you undid it).`,
                });
            }
            return { id: version, state: truthy(r.dirty) ? 'dirty' : 'applied' };
        });
        return { records, problems };
    },
    async dbmate(table, reader) {
        const rows = await reader.rows(`SELECT version FROM ${table.sql} ORDER BY version`);
        return { records: rows.map((r) => ({ id: String(r.version), state: 'applied' })), problems: [] };
    },
    async supabase(table, reader) {
        const name = table.columns.includes('name') ? ', name' : '';
        const rows = await reader.rows(`SELECT version${name} FROM ${table.sql} ORDER BY version`);
        return { records: rows.map((r) => ({ id: String(r.version), ...(read_tool_history_text(r.name) ? { description: String(r.name) } : {}), state: 'applied' })), problems: [] };
    },
    async cutover(table, reader) {
        const rows = await reader.rows(`SELECT name, applied_at FROM ${table.sql} ORDER BY name`);
        return { records: rows.map((r) => ({ id: String(r.name), ...(isoOf(r.applied_at) ? { appliedAt: isoOf(r.applied_at) } : {}), state: 'applied' })), problems: [] };
    },
};
async function readToolHistory(table, reader) {
    const read = await READERS[table.layout.tool](table, reader);
    return { tool: table.layout.tool, table, ...read };
}

;// CONCATENATED MODULE: ./src/tools/inspect-history.ts





async function readHistories(reader) {
    const tables = await findHistoryTables(reader);
    const histories = [];
    for (const table of tables.found)
        histories.push(await readToolHistory(table, reader));
    return { histories, unknown: tables.unknown };
}
/** Opens `target` read-only, reads its histories, closes it. A SQLite file that does not exist has none. */
async function inspectHistories(target, options) {
    if (target.kind === 'sqlite') {
        if (!external_node_fs_default().existsSync(target.path))
            return { histories: [], unknown: [] };
        const db = await (0,sqlite_open/* openSqlite */.L)(target, { input: options.input, readonly: true });
        try {
            return await readHistories(sqliteReader(db));
        }
        finally {
            db.close();
        }
    }
    const client = await connectHistory(target, options);
    try {
        return await readHistories(postgresReader(client));
    }
    finally {
        await client.end().catch(() => undefined);
    }
}
function connectHistory(target, options) {
    return (0,postgres_connect/* connectPostgres */.Mq)(target, {
        input: options.input,
        attempts: options.connectAttempts,
        connectTimeoutMs: options.connectTimeoutMs,
        onRetry: (message) => options.runtime.info(message),
        ...(target.params.application_name ? {} : { applicationName: `${options.runLabel} history` }),
    });
}

;// CONCATENATED MODULE: ./src/tools/command/command-env.ts
/** Names cutover sets; a value the job already had under one of them is replaced. */
const COMMAND_ENV_NAMES = ['DATABASE_URL', 'DIRECT_URL', 'PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGSSLMODE', 'PGSSLROOTCERT', 'FLYWAY_URL', 'FLYWAY_USER', 'FLYWAY_PASSWORD'];
// cutover's own URL parameters that libpq and the tools do not know (src/db/url-parameters.ts).
const CUTOVER_ONLY = new Set(['pgbouncer', 'connection_limit', 'pool_timeout']);
function query(location) {
    const params = new URLSearchParams();
    if (location.sslmode)
        params.set('sslmode', location.sslmode);
    if (location.sslrootcert)
        params.set('sslrootcert', location.sslrootcert);
    for (const [key, value] of Object.entries(location.params))
        if (!CUTOVER_ONLY.has(key))
            params.set(key, value);
    return params;
}
function databaseUrl(location, password) {
    const user = location.user ? `${encodeURIComponent(location.user)}${password !== undefined ? `:${encodeURIComponent(password)}` : ''}@` : '';
    const host = location.host.includes(':') ? `[${location.host}]` : location.host;
    const qs = query(location).toString();
    return `postgresql://${user}${host}:${location.port}/${encodeURIComponent(location.database)}${qs ? `?${qs}` : ''}`;
}
/** The command's environment: the job's, with the database under every name above. */
function commandEnv(location, base) {
    const env = { ...base };
    for (const name of COMMAND_ENV_NAMES)
        delete env[name];
    // A URL without a password connects with PGPASSWORD, as cutover itself does.
    const password = location.password ?? base.PGPASSWORD;
    const url = databaseUrl(location, password);
    Object.assign(env, {
        DATABASE_URL: url,
        DIRECT_URL: url,
        PGHOST: location.host,
        PGPORT: String(location.port),
        PGUSER: location.user,
        PGDATABASE: location.database,
        FLYWAY_USER: location.user,
    });
    if (password !== undefined)
        Object.assign(env, { PGPASSWORD: password, FLYWAY_PASSWORD: password });
    if (location.sslmode)
        env.PGSSLMODE = location.sslmode;
    if (location.sslrootcert)
        env.PGSSLROOTCERT = location.sslrootcert;
    const jdbcQuery = new URLSearchParams();
    if (location.sslmode)
        jdbcQuery.set('sslmode', location.sslmode);
    if (location.sslrootcert)
        jdbcQuery.set('sslrootcert', location.sslrootcert);
    const host = location.host.includes(':') ? `[${location.host}]` : location.host;
    env.FLYWAY_URL = `jdbc:postgresql://${host}:${location.port}/${encodeURIComponent(location.database)}${jdbcQuery.size ? `?${jdbcQuery}` : ''}`;
    return env;
}

// EXTERNAL MODULE: ./src/tools/command/command-runner.ts
var command_runner = __webpack_require__(4183);
;// CONCATENATED MODULE: ./src/tools/command/run-tool-command.ts








const TAIL_LINES = 30;
const LINE_MAX = 500;
function run_tool_command_seconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}
async function runToolCommand(options) {
    const { runtime } = options;
    const session = (0,supabase/* sessionModeOf */.zx)(options.target, options.input, 'the session advisory lock migrations need', `${options.inputName} runs`);
    if (session.warning)
        runtime.warning(session.warning);
    const location = session.location;
    let client;
    let locked = false;
    try {
        client = await (0,postgres_connect/* connectPostgres */.Mq)(location, {
            input: options.input,
            attempts: options.connectAttempts,
            connectTimeoutMs: options.connectTimeoutMs,
            onRetry: (message) => runtime.info(message),
            onConnected: (message) => runtime.info(message),
            ...(location.params.application_name ? {} : { applicationName: `${options.runLabel} ${options.lock ? 'migration lock' : 'history'}` }),
        });
        if (options.lock) {
            await acquireMigrationLock(client, { timeoutMs: options.lockTimeoutMs, runtime, input: options.input, ...(options.signal ? { signal: options.signal } : {}) });
            locked = true;
        }
        const before = await readHistories(postgresReader(client));
        const outcome = await runCommand(options, location);
        const after = await readHistories(postgresReader(client));
        return { before, after, ...outcome };
    }
    finally {
        if (client) {
            if (locked)
                await releaseMigrationLock(client).catch(() => undefined);
            await client.end().catch(() => undefined);
        }
    }
}
async function runCommand(options, location) {
    const { runtime } = options;
    const runner = runtime.commandRunner ?? command_runner/* nodeCommandRunner */.s3;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
    const tail = [];
    let lines = 0;
    const started = Date.now();
    try {
        runtime.info(`Running ${options.inputName} \`${options.command}\` in ${options.cwd} against ${options.input}${options.lock ? ', holding the migration lock' : ''}.`);
        const exit = await runtime.group(`${options.inputName}: ${options.command}`, () => runner.run({
            command: options.command,
            cwd: options.cwd,
            env: commandEnv(location, options.env),
            signal,
            onLine: (line) => {
                lines++;
                const clean = (0,redact/* redact */.E$)(line.length > LINE_MAX ? `${line.slice(0, LINE_MAX)}…` : line);
                tail.push(clean);
                if (tail.length > TAIL_LINES)
                    tail.shift();
                if (!runner.echoesOutput)
                    runtime.info(clean);
            },
        }));
        const durationMs = Date.now() - started;
        const stopped = options.signal?.aborted ? 'cancel' : timeout.signal.aborted ? 'timeout' : undefined;
        runtime.info(`${options.inputName} ${stopped ? `was stopped (${stopped === 'timeout' ? 'migrate-command-timeout' : 'cancelled'})` : `exited with code ${exit.exitCode}`} after ${run_tool_command_seconds(durationMs)}.`);
        return { exitCode: exit.exitCode, durationMs, tail, lines, ...(stopped ? { stopped } : {}) };
    }
    finally {
        clearTimeout(timer);
    }
}

;// CONCATENATED MODULE: ./src/tools/tool-status.ts
// Turns a tool's history (and its files, when they could be listed) into report entries and one line
// saying what the tool records: for status, and before/after a migrate-command or rollback-command
// (what the command applied or rolled back is the difference between the two readings).




/** The keys the history says are applied, with the tool's semantics (Alembic heads, golang-migrate's one version). */
function appliedKeys(history, files) {
    const failed = new Map();
    if (!history)
        return { applied: new Set(), failed, unknown: [] };
    const tool = history.tool;
    for (const record of history.records)
        if (record.state === 'failed' || record.state === 'dirty')
            failed.set(recordKey(tool, record.id), record);
    const live = history.records.filter((r) => r.state === 'applied');
    if (tool === 'alembic' && files?.alembic) {
        const { applied, unknown } = appliedRevisions(files.alembic, live.map((r) => r.id));
        // A head no file defines stays in the report (as a file that is missing).
        return { applied: new Set([...applied, ...unknown]), failed, unknown };
    }
    if (tool === 'golang-migrate') {
        // Only the latest version is stored: every file up to it counts as applied (a dirty one is failed).
        const versions = history.records.map((r) => BigInt(recordKey(tool, r.id)));
        const top = versions.length ? versions.reduce((a, b) => (a > b ? a : b)) : undefined;
        const applied = new Set();
        for (const file of files?.files ?? [])
            if (top !== undefined && BigInt(file.key) <= top && !failed.has(file.key))
                applied.add(file.key);
        for (const record of live)
            applied.add(recordKey(tool, record.id));
        return { applied, failed, unknown: [] };
    }
    return { applied: new Set(live.map((r) => recordKey(tool, r.id))), failed, unknown: [] };
}
function tool_status_plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function recordedLine(tool, history) {
    const live = history.records.filter((r) => r.state !== 'rolled-back');
    if (live.length === 0)
        return `${history.table.display} is empty`;
    switch (tool) {
        case 'alembic':
            return `${history.table.display} records ${live.length === 1 ? 'head' : 'heads'} ${live.map((r) => r.id).join(', ')}`;
        case 'golang-migrate':
            return `${history.table.display} records version ${live.map((r) => `${r.id}${r.state === 'dirty' ? ' (dirty)' : ''}`).join(', ')}`;
        default:
            return `${history.table.display} records ${tool_status_plural(live.length, 'migration')} (last: ${live[live.length - 1].id})`;
    }
}
function toolReport(input) {
    const { tool, before, after, files, mode } = input;
    const layout = layoutOf(tool);
    const now = appliedKeys(after, files);
    const then = mode === 'status' ? now : appliedKeys(before, files);
    const records = new Map((after?.records ?? []).map((r) => [recordKey(tool, r.id), r]));
    const problems = [...(after?.problems ?? [])];
    if (now.unknown.length > 0) {
        problems.push({
            message: `${after.table.display} records ${now.unknown.join(', ')}, which no revision file in ${external_node_path_default().relative(input.baseDir, files.dir) || '.'} defines (a revision from another branch, or a deleted file).`,
            fix: 'check out the branch that has the revision file, or, if the database really is at another revision, set it with `alembic stamp <revision>`.',
        });
    }
    const statusOf = (key) => {
        if (now.failed.has(key))
            return 'failed';
        const isNow = now.applied.has(key);
        const wasThen = then.applied.has(key);
        if (mode === 'status')
            return isNow ? 'applied' : 'pending';
        if (isNow && !wasThen)
            return 'applied';
        if (!isNow && wasThen)
            return 'rolled-back';
        return isNow ? 'already-applied' : 'pending';
    };
    const entryOf = (key, name) => {
        const entry = { name, status: statusOf(key) };
        const record = records.get(key);
        if (record?.appliedAt && entry.status !== 'pending' && entry.status !== 'rolled-back')
            entry.appliedAt = record.appliedAt;
        if (record?.durationMs !== undefined)
            entry.durationMs = record.durationMs;
        const failed = now.failed.get(key);
        if (failed)
            entry.error = { message: failed.state === 'dirty' ? `dirty: ${layout.label} stopped part-way through this migration` : `${layout.label} records this migration as failed` };
        return entry;
    };
    const entries = [];
    const seen = new Set();
    for (const file of files?.files ?? []) {
        seen.add(file.key);
        entries.push(entryOf(file.key, file.name));
    }
    // Recorded but no file: Django's packaged apps (auth, contenttypes…), or a file that is gone.
    const keys = new Set([...now.applied, ...then.applied, ...now.failed.keys()]);
    for (const key of keys) {
        if (seen.has(key) || (tool === 'golang-migrate' && files))
            continue;
        const entry = entryOf(key, key);
        if (files && tool !== 'django' && entry.status !== 'failed')
            entry.status = 'missing-file';
        entries.push(entry);
    }
    const changed = entries.filter((e) => (mode === 'migrate' ? e.status === 'applied' : mode === 'rollback' ? e.status === 'rolled-back' : false)).map((e) => e.name);
    const pending = entries.filter((e) => e.status === 'pending').map((e) => e.name);
    const history = entries.filter((e) => ['applied', 'already-applied', 'missing-file'].includes(e.status)).map((e) => e.name);
    const where = !files ? undefined : tool === 'django' ? "the project's migrations directories" : external_node_path_default().relative(input.baseDir, files.dir) || '.';
    const count = files ? `${where} ${tool === 'django' ? 'have' : 'has'} ${tool_status_plural(files.files.length, tool === 'alembic' ? 'revision' : 'migration')}, ${pending.length} pending` : 'its migration files were not found, so what is pending is not known (set migrations-dir to their directory)';
    const summary = after
        ? `Managed by ${layout.label}: ${recordedLine(tool, after)}; ${count}.`
        : `${tool === 'django' && files ? "The project's migrations directories hold" : `${where ?? 'The project'} holds`} ${layout.label} migrations, and the database has no ${layout.table} table: none is applied${files ? ` (${files.files.length} pending)` : ''}.`;
    return {
        tool,
        label: layout.label,
        ...(after ? { table: after.table.display } : {}),
        ...(files ? { filesDir: files.dir } : {}),
        entries,
        summary,
        problems,
        changed,
        pending,
        history,
    };
}

;// CONCATENATED MODULE: ./src/tools/tool-reports.ts




function reportTools(options) {
    const tools = [];
    const add = (tool) => {
        if (tool && tool !== 'cutover' && !options.native?.includes(tool) && !tools.includes(tool))
            tools.push(tool);
    };
    for (const history of [...(options.before?.histories ?? []), ...options.after.histories])
        add(history.tool);
    add(foreignToolOfDir(options.migrationsDir));
    if (options.command)
        add(toolOfCommand(options.command));
    return tools.map((tool) => {
        const before = options.before?.histories.find((h) => h.tool === tool);
        const after = options.after.histories.find((h) => h.tool === tool);
        const files = findToolFiles(tool, { migrationsDir: options.migrationsDir, projectDir: options.projectDir });
        return toolReport({ tool, ...(before ? { before } : {}), ...(after ? { after } : {}), ...(files ? { files } : {}), baseDir: options.baseDir, mode: options.mode });
    });
}
/** Entries, notes, warnings (with the tool's fix) and the history of each report, onto the result. */
function applyToolReports(result, reports, snapshot, runtime) {
    const warn = (message) => {
        result.warnings.push(message);
        runtime.warning(message);
    };
    for (const report of reports) {
        result.migrations.push(...report.entries);
        result.notes.push(report.summary);
        runtime.info(report.summary);
        for (const problem of report.problems)
            warn(`${problem.message} Fix: ${problem.fix}`);
        result.history = [...(result.history ?? []), ...report.history];
    }
    for (const unknown of snapshot.unknown) {
        warn(`${describeUnknown(unknown)}: cutover does not know what it records and leaves it alone (it is not read, and copy and verify do not treat it as a history table).`);
    }
    if (reports.length > 0)
        result.histories = reports.map(({ tool, label, table, filesDir, pending, changed }) => ({ tool, label, ...(table ? { table } : {}), ...(filesDir ? { filesDir } : {}), pending, changed }));
}

;// CONCATENATED MODULE: ./src/engine/command-mode.ts
// migrate / rollback / status with another tool's command (migrate-command, rollback-command,
// status-command): the command runs against the mode's database under cutover's lock
// (src/tools/command/run-tool-command.ts), and the report says what it changed, read from the
// tool's own history table before and after.












function command_mode_plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
/** Postgres only: the lock is an advisory lock, and the tools get a postgresql:// URL. */
function postgresTarget(settings, target, inputName) {
    if (target?.kind === 'postgres')
        return target;
    throw new errors/* ConfigError */.xL(`${(0,src_settings/* inputLabel */.NB)(settings.origin, inputName)} runs against PostgreSQL only, but the target is a SQLite file.`, {
        fix: `point ${(0,src_settings/* inputLabel */.NB)(settings.origin, 'target-url')} at a PostgreSQL database, or run the tool against the SQLite file yourself.`,
    });
}
/**
 * Runs migrate-command (or rollback-command) once against `options.target` and returns what it did.
 * Throws CommandError (exit ≠ 0, timeout) or CancelledError, carrying the entries read after it.
 */
async function applyCommandStep(settings, runtime, options) {
    const inputName = options.mode === 'rollback' ? 'rollback-command' : 'migrate-command';
    const command = (options.mode === 'rollback' ? settings.command.rollback : settings.command.migrate);
    const cwd = options.cwd ?? settings.command.dir;
    if (!external_node_fs_default().existsSync(cwd)) {
        throw new errors/* ConfigError */.xL(`The directory ${cwd} that ${(0,src_settings/* inputLabel */.NB)(settings.origin, 'migrate-command-dir')} names does not exist.`, { fix: 'set migrate-command-dir to the directory the command runs from, relative to the workspace.' });
    }
    const run = await runToolCommand({
        inputName: options.label ? `${inputName} (${options.label})` : inputName,
        command,
        cwd,
        timeoutMs: settings.command.timeoutMs,
        target: options.target,
        input: options.input,
        lock: true,
        lockTimeoutMs: settings.lockTimeoutMs,
        connectAttempts: settings.connectAttempts,
        connectTimeoutMs: settings.connectTimeoutMs,
        runtime,
        runLabel: `cutover/${settings.mode}/${settings.runId}`,
        env: options.env,
        ...(options.signal ? { signal: options.signal } : {}),
    });
    const migrationsDir = options.cwd ? external_node_path_default().resolve(options.cwd, external_node_path_default().relative(settings.command.dir, settings.migrationsDir)) : settings.migrationsDir;
    const reports = reportTools({ before: run.before, after: run.after, mode: options.mode, migrationsDir, projectDir: cwd, baseDir: options.cwd ?? settings.workingDirectory, command });
    const changed = reports.flatMap((r) => r.changed);
    const verb = options.mode === 'rollback' ? 'rolled back' : 'applied';
    if (run.stopped === 'cancel') {
        const entries = reports.flatMap((r) => r.entries);
        const what = reports.length === 0 ? 'what it had changed is not known (no history table of a known tool)' : changed.length ? `it had ${verb} ${changed.join(', ')}, which stay${changed.length === 1 ? 's' : ''} ${verb}` : `it had ${verb} nothing`;
        throw Object.assign(new errors/* CancelledError */.cc(`${inputName} \`${command}\` was stopped; by the tool's history table ${what}.`), { outcome: { entries } });
    }
    if (run.stopped === 'timeout' || run.exitCode !== 0) {
        throw commandFailure(run, { inputName, command, cwd, timeoutMs: settings.command.timeoutMs, reports, mode: options.mode });
    }
    return { run, reports };
}
/** What the step applied, as one note; and the reports onto the result. */
function recordCommandStep(result, runtime, settings, mode, outcome) {
    const command = mode === 'rollback' ? settings.command.rollback : settings.command.migrate;
    const inputName = mode === 'rollback' ? 'rollback-command' : 'migrate-command';
    applyToolReports(result, outcome.reports, outcome.run.after, runtime);
    const changed = outcome.reports.flatMap((r) => r.changed);
    const took = `${(outcome.run.durationMs / 1000).toFixed(1)} s`;
    const verb = mode === 'rollback' ? 'rolled back' : 'applied';
    result.notes.push(outcome.reports.length === 0
        ? `${inputName} \`${command}\` succeeded in ${took}; the database has no history table of a known tool, so what it ${verb} is not known.`
        : `${inputName} \`${command}\` ${verb} ${command_mode_plural(changed.length, 'migration')} in ${took}${changed.length ? `: ${changed.join(', ')}` : ''}.`);
}
/** Both migrate-command and cutover's own migration files: say which runs. */
function warnAboutOwnFiles(settings, result, runtime) {
    const command = settings.command.migrate;
    if (foreignToolOfDir(settings.migrationsDir) || toolOfCommand(command) === 'golang-migrate' || !external_node_fs_default().existsSync(settings.migrationsDir))
        return;
    let files;
    try {
        files = readMigrationFiles(settings.migrationsDir, { requireMigrations: false });
    }
    catch {
        return;
    }
    if (files.length === 0)
        return;
    const dir = external_node_path_default().relative(settings.workingDirectory, settings.migrationsDir) || '.';
    const message = `migrate-command is set, so \`${command}\` runs and the ${command_mode_plural(files.length, 'cutover migration')} in ${dir} (${files.slice(0, 3).map((f) => f.name).join(', ')}${files.length > 3 ? ', …' : ''}) ${files.length === 1 ? 'does' : 'do'} not: remove migrate-command to run them with cutover, or move them out of migrations-dir.`;
    result.warnings.push(message);
    runtime.warning(message);
}
async function runCommandMode(settings, runtime, result, mode, env, signal) {
    const inputName = mode === 'rollback' ? 'rollback-command' : 'migrate-command';
    const target = postgresTarget(settings, settings.target, inputName);
    if (mode === 'migrate')
        warnAboutOwnFiles(settings, result, runtime);
    const outcome = await applyCommandStep(settings, runtime, { mode, target, input: (0,src_settings/* inputLabel */.NB)(settings.origin, 'target-url'), env, ...(signal ? { signal } : {}) });
    recordCommandStep(result, runtime, settings, mode, outcome);
}
/** rollback and baseline when migrate-command runs the migrations: what to use instead. */
function refuseWithoutToolCommand(settings) {
    if (!settings.command.migrate)
        return;
    const tool = toolOfCommand(settings.command.migrate);
    const label = tool ? layoutOf(tool).label : 'the tool';
    if (settings.mode === 'rollback' && !settings.command.rollback) {
        throw new errors/* ConfigError */.xL(`rollback with ${(0,src_settings/* inputLabel */.NB)(settings.origin, 'migrate-command')} needs ${(0,src_settings/* inputLabel */.NB)(settings.origin, 'rollback-command')}: ${label} recorded the migrations, and cutover does not undo another tool's migrations itself.`, {
            fix: `set ${(0,src_settings/* inputLabel */.NB)(settings.origin, 'rollback-command')}${tool === 'alembic' ? ' to `alembic downgrade -1`' : " to the tool's own rollback command"}.`,
        });
    }
    if (settings.mode === 'baseline') {
        throw new errors/* ConfigError */.xL(`baseline records cutover's own migrations as applied, but ${(0,src_settings/* inputLabel */.NB)(settings.origin, 'migrate-command')} is set: ${label} keeps its own history.`, {
            fix: tool === 'alembic' ? 'use `alembic stamp head` (as migrate-command once, or locally) to mark the database as up to date.' : "use the tool's own command to mark migrations as applied (e.g. alembic stamp, prisma migrate resolve --applied, flyway baseline).",
        });
    }
}
/** status-command: run after the history tables were read, without the lock (it only reads). */
async function runStatusCommand(settings, runtime, result, env, signal) {
    const command = settings.command.status;
    const target = postgresTarget(settings, settings.target, 'status-command');
    const run = await runToolCommand({
        inputName: 'status-command',
        command,
        cwd: settings.command.dir,
        timeoutMs: settings.command.timeoutMs,
        target,
        input: (0,src_settings/* inputLabel */.NB)(settings.origin, 'target-url'),
        lock: false,
        lockTimeoutMs: 0,
        connectAttempts: settings.connectAttempts,
        connectTimeoutMs: settings.connectTimeoutMs,
        runtime,
        runLabel: `cutover/${settings.mode}/${settings.runId}`,
        env,
        ...(signal ? { signal } : {}),
    });
    if (run.stopped || run.exitCode !== 0)
        throw commandFailure(run, { inputName: 'status-command', command, cwd: settings.command.dir, timeoutMs: settings.command.timeoutMs, reports: [], mode: 'status' });
    result.notes.push(`status-command \`${command}\` succeeded; its output is in the log${run.tail.length ? `, ending: ${run.tail.slice(-3).map((l) => l.trim()).filter(Boolean).join(' ⏎ ')}` : ''}.`);
}
/**
 * The command that undoes what a migrate-command step applied: rollback-command when set, else for
 * Alembic a downgrade to the head recorded before the step; undefined when cutover cannot know it.
 */
function toolRollback(settings, step) {
    if (settings.command.rollback)
        return settings.command.rollback;
    const before = step.run.before.histories.find((h) => h.tool === 'alembic');
    const changed = step.reports.find((r) => r.tool === 'alembic')?.changed ?? [];
    if (!changed.length || (before && before.records.length > 1))
        return undefined;
    const head = before?.records[0]?.id ?? 'base';
    const dir = external_node_path_default().relative(settings.workingDirectory, settings.command.dir);
    return `${dir ? `cd ${(0,shell_quote/* shellQuote */.Z)(dir)} && ` : ''}alembic downgrade ${head}`;
}

;// CONCATENATED MODULE: ./src/engine/status-mode.ts
// status: what every migration tool of the database records (its history table, read-only) and what
// is pending (from the tool's files, when they can be listed), cutover's own migrations included.
// A migrations-dir holding another tool's files (Alembic's .py revisions) is named as such instead of
// "no migrations found".









async function runStatusMode(settings, runtime, result, env, signal) {
    const target = settings.target;
    const snapshot = await inspectHistories(target, {
        input: (0,src_settings/* inputLabel */.NB)(settings.origin, 'target-url'),
        connectAttempts: settings.connectAttempts,
        connectTimeoutMs: settings.connectTimeoutMs,
        runtime,
        runLabel: `cutover/${settings.mode}/${settings.runId}`,
    });
    const dirTool = foreignToolOfDir(settings.migrationsDir);
    // A Supabase CLI directory as migrations-dir is cutover's own (without a migrate-command that runs the CLI).
    const native = dirTool && NATIVE_TOOLS.includes(dirTool) && !settings.command.migrate ? [dirTool] : [];
    const reports = reportTools({
        after: snapshot,
        mode: 'status',
        migrationsDir: settings.migrationsDir,
        projectDir: settings.command.dir,
        baseDir: settings.workingDirectory,
        ...(settings.command.migrate ? { command: settings.command.migrate } : {}),
        native,
    });
    const ownTable = snapshot.histories.some((h) => h.tool === 'cutover');
    const dirIsAnotherTools = (dirTool !== undefined && !native.includes(dirTool)) || reports.some((r) => r.filesDir && external_node_path_default().resolve(r.filesDir) === external_node_path_default().resolve(settings.migrationsDir));
    // cutover's own status: for its own files, or its own table; and as before when nothing else is there.
    if (!dirIsAnotherTools && (external_node_fs_default().existsSync(settings.migrationsDir) || ownTable || reports.length === 0)) {
        await applyMigrationStep(migrationOptions(settings, runtime, 'status', target, undefined, signal), result);
    }
    applyToolReports(result, reports, snapshot, runtime);
    if (settings.command.status)
        await runStatusCommand(settings, runtime, result, env, signal);
    const pending = result.migrations.filter((m) => m.status === 'pending').length;
    result.notes.push(`${pending} migration${pending === 1 ? '' : 's'} pending.`);
}

;// CONCATENATED MODULE: ./src/engine/migration-mode.ts







function migrationOptions(settings, runtime, mode, target, input, signal) {
    return {
        mode,
        target,
        migrationsDir: settings.migrationsDir,
        ...(settings.to !== undefined ? { to: settings.to } : {}),
        steps: settings.steps,
        allowChangedMigrations: settings.allowChangedMigrations,
        lockTimeoutMs: settings.lockTimeoutMs,
        migrationLockTimeoutMs: settings.migrationLockTimeoutMs,
        migrationStatementTimeoutMs: settings.migrationStatementTimeoutMs,
        connectAttempts: settings.connectAttempts,
        connectTimeoutMs: settings.connectTimeoutMs,
        appliedBy: settings.appliedBy,
        runtime,
        input: input ?? (0,src_settings/* inputLabel */.NB)(settings.origin, 'target-url'),
        runLabel: `cutover/${settings.mode}/${settings.runId}`,
        // The runner stops between (and inside) migrations when it is aborted (MigrationOptions.signal).
        ...(signal ? { signal } : {}),
    };
}
/**
 * Runs the migration step and records its entries and warnings on the result. A cancelled step
 * throws a CancelledError saying which migrations this run changed (from the entries the runner
 * attached to its error as `outcome`, like MigrationError; without them, that it cannot tell).
 */
async function applyMigrationStep(options, result) {
    let outcome;
    try {
        outcome = await runMigrations(options);
    }
    catch (error) {
        if (!(error instanceof errors/* CancelledError */.cc))
            throw error;
        const partial = error.outcome;
        const detail = error.message && !/^Cancelled \(/.test(error.message) ? ` ${error.message}` : '';
        throw Object.assign(new errors/* CancelledError */.cc(`${(0,cancellation_line/* migrationsSentence */.X1)(options.mode, partial?.entries)}${detail}`, { cause: error }), partial ? { outcome: partial } : {});
    }
    result.migrations = outcome.entries;
    result.history = outcome.history;
    result.warnings.push(...outcome.warnings);
    return outcome;
}
async function runMigrationMode(settings, runtime, result, signal, env = process.env) {
    const mode = settings.mode;
    if (mode === 'status')
        return runStatusMode(settings, runtime, result, env, signal);
    // Another tool's command runs instead of cutover's own migrations (src/engine/command-mode.ts).
    if (mode === 'migrate' && settings.command.migrate)
        return runCommandMode(settings, runtime, result, 'migrate', env, signal);
    if (mode === 'rollback' && settings.command.rollback)
        return runCommandMode(settings, runtime, result, 'rollback', env, signal);
    refuseWithoutToolCommand(settings);
    refuseAnotherToolsDirectory(settings);
    const outcome = await applyMigrationStep(migrationOptions(settings, runtime, mode, settings.target, undefined, signal), result);
    const verb = { migrate: 'applied', rollback: 'rolled back', baseline: 'baselined' }[mode];
    const names = outcome.applied;
    result.notes.push(`${names.length} migration${names.length === 1 ? '' : 's'} ${verb}.`);
}

// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
;// CONCATENATED MODULE: ./src/engine/reproduce-command.ts
// The commands a report prints for users to run: "reproduce locally" (the run itself) and the
// rollback of a cutover's migrations. They name the exact release that wrote the report
// (`npx cutover@<version>`) and carry every flag the run used that changes what the command does,
// as the CLI spells it; defaults are left out. URLs are shown redacted: the reader substitutes their
// own credentials (the report says so).





/** `npx cutover@0.1.0`: the same release, fetched by npx when it is not installed. */
const CLI_COMMAND = `npx ${version/* PACKAGE_NAME */.r}@${version/* VERSION */.x}`;
const MIGRATING = ['migrate', 'rollback', 'baseline', 'cutover', 'dry-run'];
const COPYING = ['copy', 'cutover', 'dry-run'];
const READING_SOURCE = ['copy', 'verify', 'cutover', 'dry-run'];
/** A path as the user would type it: relative to the working directory when it is inside it. */
function relativePath(settings, file) {
    const relative = external_node_path_default().relative(settings.workingDirectory, file);
    return relative === '' ? '.' : relative.startsWith('..') || external_node_path_default().isAbsolute(relative) ? file : relative;
}
function reproduce_command_location(settings, place) {
    return place.kind === 'sqlite' ? `sqlite:${relativePath(settings, place.path)}` : (0,database_url/* displayLocation */.S5)(place);
}
const reproduce_command_seconds = (ms) => String(Math.round(ms / 1000));
/** The flags (name → value; `true` for a bare boolean flag, `false` for `--no-<name>`) of `settings` run as `mode`. */
function flagsFor(settings, mode) {
    const flags = [];
    const add = (name, value) => {
        if (value === undefined || value === '')
            return;
        if (typeof value === 'string' && value === src_settings/* INPUT_DEFAULTS */.WJ[name])
            return;
        if (typeof value === 'boolean' && String(value) === (src_settings/* INPUT_DEFAULTS */.WJ[name] ?? 'false'))
            return;
        flags.push([name, value]);
    };
    const { copy, dryRun } = settings;
    if (settings.target)
        add('target-url', reproduce_command_location(settings, settings.target));
    else if (mode === 'dry-run' && dryRun.database.kind === 'auto')
        add('dry-run-database', 'local');
    if (settings.source && READING_SOURCE.includes(mode))
        add('source-url', reproduce_command_location(settings, settings.source));
    if (mode !== 'copy' && mode !== 'verify')
        add('migrations-dir', relativePath(settings, settings.migrationsDir));
    if (mode === 'migrate' || mode === 'rollback' || mode === 'baseline')
        add('to', settings.to);
    if (mode === 'rollback')
        add('steps', String(settings.steps));
    if (mode !== 'copy' && mode !== 'verify')
        add('allow-changed-migrations', settings.allowChangedMigrations);
    if (MIGRATING.includes(mode)) {
        add('lock-timeout', reproduce_command_seconds(settings.lockTimeoutMs));
        add('migration-lock-timeout', reproduce_command_seconds(settings.migrationLockTimeoutMs));
        add('migration-statement-timeout', reproduce_command_seconds(settings.migrationStatementTimeoutMs));
    }
    const copies = COPYING.includes(mode) && (mode !== 'dry-run' || settings.source !== undefined);
    if (copies || mode === 'verify') {
        if (copy.include.length)
            add('include', copy.include.join(','));
        if (copy.exclude.length)
            add('exclude', copy.exclude.join(','));
    }
    if (copies) {
        add('create-tables', copy.createTables);
        if (copy.createTables)
            add('create-tables-lengths', copy.createTablesLengths);
        add('on-error', copy.onError);
        // The default rejects file lives in a temp directory; one inside the project was chosen.
        const rejects = relativePath(settings, copy.rejectsFile);
        if (copy.onError === 'skip' && !external_node_path_default().isAbsolute(rejects))
            add('rejects-file', rejects);
        add('if-target-not-empty', copy.ifTargetNotEmpty);
    }
    if (copies || mode === 'verify') {
        add('jobs', String(copy.jobs));
        // cutover always verifies with checksums, whatever the setting.
        if (mode !== 'cutover')
            add('checksums', copy.checksums);
    }
    if (mode === 'dry-run') {
        if (copy.sampleRows)
            add('sample-rows', String(copy.sampleRows));
        const database = dryRun.database;
        if (database.kind === 'url')
            add('dry-run-database', (0,database_url/* displayLocation */.S5)(database.location));
        else if (database.kind !== 'auto')
            add('dry-run-database', database.kind);
        if (database.kind === 'url')
            add('dry-run-database-reset', dryRun.reset);
        if (database.kind === 'docker' || database.kind === 'auto')
            add('postgres-version', dryRun.postgresVersion);
        add('schema-from', dryRun.schemaFrom);
        add('base-ref', dryRun.baseRef);
        add('dry-run-timeout', reproduce_command_seconds(dryRun.timeoutMs));
    }
    // Another tool's commands (only those the mode runs).
    if (['migrate', 'cutover', 'dry-run', 'status'].includes(mode))
        add('migrate-command', settings.command.migrate);
    if (mode === 'rollback')
        add('rollback-command', settings.command.rollback);
    if (mode === 'status')
        add('status-command', settings.command.status);
    if (settings.command.migrate || settings.command.rollback || settings.command.status) {
        const dir = relativePath(settings, settings.command.dir);
        if (dir !== '.')
            add('migrate-command-dir', dir);
        add('migrate-command-timeout', reproduce_command_seconds(settings.command.timeoutMs));
    }
    add('connect-attempts', String(settings.connectAttempts));
    add('connect-timeout', reproduce_command_seconds(settings.connectTimeoutMs));
    return flags;
}
function render(mode, flags) {
    const args = [CLI_COMMAND, mode];
    for (const [name, value] of flags) {
        if (value === true)
            args.push(`--${name}`);
        else if (value === false)
            args.push(`--no-${name}`);
        else
            args.push(`--${name}`, (0,shell_quote/* shellQuote */.Z)(value));
    }
    return args.join(' ');
}
/** The command that runs this run again from a terminal. */
function reproduceCommand(settings) {
    return render(settings.mode, flagsFor(settings, settings.mode));
}
/** The command that rolls back the `steps` migrations a run applied to its target (cutover's rollback section). */
function rollbackCommand(settings, steps) {
    const { to: _untilThisRunsFirst, ...rest } = settings;
    return render('rollback', flagsFor({ ...rest, mode: 'rollback', steps }, 'rollback'));
}

;// CONCATENATED MODULE: ./src/engine/data-modes.ts
// copy / verify / cutover. The source is only ever read; the copy is all-or-nothing (see
// src/copy/copy-data.ts), so a failure leaves the target's data as it was.











function copyOptions(settings, runtime, target, overrides = {}, signal) {
    return {
        source: settings.source,
        target,
        copy: { ...settings.copy, ...overrides },
        connectAttempts: settings.connectAttempts,
        connectTimeoutMs: settings.connectTimeoutMs,
        runtime,
        sourceInput: (0,src_settings/* inputLabel */.NB)(settings.origin, 'source-url'),
        targetInput: (0,src_settings/* inputLabel */.NB)(settings.origin, 'target-url'),
        lockTimeoutMs: settings.lockTimeoutMs,
        tableLockAttemptMs: settings.migrationLockTimeoutMs,
        requireEveryRow: settings.mode === 'cutover',
        runLabel: `cutover/${settings.mode}/${settings.runId}`,
        ...(signal ? { signal } : {}),
    };
}
function describeMismatch(t) {
    if (t.missingInTarget)
        return `${t.table} (missing in the target: not compared)`;
    const rows = `source ${t.sourceRows ?? '?'} rows, target ${t.targetRows ?? '?'} rows`;
    if (t.differences)
        return `${t.table} (${rows}; ${(0,describe_differences/* describeDifferences */.g)(t.differences)})`;
    return `${t.table} (${rows}${t.checksumMatch === false ? ', checksums differ' : ''}${t.differingKeys?.length ? `, first differing keys ${t.differingKeys.slice(0, 3).join(', ')}` : ''})`;
}
function mismatchError(tables) {
    const differing = tables.filter((t) => t.missingInTarget || t.sourceRows !== t.targetRows || t.checksumMatch === false);
    const missing = differing.filter((t) => t.missingInTarget).length;
    const list = differing.slice(0, 10).map(describeMismatch).join('; ');
    return new errors/* VerifyError */.Gz(`Verification failed: ${differing.length} table${differing.length === 1 ? '' : 's'} differ between source and target: ${list}${differing.length > 10 ? '; …' : ''}.`, {
        fix: missing === differing.length
            ? 'create the missing tables in the target (run the migrations), or leave them out with exclude.'
            : 'see the tables section of the report; rerun with if-target-not-empty: truncate to copy again, or inspect the differing keys.',
    });
}
/** A copy whose verification before COMMIT found differences: it was rolled back. */
function copyMismatchError(tables) {
    const error = mismatchError(tables);
    return new errors/* VerifyError */.Gz(`${error.message.replace(/\.$/, '')}. The copy was verified before COMMIT and rolled back: the target is as it was.`, {
        fix: 'see the differing keys in the report: rows changed on their way in (a trigger or rule of the target, or a column default) or the source changed; fix that and run the copy again.',
    });
}
/**
 * Copies (and verifies, before commit) into `target`. A difference throws (nothing was committed);
 * rejected rows (on-error: skip) leave the copy committed but not verified. A cancelled copy throws a
 * CancelledError saying what it left: the copy throws the signal's reason only when it rolled back
 * (src/copy/load/load-groups.ts: its commit phase is not interrupted), and returns only after COMMIT.
 */
async function applyCopyStep(options, result, left = cancellation_line/* copySentence */.Dz) {
    if (options.signal?.aborted)
        throw new errors/* CancelledError */.cc(left('not-started'), { cause: options.signal.reason });
    let outcome;
    try {
        outcome = await copyData(options);
    }
    catch (error) {
        if (error instanceof errors/* CancelledError */.cc && error === options.signal?.reason)
            throw new errors/* CancelledError */.cc(left('rolled-back'), { cause: error });
        throw error;
    }
    result.tables = outcome.tables;
    result.leftOut = outcome.leftOut;
    if (outcome.schema)
        result.schema = outcome.schema;
    result.warnings.push(...outcome.warnings);
    result.verified = outcome.verified;
    if (outcome.rejectedRows > 0)
        result.rejected = { rows: outcome.rejectedRows, file: outcome.rejectsFile ?? options.copy.rejectsFile };
    if (!outcome.matched)
        throw copyMismatchError(outcome.tables);
}
async function runCopyMode(settings, runtime, result, signal) {
    await applyCopyStep(copyOptions(settings, runtime, settings.target, {}, signal), result);
}
async function runVerifyMode(settings, runtime, result, signal) {
    const outcome = await verifyData({
        source: settings.source,
        target: settings.target,
        include: settings.copy.include,
        exclude: settings.copy.exclude,
        checksums: settings.copy.checksums,
        jobs: settings.copy.jobs,
        connectAttempts: settings.connectAttempts,
        connectTimeoutMs: settings.connectTimeoutMs,
        runtime,
        sourceInput: (0,src_settings/* inputLabel */.NB)(settings.origin, 'source-url'),
        targetInput: (0,src_settings/* inputLabel */.NB)(settings.origin, 'target-url'),
        // Verify only reads: run-mode stops waiting for it on a cancel; a verifier that takes a signal stops too.
        ...(signal ? { signal } : {}),
    });
    result.tables = outcome.tables;
    result.leftOut = outcome.leftOut;
    result.verified = outcome.verified;
    result.warnings.push(...outcome.warnings);
    if (!outcome.verified)
        throw mismatchError(outcome.tables);
}
/** migrate → copy → verify (checksums always on), then say how to go back. */
async function runCutoverMode(settings, runtime, result, signal, env = process.env) {
    const target = settings.target;
    const targetText = (0,database_url/* displayLocation */.S5)(target);
    const sourceText = (0,database_url/* displayLocation */.S5)(settings.source);
    let appliedByThisRun = [];
    let commandStep;
    let copy = 'not started';
    result.rollback = [
        `The source (${sourceText}) was only read: until the application is switched over it remains the system of record.`,
        `After switching, roll back by pointing the application's database URL back at the source; writes made to the target since the switch are not copied back.`,
    ];
    try {
        const migrationsPresent = external_node_fs_default().existsSync(settings.migrationsDir);
        if (settings.command.migrate) {
            // Another tool migrates the target, under cutover's lock (src/engine/command-mode.ts).
            try {
                commandStep = await applyCommandStep(settings, runtime, { mode: 'migrate', target, input: (0,src_settings/* inputLabel */.NB)(settings.origin, 'target-url'), env, ...(signal ? { signal } : {}) });
            }
            catch (error) {
                if (error instanceof errors/* CancelledError */.cc)
                    throw new errors/* CancelledError */.cc(`${error.message.replace(/\.$/, '')}; the copy had not started.`, { cause: error });
                throw error;
            }
            recordCommandStep(result, runtime, settings, 'migrate', commandStep);
            appliedByThisRun = commandStep.reports.flatMap((r) => r.changed);
        }
        else if (migrationsPresent || !settings.copy.createTables) {
            try {
                const outcome = await runtime.group('Migrate the target', () => applyMigrationStep(migrationOptions(settings, runtime, 'migrate', target, undefined, signal), result));
                appliedByThisRun = outcome.applied;
            }
            catch (error) {
                if (error instanceof errors/* CancelledError */.cc)
                    throw new errors/* CancelledError */.cc(`${error.message.replace(/\.$/, '')}; the copy had not started.`, { cause: error });
                throw error;
            }
        }
        else {
            result.notes.push(`No migrations directory (${settings.migrationsDir}): target tables are created from the source schema (create-tables).`);
        }
        if (signal?.aborted)
            throw new errors/* CancelledError */.cc((0,cancellation_line/* copySentence */.Dz)('not-started', appliedByThisRun), { cause: signal.reason });
        // No enclosing group: the copy opens one group per table, and Actions log groups do not nest.
        copy = 'failed';
        await applyCopyStep(copyOptions(settings, runtime, target, { checksums: true }, signal), result, (state) => (0,cancellation_line/* copySentence */.Dz)(state, appliedByThisRun));
        copy = 'committed';
        result.notes.push('Every table matched before commit: row counts and checksums.');
    }
    catch (error) {
        if (copy === 'failed' && error instanceof errors/* CutoverError */.DB && error.targetLeftPartial)
            copy = 'not started';
        if (copy === 'failed' && error instanceof errors/* CancelledError */.cc)
            copy = 'cancelled';
        throw error;
    }
    finally {
        if (appliedByThisRun.length > 0 && commandStep) {
            const undo = toolRollback(settings, commandStep);
            result.rollback.push(`Undo this run's ${appliedByThisRun.length} migration${appliedByThisRun.length === 1 ? '' : 's'} (${appliedByThisRun.join(', ')}) with the tool that applied ${appliedByThisRun.length === 1 ? 'it' : 'them'}${undo ? ', DATABASE_URL set to the target: the command below' : ''}.`);
            if (undo)
                result.rollbackCommand = undo;
        }
        else if (appliedByThisRun.length > 0) {
            result.rollback.push(`Undo this run's ${appliedByThisRun.length} migration${appliedByThisRun.length === 1 ? '' : 's'} on the target with the command below.`);
            result.rollbackCommand = rollbackCommand(settings, appliedByThisRun.length);
        }
        if (copy === 'committed') {
            result.rollback.push('The copy committed every row after verifying it. To copy again over it, rerun with if-target-not-empty: truncate.');
        }
        else if (copy === 'cancelled') {
            result.rollback.push(`The copy was cancelled and rolled back: no row was written to the target's tables${appliedByThisRun.length > 0 ? ' (the migrations this run applied remain; see above)' : ''}.`);
        }
        else if (copy === 'failed') {
            result.rollback.push(`The copy failed and was rolled back: no row was written to the target's tables${appliedByThisRun.length > 0 ? ' (the migrations this run applied remain; see above)' : ''}. After fixing the cause, run the cutover again.`);
        }
    }
}

;// CONCATENATED MODULE: ./src/engine/partial-outcome.ts
function absorbPartialOutcome(result, error) {
    const carrier = error;
    if (carrier?.outcome?.entries && result.migrations.length === 0)
        result.migrations = carrier.outcome.entries;
    if (carrier?.outcome?.history && result.history === undefined)
        result.history = carrier.outcome.history;
    if (carrier?.outcome?.warnings)
        result.warnings.push(...carrier.outcome.warnings.filter((w) => !result.warnings.includes(w)));
    if (Array.isArray(carrier?.tables) && result.tables.length === 0)
        result.tables = carrier.tables;
}

// EXTERNAL MODULE: ./src/db/throwaway/docker-postgres.ts
var docker_postgres = __webpack_require__(5059);
// EXTERNAL MODULE: ./src/db/throwaway/run-command.ts
var run_command = __webpack_require__(946);
;// CONCATENATED MODULE: ./src/db/throwaway/local-binaries.ts
// Finds PostgreSQL server binaries (initdb, pg_ctl, postgres) on this machine: the directory
// `pg_config --bindir` names, Debian/Ubuntu's /usr/lib/postgresql/<major>/bin (GitHub's Ubuntu
// runners ship one), and wherever initdb is on PATH. Only directories that hold all three count.



const REQUIRED = ['initdb', 'pg_ctl', 'postgres'];
function hasServerBinaries(dir) {
    return REQUIRED.every((name) => external_node_fs_default().existsSync(external_node_path_default().join(dir, name)));
}
/** "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)" → { major: 15, version: '15.14' } */
function parsePostgresVersion(output) {
    const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(output);
    if (!match)
        return undefined;
    return { major: Number(match[1]), version: match[2] !== undefined ? `${match[1]}.${match[2]}` : match[1] };
}
async function candidateDirs(env, debianRoot) {
    const dirs = [];
    const pgConfig = await (0,run_command/* runCommand */.d1)(['pg_config', '--bindir'], { timeoutMs: 10_000 });
    if (pgConfig.code === 0 && pgConfig.stdout.trim())
        dirs.push(pgConfig.stdout.trim());
    try {
        const majors = external_node_fs_default().readdirSync(debianRoot)
            .filter((name) => /^\d+(\.\d+)?$/.test(name))
            .sort((a, b) => Number(b) - Number(a));
        for (const major of majors)
            dirs.push(external_node_path_default().join(debianRoot, major, 'bin'));
    }
    catch {
        // not Debian/Ubuntu
    }
    for (const dir of (env.PATH ?? '').split((external_node_path_default()).delimiter))
        if (dir && external_node_fs_default().existsSync(external_node_path_default().join(dir, 'initdb')))
            dirs.push(dir);
    return [...new Set(dirs.map((dir) => external_node_path_default().resolve(dir)))];
}
/**
 * All usable server installations, highest major first; with `preferredMajor`, an installation of
 * that major comes first.
 */
async function findPostgresBinaries(options = {}) {
    const found = [];
    for (const bindir of await candidateDirs(options.env ?? process.env, options.debianRoot ?? '/usr/lib/postgresql')) {
        if (!hasServerBinaries(bindir))
            continue;
        const result = await (0,run_command/* runCommand */.d1)([external_node_path_default().join(bindir, 'postgres'), '--version'], { timeoutMs: 10_000 });
        const parsed = result.code === 0 ? parsePostgresVersion(result.stdout) : undefined;
        if (parsed)
            found.push({ bindir, ...parsed });
    }
    return found.sort((a, b) => {
        if (options.preferredMajor !== undefined && (a.major === options.preferredMajor) !== (b.major === options.preferredMajor)) {
            return a.major === options.preferredMajor ? -1 : 1;
        }
        return b.major - a.major;
    });
}

// EXTERNAL MODULE: ./src/db/throwaway/local-postgres.ts + 1 modules
var local_postgres = __webpack_require__(9421);
// EXTERNAL MODULE: ./src/db/throwaway/teardown.ts
var teardown = __webpack_require__(9931);
;// CONCATENATED MODULE: ./src/db/throwaway/provision-throwaway.ts
// Chooses and starts the throwaway PostgreSQL a dry run writes to (input dry-run-database):
// `docker` (official image), `local` (this machine's server binaries) or `auto` (docker when an
// engine answers, else local binaries, else an error listing every way to provide one).
// A URL given as dry-run-database never comes here: the caller uses it as is.






const THREE_WAYS = 'give the dry run a PostgreSQL in one of three ways: (1) dry-run-database: a postgresql:// URL, e.g. of a `services: postgres` container in the job; ' +
    '(2) a Docker engine (dry-run-database: docker); (3) PostgreSQL server binaries on the runner (dry-run-database: local; GitHub-hosted Ubuntu runners have them, elsewhere `apt-get install postgresql`).';
function handle(server, provider) {
    return {
        location: server.location,
        provider,
        ...(server.serverVersion ? { serverVersion: server.serverVersion } : {}),
        stateFile: server.stateFile,
        teardown: async () => {
            await (0,teardown/* teardownFromStateFile */.C)(server.stateFile);
        },
    };
}
async function provisionLocal(options) {
    const wanted = Number.parseInt(options.postgresVersion, 10);
    const [binaries] = await findPostgresBinaries(Number.isNaN(wanted) ? {} : { preferredMajor: wanted });
    if (!binaries)
        return undefined;
    if (!Number.isNaN(wanted) && binaries.major !== wanted) {
        options.runtime.info(`PostgreSQL ${wanted} server binaries are not installed here; the dry run uses the local PostgreSQL ${binaries.version} instead.`);
    }
    return handle(await (0,local_postgres/* provisionLocalPostgres */.Gy)({ binaries, runtime: options.runtime, ...(options.baseDir ? { baseDir: options.baseDir } : {}) }), 'local');
}
async function provisionDocker(options) {
    return handle(await (0,docker_postgres/* provisionDockerPostgres */.by)({ postgresVersion: options.postgresVersion, runtime: options.runtime, ...(options.baseDir ? { baseDir: options.baseDir } : {}) }), 'docker');
}
async function provisionThrowawayPostgres(options) {
    const { runtime } = options;
    if (options.kind === 'docker') {
        if (!(await (0,docker_postgres/* dockerAvailable */.g$)())) {
            throw new errors/* ProvisionError */.uv('dry-run-database is docker, but no Docker engine answers (`docker info` failed).', { fix: `start Docker or ${THREE_WAYS}` });
        }
        return provisionDocker(options);
    }
    if (options.kind === 'local') {
        const local = await provisionLocal(options);
        if (!local)
            throw new errors/* ProvisionError */.uv('dry-run-database is local, but no PostgreSQL server binaries (initdb, pg_ctl, postgres) were found.', { fix: THREE_WAYS });
        return local;
    }
    if (await (0,docker_postgres/* dockerAvailable */.g$)()) {
        try {
            return await provisionDocker(options);
        }
        catch (error) {
            runtime.warning(`The Docker throwaway database failed (${error.message}); trying local PostgreSQL binaries.`);
        }
    }
    else {
        runtime.info('No Docker engine answers; looking for local PostgreSQL server binaries.');
    }
    const local = await provisionLocal(options);
    if (local)
        return local;
    throw new errors/* ProvisionError */.uv('No throwaway PostgreSQL for the dry run: no Docker engine answers and no PostgreSQL server binaries were found.', { fix: THREE_WAYS });
}

// EXTERNAL MODULE: ./src/db/ssl-options.ts
var ssl_options = __webpack_require__(1231);
;// CONCATENATED MODULE: ./src/dry-run/copy-target-schema.ts
// schema-from: target — copy the real target's schema (read-only) and its migration history into the
// throwaway database with pg_dump | psql, so the dry run applies only what is pending in production.



function libpqEnv(location) {
    // Credentials travel in the environment, never on a command line that `ps` or a log could show.
    const ssl = (0,ssl_options/* chooseSsl */.Q)(location);
    return {
        ...process.env,
        PGHOST: location.host,
        PGPORT: String(location.port),
        PGDATABASE: location.database,
        PGUSER: location.user,
        ...(location.password !== undefined ? { PGPASSWORD: location.password } : {}),
        PGSSLMODE: ssl.mode,
        ...(location.sslrootcert ? { PGSSLROOTCERT: location.sslrootcert } : {}),
        PGAPPNAME: 'cutover',
    };
}
/** Runs a client program; its output, or an error with the last lines it printed. */
async function run(argv, env, input) {
    const result = await (0,run_command/* runCommand */.d1)(argv, { env, ...(input !== undefined ? { input } : {}) });
    if (result.code !== 0)
        throw new Error(`${argv[0]} failed: ${(0,run_command/* outputTail */.ci)(result, 3)}`);
    return result.stdout;
}
/** `pg_dump --version` → major, e.g. 15. */
async function pgDumpMajor() {
    const text = await run(['pg_dump', '--version'], process.env);
    const match = /(\d+)(?:\.\d+)?/.exec(text);
    return match ? Number(match[1]) : 0;
}
async function copyTargetSchema(target, throwaway, targetMajor, historyTable) {
    let dumpMajor;
    try {
        dumpMajor = await pgDumpMajor();
    }
    catch (cause) {
        throw new errors/* ProvisionError */.uv('schema-from: target needs pg_dump, which is not installed on this runner.', {
            cause,
            fix: 'install the PostgreSQL client (apt-get install postgresql-client-<major>) or use schema-from: migrations.',
        });
    }
    if (dumpMajor < targetMajor) {
        throw new errors/* ProvisionError */.uv(`schema-from: target needs pg_dump ${targetMajor} or newer, but this runner has pg_dump ${dumpMajor}.`, {
            fix: `install postgresql-client-${targetMajor} from the PGDG apt repository in an earlier step, or use schema-from: migrations.`,
        });
    }
    const dump = (args) => run(['pg_dump', '--no-owner', '--no-privileges', '--quote-all-identifiers', ...args], libpqEnv(target));
    const schema = await dump(['--schema-only']);
    const history = await dump(['--data-only', `--table=${historyTable}`]).catch(() => '');
    try {
        await run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction'], libpqEnv(throwaway), `${schema}\n${history}`);
    }
    catch (cause) {
        throw new errors/* ProvisionError */.uv(`Loading the target's schema into the throwaway database failed.`, {
            cause,
            fix: 'use schema-from: migrations, or make sure the target schema does not depend on extensions the throwaway server lacks.',
        });
    }
}

// EXTERNAL MODULE: ./src/report/pull-request-event.ts
var pull_request_event = __webpack_require__(7706);
;// CONCATENATED MODULE: ./src/dry-run/new-migrations.ts
// Which migrations a pull request adds: those whose files are not on the PR's base commit. These
// are the ones that will run on deploy, so the report marks them. Uses git: the base commit must be
// in the checkout; actions/checkout fetches a single commit by default, so we try one shallow fetch
// of it and otherwise say how to fix the checkout.



const FETCH_FIX = 'use actions/checkout with `fetch-depth: 0` (or fetch the base branch) so the base commit is available.';
/** The migration name of a file in the migrations directory: `<id>_<name>` (see migrate/migration-files.ts). */
function migrationNameOf(file) {
    const match = /^(\d+_[A-Za-z0-9][A-Za-z0-9_-]*)\.(?:up\.sql|down\.sql|js|mjs)$/.exec(file);
    return match?.[1];
}
async function git(args, cwd, timeoutMs = 60_000) {
    const result = await (0,run_command/* runCommand */.d1)(['git', ...args], { cwd, timeoutMs, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    return { ok: result.code === 0, stdout: result.stdout, stderr: result.error ?? result.stderr };
}
async function resolveCommit(ref, root) {
    const result = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
    return result.ok ? result.stdout.trim() : undefined;
}
/** The base commit, fetched once (shallow) from origin when the checkout does not have it. */
async function ensureCommit(ref, root, log) {
    const local = await resolveCommit(ref, root);
    if (local)
        return local;
    log?.debug(`Base commit ${ref} is not in the checkout; fetching it from origin.`);
    const fetched = await git(['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', ref], root, 120_000);
    if (!fetched.ok) {
        log?.debug(`git fetch origin ${ref} failed: ${fetched.stderr.trim().split('\n').pop() ?? ''}`);
        return undefined;
    }
    return (await resolveCommit(ref, root)) ?? (await resolveCommit('FETCH_HEAD', root));
}
function namesIn(files) {
    const names = new Set();
    for (const file of files) {
        const name = migrationNameOf(file);
        if (name)
            names.add(name);
    }
    return names;
}
/**
 * The migrations at `baseRef` and those in `migrationsDir` (working tree) that have no file there.
 * Paths are given to and printed by git relative to the repository root because git runs there.
 */
async function migrationsAtBase(baseRef, migrationsDir, cwd, log) {
    const top = await git(['rev-parse', '--show-toplevel'], cwd);
    if (!top.ok) {
        const why = top.stderr.trim().split('\n').pop() ?? '';
        return { ok: false, problem: `${cwd} is not a git checkout (${why || 'git rev-parse failed'}), so cutover cannot tell which migrations are new in this pull request`, fix: FETCH_FIX };
    }
    const root = external_node_fs_default().realpathSync(top.stdout.trim());
    if (!external_node_fs_default().existsSync(migrationsDir))
        return { ok: true, commit: '', atBase: new Set(), fresh: new Set(), edited: [] };
    const relative = external_node_path_default().relative(root, external_node_fs_default().realpathSync(migrationsDir)).split((external_node_path_default()).sep).join('/');
    if (relative.startsWith('..') || external_node_path_default().isAbsolute(relative)) {
        return { ok: false, problem: `The migrations directory ${migrationsDir} is outside the git checkout ${root}, so cutover cannot tell which migrations are new in this pull request`, fix: 'keep the migrations directory inside the repository that is checked out.' };
    }
    const commit = await ensureCommit(baseRef, root, log);
    if (!commit) {
        return { ok: false, problem: `The pull request's base commit ${baseRef} is not in this checkout (a shallow clone?) and could not be fetched, so cutover cannot tell which migrations are new in this pull request`, fix: FETCH_FIX };
    }
    const listed = await git(['ls-tree', '-r', '-z', '--name-only', commit, '--', relative ? `${relative}/` : '.'], root);
    if (!listed.ok)
        return { ok: false, problem: `git ls-tree ${commit} failed (${listed.stderr.trim()}), so cutover cannot tell which migrations are new in this pull request`, fix: FETCH_FIX };
    const atBase = listed.stdout
        .split('\0')
        .filter(Boolean)
        .filter((file) => external_node_path_default().posix.dirname(file) === (relative || '.'))
        .map((file) => external_node_path_default().posix.basename(file));
    const now = external_node_fs_default().readdirSync(migrationsDir, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name);
    const baseNames = namesIn(atBase);
    const fresh = new Set([...namesIn(now)].filter((name) => !baseNames.has(name)));
    // Up files (not downs: they are not checksummed) that differ between the base commit and the working tree.
    const diff = await git(['diff', '--name-only', '-z', commit, '--', relative ? `${relative}/` : '.'], root);
    const edited = diff.ok
        ? [...new Set(diff.stdout.split('\0').filter((file) => file && !file.endsWith('.down.sql')).map((file) => migrationNameOf(external_node_path_default().posix.basename(file))).filter((name) => name !== undefined && baseNames.has(name)))].sort()
        : [];
    return { ok: true, commit, atBase: baseNames, fresh, edited };
}
/**
 * Names of the migrations in `migrationsDir` (working tree) that have no file at `baseRef`;
 * undefined (with a warning) when that cannot be determined.
 */
async function migrationsNewSince(baseRef, migrationsDir, cwd, log) {
    const base = await migrationsAtBase(baseRef, migrationsDir, cwd, log);
    if (!base.ok) {
        log?.warning(`${base.problem}. Fix: ${base.fix}`);
        return undefined;
    }
    if (base.commit)
        log?.info(describeFresh(base.fresh, base.commit));
    return base.fresh;
}
function describeFresh(fresh, commit) {
    return `${fresh.size} migration${fresh.size === 1 ? ' is' : 's are'} new since ${commit.slice(0, 7)}${fresh.size ? `: ${[...fresh].join(', ')}` : ''}.`;
}

;// CONCATENATED MODULE: ./src/dry-run/dry-run-order.ts
// Which order a dry run can take. The question a reviewer asks is what the PR's new migrations do to
// production, so the throwaway is first brought to production's state: the migrations that exist on
// the PR's base commit (or, with schema-from: target, the real target's schema and history), then the
// data, then the new migrations on top of it. Without a base commit that order cannot be known and
// the dry run falls back to applying every migration before the data, saying so.


/** The base commit: base-ref, else the pull_request event's base SHA. */
function baseRefOf(settings, env) {
    return settings.dryRun.baseRef ?? (env.GITHUB_EVENT_PATH ? (0,pull_request_event/* pullRequestFromEvent */.v)(env.GITHUB_EVENT_PATH)?.baseSha : undefined);
}
const FALLBACK = 'the dry run applied every migration before copying the data (the order it had before it could tell new migrations apart), so no migration was measured and no schema diff was made';
/** `warnings` receives what the report must say besides the log. */
async function planOrder(settings, runtime, env, fileNames, warnings) {
    const baseRef = baseRefOf(settings, env);
    const base = baseRef ? await migrationsAtBase(baseRef, settings.migrationsDir, settings.workingDirectory, runtime) : undefined;
    if (base?.ok && base.commit)
        runtime.info(describeFresh(base.fresh, base.commit));
    if (settings.dryRun.schemaFrom === 'target') {
        // The target's own history is the base; git only marks which migrations are new in the PR.
        if (base && !base.ok)
            runtime.warning(`${base.problem}. Fix: ${base.fix}`);
        return { kind: 'base-then-new', ...(base?.ok && base.commit ? { baseCommit: base.commit, fresh: base.fresh } : {}) };
    }
    if (!base) {
        const input = settings.origin === 'action' ? 'base-ref' : '--base-ref';
        return { kind: 'fallback', reason: `No base commit to compare the migrations with (${input} is empty and this is not a pull_request run): ${FALLBACK}. Fix: run the dry run on pull_request events, or pass ${input}.` };
    }
    if (!base.ok)
        return { kind: 'fallback', reason: `${base.problem}: ${FALLBACK}. Fix: ${base.fix}` };
    if (base.edited.length > 0) {
        const [one, list] = [base.edited.length === 1, base.edited.join(', ')];
        const warning = `This pull request edits ${one ? 'a migration' : 'migrations'} the base commit already has (${list}): production ran ${one ? 'its' : 'their'} base version, and deploying fails the checksum check (unless allow-changed-migrations). ` +
            `The dry run applied the edited version${one ? '' : 's'} as part of the base state, so ${one ? 'it was' : 'they were'} not measured. Fix: put the change in a new migration and restore ${list} as ${one ? 'it was' : 'they were'}.`;
        runtime.warning(warning);
        warnings.push(warning);
    }
    const baseNames = new Set(fileNames.filter((name) => base.atBase.has(name)));
    if (baseNames.size === 0 && settings.source)
        return { kind: 'new-then-data', baseCommit: base.commit, fresh: base.fresh };
    return { kind: 'base-then-new', baseCommit: base.commit, baseNames, fresh: base.fresh };
}

;// CONCATENATED MODULE: ./src/dry-run/data-failure-example.ts


const IDENT = String.raw `(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const NAME = String.raw `(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const PROBE_MS = 20_000;
const BATCH = 2_000;
const data_failure_example_SHOWN = 60;
function tableInStatement(sql) {
    const pattern = new RegExp(String.raw `^\s*(?:ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?|UPDATE\s+(?:ONLY\s+)?|INSERT\s+INTO\s+|DELETE\s+FROM\s+(?:ONLY\s+)?|CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:${IDENT}\s+)?ON\s+(?:ONLY\s+)?)${NAME}`, 'i');
    return pattern.exec(sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, ''))?.[1];
}
/** The first `ALTER [COLUMN] c [SET DATA] TYPE t [USING e]` of the statement. */
function typeChange(sql) {
    const match = new RegExp(String.raw `ALTER\s+(?:COLUMN\s+)?(${IDENT})\s+(?:SET\s+DATA\s+)?TYPE\s+([\s\S]+?)(?:\s+COLLATE\s+\S+)?(?:\s+USING\s+([\s\S]+?))?\s*(?:,\s*(?:ALTER|ADD|DROP|RENAME|SET|VALIDATE)\b|;?\s*$)`, 'i').exec(sql);
    if (!match)
        return undefined;
    return { column: match[1], type: match[2].trim(), ...(match[3] ? { using: match[3].trim() } : {}) };
}
async function resolveTable(client, name) {
    const { rows } = await client.query(`SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`, [name]);
    if (!rows[0]?.oid)
        return undefined;
    return { oid: Number(rows[0].oid), display: displayName(rows[0].schema, rows[0].name), sql: `${(0,pg_identifiers/* quoteIdent */.v4)(rows[0].schema)}.${(0,pg_identifiers/* quoteIdent */.v4)(rows[0].name)}` };
}
async function keyOf(client, table, ctid) {
    const { rows: key } = await client.query(`SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1 AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`, [table.oid]);
    if (key.length === 0)
        return `the row at ctid ${ctid}`;
    const { rows } = await client.query(`SELECT ${key.map((k, i) => `${(0,pg_identifiers/* quoteIdent */.v4)(k.name)}::text AS k${i}`).join(', ')} FROM ${table.sql} WHERE ctid = $1::tid`, [ctid]);
    return key.map((k, i) => `${k.name}=${rows[0]?.[`k${i}`] ?? '?'}`).join(', ');
}
function shown(value) {
    if (value === null)
        return 'NULL';
    const clipped = value.length > data_failure_example_SHOWN ? `${value.slice(0, data_failure_example_SHOWN - 1)}…` : value;
    return `'${clipped.replace(/'/g, "''")}' (${[...value].length} characters)`;
}
/** Bisects rows in ctid order until one fails the cast the type change would make; its ctid. */
async function firstFailingRow(client, table, change) {
    const expression = change.using ?? change.column;
    const fails = async (ctids) => {
        await client.query('SAVEPOINT cutover_probe');
        try {
            await client.query(`INSERT INTO pg_temp.cutover_probe SELECT ${expression} FROM ${table.sql} WHERE ctid = ANY($1::tid[])`, [ctids]);
            return false;
        }
        catch {
            return true;
        }
        finally {
            await client.query('ROLLBACK TO SAVEPOINT cutover_probe');
        }
    };
    await client.query(`CREATE TEMP TABLE cutover_probe (v ${change.type}) ON COMMIT DROP`);
    let after = '(0,0)';
    for (;;) {
        const { rows } = await client.query(`SELECT ctid::text AS ctid FROM ${table.sql} WHERE ctid > $1::tid ORDER BY ctid LIMIT ${BATCH}`, [after]);
        if (rows.length === 0)
            return undefined;
        let batch = rows.map((r) => r.ctid);
        if (await fails(batch)) {
            while (batch.length > 1) {
                const half = batch.slice(0, Math.ceil(batch.length / 2));
                batch = (await fails(half)) ? half : batch.slice(half.length);
            }
            return batch[0];
        }
        after = batch[batch.length - 1];
    }
}
/** Table, column and one offending row of a migration statement that failed on the data; best effort. */
async function explainDataFailure(client, sql, error) {
    const named = error.table ? `${(0,pg_identifiers/* quoteIdent */.v4)(error.schema ?? 'public')}.${(0,pg_identifiers/* quoteIdent */.v4)(error.table)}` : tableInStatement(sql);
    if (!named)
        return {};
    const table = await resolveTable(client, named).catch(() => undefined);
    if (!table)
        return {};
    const failure = { table: table.display };
    await client.query('BEGIN');
    try {
        await client.query(`SET LOCAL statement_timeout = ${PROBE_MS}`);
        const change = error.code?.startsWith('22') ? typeChange(sql) : undefined;
        if (change) {
            failure.column = change.column.replace(/^"|"$/g, '');
            const ctid = await firstFailingRow(client, table, change);
            if (ctid) {
                const { rows } = await client.query(`SELECT (${change.column})::text AS v FROM ${table.sql} WHERE ctid = $1::tid`, [ctid]);
                failure.example = `${await keyOf(client, table, ctid)} has ${failure.column} = ${shown(rows[0]?.v ?? null)}`;
            }
        }
        else if (error.code === '23502' && error.column) {
            failure.column = error.column;
            const { rows } = await client.query(`SELECT ctid::text AS ctid FROM ${table.sql} WHERE ${(0,pg_identifiers/* quoteIdent */.v4)(error.column)} IS NULL LIMIT 1`);
            if (rows[0])
                failure.example = `${await keyOf(client, table, rows[0].ctid)} has ${error.column} = NULL`;
        }
    }
    catch {
        // No example within the time limit (or the statement could not be read): the table is still named.
    }
    finally {
        await client.query('ROLLBACK').catch(() => undefined);
    }
    return failure;
}

;// CONCATENATED MODULE: ./src/dry-run/schema/schema-snapshot.ts



const USER = `n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;
const NOT_EXTENSION = (classid, oid) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${classid}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
async function readSchema(client) {
    const q = async (sql) => (await client.query(sql)).rows;
    const tables = await q(`
    SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS force
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND ${USER} AND c.relname NOT IN ('${HISTORY_TABLE}', '${JOURNAL_TABLE}') AND ${NOT_EXTENSION('pg_class', 'c.oid')}`);
    const snapshot = { tables: new Map(), sequences: new Map(), enums: new Map(), views: new Map() };
    const byOid = new Map();
    for (const t of tables) {
        const table = {
            oid: Number(t.oid),
            name: displayName(t.schema, t.name),
            rowSecurity: t.rls ? (t.force ? 'enabled, forced' : 'enabled') : 'disabled',
            columns: new Map(),
            constraints: new Map(),
            indexes: new Map(),
            triggers: new Map(),
            policies: new Map(),
        };
        snapshot.tables.set(table.name, table);
        byOid.set(table.oid, table);
    }
    if (byOid.size > 0) {
        const oids = `ARRAY[${[...byOid.keys()].join(',')}]::oid[]`;
        for (const c of await q(`
      SELECT a.attrelid::int8 AS rel, a.attname AS name, a.attnum, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
             pg_get_expr(ad.adbin, ad.adrelid) AS def, a.attidentity AS identity, a.attgenerated AS generated
        FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
       WHERE a.attrelid = ANY(${oids}) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum`)) {
            const column = { attnum: c.attnum, type: c.type, notNull: c.notnull };
            if (c.identity)
                column.identity = c.identity === 'a' ? 'generated always as identity' : 'generated by default as identity';
            else if (c.generated)
                column.generated = `generated always as (${c.def}) stored`;
            else if (c.def !== null)
                column.default = c.def;
            byOid.get(Number(c.rel)).columns.set(c.name, column);
        }
        for (const c of await q(`
      SELECT conrelid::int8 AS rel, oid::int8 AS oid, conname AS name, contype AS type, pg_get_constraintdef(oid) AS def
        FROM pg_constraint WHERE conrelid = ANY(${oids}) AND contype IN ('p', 'u', 'f', 'c', 'x') ORDER BY conname`)) {
            byOid.get(Number(c.rel)).constraints.set(c.name, { oid: Number(c.oid), type: c.type, definition: c.def });
        }
        for (const i of await q(`
      SELECT x.indrelid::int8 AS rel, x.indexrelid::int8 AS oid, n.nspname AS schema, c.relname AS name, pg_get_indexdef(x.indexrelid) AS def
        FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE x.indrelid = ANY(${oids}) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u', 'x')) ORDER BY c.relname`)) {
            byOid.get(Number(i.rel)).indexes.set(displayName(i.schema, i.name), { oid: Number(i.oid), definition: i.def });
        }
        for (const t of await q(`
      SELECT tgrelid::int8 AS rel, oid::int8 AS oid, tgname AS name, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = ANY(${oids}) AND NOT tgisinternal ORDER BY tgname`)) {
            byOid.get(Number(t.rel)).triggers.set(t.name, { oid: Number(t.oid), definition: t.def });
        }
        for (const p of await q(`
      SELECT polrelid::int8 AS rel, oid::int8 AS oid, polname AS name,
             concat_ws(' ', CASE WHEN polpermissive THEN 'permissive' ELSE 'restrictive' END,
               'for', CASE polcmd WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update' WHEN 'd' THEN 'delete' ELSE 'all' END,
               'to', (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END, ', ' ORDER BY r) FROM unnest(polroles) r),
               'using (' || pg_get_expr(polqual, polrelid) || ')', 'with check (' || pg_get_expr(polwithcheck, polrelid) || ')') AS def
        FROM pg_policy WHERE polrelid = ANY(${oids}) ORDER BY polname`)) {
            byOid.get(Number(p.rel)).policies.set(p.name, { oid: Number(p.oid), definition: p.def });
        }
    }
    // Sequences owned by a column (serial, identity) go with the column's default.
    for (const s of await q(`
    SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name,
           format('%s increment %s minvalue %s maxvalue %s start %s%s', format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart, CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END) AS def
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
     WHERE ${USER} AND ${NOT_EXTENSION('pg_class', 'c.oid')}
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))`)) {
        snapshot.sequences.set(displayName(s.schema, s.name), { oid: Number(s.oid), definition: s.def });
    }
    for (const e of await q(`
    SELECT t.oid::int8 AS oid, n.nspname AS schema, t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
     WHERE ${USER} AND ${NOT_EXTENSION('pg_type', 't.oid')} GROUP BY t.oid, n.nspname, t.typname`)) {
        snapshot.enums.set(displayName(e.schema, e.name), { oid: Number(e.oid), labels: e.labels, definition: e.labels.map((l) => `'${l.replace(/'/g, "''")}'`).join(', ') });
    }
    for (const v of await q(`
    SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind, pg_get_viewdef(c.oid, true) AS def
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('v', 'm') AND ${USER} AND ${NOT_EXTENSION('pg_class', 'c.oid')}`)) {
        snapshot.views.set(displayName(v.schema, v.name), { oid: Number(v.oid), kind: v.kind === 'm' ? 'materialized view' : 'view', definition: v.def.trim() });
    }
    return snapshot;
}
/** A column's definition in one line: "text not null default 'x'::text". */
function columnDefinition(column) {
    return [column.type, column.notNull ? 'not null' : 'null', column.default !== undefined ? `default ${column.default}` : '', column.identity ?? '', column.generated ?? ''].filter(Boolean).join(' ');
}

;// CONCATENATED MODULE: ./src/dry-run/schema/schema-diff.ts

/** Type changes that keep every value (and need no cast that can fail). */
function widens(from, to) {
    if (from === to)
        return true;
    const length = (type) => /^(character varying|character|bit varying)\((\d+)\)$/.exec(type);
    const [f, t] = [length(from), length(to)];
    if (f && (to === 'text' || to === 'character varying' || (t && t[1] === f[1] && Number(t[2]) >= Number(f[2])) || (f[1] === 'character' && t?.[1] === 'character varying' && Number(t[2]) >= Number(f[2]))))
        return true;
    const ints = ['smallint', 'integer', 'bigint'];
    if (ints.includes(from) && ints.includes(to) && ints.indexOf(to) >= ints.indexOf(from))
        return true;
    if (ints.includes(from) && to === 'numeric')
        return true;
    const numeric = (type) => /^numeric\((\d+),(\d+)\)$/.exec(type);
    const [nf, nt] = [numeric(from), numeric(to)];
    if (nf && to === 'numeric')
        return true;
    if (nf && nt && nt[2] === nf[2] && Number(nt[1]) >= Number(nf[1]))
        return true;
    if (from === 'real' && to === 'double precision')
        return true;
    return false;
}
function byOid(items) {
    return new Map([...items].map(([name, item]) => [item.oid, [name, item]]));
}
/** Constraints, indexes, triggers, policies, sequences, views: by oid, then by name and definition. */
function members(kind, before, after, destructive = () => false) {
    const changes = [];
    const afterOids = byOid(after);
    const matched = new Set();
    const dropped = [];
    for (const [name, old] of before) {
        const found = afterOids.get(old.oid);
        if (!found) {
            dropped.push([name, old]);
            continue;
        }
        matched.add(old.oid);
        const [newName, now] = found;
        if (newName !== name)
            changes.push({ kind, name: newName, change: 'renamed', from: name, ...(old.definition !== now.definition ? { before: old.definition, after: now.definition } : {}), destructive: false });
        else if (old.definition !== now.definition)
            changes.push({ kind, name, change: 'changed', before: old.definition, after: now.definition, destructive: destructive() });
    }
    const added = [...after].filter(([, item]) => !matched.has(item.oid));
    for (const [name, old] of dropped) {
        // Rebuilt under a new oid (ALTER COLUMN TYPE recreates indexes and constraints): same name.
        const again = added.findIndex(([newName]) => newName === name);
        if (again >= 0) {
            const [, now] = added.splice(again, 1)[0];
            if (now.definition !== old.definition)
                changes.push({ kind, name, change: 'changed', before: old.definition, after: now.definition, destructive: destructive() });
            continue;
        }
        changes.push({ kind, name, change: 'dropped', before: old.definition, destructive: false });
    }
    for (const [name, now] of added)
        changes.push({ kind, name, change: 'added', after: now.definition, destructive: false });
    return changes;
}
function columns(before, after, held) {
    const changes = [];
    const byNumber = new Map([...after.columns].map(([name, column]) => [column.attnum, [name, column]]));
    const seen = new Set();
    for (const [name, old] of before.columns) {
        const found = byNumber.get(old.attnum);
        if (!found) {
            const rows = held?.columns.get(name);
            changes.push({ kind: 'column', name, change: 'dropped', before: columnDefinition(old), destructive: true, ...(rows !== undefined ? { rows } : {}) });
            continue;
        }
        seen.add(old.attnum);
        const [newName, now] = found;
        const [was, is] = [columnDefinition(old), columnDefinition(now)];
        const destructive = !widens(old.type, now.type);
        if (newName !== name)
            changes.push({ kind: 'column', name: newName, change: 'renamed', from: name, ...(was !== is ? { before: was, after: is } : {}), destructive });
        else if (was !== is)
            changes.push({ kind: 'column', name, change: 'changed', before: was, after: is, destructive });
    }
    for (const [name, now] of after.columns)
        if (!seen.has(now.attnum))
            changes.push({ kind: 'column', name, change: 'added', after: columnDefinition(now), destructive: false });
    return changes;
}
function tableMembers(before, after, held) {
    const changes = [
        ...columns(before, after, held),
        ...members('constraint', before.constraints, after.constraints),
        ...members('index', before.indexes, after.indexes),
        ...members('trigger', before.triggers, after.triggers),
        ...members('policy', before.policies, after.policies),
    ];
    if (before.rowSecurity !== after.rowSecurity)
        changes.push({ kind: 'row-security', name: 'row-level security', change: 'changed', before: before.rowSecurity, after: after.rowSecurity, destructive: false });
    return changes;
}
const EMPTY = { oid: 0, name: '', rowSecurity: 'disabled', columns: new Map(), constraints: new Map(), indexes: new Map(), triggers: new Map(), policies: new Map() };
const CHANGE_ORDER = { dropped: 0, changed: 1, renamed: 2, added: 3 };
const byWeight = (a, b) => Number(b.destructive) - Number(a.destructive) || CHANGE_ORDER[a.change] - CHANGE_ORDER[b.change];
/** Before → after the new migrations; `held` (counts before them) gives the rows dropped objects held. */
function diffSchemas(before, after, held = new Map()) {
    const tables = [];
    const afterTables = byOid(after.tables);
    const kept = new Set();
    for (const [name, old] of before.tables) {
        const found = afterTables.get(old.oid);
        if (!found) {
            const rows = held.get(name)?.rows;
            tables.push({ table: name, change: 'dropped', destructive: true, ...(rows !== undefined ? { rows } : {}), items: [] });
            continue;
        }
        kept.add(old.oid);
        const [newName, now] = found;
        const items = tableMembers(old, now, held.get(name)).sort(byWeight);
        if (newName !== name)
            tables.push({ table: newName, change: 'renamed', from: name, destructive: items.some((i) => i.destructive), items });
        else if (items.length > 0)
            tables.push({ table: name, change: 'changed', destructive: items.some((i) => i.destructive), items });
    }
    for (const [name, now] of after.tables) {
        if (!kept.has(now.oid))
            tables.push({ table: name, change: 'added', destructive: false, items: tableMembers(EMPTY, now) });
    }
    tables.sort((a, b) => byWeight(a, b) || a.table.localeCompare(b.table));
    const enumDestructive = (name) => () => {
        const [was, is] = [before.enums.get(name)?.labels ?? [], after.enums.get(name)?.labels ?? []];
        return was.some((label) => !is.includes(label));
    };
    const enums = members('enum', before.enums, after.enums).map((change) => ({ ...change, destructive: change.change === 'changed' && enumDestructive(change.name)() }));
    const others = [...members('sequence', before.sequences, after.sequences), ...enums, ...members('view', before.views, after.views)].sort((a, b) => byWeight(a, b) || a.name.localeCompare(b.name));
    return { tables, others };
}
function flatten(snapshot) {
    const flat = new Map();
    for (const [name, table] of snapshot.tables) {
        flat.set(`table ${name}`, `row-level security ${table.rowSecurity}`);
        // Column order is not compared: a down can only add a column back at the end.
        for (const [column, definition] of table.columns)
            flat.set(`column ${name}.${column}`, columnDefinition(definition));
        for (const [constraint, member] of table.constraints)
            flat.set(`constraint ${constraint} on ${name}`, member.definition);
        for (const [index, member] of table.indexes)
            flat.set(`index ${index}`, member.definition);
        for (const [trigger, member] of table.triggers)
            flat.set(`trigger ${trigger} on ${name}`, member.definition);
        for (const [policy, member] of table.policies)
            flat.set(`policy ${policy} on ${name}`, member.definition);
    }
    for (const [name, member] of snapshot.sequences)
        flat.set(`sequence ${name}`, member.definition);
    for (const [name, member] of snapshot.enums)
        flat.set(`enum ${name}`, member.definition);
    for (const [name, member] of snapshot.views)
        flat.set(`${member.kind} ${name}`, member.definition);
    return flat;
}
function schemaDifferences(expected, actual) {
    const [want, have] = [flatten(expected), flatten(actual)];
    const differences = [];
    for (const [object, definition] of want) {
        if (!have.has(object))
            differences.push({ object, expected: definition });
        else if (have.get(object) !== definition)
            differences.push({ object, expected: definition, actual: have.get(object) });
    }
    for (const [object, definition] of have)
        if (!want.has(object))
            differences.push({ object, actual: definition });
    return differences.sort((a, b) => a.object.localeCompare(b.object));
}

;// CONCATENATED MODULE: ./src/dry-run/down-check.ts






/** Where and why, without the runner's advice for a real database (this one is thrown away). */
function whyFailed(error) {
    if (!(error instanceof errors/* MigrationError */.Py))
        return (0,errors/* formatError */.Wk)(error);
    const where = error.file ? `${error.file}${error.line ? `:${error.line}` : ''}: ` : '';
    return (0,redact/* redact */.E$)(`${where}${(0,errors/* describeCause */.V$)(error.cause ?? error)}`);
}
async function hasDown(file) {
    if (file.kind === 'sql')
        return file.downPath !== undefined;
    return typeof (await loadJsMigration(file).catch(() => ({ down: undefined }))).down === 'function';
}
async function checkDowns(input) {
    const { applied, after, base, files, monitor } = input;
    // A down that fails is reported in the dry run's report; it does not fail the step.
    const runtime = { ...input.runtime, error: (message, annotation) => input.runtime.warning(message, annotation) };
    const run = (mode, extra) => runMigrations({ ...input.options, runtime, mode, ...extra });
    const results = [];
    const reverted = [];
    let blocked;
    let history = (await run('status', {})).history;
    for (let i = applied.length - 1; i >= 0; i--) {
        const migration = applied[i];
        const down = await hasDown(files.get(migration));
        if (blocked) {
            results.push({ migration, outcome: down ? 'not-checked' : 'missing', ...(down ? { reason: blocked } : {}) });
            continue;
        }
        if (!down) {
            results.push({ migration, outcome: 'missing' });
            blocked = `${migration}, after it, has no down`;
            continue;
        }
        if (history.at(-1) !== migration) {
            results.push({ migration, outcome: 'not-checked', reason: `it sorts before ${history.at(-1)}, which the base commit already had` });
            blocked = `${migration} could not be taken down on its own`;
            continue;
        }
        try {
            history = (await run('rollback', { steps: 1 })).history;
        }
        catch (error) {
            if (error instanceof errors/* CancelledError */.cc)
                throw error;
            results.push({ migration, outcome: 'failed', error: whyFailed(error) });
            blocked = `the down of ${migration}, after it, failed`;
            continue;
        }
        reverted.unshift(migration);
        const differences = schemaDifferences(i === 0 ? base : after[i - 1], await readSchema(monitor));
        if (differences.length > 0) {
            results.push({ migration, outcome: 'differs', differences });
            blocked = `the down of ${migration}, after it, did not restore the schema`;
        }
        else {
            results.push({ migration, outcome: 'verified' });
        }
    }
    if (reverted.length === 0)
        return { results, reapply: { outcome: 'not-run' } };
    try {
        await run('migrate', { only: new Set(reverted) });
    }
    catch (error) {
        if (error instanceof errors/* CancelledError */.cc)
            throw error;
        return { results, reapply: { outcome: 'failed', migrations: reverted, error: whyFailed(error) } };
    }
    const differences = schemaDifferences(after[after.length - 1], await readSchema(monitor));
    return { results, reapply: { outcome: differences.length ? 'differs' : 'same', migrations: reverted, ...(differences.length ? { differences } : {}) } };
}

// EXTERNAL MODULE: ./src/dry-run/measure/impact-rules.ts
var impact_rules = __webpack_require__(7919);
// EXTERNAL MODULE: ./src/dry-run/measure/lock-modes.ts
var lock_modes = __webpack_require__(9326);
;// CONCATENATED MODULE: ./src/dry-run/measure/catalog-state.ts




const catalog_state_USER = `n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;
const STATE_SQL = `
SELECT
  (SELECT coalesce(json_agg(json_build_array(c.oid, c.relfilenode, c.relkind, n.nspname, c.relname, i.indrelid, c.relnatts)), '[]')
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid
    WHERE c.relkind IN ('r', 'p', 'm', 'i', 'S', 'v', 'f') AND ${catalog_state_USER}) AS relations,
  (SELECT coalesce(json_agg(json_build_array(a.attrelid, a.attnum, a.attname)), '[]')
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE a.attnotnull AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND ${catalog_state_USER}) AS not_null,
  (SELECT coalesce(json_agg(json_build_array(co.oid, co.conrelid, co.contype, co.conname, co.convalidated)), '[]')
     FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace
    WHERE co.contype IN ('c', 'f') AND co.conrelid <> 0 AND ${catalog_state_USER}) AS constraints`;
async function readCatalogState(client) {
    const { rows } = await client.query(STATE_SQL);
    const row = rows[0];
    const relations = new Map();
    for (const [oid, relfilenode, relkind, schema, name, table, columns] of row.relations) {
        relations.set(Number(oid), { oid: Number(oid), relfilenode: Number(relfilenode), relkind: String(relkind), schema: String(schema), name: String(name), columns: Number(columns), ...(table ? { table: Number(table) } : {}) });
    }
    const notNull = new Map();
    for (const [rel, num, name] of row.not_null)
        notNull.set(`${rel}:${num}`, String(name));
    const constraints = new Map();
    for (const [oid, table, type, name, validated] of row.constraints)
        constraints.set(Number(oid), { table: Number(table), type: type, name: String(name), validated: Boolean(validated) });
    return { relations, notNull, constraints };
}
/** As people read it and SQL accepts it: public.users, public."Order Details". */
function qualifiedName(relation) {
    return displayName(relation.schema, relation.name);
}
/** Whether a relation is cutover's own (the migration history), not the application's. */
function isOwnRelation(relation) {
    return relation.name === HISTORY_TABLE;
}
/** Relation locks held by a backend: (relation oid, mode). `pid` undefined: the connection's own backend. */
async function relationLocks(client, pid) {
    const { rows } = await client.query(`SELECT relation::int8 AS oid, mode FROM pg_locks WHERE pid = ${pid === undefined ? 'pg_backend_pid()' : '$1'} AND locktype = 'relation' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, pid === undefined ? [] : [pid]);
    return rows.filter((r) => (0,lock_modes/* isLockMode */.n9)(r.mode)).map((r) => ({ oid: Number(r.oid), mode: r.mode }));
}
/**
 * One sample of the relation locks of another backend, taken only while it is running a statement
 * (state active): a sample taken before the statement reached the server or after it ended says nothing.
 */
async function sampleLocks(client, pid) {
    const { rows } = await client.query(`SELECT (SELECT state = 'active' FROM pg_stat_activity WHERE pid = $1) AS active,
            (SELECT json_agg(json_build_object('oid', relation::int8, 'mode', mode)) FROM pg_locks
              WHERE pid = $1 AND locktype = 'relation' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS locks`, [pid]);
    if (!rows[0]?.active)
        return undefined;
    return (rows[0].locks ?? []).filter((r) => (0,lock_modes/* isLockMode */.n9)(r.mode)).map((r) => ({ oid: Number(r.oid), mode: r.mode }));
}
/** Exact row count of a table, as the connection sees it (inside the migration's transaction: with its changes). */
async function countRows(client, relation) {
    const { rows } = await client.query(`SELECT count(*) AS n FROM ${(0,pg_identifiers/* quoteIdent */.v4)(relation.schema)}.${(0,pg_identifiers/* quoteIdent */.v4)(relation.name)}`);
    return Number(rows[0].n);
}

;// CONCATENATED MODULE: ./src/dry-run/measure/statement-meter.ts



/** Relations whose locks matter to the application (indexes are locked with their table). */
const LOCKED_KINDS = new Set(['r', 'p', 'm', 'v', 'f', 'S']);
const SQL_SHOWN = 400;
const SAMPLE_EVERY_MS = 2;
/** A new migration ran longer than dry-run-timeout on the throwaway. */
class DryRunTimeout extends Error {
    migration;
    timeoutMs;
    constructor(migration, timeoutMs) {
        super(`${migration} ran longer than dry-run-timeout (${Math.round(timeoutMs / 1000)} s) on the throwaway database and was stopped`);
        this.migration = migration;
        this.timeoutMs = timeoutMs;
    }
}
function statementText(sql) {
    const code = sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').replace(/;\s*$/, '').trim();
    return code.length <= SQL_SHOWN ? code : `${code.slice(0, SQL_SHOWN - 1)}…`;
}
function statement_meter_pause(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
class StatementMeter {
    /** Per migration, the statements measured (the failing one included). */
    measured = new Map();
    /** Per migration, the relations (oids) it wrote rows to (ROW EXCLUSIVE) or emptied (TRUNCATE). */
    written = new Map();
    /** Per migration, statements that did not run after a failing one. */
    notRun = new Map();
    timedOut = new Set();
    /** Every relation seen by name, also after it was dropped (oid → schema.name). */
    names = new Map();
    pids = new WeakMap();
    deadlines = new Map();
    options;
    constructor(options) {
        this.options = options;
    }
    async pidOf(client) {
        let pid = this.pids.get(client);
        if (pid === undefined) {
            pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
            this.pids.set(client, pid);
        }
        return pid;
    }
    record(migration, statement) {
        this.measured.set(migration, [...(this.measured.get(migration) ?? []), statement]);
    }
    async observe(unit, execute) {
        const client = unit.database.raw;
        const { timeoutMs, monitor } = this.options;
        if (unit.index === 0) {
            this.measured.delete(unit.migration);
            this.written.delete(unit.migration);
            this.deadlines.set(unit.migration, Date.now() + timeoutMs);
        }
        const deadline = this.deadlines.get(unit.migration) ?? Infinity;
        if (timeoutMs > 0 && Date.now() >= deadline) {
            this.timedOut.add(unit.migration);
            this.notRun.set(unit.migration, unit.total - unit.index);
            throw new DryRunTimeout(unit.migration, timeoutMs);
        }
        const pid = await this.pidOf(client);
        const before = await readCatalogState(client);
        for (const relation of before.relations.values())
            this.names.set(relation.oid, qualifiedName(relation));
        const locksBefore = unit.inTransaction ? await relationLocks(client) : [];
        const statement = {
            index: unit.index,
            line: unit.line,
            ...(unit.sql !== undefined ? { sql: statementText(unit.sql) } : {}),
            inTransaction: unit.inTransaction,
            durationMs: 0,
            locks: [],
            rewrites: [],
            indexesBuilt: [],
            validations: [],
        };
        // A no-transaction statement's locks end with it: sample them while it runs.
        const sampled = new Map();
        let sampling = !unit.inTransaction;
        let samples = 0;
        const sampler = (async () => {
            while (sampling) {
                const locks = await sampleLocks(monitor, pid).catch(() => undefined);
                if (!sampling)
                    break;
                if (locks) {
                    samples += 1;
                    for (const lock of locks)
                        sampled.set(`${lock.oid}:${lock.mode}`, lock);
                }
                await statement_meter_pause(SAMPLE_EVERY_MS);
            }
        })();
        const timer = timeoutMs > 0
            ? setTimeout(() => {
                this.timedOut.add(unit.migration);
                monitor.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
            }, Math.max(0, deadline - Date.now()))
            : undefined;
        const started = performance.now();
        let result;
        try {
            result = await execute();
        }
        catch (error) {
            statement.durationMs = Math.round(performance.now() - started);
            statement.failed = true;
            statement.error = (0,errors/* describeCause */.V$)(error);
            sampling = false;
            await sampler;
            if (!unit.inTransaction)
                statement.locks = this.locksTaken(before, [...sampled.values()]);
            if (!unit.inTransaction)
                statement.lockSamples = samples;
            this.notRun.set(unit.migration, unit.total - unit.index - 1);
            this.record(unit.migration, statement);
            throw error;
        }
        finally {
            if (timer)
                clearTimeout(timer);
        }
        statement.durationMs = Math.round(performance.now() - started);
        sampling = false;
        await sampler;
        const held = unit.inTransaction ? await relationLocks(client) : [...sampled.values()];
        const taken = held.filter((lock) => !locksBefore.some((b) => b.oid === lock.oid && b.mode === lock.mode));
        statement.locks = this.locksTaken(before, taken);
        if (!unit.inTransaction)
            statement.lockSamples = samples;
        const command = result?.command;
        const rowCount = result?.rowCount;
        if (command && ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(command) && typeof rowCount === 'number')
            statement.rows = { command, count: rowCount };
        const after = await readCatalogState(client);
        for (const relation of after.relations.values())
            this.names.set(relation.oid, qualifiedName(relation));
        await this.compare(client, unit, statement, before, after, taken);
        this.record(unit.migration, statement);
        return result;
    }
    /** Strongest lock per relation that existed before the statement (new relations block no one). */
    locksTaken(before, locks) {
        const strongest = new Map();
        for (const lock of locks) {
            const relation = before.relations.get(lock.oid);
            if (!relation || !LOCKED_KINDS.has(relation.relkind) || isOwnRelation(relation))
                continue;
            const known = strongest.get(lock.oid);
            if (!known || (0,lock_modes/* lockStrength */.JP)(lock.mode) > (0,lock_modes/* lockStrength */.JP)(known))
                strongest.set(lock.oid, lock.mode);
        }
        return [...strongest].map(([oid, mode]) => {
            const relation = before.relations.get(oid);
            return { relation: qualifiedName(relation), relkind: relation.relkind, mode, blocks: (0,lock_modes/* blocksOf */.SH)(mode) };
        });
    }
    async compare(client, unit, statement, before, after, taken) {
        const counts = new Map();
        const rowsOf = async (relation) => {
            if (!counts.has(relation.oid))
                counts.set(relation.oid, await countRows(client, relation));
            return counts.get(relation.oid);
        };
        const written = this.written.get(unit.migration) ?? new Set();
        for (const lock of taken)
            if (lock.mode === 'RowExclusiveLock' && before.relations.has(lock.oid))
                written.add(lock.oid);
        for (const [oid, old] of before.relations) {
            const now = after.relations.get(oid);
            if (!now || !['r', 'm'].includes(old.relkind) || isOwnRelation(old))
                continue;
            if (old.relfilenode !== 0 && now.relfilenode !== 0 && old.relfilenode !== now.relfilenode) {
                const rows = await rowsOf(now);
                statement.rewrites.push({ table: qualifiedName(old), rows });
                // A rewrite keeps the rows (ALTER COLUMN TYPE); new storage that is empty is a TRUNCATE.
                if (rows === 0)
                    written.add(oid);
            }
        }
        const tableLock = (oid) => statement.locks.find((l) => l.relation === this.names.get(oid));
        for (const [oid, index] of after.relations) {
            if (index.relkind !== 'i' || before.relations.has(oid) || index.table === undefined)
                continue;
            const table = before.relations.get(index.table);
            if (!table || isOwnRelation(table))
                continue;
            const lock = tableLock(index.table);
            // CONCURRENTLY: outside a transaction, and the table lock seen (if any was seen) blocks nothing.
            const concurrently = !unit.inTransaction && (lock ? lock.blocks === 'nothing' : /\bconcurrently\b/i.test(unit.sql ?? ''));
            statement.indexesBuilt.push({ index: qualifiedName(index), table: qualifiedName(table), rows: await rowsOf(after.relations.get(index.table) ?? table), concurrently });
        }
        for (const [key, column] of after.notNull) {
            if (before.notNull.has(key))
                continue;
            const [rel, num] = key.split(':').map(Number);
            const table = before.relations.get(rel);
            // A column added by this statement (numbered above the old highest) needed no scan of old rows.
            if (!table || num > table.columns)
                continue;
            statement.validations.push({ what: `NOT NULL on column ${column}`, table: qualifiedName(table), rows: await rowsOf(after.relations.get(rel) ?? table) });
        }
        for (const [oid, constraint] of after.constraints) {
            const old = before.constraints.get(oid);
            if (old || !constraint.validated)
                continue;
            const table = before.relations.get(constraint.table);
            if (!table)
                continue;
            // Recreated under the same name (ALTER COLUMN TYPE rebuilds constraints): part of that rewrite.
            if ([...before.constraints.values()].some((c) => c.table === constraint.table && c.name === constraint.name))
                continue;
            statement.validations.push({ what: `${constraint.type === 'c' ? 'CHECK' : 'FOREIGN KEY'} ${constraint.name}`, table: qualifiedName(table), rows: await rowsOf(after.relations.get(constraint.table) ?? table) });
        }
        this.written.set(unit.migration, written);
    }
}

;// CONCATENATED MODULE: ./src/dry-run/table-counts.ts



/** Display name (public.users) → counts, for every ordinary and partitioned table outside the system schemas. */
async function countTables(client, options) {
    const { rows: tables } = await client.query(`
    SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name,
           coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attnum > 0), '{}') AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' AND c.relname <> '${HISTORY_TABLE}'
     GROUP BY c.oid, n.nspname, c.relname ORDER BY 2, 3`);
    const counts = new Map();
    for (const table of tables) {
        const columns = options.columns ? table.columns : [];
        const select = ['count(*) AS "rows"', ...columns.map((column, i) => `count(${(0,pg_identifiers/* quoteIdent */.v4)(column)}) AS c${i}`)].join(', ');
        const { rows } = await client.query(`SELECT ${select} FROM ${(0,pg_identifiers/* quoteIdent */.v4)(table.schema)}.${(0,pg_identifiers/* quoteIdent */.v4)(table.name)}`);
        const row = rows[0];
        counts.set(displayName(table.schema, table.name), { oid: Number(table.oid), rows: Number(row.rows), columns: new Map(columns.map((column, i) => [column, Number(row[`c${i}`])])) });
    }
    return counts;
}

;// CONCATENATED MODULE: ./src/dry-run/tables-after.ts
/**
 * `changedBy`: per table (named as before the new migrations), the migrations that changed its
 * schema; `written`: per migration, the tables (oids) it wrote rows to or rewrote.
 */
function tablesAfter(copied, before, after, changedBy, written) {
    const afterByOid = new Map([...after].map(([name, count]) => [count.oid, { name, count }]));
    const entries = [];
    for (const table of copied) {
        const was = before.get(table);
        if (!was)
            continue;
        const now = afterByOid.get(was.oid);
        const wrote = [...written].filter(([, oids]) => oids.has(was.oid)).map(([migration]) => migration);
        const altered = changedBy.get(table) ?? [];
        const entry = { table, rowsBefore: was.rows, state: 'unchanged', ...(now ? { rowsAfter: now.count.rows } : {}) };
        if (!now)
            entry.state = 'dropped';
        else if (wrote.length > 0)
            entry.state = 'written';
        else if (now.name !== table)
            Object.assign(entry, { state: 'renamed', renamedTo: now.name });
        else if (altered.length > 0)
            entry.state = 'altered';
        if (altered.length > 0)
            entry.by = altered;
        if (wrote.length > 0)
            entry.writtenBy = wrote;
        entries.push(entry);
    }
    return entries;
}
/** Whether the row count after the new migrations must equal the one copied. */
function rowsCompared(entry) {
    return entry.state !== 'written' && entry.state !== 'dropped';
}
/** Tables no new migration wrote to whose row count is not the one they were copied with. */
function unexplainedChanges(entries) {
    return entries.filter((entry) => rowsCompared(entry) && entry.rowsAfter !== entry.rowsBefore);
}

;// CONCATENATED MODULE: ./src/dry-run/measured-phase.ts
// Step (c) and after of a dry run: the new migrations, one runner call each, measured statement by
// statement (measure/statement-meter.ts); the schema and the row counts before them and after each;
// then the schema diff, the warning rules, what can still be compared with the source (tables-after.ts)
// and the down check. A migration that fails keeps what was measured up to its failing statement.













const SOURCE_LINES = 80;
function sourceOf(file) {
    const text = (file.kind === 'sql' ? readSqlFile(file.upPath) : external_node_fs_default().readFileSync(file.upPath, 'utf8')).replace(/\r\n/g, '\n').replace(/\s+$/, '');
    const lines = text.split('\n');
    const clipped = lines.length > SOURCE_LINES ? lines.length - SOURCE_LINES : 0;
    return { file: external_node_path_default().basename(file.upPath), text: clipped ? lines.slice(0, SOURCE_LINES).join('\n') : text, language: file.kind, ...(clipped ? { clippedLines: clipped } : {}) };
}
async function connectMonitor(ctx) {
    const { settings } = ctx;
    return (0,postgres_connect/* connectPostgres */.Mq)(ctx.location, { input: 'the throwaway database', attempts: settings.connectAttempts, connectTimeoutMs: settings.connectTimeoutMs, applicationName: `cutover/${settings.mode}/${settings.runId} measure` });
}
/** Why a new migration failed, told as the dry run knows it: a time limit, or the data it met. */
async function explainFailure(error, migration, meter, monitor, timeoutMs) {
    if (!(error instanceof errors/* MigrationError */.Py) || !migration)
        return error;
    const failed = migration.statements.find((s) => s.failed);
    const statement = failed?.sql ? ` (\`${failed.sql.split('\n')[0].slice(0, 120)}\`)` : '';
    const where = failed ? `line ${failed.line}${statement}` : 'its first statement';
    const measured = migration.statements.filter((s) => !s.failed).length;
    const sofar = `${measured} statement${measured === 1 ? ' was' : 's were'} measured before it (see the report)`;
    const details = { migration: error.migration, ...(error.file ? { file: error.file } : {}), ...(error.line ? { line: error.line } : {}), ...(error.outcome ? { outcome: error.outcome } : {}) };
    if (meter.timedOut.has(migration.name) || error.cause instanceof DryRunTimeout) {
        migration.timedOut = true;
        return new errors/* MigrationError */.Py(`Migration ${migration.name} ran longer than dry-run-timeout (${Math.round(timeoutMs / 1000)} s) on the throwaway database and was stopped at ${where}; its transaction was rolled back. ${sofar}.`, {
            ...details,
            fix: 'make the migration faster on data of this size (batches, CONCURRENTLY, no rewrite), or raise dry-run-timeout if this duration is acceptable in production.',
        });
    }
    const cause = error.cause;
    if (!failed?.sql || !(0,errors/* isPgError */.QO)(cause) || !/^2[23]/.test(cause.code ?? ''))
        return error;
    const found = await explainDataFailure(monitor, failed.sql, cause).catch(() => ({}));
    // A statement that touches no table (SELECT 1/0) did not fail on the data.
    if (!found.table)
        return error;
    const file = error.file ? `${error.file}, ` : '';
    const column = found.column ? `, column ${found.column}` : '';
    const example = found.example ? ` For example ${found.example}.` : '';
    return new errors/* MigrationError */.Py(`Migration ${migration.name} failed on the data (${file}line ${failed.line}${statement}) on table ${found.table}${column}: ${(0,errors/* describeCause */.V$)(cause)}.${example} The rows were copied from the source and matched it before the new migrations ran: this is the migration meeting that data, not bad source data. Its transaction was rolled back. ${sofar}.`, { ...details, cause, fix: 'make the migration handle these rows (clean or convert them first, e.g. an UPDATE before the type change, or a USING clause), or keep the column as it is.' });
}
async function runMeasuredPhase(ctx, input) {
    const { names, report } = input;
    const { settings, runtime } = ctx;
    const files = new Map(input.files.map((f) => [f.name, f]));
    const monitor = await connectMonitor(ctx);
    try {
        const base = await readSchema(monitor);
        const before = await countTables(monitor, { columns: true });
        const baseTables = new Set(before.keys());
        const meter = new StatementMeter({ monitor, timeoutMs: settings.dryRun.timeoutMs });
        const after = [];
        let failure;
        await runtime.group(input.title, async () => {
            if (names.length === 0)
                runtime.info('No new migration to apply.');
            for (const name of names) {
                try {
                    await input.apply(name, meter);
                }
                catch (error) {
                    failure = error;
                    return;
                }
                after.push(await readSchema(monitor));
            }
        });
        report.migrations = [];
        // Per table (by its name before the new migrations), the migrations that changed its schema.
        const changedBy = new Map();
        for (const [i, name] of names.entries()) {
            const file = files.get(name);
            const statements = meter.measured.get(name) ?? [];
            const status = i < after.length ? 'applied' : i === after.length && failure ? 'failed' : 'not-run';
            const entry = ctx.result.migrations.find((m) => m.name === name);
            const measured = {
                name,
                status,
                ...(status !== 'not-run' && entry?.durationMs !== undefined ? { durationMs: entry.durationMs } : {}),
                statements,
                ...(status === 'failed' && meter.notRun.get(name) ? { notRun: meter.notRun.get(name) } : {}),
                findings: (0,impact_rules/* statementFindings */.yo)(statements, { migration: name, baseTables }),
                source: sourceOf(file),
                hasDown: await hasDown(file),
            };
            if (status === 'applied') {
                const own = diffSchemas(i === 0 ? base : after[i - 1], after[i], before);
                measured.findings.push(...(0,impact_rules/* dropFindings */.qN)(own, name));
                for (const table of own.tables)
                    if (table.change !== 'added')
                        changedBy.set(table.from ?? table.table, [...(changedBy.get(table.from ?? table.table) ?? []), name]);
            }
            report.migrations.push(measured);
        }
        report.schemaChanges = diffSchemas(base, after.at(-1) ?? base, before);
        if (failure) {
            const failed = report.migrations.find((m) => m.status === 'failed');
            throw await explainFailure(failure, failed, meter, monitor, settings.dryRun.timeoutMs);
        }
        let mismatched = [];
        if (input.compareData && ctx.result.tables.length > 0) {
            const counts = await countTables(monitor, { columns: false });
            report.tablesAfter = tablesAfter(ctx.result.tables.map((t) => t.table), before, counts, changedBy, meter.written);
            mismatched = unexplainedChanges(report.tablesAfter);
        }
        if (after.length > 0) {
            report.downCheck = await runtime.group('Check the downs of the new migrations', () => checkDowns({ applied: names.slice(0, after.length), after, base, files, options: input.runnerOptions, monitor, runtime }));
        }
        if (mismatched.length > 0) {
            ctx.result.verified = false;
            const list = mismatched.map((t) => `${t.table} (${t.rowsBefore} rows copied, ${t.rowsAfter ?? 0} after the new migrations)`).join(', ');
            throw new errors/* VerifyError */.Gz(`After the new migrations, ${list} no longer ${mismatched.length === 1 ? 'holds' : 'hold'} as many rows as were copied from the source, although no new migration wrote rows to ${mismatched.length === 1 ? 'it' : 'them'} (no INSERT, UPDATE, DELETE or TRUNCATE was seen).`, {
                fix: 'look for what the new migrations did to these tables that cutover could not see (e.g. a function that writes through another connection) and run the dry run again.',
            });
        }
    }
    finally {
        await monitor.end().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/dry-run/migration-ledger.ts
class MigrationLedger {
    touched = new Map();
    latest = [];
    /** Entries of one runner call (its outcome, or the outcome carried by its error). */
    absorb(entries) {
        if (!entries?.length)
            return;
        this.latest = entries;
        for (const entry of entries)
            if (entry.status === 'applied' || entry.status === 'failed')
                this.touched.set(entry.name, entry);
    }
    /** Every migration, with this dry run's own doings; `fresh` marks those new in the PR. */
    entries(fresh) {
        return this.latest.map((entry) => {
            const own = this.touched.get(entry.name) ?? entry;
            return fresh ? { ...own, isNew: fresh.has(entry.name) } : own;
        });
    }
}

;// CONCATENATED MODULE: ./src/dry-run/dry-run-phases.ts






const THROWAWAY = 'the throwaway database';
function dry_run_phases_plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
/** Runs the migration runner on the throwaway and records what it did in the ledger (also when it fails). */
async function migrate(ctx, ledger, fresh, extra = {}, mode = 'migrate') {
    const options = { ...migrationOptions(ctx.settings, ctx.runtime, mode, ctx.location, THROWAWAY, ctx.signal), ...extra };
    try {
        const outcome = await applyMigrationStep(options, ctx.result);
        // In status entries `applied` means applied before: nothing this dry run did.
        ledger.absorb(mode === 'status' ? outcome.entries.map((e) => (e.status === 'applied' ? { ...e, status: 'already-applied' } : e)) : outcome.entries);
        return outcome;
    }
    catch (error) {
        ledger.absorb(error.outcome?.entries);
        throw error;
    }
    finally {
        ctx.result.migrations = ledger.entries(fresh);
    }
}
/** Production's tables have a home in the base state; a source table that does not (a development
 *  database ahead of the base commit) cannot be loaded before the new migrations, and is left out. */
const NOT_IN_BASE = "not in the base state's schema, so its rows cannot be loaded before the new migrations";
async function copySource(ctx, atBase) {
    if (!ctx.settings.source)
        return;
    const options = copyOptions(ctx.settings, ctx.runtime, ctx.location, { ifTargetNotEmpty: 'fail' }, ctx.signal);
    await ctx.runtime.group('Copy the source data', () => applyCopyStep(atBase ? { ...options, leaveOutMissing: NOT_IN_BASE } : options, ctx.result));
}
/** The pending migrations after the base state, up to `to` when given: the ones production would run next. */
async function pendingNames(ctx, ledger, fresh) {
    const status = await migrate(ctx, ledger, fresh, {}, 'status');
    const pending = status.pending;
    const to = ctx.settings.to?.trim();
    if (!to)
        return pending;
    const index = pending.findIndex((name) => name === to || name.startsWith(`${to}_`));
    return index < 0 ? pending : pending.slice(0, index + 1);
}
async function runDryRunPhases(ctx) {
    const { settings, runtime, result } = ctx;
    const files = readMigrationFiles(settings.migrationsDir, { requireMigrations: true });
    const plan = await planOrder(settings, runtime, ctx.env, files.map((f) => f.name), result.warnings);
    const ledger = new MigrationLedger();
    if (plan.kind === 'fallback') {
        runtime.warning(plan.reason);
        result.warnings.push(plan.reason);
        result.dryRun = { order: { kind: 'fallback', reason: plan.reason }, migrations: [], timeoutMs: settings.dryRun.timeoutMs, ...(settings.source && settings.copy.sampleRows ? { sampleRows: settings.copy.sampleRows } : {}) };
        await runtime.group('Apply migrations', () => migrate(ctx, ledger, undefined));
        if (settings.source)
            runtime.info('Copying the source data through the migrations.');
        await copySource(ctx, false);
        return;
    }
    const fresh = plan.fresh;
    // The base came from the pull_request event: the command that reproduces this run names it.
    if (plan.baseCommit && !settings.dryRun.baseRef && result.reproduce)
        result.reproduce += ` --base-ref ${plan.baseCommit}`;
    if (plan.kind === 'base-then-new' && plan.baseNames && plan.baseNames.size > 0) {
        const only = plan.baseNames;
        await runtime.group(`Apply the base commit's ${dry_run_phases_plural(only.size, 'migration')}`, () => migrate(ctx, ledger, fresh, { only }));
    }
    if (plan.kind === 'base-then-new')
        await copySource(ctx, true);
    const names = await pendingNames(ctx, ledger, fresh);
    const order = plan.kind === 'new-then-data'
        ? { kind: 'new-then-data', baseCommit: plan.baseCommit, newMigrations: names }
        : {
            kind: 'base-then-new',
            ...(plan.baseCommit ? { baseCommit: plan.baseCommit } : {}),
            schemaFrom: settings.dryRun.schemaFrom,
            baseMigrations: ctx.result.history?.length ?? 0,
            newMigrations: names,
        };
    result.dryRun = { order, migrations: [], timeoutMs: settings.dryRun.timeoutMs, ...(settings.source && settings.copy.sampleRows ? { sampleRows: settings.copy.sampleRows } : {}) };
    const report = result.dryRun;
    const { mode: _mode, ...runnerOptions } = migrationOptions(settings, runtime, 'migrate', ctx.location, THROWAWAY, ctx.signal);
    await runMeasuredPhase(ctx, {
        title: `Apply the ${dry_run_phases_plural(names.length, 'new migration')}, measured`,
        names,
        files,
        report,
        runnerOptions,
        compareData: plan.kind === 'base-then-new',
        apply: async (name, observer) => void (await migrate(ctx, ledger, fresh, { only: new Set([name]), observer })),
    });
    if (plan.kind === 'new-then-data')
        await copySource(ctx, false);
}

;// CONCATENATED MODULE: ./src/dry-run/dry-run-database-contents.ts


// Schemas of the system: pg_catalog, pg_toast, pg_temp_N, … (names starting pg_ are reserved) and information_schema.
const USER_SCHEMAS = `nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'`;
async function inspectContents(client) {
    const database = (await client.query('SELECT current_database() AS db')).rows[0].db;
    const relations = await client.query(`
    SELECT n.nspname AS schema, c.relname AS name, c.relkind IN ('r', 'p', 'f') AS table
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_SCHEMAS.replace(/nspname/g, 'n.nspname')}
       AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       -- members of an extension
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
       -- sequences owned by a column (serial, identity) go with their table
       AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
     ORDER BY 1, 2`);
    const schemas = await client.query(`SELECT nspname AS name FROM pg_namespace WHERE ${USER_SCHEMAS} AND nspname <> 'public' ORDER BY 1`);
    // Everything created in a schema records a dependency on it.
    const inPublic = await client.query(`SELECT count(*)::int AS n FROM pg_depend WHERE refclassid = 'pg_namespace'::regclass AND refobjid = (SELECT oid FROM pg_namespace WHERE nspname = 'public')`);
    let history;
    const names = [];
    let onlyTables = true;
    for (const row of relations.rows) {
        const qualified = `${row.schema}.${row.name}`;
        if (row.name === HISTORY_TABLE && !history) {
            const count = await client.query(`SELECT count(*)::int AS n FROM ${(0,pg_identifiers/* quoteIdent */.v4)(row.schema)}.${(0,pg_identifiers/* quoteIdent */.v4)(row.name)}`).catch(() => ({ rows: [{ n: -1 }] }));
            history = { table: qualified, applied: count.rows[0].n };
        }
        else {
            names.push(qualified);
            onlyTables &&= row.table;
        }
    }
    return { database, relations: names, onlyTables, ...(history ? { history } : {}), schemas: schemas.rows.map((r) => r.name), publicObjects: inPublic.rows[0].n };
}
/** Nothing a dry run could clash with or that anyone could need. */
function holdsData(contents) {
    return contents.relations.length > 0 || contents.history !== undefined;
}
/** Anything at all that a reset would drop. */
function holdsAnything(contents) {
    return holdsData(contents) || contents.schemas.length > 0 || contents.publicObjects > 0;
}
function listed(names, max = 5) {
    return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … ${names.length - max} more`;
}
/** "2 tables (app.customers, public.notes) and a migration history (public.cutover_migrations, 4 applied)" */
function describeContents(contents) {
    const parts = [];
    if (contents.relations.length) {
        const one = contents.relations.length === 1;
        const noun = contents.onlyTables ? (one ? 'table' : 'tables') : one ? 'table, view or sequence' : 'tables, views or sequences';
        parts.push(`${contents.relations.length} ${noun} (${listed(contents.relations)})`);
    }
    if (contents.history) {
        const applied = contents.history.applied >= 0 ? `, ${contents.history.applied} applied` : '';
        parts.push(`a migration history (${contents.history.table}${applied})`);
    }
    return parts.join(' and ');
}

;// CONCATENATED MODULE: ./src/dry-run/reset-dry-run-database.ts



async function publicSchema(client) {
    const schema = await client.query(`SELECT pg_get_userbyid(nspowner) AS owner, obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = 'public'`);
    if (!schema.rows[0])
        return undefined;
    // grantee 0 is PUBLIC; a NULL acl (the default) yields no rows and needs no grant.
    const grants = await client.query(`SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS grantee, a.privilege_type AS privilege, a.is_grantable AS grantable
       FROM pg_namespace n, aclexplode(n.nspacl) a
      WHERE n.nspname = 'public'
      ORDER BY a.grantee <> n.nspowner, a.grantee`);
    return { owner: schema.rows[0].owner, comment: schema.rows[0].comment, grants: grants.rows };
}
/** Drops every non-system schema and recreates `public` as it was; returns the schemas dropped. */
async function resetDryRunDatabase(client, input) {
    const schemas = (await client.query(`SELECT nspname AS name FROM pg_namespace WHERE ${USER_SCHEMAS} ORDER BY nspname = 'public', nspname`)).rows.map((r) => r.name);
    const saved = await publicSchema(client);
    const database = (await client.query('SELECT current_database() AS db')).rows[0].db;
    let step = '';
    try {
        await client.query('BEGIN');
        for (const schema of schemas) {
            step = `DROP SCHEMA ${(0,pg_identifiers/* quoteIdent */.v4)(schema)} CASCADE`;
            await client.query(step);
        }
        if (saved && schemas.includes('public')) {
            step = `CREATE SCHEMA public AUTHORIZATION ${(0,pg_identifiers/* quoteIdent */.v4)(saved.owner)}`;
            await client.query(step);
            for (const grant of saved.grants) {
                const grantee = grant.grantee === 'PUBLIC' ? 'PUBLIC' : (0,pg_identifiers/* quoteIdent */.v4)(grant.grantee);
                step = `GRANT ${grant.privilege} ON SCHEMA public TO ${grantee}${grant.grantable ? ' WITH GRANT OPTION' : ''}`;
                await client.query(step);
            }
            if (saved.comment !== null) {
                step = `COMMENT ON SCHEMA public IS ${(0,pg_identifiers/* quoteLiteral */.ce)(saved.comment)}`;
                await client.query(step);
            }
        }
        await client.query('COMMIT');
    }
    catch (cause) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new errors/* ProvisionError */.uv(`dry-run-database-reset could not empty database "${database}" (${input}): \`${step}\` failed, so nothing was dropped.`, {
            cause,
            fix: `connect as the owner of the database and its schemas (or a superuser), or empty it yourself, or give ${input} a fresh database.`,
        });
    }
    return schemas;
}

;// CONCATENATED MODULE: ./src/dry-run/same-database.ts
// Is the dry-run database the target (or the source)? Asked on the servers (src/db/same-database.ts);
// when the other side cannot be reached, the URLs are compared and the caller says so.



const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|0:0:0:0:0:0:0:1)$/i;
/** Same host (loopback spellings folded together), port and database name. */
function sameByUrl(a, b) {
    const host = (location) => (LOOPBACK.test(location.host) ? 'loopback' : location.host.toLowerCase());
    return host(a) === host(b) && a.port === b.port && a.database === b.database;
}
/** Compares the database at `probe` with the one at `other` on the servers themselves. */
async function compareDatabases(probe, other, options) {
    const marker = `cutover-probe-${external_node_crypto_default().randomBytes(6).toString('hex')}`;
    const probeClient = await (0,postgres_connect/* connectPostgres */.Mq)(probe, { input: options.probeInput, attempts: 1, connectTimeoutMs: options.connectTimeoutMs, applicationName: marker });
    try {
        let otherClient;
        try {
            otherClient = await (0,postgres_connect/* connectPostgres */.Mq)(other, { input: options.otherInput, attempts: 1, connectTimeoutMs: options.connectTimeoutMs });
        }
        catch (error) {
            return { same: 'unknown', reason: error.message, urlsMatch: sameByUrl(probe, other) };
        }
        try {
            return await compareConnections(probeClient, otherClient, options.otherInput);
        }
        finally {
            await otherClient.end().catch(() => undefined);
        }
    }
    finally {
        await probeClient.end().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/dry-run/guard-dry-run-database.ts






function elsewhere(origin) {
    const [name, pick] = origin === 'action' ? ['dry-run-database', 'dry-run-database: local or docker'] : ['--dry-run-database', '--dry-run-database local or docker'];
    return `point ${name} at a database that is only for dry runs (a services: postgres container, or another database on the same server), or use ${pick}`;
}
async function refuseIfSameAs(settings, runtime, throwaway, side) {
    const other = side === 'target-url' ? settings.target : settings.source;
    if (other?.kind !== 'postgres')
        return;
    const dryInput = (0,src_settings/* inputLabel */.NB)(settings.origin, 'dry-run-database');
    const otherInput = (0,src_settings/* inputLabel */.NB)(settings.origin, side);
    const sameness = await compareDatabases(throwaway, other, { probeInput: dryInput, otherInput, connectTimeoutMs: Math.min(settings.connectTimeoutMs, 10_000) });
    const refuse = (how) => {
        const what = side === 'target-url' ? 'the dry run would apply the migrations to the real target' : 'the dry run would write into the database it copies from';
        return new errors/* ConfigError */.xL(`${dryInput} is the same database as ${otherInput} (database "${other.database}"; ${how}): ${what}. Nothing was written.`, { fix: `${elsewhere(settings.origin)}.` });
    };
    if (sameness.same === true)
        throw refuse(sameness.how);
    if (sameness.same === false) {
        runtime.info(`${dryInput} is not the database of ${otherInput} (${sameness.how}).`);
        return;
    }
    if (sameness.urlsMatch)
        throw refuse(`${otherInput} could not be reached to compare them on the server, and their URLs name the same host, port and database`);
    runtime.info(`${otherInput} could not be reached to compare it with ${dryInput} (${sameness.reason}); their URLs name different servers or databases, so the dry run goes on.`);
}
/** Refuses a dry-run database that is the target or the source, or that holds data it may not drop. */
async function guardDryRunDatabase(settings, runtime, throwaway) {
    await refuseIfSameAs(settings, runtime, throwaway, 'target-url');
    await refuseIfSameAs(settings, runtime, throwaway, 'source-url');
    const input = (0,src_settings/* inputLabel */.NB)(settings.origin, 'dry-run-database');
    const client = await (0,postgres_connect/* connectPostgres */.Mq)(throwaway, { input, attempts: settings.connectAttempts, connectTimeoutMs: settings.connectTimeoutMs });
    try {
        const contents = await inspectContents(client);
        if (!settings.dryRun.reset) {
            if (!holdsData(contents))
                return;
            throw new errors/* ConfigError */.xL(`${input} (database "${contents.database}") is not empty: it has ${describeContents(contents)}. A dry run applies every migration to it, so it must be a database nobody needs.`, {
                fix: `give a database used only for dry runs, or ${settings.origin === 'action' ? 'set dry-run-database-reset: true' : 'pass --dry-run-database-reset'} if everything in it may be dropped.`,
            });
        }
        if (!holdsAnything(contents))
            return;
        const schemas = await resetDryRunDatabase(client, input);
        const what = describeContents(contents);
        runtime.info(`dry-run-database-reset: dropped everything in database "${contents.database}" outside the system schemas: ` +
            `schema${schemas.length === 1 ? '' : 's'} ${schemas.join(', ')}${what ? `, with ${what}` : ''}` +
            `${schemas.includes('public') ? '; public was created again with its owner, privileges and comment' : ''}.`);
    }
    finally {
        await client.end().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/dry-run/server-version.ts

async function serverMajorVersion(location, input, connectTimeoutMs) {
    const client = await (0,postgres_connect/* connectPostgres */.Mq)(location, { input, attempts: 1, connectTimeoutMs });
    try {
        const { rows } = await client.query(`SELECT current_setting('server_version_num') AS v`);
        return Math.floor(Number(rows[0].v) / 10000);
    }
    finally {
        await client.end();
    }
}

;// CONCATENATED MODULE: ./src/tools/command/base-worktree.ts
// A temporary checkout of the pull request's base commit (`git worktree add --detach`), so that a dry
// run can run another tool's migrate-command as the base branch has it before running the PR's: what
// the second run applies is then what the PR adds. The worktree shares the repository's objects (no
// clone), and is removed (and pruned) afterwards whatever happens.




function base_worktree_git(args, cwd, timeoutMs = 120_000) {
    return new Promise((resolve) => {
        (0,external_node_child_process_.execFile)('git', args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) => {
            resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) });
        });
    });
}
const lastLine = (text) => text.trim().split('\n').pop() ?? '';
/** The base commit, fetched once (shallow) from origin when the checkout does not have it. */
async function base_worktree_resolveCommit(ref, root) {
    const local = await base_worktree_git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
    if (local.ok)
        return local.stdout.trim();
    const fetched = await base_worktree_git(['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', ref], root);
    if (!fetched.ok)
        return undefined;
    const again = await base_worktree_git(['rev-parse', '--verify', '--quiet', 'FETCH_HEAD^{commit}'], root);
    return again.ok ? again.stdout.trim() : undefined;
}
/**
 * Runs `fn` in a worktree of `baseRef`; resolves undefined, with a warning saying why, when the
 * worktree cannot be made (not a git checkout, a base commit that cannot be fetched).
 */
async function withBaseWorktree(baseRef, cwd, runtime, fn) {
    const top = await base_worktree_git(['rev-parse', '--show-toplevel'], cwd);
    if (!top.ok) {
        runtime.warning(`${cwd} is not a git checkout (${lastLine(top.stderr) || 'git rev-parse failed'}), so the base commit's migrations cannot be applied first: migrate-command ran once, and no migration is marked new.`);
        return undefined;
    }
    const repositoryRoot = external_node_fs_default().realpathSync(top.stdout.trim());
    const commit = await base_worktree_resolveCommit(baseRef, repositoryRoot);
    if (!commit) {
        runtime.warning(`The base commit ${baseRef} is not in this checkout and could not be fetched, so the base commit's migrations cannot be applied first: migrate-command ran once, and no migration is marked new. Fix: use actions/checkout with \`fetch-depth: 0\`.`);
        return undefined;
    }
    const parent = external_node_fs_default().mkdtempSync(external_node_path_default().join(external_node_os_default().tmpdir(), 'cutover-base-'));
    const root = external_node_path_default().join(parent, 'base');
    const added = await base_worktree_git(['worktree', 'add', '--detach', root, commit], repositoryRoot);
    if (!added.ok) {
        external_node_fs_default().rmSync(parent, { recursive: true, force: true });
        runtime.warning(`git worktree add of the base commit ${commit.slice(0, 7)} failed (${lastLine(added.stderr)}): migrate-command ran once, and no migration is marked new.`);
        return undefined;
    }
    runtime.info(`Checked out the base commit ${commit.slice(0, 7)} in a temporary worktree (${root}).`);
    try {
        return await fn({ root, repositoryRoot, commit });
    }
    finally {
        await base_worktree_git(['worktree', 'remove', '--force', root], repositoryRoot);
        external_node_fs_default().rmSync(parent, { recursive: true, force: true });
        await base_worktree_git(['worktree', 'prune'], repositoryRoot);
    }
}
/** The same path inside the base worktree. */
function inBase(checkout, dir) {
    return external_node_path_default().join(checkout.root, external_node_path_default().relative(checkout.repositoryRoot, external_node_fs_default().realpathSync(dir)));
}

;// CONCATENATED MODULE: ./src/tools/command/copy-tool-history.ts



async function copyToolHistoryRows(target, throwaway, settings, runtime) {
    const connect = (location, input) => (0,postgres_connect/* connectPostgres */.Mq)(location, { input, attempts: settings.connectAttempts, connectTimeoutMs: settings.connectTimeoutMs, ...(location.params.application_name ? {} : { applicationName: `cutover/${settings.mode}/${settings.runId} history` }) });
    const source = await connect(target, (0,src_settings/* inputLabel */.NB)(settings.origin, 'target-url'));
    try {
        const tables = (await findHistoryTables(postgresReader(source))).found.filter((t) => t.layout.tool !== 'cutover');
        if (tables.length === 0)
            return;
        const destination = await connect(throwaway, 'the throwaway database');
        try {
            for (const table of tables) {
                // As JSON in PostgreSQL's own text forms, so timestamps and arrays arrive unchanged.
                const { rows } = await source.query(`SELECT coalesce(json_agg(t), '[]')::text AS rows FROM ${table.sql} t`);
                const result = await destination.query(`INSERT INTO ${table.sql} SELECT * FROM json_populate_recordset(NULL::${table.sql}, $1::json) ON CONFLICT DO NOTHING`, [rows[0].rows]);
                runtime.info(`Copied ${result.rowCount ?? 0} row${result.rowCount === 1 ? '' : 's'} of ${table.display} (${table.layout.label}'s history) from the target into the throwaway database.`);
            }
        }
        finally {
            await destination.end().catch(() => undefined);
        }
    }
    finally {
        await source.end().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/tools/command/command-impact.ts








const SAMPLE_MS = 50;
/** Relation locks other backends of this database hold right now (not on migration history tables). */
async function sampleOthersLocks(monitor) {
    const { rows } = await monitor.query(`SELECT format('%s.%s', quote_ident(n.nspname), quote_ident(c.relname)) AS relation, l.mode
       FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
        AND c.relname <> ALL ($1::text[])`, [HISTORY_TABLE_NAMES]);
    return rows.filter((r) => (0,lock_modes/* isLockMode */.n9)(r.mode)).map((r) => ({ relation: r.relation, mode: r.mode }));
}
/** Runs `run` (the PR's migrate-command) and measures what it did; a failing run is measured too. */
async function measureCommand(location, settings, run) {
    const monitor = await (0,postgres_connect/* connectPostgres */.Mq)(location, {
        input: 'the throwaway database',
        attempts: settings.connectAttempts,
        connectTimeoutMs: settings.connectTimeoutMs,
        applicationName: `cutover/${settings.mode}/${settings.runId} measure`,
    });
    try {
        const before = await readSchema(monitor);
        const counts = await countTables(monitor, { columns: true });
        const files = await readCatalogState(monitor);
        const strongest = new Map();
        // ACCESS EXCLUSIVE per table: the first and the last sample that saw it (held at least that long).
        const exclusive = new Map();
        let sampling = true;
        const sampler = (async () => {
            while (sampling) {
                const now = Date.now();
                for (const { relation, mode } of await sampleOthersLocks(monitor).catch(() => [])) {
                    const held = strongest.get(relation);
                    if (!held || (0,lock_modes/* lockStrength */.JP)(mode) > (0,lock_modes/* lockStrength */.JP)(held))
                        strongest.set(relation, mode);
                    if (mode === 'AccessExclusiveLock')
                        exclusive.set(relation, { first: exclusive.get(relation)?.first ?? now, last: now });
                }
                await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
            }
        })();
        let value;
        let error;
        try {
            value = await run();
        }
        catch (failure) {
            error = failure;
        }
        finally {
            sampling = false;
            await sampler;
        }
        const after = await readSchema(monitor);
        const filesAfter = await readCatalogState(monitor);
        const countsAfter = await countTables(monitor, { columns: false });
        const rewritten = [];
        for (const [oid, relation] of filesAfter.relations) {
            const old = files.relations.get(oid);
            if (!old || !['r', 'm'].includes(relation.relkind) || old.relfilenode === relation.relfilenode)
                continue;
            const name = qualifiedName(relation);
            rewritten.push({ table: name, rows: countsAfter.get(name)?.rows ?? counts.get(qualifiedName(old))?.rows ?? 0 });
        }
        const schemaChanges = diffSchemas(before, after, counts);
        const baseTables = new Set(counts.keys());
        // `migration` is filled in by the caller, which knows what the run applied.
        const findings = [
            ...rewritten.filter((r) => r.rows > 0 && baseTables.has(r.table)).map((r) => ({ rule: 'table-rewrite', migration: '', table: r.table, rows: r.rows, sampled: true })),
            ...[...exclusive]
                .filter(([relation, seen]) => baseTables.has(relation) && seen.last - seen.first >= impact_rules/* LONG_LOCK_MS */.kX)
                .map(([relation, seen]) => ({ rule: 'long-exclusive-lock', migration: '', table: relation, durationMs: seen.last - seen.first, mode: 'AccessExclusiveLock', sampled: true })),
            ...(0,impact_rules/* dropFindings */.qN)(schemaChanges, ''),
        ];
        const impact = {
            sampledEveryMs: SAMPLE_MS,
            locks: [...strongest].map(([relation, mode]) => ({ relation, mode })).sort((a, b) => (0,lock_modes/* lockStrength */.JP)(b.mode) - (0,lock_modes/* lockStrength */.JP)(a.mode) || a.relation.localeCompare(b.relation)),
            rewritten,
            schemaChanges,
            findings,
        };
        return { ...(error === undefined ? { value: value } : { error }), impact };
    }
    finally {
        await monitor.end().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/tools/command/dry-run-command.ts









const dry_run_command_THROWAWAY = 'the throwaway database';
function dry_run_command_seconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}
/**
 * Entries of the PR's run, for the dry run's report: everything ends up applied on the throwaway;
 * new = applied by the PR's run (when the base state was applied first). Timed per migration only
 * when the PR's command applied exactly one.
 */
function markNew(entries, baseRan, prDurationMs) {
    const fresh = entries.filter((e) => e.status === 'applied');
    for (const entry of entries) {
        if (baseRan)
            entry.isNew = entry.status === 'applied';
        if (entry.status === 'already-applied')
            entry.status = 'applied';
    }
    if (baseRan && fresh.length === 1)
        fresh[0].durationMs = prDurationMs;
}
/** Returns whether the source data was copied (before the PR's run); the caller copies it otherwise. */
async function applyMigrationsWithCommand(settings, runtime, throwaway, result, env, signal) {
    const baseRef = settings.dryRun.baseRef ?? (env.GITHUB_EVENT_PATH ? (0,pull_request_event/* pullRequestFromEvent */.v)(env.GITHUB_EVENT_PATH)?.baseSha : undefined);
    const common = { mode: 'migrate', target: throwaway, input: dry_run_command_THROWAWAY, env, ...(signal ? { signal } : {}) };
    let baseNote;
    let baseRan = false;
    if (settings.dryRun.schemaFrom === 'target') {
        // The schema came from the target (src/dry-run/copy-target-schema.ts); its tools' history rows too.
        if (settings.target?.kind === 'postgres')
            await copyToolHistoryRows(settings.target, throwaway, settings, runtime);
        baseRan = true;
        baseNote = "the real target's schema and migration history";
    }
    else if (baseRef) {
        const base = await withBaseWorktree(baseRef, settings.workingDirectory, runtime, async (checkout) => {
            const cwd = inBase(checkout, settings.command.dir);
            if (!external_node_fs_default().existsSync(cwd)) {
                runtime.info(`The base commit ${checkout.commit.slice(0, 7)} has no ${cwd}: nothing to apply before the PR's migrations.`);
                return { durationMs: 0, commit: checkout.commit };
            }
            try {
                const step = await applyCommandStep(settings, runtime, { ...common, cwd, label: `base commit ${checkout.commit.slice(0, 7)}` });
                return { durationMs: step.run.durationMs, commit: checkout.commit };
            }
            catch (error) {
                if (!(error instanceof errors/* CommandError */.Qd))
                    throw error;
                throw new errors/* CommandError */.Qd(`The base commit's migrations failed on the empty throwaway database, before the PR's were run: ${error.message}`, { cause: error, ...(error.exitCode !== undefined ? { exitCode: error.exitCode } : {}), tail: error.tail, ...(error.fix ? { fix: error.fix } : {}) });
            }
        });
        if (base) {
            baseRan = true;
            baseNote = `the base commit ${base.commit.slice(0, 7)}'s migrations (applied in ${dry_run_command_seconds(base.durationMs)})`;
        }
    }
    else {
        runtime.info('No base commit (not a pull request, and base-ref is empty): migrate-command runs once, and no migration is marked new.');
    }
    // The data goes into the base state, and the PR's run meets it (as it will meet production's).
    const copied = baseRan && settings.source !== undefined;
    if (copied)
        await runtime.group('Copy the source data', () => applyCopyStep({ ...copyOptions(settings, runtime, throwaway, { ifTargetNotEmpty: 'fail' }, signal), leaveOutMissing: NOT_IN_BASE }, result));
    const measured = baseRan ? await measureCommand(throwaway, settings, () => applyCommandStep(settings, runtime, common)) : undefined;
    const report = (newMigrations) => {
        if (!measured)
            return;
        const label = newMigrations.length === 1 ? newMigrations[0] : "the PR's migrate-command";
        for (const finding of measured.impact.findings)
            finding.migration = label;
        result.dryRun = {
            order: { kind: 'command', base: baseNote, data: copied, newMigrations },
            migrations: [],
            schemaChanges: measured.impact.schemaChanges,
            commandImpact: measured.impact,
            timeoutMs: settings.dryRun.timeoutMs,
            ...(copied && settings.copy.sampleRows ? { sampleRows: settings.copy.sampleRows } : {}),
        };
    };
    let step;
    try {
        if (measured?.error !== undefined)
            throw measured.error;
        step = measured ? measured.value : await applyCommandStep(settings, runtime, common);
    }
    catch (error) {
        const outcome = error.outcome;
        if (outcome && baseRan)
            for (const entry of outcome.entries)
                entry.isNew = entry.status !== 'already-applied';
        report((outcome?.entries ?? []).filter((e) => e.isNew).map((e) => e.name));
        throw error;
    }
    const before = result.migrations.length;
    recordCommandStep(result, runtime, settings, 'migrate', step);
    markNew(result.migrations.slice(before), baseRan, step.run.durationMs);
    report(result.migrations.filter((m) => m.isNew).map((m) => m.name));
    const fresh = result.migrations.filter((m) => m.isNew).length;
    result.notes.push(baseRan
        ? `On the throwaway database ${baseNote} came first${copied ? ', then the source data' : ''}; then the PR's migrate-command applied ${fresh} new migration${fresh === 1 ? '' : 's'} in ${dry_run_command_seconds(step.run.durationMs)}.`
        : `On the throwaway database migrate-command applied every migration once, in ${dry_run_command_seconds(step.run.durationMs)}.`);
    return { copied };
}

;// CONCATENATED MODULE: ./src/dry-run/run-dry-run.ts










async function targetMajor(settings, runtime) {
    if (settings.target?.kind !== 'postgres')
        return undefined;
    try {
        return await serverMajorVersion(settings.target, (0,src_settings/* inputLabel */.NB)(settings.origin, 'target-url'), Math.min(settings.connectTimeoutMs, 5000));
    }
    catch (error) {
        runtime.info(`The target could not be asked for its server version (${error.message}); using postgres-version ${settings.dryRun.postgresVersion}.`);
        return undefined;
    }
}
async function provision(settings, runtime, major, env) {
    const choice = settings.dryRun.database;
    if (choice.kind === 'url') {
        await guardDryRunDatabase(settings, runtime, choice.location);
        return { location: choice.location, provider: 'url', teardown: async () => undefined };
    }
    const handle = await provisionThrowawayPostgres({
        kind: choice.kind,
        postgresVersion: major ? String(major) : settings.dryRun.postgresVersion,
        runtime,
        // The runner empties RUNNER_TEMP after every job: a second line of defence after teardown and the
        // post step. As root the server runs as another user, who may not be able to enter RUNNER_TEMP.
        ...(env.RUNNER_TEMP && process.getuid?.() !== 0 ? { baseDir: env.RUNNER_TEMP } : {}),
    });
    runtime.saveState('throwaway', handle.stateFile);
    return handle;
}
async function runDryRun(settings, runtime, result, env, signal) {
    // The real target's major version picks the throwaway server's, and gates pg_dump for
    // schema-from: target; a given URL database needs neither (the target is then only contacted by
    // guardDryRunDatabase, to make sure it is not the same database).
    const needsTargetVersion = settings.dryRun.database.kind !== 'url' || settings.dryRun.schemaFrom === 'target';
    const major = needsTargetVersion ? await targetMajor(settings, runtime) : undefined;
    const throwaway = await runtime.group('Provision a throwaway Postgres', () => provision(settings, runtime, major, env));
    result.throwaway = { provider: throwaway.provider, ...(throwaway.serverVersion ? { serverVersion: throwaway.serverVersion } : {}) };
    try {
        if (settings.dryRun.schemaFrom === 'target') {
            if (settings.target?.kind !== 'postgres') {
                throw new errors/* ProvisionError */.uv('schema-from: target needs a PostgreSQL target-url to read the schema from.', { fix: 'pass target-url, or use schema-from: migrations.' });
            }
            await runtime.group("Copy the target's schema (read-only)", () => copyTargetSchema(settings.target, throwaway.location, major ?? 0, 'public.cutover_migrations'));
        }
        if (settings.command.migrate) {
            // Another tool's migrations: its base and PR runs mark what is new (src/tools/command/dry-run-command.ts);
            // the measured, statement-by-statement phases apply to cutover's own migrations.
            let copied = false;
            try {
                ({ copied } = await applyMigrationsWithCommand(settings, runtime, throwaway.location, result, env, signal));
            }
            catch (error) {
                absorbPartialOutcome(result, error);
                throw error;
            }
            if (settings.source && !copied) {
                runtime.info('Copying the source data through the migrations.');
                await applyCopyStep(copyOptions(settings, runtime, throwaway.location, { ifTargetNotEmpty: 'fail' }, signal), result);
            }
        }
        else {
            await runDryRunPhases({ settings, runtime, result, env, location: throwaway.location, ...(signal ? { signal } : {}) });
        }
    }
    catch (error) {
        // The modes' sentences speak of "the target"; here that is the throwaway, which goes away anyway.
        if (error instanceof errors/* CancelledError */.cc) {
            throw new errors/* CancelledError */.cc(`the dry run stopped before its end and its ${throwaway.provider === 'url' ? 'dry-run database keeps what it had applied or copied' : 'throwaway database is removed'}; the real target was not written.`, { cause: error });
        }
        throw error;
    }
    finally {
        await throwaway.teardown().catch((error) => runtime.warning(`Removing the throwaway database failed: ${error.message}`));
    }
}

;// CONCATENATED MODULE: ./src/engine/run-mode.ts
// Dispatches a run by mode and turns whatever happens into a RunResult. This is the engine's front
// door, shared by the Action (main.ts), the CLI (cli.ts) and the tests; it never throws.
// `signal` (from src/cancellation.ts) cancels the run; a cancelled result carries the one line that
// says so and what state the target is in (`cancelled`, also its `error` when the run did not complete).










function dispatch(settings, runtime, result, env, signal) {
    switch (settings.mode) {
        case 'status':
        case 'migrate':
        case 'rollback':
        case 'baseline':
            return runMigrationMode(settings, runtime, result, signal, env);
        case 'copy':
            return runCopyMode(settings, runtime, result, signal);
        case 'verify':
            return runVerifyMode(settings, runtime, result, signal);
        case 'cutover':
            return runCutoverMode(settings, runtime, result, signal, env);
        case 'dry-run':
            // Its throwaway server is torn down in runDryRun's finally, cancelled or not.
            return runDryRun(settings, runtime, result, env, signal);
    }
}
/**
 * Modes that only read can be abandoned the moment they are cancelled: nothing to roll back, and the
 * entry ends the process (closing their connections) right after reporting.
 */
function untilAborted(work, signal) {
    work.catch(() => undefined);
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}
async function runMode(settings, runtime, env = process.env, signal) {
    const started = Date.now();
    const result = emptyResult(settings.mode);
    if (settings.target && settings.mode !== 'dry-run')
        result.target = (0,database_url/* displayLocation */.S5)(settings.target);
    if (settings.source)
        result.source = (0,database_url/* displayLocation */.S5)(settings.source);
    result.reproduce = reproduceCommand(settings);
    const began = !signal?.aborted;
    let failure;
    try {
        signal?.throwIfAborted();
        const work = dispatch(settings, runtime, result, env, signal);
        await (signal && (settings.mode === 'status' || settings.mode === 'verify') ? untilAborted(work, signal) : work);
    }
    catch (error) {
        failure = error;
        result.ok = false;
        absorbPartialOutcome(result, error);
        result.error = (0,errors/* formatError */.Wk)(error);
    }
    if (signal?.aborted) {
        result.cancelled = (0,cancellation_line/* cancellationLine */._u)(signal.reason, result, failure, began);
        if (result.ok)
            result.notes.push(result.cancelled);
        else
            result.error = result.cancelled;
    }
    result.durationMs = Date.now() - started;
    // Every text of the result, before the report clips or escapes it (and a password could slip through).
    return (0,redact/* redactStrings */.eT)(result);
}


/***/ }),

/***/ 4098:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ INPUT_NAMES)
/* harmony export */ });
// The Action's inputs, shared by src/inputs.ts and the CLI's flags.
/** Every input in action.yml (a unit test keeps this list and action.yml in step). */
const INPUT_NAMES = [
    'mode',
    'target-url',
    'source-url',
    'migrations-dir',
    'to',
    'steps',
    'allow-changed-migrations',
    'lock-timeout',
    'migration-lock-timeout',
    'migration-statement-timeout',
    'connect-attempts',
    'connect-timeout',
    'include',
    'exclude',
    'create-tables',
    'on-error',
    'rejects-file',
    'if-target-not-empty',
    'jobs',
    'checksums',
    'sample-rows',
    'dry-run-database',
    'dry-run-database-reset',
    'postgres-version',
    'schema-from',
    'base-ref',
    'comment',
    'comment-id',
    'github-token',
    'report-path',
    'create-tables-lengths',
    'migrate-command',
    'migrate-command-dir',
    'rollback-command',
    'status-command',
    'migrate-command-timeout',
    'dry-run-timeout',
];


/***/ }),

/***/ 6374:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KL: () => (/* binding */ warningCount),
/* harmony export */   jj: () => (/* binding */ dryRunLine),
/* harmony export */   x9: () => (/* binding */ orderNote)
/* harmony export */ });
/* unused harmony exports downProblems, findingCount, destructiveCount, fallbackReason */
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4285);

/** Downs that are broken: they fail, leave another schema, or the migrations cannot be applied again. */
function downProblems(report) {
    const check = report?.downCheck;
    if (!check)
        return 0;
    const broken = check.results.filter((r) => r.outcome === 'failed' || r.outcome === 'differs').length;
    return broken + (check.reapply.outcome === 'failed' || check.reapply.outcome === 'differs' ? 1 : 0);
}
function findingCount(report) {
    return (report?.migrations.reduce((sum, m) => sum + m.findings.length, 0) ?? 0) + (report?.commandImpact?.findings.length ?? 0);
}
/** Every warning the report shows: run warnings, findings on the new migrations, broken downs. */
function warningCount(result) {
    return result.warnings.length + findingCount(result.dryRun) + downProblems(result.dryRun);
}
function destructiveCount(changes) {
    if (!changes)
        return 0;
    const tables = changes.tables.reduce((sum, t) => sum + (t.change === 'dropped' ? 1 : t.items.filter((i) => i.destructive).length), 0);
    return tables + changes.others.filter((o) => o.destructive).length;
}
/** "3 new migrations · ⚠️ 4 warnings · 🔥 2 destructive changes · ↩️ downs: 1 verified, 1 failing, 1 missing" */
function dryRunLine(result) {
    const report = result.dryRun;
    if (!report || report.order.kind === 'fallback')
        return undefined;
    const parts = [`**${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(report.order.newMigrations.length, 'new migration')}**`];
    const warnings = warningCount(result);
    parts.push(warnings ? `⚠️ ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(warnings, 'warning')}` : 'no warnings');
    const destructive = destructiveCount(report.schemaChanges);
    if (destructive)
        parts.push(`🔥 ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(destructive, 'destructive change')}`);
    const downs = report.downCheck?.results ?? [];
    if (downs.length) {
        const labels = [['verified', 'verified'], ['differs', 'incomplete'], ['failed', 'failing'], ['missing', 'missing'], ['not-checked', 'not checked']];
        const counted = labels.map(([outcome, label]) => [downs.filter((d) => d.outcome === outcome).length, label]).filter(([n]) => n > 0);
        parts.push(`↩️ downs: ${counted.map(([n, label]) => `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .count */ .U9)(n)} ${label}`).join(', ')}`);
    }
    else if (report.migrations.length && report.migrations.every((m) => !m.hasDown)) {
        parts.push('↩️ no downs');
    }
    return parts.join(' · ');
}
/** How the throwaway was built, in order, for the note under the headline. */
function orderNote(result) {
    const report = result.dryRun;
    if (!report)
        return undefined;
    const order = report.order;
    const data = result.source ? `the source data (${report.sampleRows ? `at most ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .count */ .U9)(report.sampleRows)} rows per table` : 'all rows'}, verified before commit)` : undefined;
    const fresh = `the ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(order.kind === 'fallback' ? 0 : order.newMigrations.length, 'new migration')}, measured statement by statement`;
    if (order.kind === 'fallback')
        return `Order: every migration, then ${data ?? 'no data'} (the base commit was not available: nothing was measured, see the warnings).`;
    if (order.kind === 'command') {
        const pr = `the PR's migrate-command, measured as a whole (schema changes, rewrites, locks sampled every ${report.commandImpact?.sampledEveryMs ?? 50} ms)`;
        return `Order: ${[order.base, order.data ? data : undefined, pr].filter(Boolean).join(' → ')}.`;
    }
    if (order.kind === 'new-then-data') {
        return `Order: the base commit ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(order.baseCommit.slice(0, 7))} has no migrations, so ${fresh} on the empty database${data ? `, then ${data}` : ''}.`;
    }
    const base = order.schemaFrom === 'target' ? `the real target's schema and history (${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(order.baseMigrations, 'migration')} applied there)` : `the base commit's ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(order.baseMigrations, 'migration')}${order.baseCommit ? ` (${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(order.baseCommit.slice(0, 7))})` : ''}`;
    return `Order: ${[base, data, fresh].filter(Boolean).join(' → ')}${report.downCheck ? ' → down check' : ''}.`;
}
function fallbackReason(report) {
    return report?.order.kind === 'fallback' ? cell(report.order.reason) : undefined;
}


/***/ }),

/***/ 4285:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $Q: () => (/* binding */ clip),
/* harmony export */   DV: () => (/* binding */ codeBlock),
/* harmony export */   Hn: () => (/* binding */ cell),
/* harmony export */   LS: () => (/* binding */ plural),
/* harmony export */   U9: () => (/* binding */ count),
/* harmony export */   aY: () => (/* binding */ code),
/* harmony export */   p0: () => (/* binding */ duration),
/* harmony export */   tp: () => (/* binding */ table),
/* harmony export */   zH: () => (/* binding */ details)
/* harmony export */ });
// Small, pure Markdown building blocks for the report. Everything user-controlled (migration names,
// table names, error messages) passes through `cell` or `code` before it reaches a table, so a `|`,
// a newline or a backtick in a name cannot break the layout GitHub renders.
/** Plain text for a GFM table cell: Markdown and HTML neutralised, newlines as <br>. */
function cell(text) {
    return text
        .replace(/\r\n?/g, '\n')
        .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/\n+/g, '<br>')
        .trim();
}
/** An inline code span that survives backticks in the text and `|` inside a table cell. */
function code(text) {
    const flat = text.replace(/\s*[\r\n]+\s*/g, ' ');
    const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longestRun + 1);
    const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
    // GFM splits table rows on `|` before parsing code spans; `\|` is the documented escape there.
    return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}
/** A fenced code block whose fence is longer than any backtick run in the content. */
function codeBlock(text, language = '') {
    const longestRun = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    return `${fence}${language}\n${text.replace(/\n+$/, '')}\n${fence}`;
}
const SEPARATORS = { left: ':---', right: '---:', center: ':---:' };
/** A GFM table. Renderers must already have escaped the cell contents. */
function table(columns, rows) {
    const line = (cells) => `| ${cells.join(' | ')} |`;
    return [
        line(columns.map((column) => column.header)),
        line(columns.map((column) => SEPARATORS[column.align ?? 'left'])),
        ...rows.map((row) => line(columns.map((column) => column.render(row) || ' '))),
    ].join('\n');
}
/** 1234567 → "1,234,567" (independent of the machine's locale, so golden files are stable). */
function count(value) {
    if (value === undefined || value === null || Number.isNaN(value))
        return '—';
    const [whole, fraction] = String(value).split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return fraction ? `${grouped}.${fraction}` : grouped;
}
/** 12 → "12 ms", 4200 → "4.2 s", 125000 → "2 min 5 s". */
function duration(ms) {
    if (ms === undefined || ms === null || Number.isNaN(ms))
        return '—';
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)} s`;
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}
/** Shortens text to `max` characters with an ellipsis. */
function clip(text, max) {
    return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
function plural(n, one, many = `${one}s`) {
    return `${count(n)} ${n === 1 ? one : many}`;
}
/** A collapsible block; the blank lines let GitHub render Markdown inside it. */
function details(summary, body, open = false) {
    return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}


/***/ }),

/***/ 7706:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ isPullRequestEvent),
/* harmony export */   v: () => (/* binding */ pullRequestFromEvent)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
// Reads the pull request a workflow run belongs to from the event payload GitHub writes to
// GITHUB_EVENT_PATH (pull_request and pull_request_target events carry the same `pull_request` object).

/** The pull request of the event at `eventPath`, or undefined for other events or an unreadable file. */
function pullRequestFromEvent(eventPath) {
    if (!eventPath)
        return undefined;
    let payload;
    try {
        payload = JSON.parse(node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(eventPath, 'utf8'));
    }
    catch {
        return undefined;
    }
    const pr = payload?.pull_request;
    const number = pr?.number ?? payload.number;
    if (!pr || typeof number !== 'number' || !pr.base?.sha || !pr.head?.sha)
        return undefined;
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
function isPullRequestEvent(eventName) {
    return eventName === 'pull_request' || eventName === 'pull_request_target';
}


/***/ }),

/***/ 2823:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  B: () => (/* binding */ renderReport)
});

// EXTERNAL MODULE: ./src/report/markdown.ts
var report_markdown = __webpack_require__(4285);
// EXTERNAL MODULE: ./src/report/dry-run-summary.ts
var dry_run_summary = __webpack_require__(6374);
// EXTERNAL MODULE: ./src/dry-run/measure/lock-modes.ts
var lock_modes = __webpack_require__(9326);
;// CONCATENATED MODULE: ./src/report/render-command-impact.ts


const ICON = { nothing: '🟢', writes: '🟠', 'reads and writes': '🔴' };
function renderCommandImpact(impact) {
    if (!impact)
        return undefined;
    const parts = ['### What the PR\'s migrate-command did'];
    const sampled = `sampled every ${impact.sampledEveryMs} ms from another connection while the command ran; a lock held for less may be missing`;
    if (impact.locks.length === 0)
        parts.push(`Locks: none seen on the application's tables (${sampled}).`);
    else {
        parts.push(`Locks its sessions held on the application's tables (${sampled}):`);
        parts.push(['| Table | Strongest lock seen | For the application |', '| --- | --- | --- |', ...impact.locks.map((l) => `| ${(0,report_markdown/* code */.aY)(l.relation)} | ${ICON[(0,lock_modes/* blocksOf */.SH)(l.mode)]} ${(0,lock_modes/* lockName */.l4)(l.mode)} | ${(0,report_markdown/* cell */.Hn)((0,lock_modes/* lockWords */.jU)(l.mode))} |`)].join('\n'));
    }
    parts.push(impact.rewritten.length === 0
        ? 'Rewrites: no table was rewritten.'
        : `Rewrites: ${impact.rewritten.map((r) => `${(0,report_markdown/* code */.aY)(r.table)} (${(0,report_markdown/* plural */.LS)(r.rows, 'row')} rewritten under its lock)`).join(', ')}.`);
    return parts.join('\n\n');
}

;// CONCATENATED MODULE: ./src/report/render-down-check.ts

const SHOWN = 8;
function difference(d, expectedLabel, actualLabel) {
    if (d.actual === undefined)
        return `${(0,report_markdown/* cell */.Hn)(d.object)} is missing (${expectedLabel}: ${(0,report_markdown/* code */.aY)((0,report_markdown/* clip */.$Q)(d.expected ?? '', 160))})`;
    if (d.expected === undefined)
        return `${(0,report_markdown/* cell */.Hn)(d.object)} is still there (${(0,report_markdown/* code */.aY)((0,report_markdown/* clip */.$Q)(d.actual, 160))})`;
    return `${(0,report_markdown/* cell */.Hn)(d.object)}: ${actualLabel} ${(0,report_markdown/* code */.aY)((0,report_markdown/* clip */.$Q)(d.actual, 160))}, ${expectedLabel} ${(0,report_markdown/* code */.aY)((0,report_markdown/* clip */.$Q)(d.expected, 160))}`;
}
function differences(list, expectedLabel, actualLabel) {
    const lines = list.slice(0, SHOWN).map((d) => `    - ${difference(d, expectedLabel, actualLabel)}`);
    if (list.length > SHOWN)
        lines.push(`    - … and ${(0,report_markdown/* plural */.LS)(list.length - SHOWN, 'more object')}`);
    return lines.join('\n');
}
function renderDownCheck(check) {
    if (!check || check.results.length === 0)
        return undefined;
    const lines = check.results.map((r) => {
        const name = (0,report_markdown/* code */.aY)(r.migration);
        switch (r.outcome) {
            case 'verified':
                return `- ✅ ${name}: its down gives back the schema it had before`;
            case 'differs':
                return `- ❌ ${name}: its down leaves a different schema (${(0,report_markdown/* plural */.LS)(r.differences?.length ?? 0, 'object')}):\n${differences(r.differences ?? [], 'before', 'after the down')}`;
            case 'failed':
                return `- 💥 ${name}: its down fails: ${(0,report_markdown/* cell */.Hn)((0,report_markdown/* clip */.$Q)(r.error ?? 'unknown error', 500))}`;
            case 'missing':
                return `- — ${name}: has no down (cannot be rolled back)`;
            case 'not-checked':
                return `- ⏭️ ${name}: not checked, because ${(0,report_markdown/* cell */.Hn)(r.reason ?? 'an earlier step stopped the check')}`;
        }
    });
    const { reapply } = check;
    const again = reapply.migrations?.map(report_markdown/* code */.aY).join(', ');
    if (reapply.outcome === 'same')
        lines.push(`- ✅ applied again (${again}): the same schema as the first time`);
    if (reapply.outcome === 'differs')
        lines.push(`- ❌ applied again (${again}): the schema differs from the first time:\n${differences(reapply.differences ?? [], 'first time', 'now')}`);
    if (reapply.outcome === 'failed')
        lines.push(`- 💥 applying ${again} again failed: ${(0,report_markdown/* cell */.Hn)((0,report_markdown/* clip */.$Q)(reapply.error ?? 'unknown error', 500))}`);
    return `### Down check\n\n${lines.join('\n')}`;
}

;// CONCATENATED MODULE: ./src/report/render-migrations.ts

const STATUS_LABELS = {
    applied: '✅ applied',
    pending: '⏳ pending',
    'already-applied': '☑️ already applied',
    failed: '❌ failed',
    'rolled-back': '↩️ rolled back',
    baselined: '📌 baselined',
    changed: '⚠️ changed since applied',
    'missing-file': '⚠️ file missing',
};
/** Already-applied migrations beyond this many rows go into a collapsed table. */
const FOLD_THRESHOLD = 15;
const ERROR_CELL_MAX = 300;
function errorLocation(error) {
    if (!error.file)
        return undefined;
    return error.line ? `${error.file}:${error.line}` : error.file;
}
function errorCell(entry) {
    if (!entry.error)
        return '';
    const where = errorLocation(entry.error);
    const message = (0,report_markdown/* cell */.Hn)((0,report_markdown/* clip */.$Q)(entry.error.message, ERROR_CELL_MAX));
    return where ? `${(0,report_markdown/* code */.aY)(where)}<br>${message}` : message;
}
function columns(entries) {
    const result = [{ header: 'Migration', render: (m) => (0,report_markdown/* code */.aY)(m.name) }];
    if (entries.some((m) => m.isNew !== undefined)) {
        result.push({ header: 'New in this PR', align: 'center', render: (m) => (m.isNew ? '🆕 yes' : m.isNew === false ? 'no' : '—') });
    }
    result.push({ header: 'Status', render: (m) => STATUS_LABELS[m.status] ?? (0,report_markdown/* cell */.Hn)(m.status) });
    result.push({ header: 'Duration', align: 'right', render: (m) => (m.durationMs === undefined ? '—' : (0,report_markdown/* duration */.p0)(m.durationMs)) });
    if (entries.some((m) => m.error))
        result.push({ header: 'Error', render: errorCell });
    return result;
}
/** "3 applied · 1 pending · 2 new in this PR" */
function migrationCounts(migrations) {
    const order = ['applied', 'failed', 'pending', 'rolled-back', 'baselined', 'changed', 'missing-file', 'already-applied'];
    const parts = order
        .map((status) => ({ status, n: migrations.filter((m) => m.status === status).length }))
        .filter(({ n }) => n > 0)
        .map(({ status, n }) => `${(0,report_markdown/* count */.U9)(n)} ${STATUS_LABELS[status].replace(/^\S+\s/, '')}`);
    const fresh = migrations.filter((m) => m.isNew).length;
    if (migrations.some((m) => m.isNew !== undefined))
        parts.push(`${(0,report_markdown/* count */.U9)(fresh)} new in this PR`);
    return parts.join(' · ');
}
/** Dry runs with measured new migrations: the full list is reference, folded. */
function renderMigrationsFolded(result) {
    if (result.migrations.length === 0)
        return undefined;
    return (0,report_markdown/* details */.zH)(`All ${(0,report_markdown/* plural */.LS)(result.migrations.length, 'migration')}: ${migrationCounts(result.migrations)}`, (0,report_markdown/* table */.tp)(columns(result.migrations), result.migrations));
}
function renderMigrations(result) {
    const { migrations } = result;
    const showsMigrations = ['status', 'migrate', 'rollback', 'baseline', 'dry-run', 'cutover'].includes(result.mode);
    if (migrations.length === 0) {
        return showsMigrations ? '### Migrations\n\n_No migrations found._' : undefined;
    }
    const cols = columns(migrations);
    const parts = ['### Migrations', migrationCounts(migrations)];
    const quiet = migrations.filter((m) => m.status === 'already-applied' && !m.isNew && !m.error);
    if (migrations.length > FOLD_THRESHOLD && quiet.length > 0) {
        const loud = migrations.filter((m) => !quiet.includes(m));
        if (loud.length > 0)
            parts.push((0,report_markdown/* table */.tp)(cols, loud));
        parts.push((0,report_markdown/* details */.zH)(`${(0,report_markdown/* plural */.LS)(quiet.length, 'migration')} already applied`, (0,report_markdown/* table */.tp)(cols, quiet)));
    }
    else {
        parts.push((0,report_markdown/* table */.tp)(cols, migrations));
    }
    return parts.join('\n\n');
}

// EXTERNAL MODULE: ./src/dry-run/measure/impact-rules.ts
var impact_rules = __webpack_require__(7919);
;// CONCATENATED MODULE: ./src/report/render-new-migrations.ts



const BLOCKS_SHORT = { nothing: 'blocks nothing', writes: 'blocks writes', 'reads and writes': 'blocks reads and writes' };
const render_new_migrations_ICON = { nothing: '🟢', writes: '🟠', 'reads and writes': '🔴' };
function timeOf(migration) {
    return migration.statements.reduce((sum, s) => sum + s.durationMs, 0);
}
function worstLock(statements) {
    let worst;
    for (const lock of statements.flatMap((s) => s.locks))
        if (!worst || (0,lock_modes/* lockStrength */.JP)(lock.mode) > (0,lock_modes/* lockStrength */.JP)(worst.mode))
            worst = lock;
    return worst;
}
function lockCell(migration) {
    const worst = worstLock(migration.statements);
    if (worst)
        return `${render_new_migrations_ICON[worst.blocks]} ${(0,lock_modes/* lockName */.l4)(worst.mode)} on ${(0,report_markdown/* code */.aY)(worst.relation)} (${BLOCKS_SHORT[worst.blocks]})`;
    if (migration.statements.length === 0)
        return '—';
    const unseen = migration.statements.some((s) => !s.inTransaction && !s.lockSamples);
    return unseen ? '— (not seen: too fast to sample)' : 'none';
}
const VERBS = { INSERT: 'inserted', UPDATE: 'updated', DELETE: 'deleted', MERGE: 'merged' };
function rowsCell(statements) {
    const totals = new Map();
    for (const s of statements)
        if (s.rows)
            totals.set(s.rows.command, (totals.get(s.rows.command) ?? 0) + s.rows.count);
    return totals.size ? [...totals].map(([command, n]) => `${(0,report_markdown/* count */.U9)(n)} ${VERBS[command] ?? command.toLowerCase()}`).join(', ') : '—';
}
function rewritesCell(statements) {
    const rewrites = statements.flatMap((s) => s.rewrites);
    return rewrites.length ? rewrites.map((r) => `${(0,report_markdown/* code */.aY)(r.table)} (${(0,report_markdown/* plural */.LS)(r.rows, 'row')})`).join('<br>') : '—';
}
function downCell(migration, report) {
    const result = report.downCheck?.results.find((r) => r.migration === migration.name);
    if (!migration.hasDown)
        return '— none';
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
function statusCell(migration) {
    if (migration.status === 'not-run')
        return '⏭️ not run';
    const time = (0,report_markdown/* duration */.p0)(timeOf(migration));
    if (migration.status === 'applied')
        return time;
    const failed = migration.statements.find((s) => s.failed);
    return `❌ ${migration.timedOut ? 'stopped (dry-run-timeout)' : 'failed'}${failed ? ` at line ${failed.line}` : ''} after ${time}`;
}
/** One compact line per new migration. */
function renderNewMigrations(report) {
    if (report.order.kind === 'fallback')
        return undefined;
    if (report.migrations.length === 0)
        return '### New migrations\n\n_No new migrations in this pull request._';
    const columns = [
        { header: 'New migration', render: (m) => (0,report_markdown/* code */.aY)(m.name) },
        { header: 'Time', align: 'right', render: statusCell },
        { header: 'Worst lock', render: lockCell },
        { header: 'Rewrites', render: (m) => rewritesCell(m.statements) },
        { header: 'Rows touched', align: 'right', render: (m) => rowsCell(m.statements) },
        { header: 'Down', render: (m) => downCell(m, report) },
        { header: 'Warnings', align: 'center', render: (m) => (m.findings.length ? `⚠️ ${(0,report_markdown/* count */.U9)(m.findings.length)}` : m.status === 'applied' ? '✅' : '—') },
    ];
    return ['### New migrations', (0,report_markdown/* table */.tp)(columns, report.migrations)].join('\n\n');
}
/** The measured fact behind a finding, as a sentence fragment. */
function describeFinding(finding) {
    const table = (0,report_markdown/* code */.aY)(finding.table);
    const rows = finding.rows !== undefined ? (0,report_markdown/* plural */.LS)(finding.rows, 'row') : 'its rows';
    const mode = finding.mode ? (0,lock_modes/* lockName */.l4)(finding.mode) : 'a lock';
    const time = (0,report_markdown/* duration */.p0)(finding.durationMs);
    switch (finding.rule) {
        case 'index-blocks-writes':
            return `built ${(0,report_markdown/* code */.aY)(finding.detail ?? 'an index')} on ${table} (${rows}) in ${time} holding ${mode} on it: writes to the table waited for the whole build`;
        case 'table-rewrite':
            return `rewrote ${table} (${rows})${finding.durationMs !== undefined ? ` in ${time}` : ''} under ACCESS EXCLUSIVE`;
        case 'validation-scan':
            return `checked ${finding.detail ?? 'a constraint'} on ${table} (${rows}) by a full scan in ${time}, holding ${mode}`;
        case 'long-exclusive-lock':
            return finding.sampled
                ? `held ACCESS EXCLUSIVE on ${table} for at least ${time} (seen from another connection in samples ${time} apart or more)`
                : `held ACCESS EXCLUSIVE on ${table} for ${time}, from this statement until the migration's transaction ended`;
        case 'drops-data':
            return finding.detail ? `dropped ${finding.detail} of ${table}, which held ${(0,report_markdown/* plural */.LS)(finding.rows ?? 0, 'value')} (not null)` : `dropped ${table}, which held ${rows}`;
    }
}
/** The findings, grouped by rule: what was measured where, why it hurts, what to do instead. */
function renderFindings(report) {
    const findings = [...report.migrations.flatMap((m) => m.findings), ...(report.commandImpact?.findings ?? [])];
    if (findings.length === 0)
        return undefined;
    const rules = [...new Set(findings.map((f) => f.rule))];
    const groups = rules.map((rule) => {
        const lines = findings.filter((f) => f.rule === rule).map((f) => `- ${(0,report_markdown/* code */.aY)(f.migration)}${f.line ? ` line ${f.line}` : ''}: ${describeFinding(f)}.`);
        // The rules' texts are cutover's own Markdown.
        return `**⚠️ ${impact_rules/* RULES */.y0[rule].title}** (${(0,report_markdown/* count */.U9)(lines.length)}). ${impact_rules/* RULES */.y0[rule].why} **Instead:** ${impact_rules/* RULES */.y0[rule].instead}\n\n${lines.join('\n')}`;
    });
    return [`### ⚠️ ${(0,report_markdown/* plural */.LS)(findings.length, 'warning')} on the new migrations`, ...groups].join('\n\n');
}
function locksText(statement, held) {
    const lines = [...held.values()].map((l) => `${render_new_migrations_ICON[l.blocks]} ${(0,lock_modes/* lockName */.l4)(l.mode)} on ${(0,report_markdown/* code */.aY)(l.relation)}${l.since !== statement.line ? ` (since line ${l.since})` : ''}: ${(0,report_markdown/* cell */.Hn)((0,lock_modes/* lockWords */.jU)(l.mode))}`);
    if (statement.failed && statement.inTransaction)
        lines.push('its own locks were not read (it failed)');
    if (lines.length)
        return lines.join('<br>');
    if (statement.inTransaction)
        return 'none';
    return statement.lockSamples ? `none seen in ${(0,report_markdown/* plural */.LS)(statement.lockSamples, 'sample')}` : '— (not seen: it ran between two samples)';
}
function statementCell(statement) {
    const text = statement.sql === undefined ? 'the JS migration as a whole' : (0,report_markdown/* code */.aY)((0,report_markdown/* clip */.$Q)(statement.sql.replace(/\s+/g, ' '), 140));
    const flags = [statement.inTransaction ? '' : 'no transaction', statement.failed ? `❌ ${statement.error ? (0,report_markdown/* cell */.Hn)((0,report_markdown/* clip */.$Q)(statement.error, 200)) : 'failed'}` : ''].filter(Boolean);
    return flags.length ? `${text}<br>${flags.join(' · ')}` : text;
}
function effectsCell(statement) {
    const parts = [
        ...statement.rewrites.map((r) => `rewrote ${(0,report_markdown/* code */.aY)(r.table)} (${(0,report_markdown/* plural */.LS)(r.rows, 'row')})`),
        ...statement.indexesBuilt.map((i) => `built ${(0,report_markdown/* code */.aY)(i.index)}${i.concurrently ? ' concurrently' : ''} (${(0,report_markdown/* plural */.LS)(i.rows, 'row')})`),
        ...statement.validations.map((v) => `scanned ${(0,report_markdown/* code */.aY)(v.table)} for ${(0,report_markdown/* cell */.Hn)(v.what)} (${(0,report_markdown/* plural */.LS)(v.rows, 'row')})`),
        ...(statement.rows ? [`${(0,report_markdown/* count */.U9)(statement.rows.count)} ${VERBS[statement.rows.command] ?? statement.rows.command.toLowerCase()}`] : []),
    ];
    return parts.join('<br>') || '—';
}
/** Folded per migration: every statement measured, then the file itself. */
function renderMigrationDetails(migration) {
    const held = (0,impact_rules/* locksHeld */.Ez)(migration.statements);
    const columns = [
        { header: 'Line', align: 'right', render: (s) => String(s.line) },
        { header: 'Statement', render: statementCell },
        { header: 'Time', align: 'right', render: (s) => (0,report_markdown/* duration */.p0)(s.durationMs) },
        { header: 'Locks held while it ran (tables that existed before)', render: (s) => locksText(s, held[migration.statements.indexOf(s)]) },
        { header: 'Effect', render: effectsCell },
    ];
    const parts = [];
    if (migration.statements.length)
        parts.push((0,report_markdown/* table */.tp)(columns, migration.statements));
    if (migration.notRun)
        parts.push(`${(0,report_markdown/* plural */.LS)(migration.notRun, 'statement')} after the failing one did not run.`);
    if (migration.status === 'not-run')
        parts.push('Not run: an earlier new migration failed.');
    const clipped = migration.source.clippedLines ? `\n\n_… ${(0,report_markdown/* plural */.LS)(migration.source.clippedLines, 'more line')} in the file._` : '';
    parts.push(`${(0,report_markdown/* code */.aY)(migration.source.file)}:\n\n${(0,report_markdown/* codeBlock */.DV)(migration.source.text, migration.source.language === 'js' ? 'js' : 'sql')}${clipped}`);
    const summary = `${(0,report_markdown/* code */.aY)(migration.name)}: ${(0,report_markdown/* plural */.LS)(migration.statements.length, 'statement')} measured, ${(0,report_markdown/* duration */.p0)(timeOf(migration))}${migration.findings.length ? `, ⚠️ ${(0,report_markdown/* plural */.LS)(migration.findings.length, 'warning')}` : ''}`;
    return (0,report_markdown/* details */.zH)(summary, parts.join('\n\n'));
}

;// CONCATENATED MODULE: ./src/report/render-schema-changes.ts

const DEFINITION_MAX = 200;
/** Beyond this many tables, those without destructive changes are folded. */
const OPEN_TABLES = 25;
function definition(text) {
    return text === undefined ? '' : (0,report_markdown/* code */.aY)((0,report_markdown/* clip */.$Q)(text.replace(/\s+/g, ' '), DEFINITION_MAX));
}
function mark(destructive) {
    return destructive ? '🔥 ' : '';
}
function label(change) {
    return change.kind === 'row-security' ? 'row-level security' : `${change.kind} ${(0,report_markdown/* code */.aY)(change.name)}`;
}
function itemLine(change) {
    const what = label(change);
    switch (change.change) {
        case 'added':
            return `${what} added: ${definition(change.after)}`;
        case 'dropped': {
            const held = change.rows !== undefined ? `, with its ${(0,report_markdown/* plural */.LS)(change.rows, 'value')} (not null)` : '';
            return `${mark(change.destructive)}${what} dropped (was ${definition(change.before)})${held}`;
        }
        case 'renamed':
            return `${mark(change.destructive)}${what} renamed from ${(0,report_markdown/* code */.aY)(change.from ?? '?')}${change.before !== undefined ? `, now ${definition(change.after)} (was ${definition(change.before)})` : ''}`;
        case 'changed':
            return `${mark(change.destructive)}${what}: ${definition(change.before)} → ${definition(change.after)}${change.kind === 'column' && change.destructive ? ' (a type change that can alter or reject values)' : ''}`;
    }
}
/** Items of one table; a column dropped and added under the same name becomes one line. */
function itemLines(items) {
    const lines = [];
    const readded = new Set();
    for (const item of items) {
        if (readded.has(item))
            continue;
        const again = item.kind === 'column' && item.change === 'dropped' ? items.find((other) => other.kind === 'column' && other.change === 'added' && other.name === item.name) : undefined;
        if (again) {
            readded.add(again);
            const held = item.rows !== undefined ? `its ${(0,report_markdown/* plural */.LS)(item.rows, 'value')} (not null) are gone` : 'the old values are gone';
            lines.push(`🔥 column ${(0,report_markdown/* code */.aY)(item.name)} dropped and added again (a drop + add, not a rename: ${held}); was ${definition(item.before)}, now ${definition(again.after)}`);
            continue;
        }
        lines.push(itemLine(item));
    }
    return lines;
}
function addedTable(entry) {
    const columns = entry.items.filter((i) => i.kind === 'column').map((i) => `${i.name} ${i.after?.split(' ')[0] ?? ''}`.trim());
    const rest = entry.items.filter((i) => i.kind !== 'column');
    const kinds = ['constraint', 'index', 'trigger', 'policy'].map((kind) => [kind, rest.filter((i) => i.kind === kind).length]).filter(([, n]) => n > 0);
    const extra = kinds.length ? `; ${kinds.map(([kind, n]) => (0,report_markdown/* plural */.LS)(n, kind, kind === 'index' ? 'indexes' : kind === 'policy' ? 'policies' : `${kind}s`)).join(', ')}` : '';
    return `- ➕ **${(0,report_markdown/* code */.aY)(entry.table)}** added: ${(0,report_markdown/* plural */.LS)(columns.length, 'column')} (${(0,report_markdown/* code */.aY)((0,report_markdown/* clip */.$Q)(columns.join(', '), DEFINITION_MAX))})${extra}`;
}
function tableBlock(entry) {
    if (entry.change === 'added')
        return addedTable(entry);
    if (entry.change === 'dropped')
        return `- 🔥 **${(0,report_markdown/* code */.aY)(entry.table)}** dropped${entry.rows !== undefined ? `, with its ${(0,report_markdown/* plural */.LS)(entry.rows, 'row')}` : ''}`;
    const head = entry.change === 'renamed' ? `- ${mark(entry.destructive)}**${(0,report_markdown/* code */.aY)(entry.table)}** renamed from ${(0,report_markdown/* code */.aY)(entry.from ?? '?')}` : `- ${mark(entry.destructive)}**${(0,report_markdown/* code */.aY)(entry.table)}**`;
    return [head, ...itemLines(entry.items).map((line) => `  - ${line}`)].join('\n');
}
function summaryLine(changes) {
    const byChange = (change) => changes.tables.filter((t) => t.change === change).length;
    const parts = [
        [byChange('dropped'), 'dropped'],
        [byChange('changed') + byChange('renamed'), 'changed'],
        [byChange('added'), 'added'],
    ]
        .filter(([n]) => n > 0)
        .map(([n, what]) => `${(0,report_markdown/* plural */.LS)(n, 'table')} ${what}`);
    if (changes.others.length)
        parts.push((0,report_markdown/* plural */.LS)(changes.others.length, 'other object'));
    const destructive = changes.tables.reduce((sum, t) => sum + (t.change === 'dropped' ? 1 : t.items.filter((i) => i.destructive).length), 0) + changes.others.filter((o) => o.destructive).length;
    if (destructive)
        parts.push(`🔥 ${(0,report_markdown/* plural */.LS)(destructive, 'destructive change')}`);
    return parts.join(' · ');
}
/** `applied`: how many new migrations the diff covers when one failed (undefined: all of them ran). */
function renderSchemaChanges(changes, applied) {
    if (!changes)
        return undefined;
    const partial = applied === undefined ? '' : applied === 0 ? 'no new migration was applied before the failure' : `only the ${(0,report_markdown/* plural */.LS)(applied, 'new migration')} applied before the failure`;
    if (changes.tables.length === 0 && changes.others.length === 0)
        return `### Schema changes\n\n_${partial ? `No change: ${partial}.` : 'The new migrations leave the schema as it was.'}_`;
    const parts = ['### Schema changes', `${summaryLine(changes)}${partial ? ` (${partial})` : ''}`];
    const open = changes.tables.length > OPEN_TABLES ? changes.tables.filter((t) => t.destructive) : changes.tables;
    const folded = changes.tables.filter((t) => !open.includes(t));
    if (open.length)
        parts.push(open.map(tableBlock).join('\n'));
    if (folded.length)
        parts.push((0,report_markdown/* details */.zH)(`${(0,report_markdown/* plural */.LS)(folded.length, 'more table')} without destructive changes`, folded.map(tableBlock).join('\n')));
    if (changes.others.length)
        parts.push(`Other objects:\n\n${changes.others.map((o) => `- ${o.change === 'added' ? '➕ ' : ''}${itemLine(o)}`).join('\n')}`);
    return parts.join('\n\n');
}

;// CONCATENATED MODULE: ./src/report/render-schema.ts

const TABLES_OPEN = 25;
const SQL_SHOWN = 160;
function items(objects, kinds, render) {
    return objects.filter((o) => kinds.includes(o.kind)).map(render).join('<br>') || '—';
}
const named = (o) => (o.name ? `${(0,report_markdown/* code */.aY)(o.name)} ${(0,report_markdown/* code */.aY)(o.definition)}` : (0,report_markdown/* code */.aY)(o.definition));
function keysCell(t) {
    const identity = t.objects.some((o) => o.kind === 'identity' && /GENERATED/.test(o.definition));
    const keys = [
        ...t.objects.filter((o) => o.kind === 'primary key').map((o) => `PK ${(0,report_markdown/* code */.aY)(o.definition)}${identity ? ' identity' : ''}`),
        ...t.objects.filter((o) => o.kind === 'identity' && /continues after/.test(o.definition)).map((o) => `sequence ${(0,report_markdown/* code */.aY)(o.definition)}`),
        ...t.objects.filter((o) => o.kind === 'unique').map((o) => `UNIQUE ${named(o)}`),
    ];
    return keys.join('<br>') || '—';
}
const COLUMNS = [
    { header: 'Table', render: (t) => (0,report_markdown/* code */.aY)(t.table) },
    { header: 'Columns', align: 'right', render: (t) => (0,report_markdown/* count */.U9)(t.columns) },
    { header: 'Keys', render: keysCell },
    { header: 'Indexes', render: (t) => items(t.objects, ['index'], named) },
    { header: 'Foreign keys', render: (t) => items(t.objects, ['foreign key'], (o) => (0,report_markdown/* code */.aY)(o.definition)) },
    { header: 'Checks', render: (t) => items(t.objects, ['check'], (o) => (0,report_markdown/* code */.aY)(o.definition)) },
    { header: 'Defaults', render: (t) => items(t.objects, ['default'], (o) => (0,report_markdown/* code */.aY)(o.definition)) },
];
function headline(created, existing) {
    const made = created.length === 0 ? 'No table was created (create-tables)' : `Created ${(0,report_markdown/* plural */.LS)(created.length, 'table')} from the SQLite schema (create-tables)`;
    if (existing.length === 0)
        return `${made}; no table existed already.`;
    const were = existing.length === 1 ? 'table already existed and was left as it was' : 'tables already existed and were left as they were';
    return `${made}; ${(0,report_markdown/* count */.U9)(existing.length)} ${were}: ${existing.map((t) => (0,report_markdown/* code */.aY)(t)).join(', ')}.`;
}
function renderSchemaCreated(result) {
    const schema = result.schema;
    if (!schema)
        return undefined;
    const { created, existing } = schema;
    const parts = ['### Schema created', headline(created, existing)];
    if (created.length > 0) {
        const grid = (0,report_markdown/* table */.tp)(COLUMNS, created);
        parts.push(created.length > TABLES_OPEN ? (0,report_markdown/* details */.zH)(`What was created, per table (${(0,report_markdown/* count */.U9)(created.length)})`, grid) : grid);
    }
    const notes = created.flatMap((t) => t.objects.filter((o) => o.note && o.kind !== 'identity').map((o) => `- ${(0,report_markdown/* code */.aY)(t.table)} ${o.kind}${o.name ? ` ${(0,report_markdown/* code */.aY)(o.name)}` : ''}: ${(0,report_markdown/* cell */.Hn)(o.note)}`));
    if (notes.length > 0)
        parts.push(`Changed on the way:\n\n${notes.join('\n')}`);
    const untranslated = [
        ...created.flatMap((t) => t.notTranslated.map((n) => `- ${(0,report_markdown/* code */.aY)(t.table)} ${n.kind}: ${(0,report_markdown/* code */.aY)(n.sqlite)} — ${(0,report_markdown/* cell */.Hn)(n.reason)}`)),
        ...(schema.skipped ?? []).map((s) => `- ${s.kind} ${(0,report_markdown/* code */.aY)(s.name)}: ${(0,report_markdown/* code */.aY)((0,report_markdown/* clip */.$Q)(s.sqlite.replace(/\s+/g, ' '), SQL_SHOWN))} — ${(0,report_markdown/* cell */.Hn)(s.reason)}`),
    ];
    if (created.length > 0 || untranslated.length > 0) {
        parts.push(untranslated.length > 0
            ? `#### Not translated (${(0,report_markdown/* count */.U9)(untranslated.length)})\n\n${untranslated.join('\n')}`
            : 'Every key, index, foreign key, check and default of the SQLite schema was translated.');
    }
    const renames = created.flatMap((t) => t.renames.map((r) => `- ${(0,report_markdown/* code */.aY)(t.table)} ${r.kind} ${(0,report_markdown/* code */.aY)(r.from)} → ${(0,report_markdown/* code */.aY)(r.to)}: ${(0,report_markdown/* cell */.Hn)(r.why)}`));
    if (renames.length > 0)
        parts.push(`#### Renamed identifiers (${(0,report_markdown/* count */.U9)(renames.length)})\n\nCopy and verify match these columns and tables by the same rule.\n\n${renames.join('\n')}`);
    return parts.join('\n\n');
}

// EXTERNAL MODULE: ./src/verify/describe-differences.ts
var describe_differences = __webpack_require__(8097);
;// CONCATENATED MODULE: ./src/report/render-tables.ts


const KEYS_SHOWN = 5;
/** A table is fine when both counts are known and equal and no checksum disagrees. */
function tableMatches(entry) {
    if (entry.missingInTarget || entry.checksumMatch === false)
        return false;
    if (entry.sourceRows === undefined || entry.targetRows === undefined)
        return entry.checksumMatch ?? undefined;
    return entry.sourceRows === entry.targetRows;
}
function checksumCell(entry) {
    if (entry.missingInTarget)
        return '— not compared';
    if (entry.checksumMatch === true)
        return '✅ match';
    if (entry.checksumMatch === false)
        return '❌ differs';
    return '— not computed';
}
function detailsCell(entry) {
    const parts = [];
    if (entry.missingInTarget)
        parts.push('missing in the target: not compared');
    if (entry.rejectedRows)
        parts.push(`${(0,report_markdown/* plural */.LS)(entry.rejectedRows, 'row')} rejected`);
    if (entry.differences) {
        parts.push((0,describe_differences/* describeDifferences */.g)(entry.differences, report_markdown/* code */.aY));
    }
    else if (entry.differingKeys?.length) {
        const shown = entry.differingKeys.slice(0, KEYS_SHOWN).map((key) => (0,report_markdown/* code */.aY)(key)).join(', ');
        const more = entry.differingKeys.length > KEYS_SHOWN ? ` and ${(0,report_markdown/* count */.U9)(entry.differingKeys.length - KEYS_SHOWN)} more` : '';
        parts.push(`first differing keys: ${shown}${more}`);
    }
    return parts.join('<br>');
}
function matchCell(entry) {
    const match = tableMatches(entry);
    return match === undefined ? '—' : match ? '✅' : '❌';
}
/** Dry runs: the table after the new migrations, as far as it can still be compared with the source. */
function afterCell(after) {
    if (!after)
        return '—';
    const names = (list) => (list?.length ? ` by ${list.map((m) => (0,report_markdown/* code */.aY)(m)).join(', ')}` : '');
    const by = names(after.by);
    if (after.state === 'dropped')
        return `🔥 dropped${by}`;
    if (after.state === 'written')
        return `${(0,report_markdown/* count */.U9)(after.rowsAfter)} · rows written${names(after.writtenBy)} (not compared)${by ? ` · schema changed${by}` : ''}`;
    const same = after.rowsAfter === after.rowsBefore ? `${(0,report_markdown/* count */.U9)(after.rowsAfter)} ✅ as many as copied` : `${(0,report_markdown/* count */.U9)(after.rowsAfter)} ❌ but ${(0,report_markdown/* count */.U9)(after.rowsBefore)} were copied`;
    if (after.state === 'renamed')
        return `${same} · renamed to ${(0,report_markdown/* code */.aY)(after.renamedTo ?? '?')}${by}`;
    if (after.state === 'altered')
        return `${same} · schema changed${by}`;
    return same;
}
function afterSummary(entries) {
    const compared = entries.filter((e) => e.state !== 'written' && e.state !== 'dropped');
    const differing = compared.filter((e) => e.rowsAfter !== e.rowsBefore).length;
    const parts = [];
    if (compared.length)
        parts.push(differing ? `**${(0,report_markdown/* plural */.LS)(differing, 'table')} no longer ${differing === 1 ? 'holds' : 'hold'} as many rows as were copied**` : `${(0,report_markdown/* plural */.LS)(compared.length, 'table')} not written by them ${compared.length === 1 ? 'holds' : 'hold'} as many rows as were copied`);
    const written = entries.filter((e) => e.state === 'written').length;
    if (written)
        parts.push(`${(0,report_markdown/* plural */.LS)(written, 'table')} written by them (not compared)`);
    const dropped = entries.filter((e) => e.state === 'dropped').length;
    if (dropped)
        parts.push(`${(0,report_markdown/* plural */.LS)(dropped, 'table')} dropped`);
    return `after the new migrations: ${parts.join('; ')}`;
}
function renderTables(result) {
    const { tables } = result;
    if (tables.length === 0)
        return undefined;
    const afterEntries = result.dryRun?.tablesAfter;
    const columns = [
        { header: 'Table', render: (t) => (0,report_markdown/* code */.aY)(t.table) },
        { header: 'Source rows', align: 'right', render: (t) => (0,report_markdown/* count */.U9)(t.sourceRows) },
        { header: 'Target rows', align: 'right', render: (t) => (0,report_markdown/* count */.U9)(t.targetRows) },
        { header: 'Match', align: 'center', render: matchCell },
        { header: 'Checksum', align: 'center', render: checksumCell },
    ];
    if (tables.some((t) => t.rejectedRows || t.differingKeys?.length || t.differences || t.missingInTarget)) {
        columns.push({ header: 'Details', render: (t) => detailsCell(t) || (0,report_markdown/* cell */.Hn)('') });
    }
    if (afterEntries)
        columns.push({ header: 'After the new migrations', render: (t) => afterCell(afterEntries.find((a) => a.table === t.table)) });
    const mismatched = tables.filter((t) => tableMatches(t) === false).length;
    let summary = mismatched
        ? `${(0,report_markdown/* plural */.LS)(tables.length, 'table')} · **${(0,report_markdown/* plural */.LS)(mismatched, 'table')} ${mismatched === 1 ? 'differs' : 'differ'}**`
        : `${(0,report_markdown/* plural */.LS)(tables.length, 'table')}${tables.every((t) => tableMatches(t) === true) ? ' · all match' : ''}`;
    // The copy was verified before the new migrations; say what still holds after them.
    if (afterEntries)
        summary += ` (copied and verified before the new migrations) · ${afterSummary(afterEntries)}`;
    return ['### Tables', summary, (0,report_markdown/* table */.tp)(columns, tables)].join('\n\n');
}
const LEFT_OUT_OPEN = 10;
/** "Left out": the source tables not copied or compared, grouped by reason; collapsed when long. */
function renderLeftOut(result) {
    const leftOut = result.leftOut ?? [];
    if (leftOut.length === 0)
        return undefined;
    const byReason = new Map();
    for (const { table: name, reason } of leftOut)
        byReason.set(reason, [...(byReason.get(reason) ?? []), name]);
    const lines = [...byReason].map(([reason, names]) => `- ${(0,report_markdown/* cell */.Hn)(reason)}: ${names.map((name) => (0,report_markdown/* code */.aY)(name)).join(', ')}`).join('\n');
    const title = `Left out: ${(0,report_markdown/* plural */.LS)(leftOut.length, 'source table')}`;
    return leftOut.length > LEFT_OUT_OPEN ? (0,report_markdown/* details */.zH)(title, lines) : `### ${title}\n\n${lines}`;
}

// EXTERNAL MODULE: ./src/report/truncate.ts
var truncate = __webpack_require__(3534);
;// CONCATENATED MODULE: ./src/report/render-report.ts










const MODE_LABELS = {
    status: 'status',
    migrate: 'migrate',
    rollback: 'rollback',
    baseline: 'baseline',
    copy: 'copy',
    verify: 'verify',
    cutover: 'cutover',
    'dry-run': 'dry run',
};
const TITLES = {
    status: 'Migration status',
    migrate: 'Migrate',
    rollback: 'Rollback',
    baseline: 'Baseline',
    copy: 'Copy',
    verify: 'Verify',
    cutover: 'Cutover',
    'dry-run': 'Dry run',
};
function render_report_headline(result) {
    const title = TITLES[result.mode] ?? result.mode;
    if (result.cancelled && !result.ok)
        return `## ⏹️ ${title} cancelled`;
    if (!result.ok)
        return `## ❌ ${title} failed`;
    if (result.rejected)
        return `## ⚠️ ${title} finished with ${result.rejected.rows.toLocaleString('en-US')} rejected row${result.rejected.rows === 1 ? '' : 's'}`;
    if (result.verified === false)
        return `## ❌ ${title}: verification found differences`;
    if (result.mode === 'status')
        return `## ✅ ${title}`;
    const warnings = result.mode === 'dry-run' ? (0,dry_run_summary/* warningCount */.KL)(result) : 0;
    if (warnings > 0)
        return `## ⚠️ ${title} passed with ${warnings.toLocaleString('en-US')} warning${warnings === 1 ? '' : 's'}`;
    return `## ✅ ${title} ${result.mode === 'verify' || result.mode === 'dry-run' ? 'passed' : 'succeeded'}`;
}
function facts(result) {
    const parts = [`**Mode:** ${(0,report_markdown/* code */.aY)(result.mode)}`];
    if (result.target)
        parts.push(`**Target:** ${(0,report_markdown/* code */.aY)(result.target)}${result.throwaway ? ' (read only)' : ''}`);
    if (result.source)
        parts.push(`**Source:** ${(0,report_markdown/* code */.aY)(result.source)} (read only)`);
    if (result.rejected) {
        const n = result.rejected.rows;
        parts.push(`**Verified:** ❌ no: ${n.toLocaleString('en-US')} row${n === 1 ? ' was' : 's were'} rejected (on-error: skip) and ${n === 1 ? 'is' : 'are'} in ${(0,report_markdown/* code */.aY)(result.rejected.file)}; the copied rows match the source`);
    }
    else if (result.verified !== null)
        parts.push(`**Verified:** ${result.verified ? '✅ yes' : '❌ no'}`);
    parts.push(`**Duration:** ${(0,report_markdown/* duration */.p0)(result.durationMs)}`);
    return parts.join(' · ');
}
function throwawayNote(result) {
    if (!result.throwaway)
        return undefined;
    const { provider, serverVersion } = result.throwaway;
    const server = `PostgreSQL${serverVersion ? ` ${(0,report_markdown/* cell */.Hn)(serverVersion)}` : ''} (${(0,report_markdown/* cell */.Hn)(provider)})`;
    const order = (0,dry_run_summary/* orderNote */.x9)(result);
    return `> 🧪 **Dry run** on a throwaway ${server}: the real target was not written.${order ? `\n> ${order}` : ''}`;
}
function bulletList(items) {
    return items.map((item) => `- ${(0,report_markdown/* cell */.Hn)(item)}`).join('\n');
}
function renderWarnings(result) {
    if (result.warnings.length === 0)
        return undefined;
    return `### ⚠️ Warnings\n\n${bulletList(result.warnings)}`;
}
function renderRollback(result) {
    if (!result.rollback?.length)
        return undefined;
    const command = result.rollbackCommand ? `\n\n${(0,report_markdown/* codeBlock */.DV)(result.rollbackCommand, 'sh')}` : '';
    return `### ↩️ Rollback\n\n${bulletList(result.rollback)}${command}`;
}
function renderReproduce(result) {
    if (!result.reproduce)
        return undefined;
    const hint = result.reproduce.includes('***') ? '\n\nReplace `***` with the password (or set the URL from an environment variable).' : '';
    return (0,report_markdown/* details */.zH)('Reproduce locally', `${(0,report_markdown/* codeBlock */.DV)(result.reproduce, 'sh')}${hint}`);
}
function footer(result, summaryUrl) {
    const run = summaryUrl ? ` · [workflow run](${summaryUrl})` : '';
    return `<sub>cutover ${MODE_LABELS[result.mode] ?? result.mode} · ${(0,report_markdown/* duration */.p0)(result.durationMs)}${run}</sub>`;
}
/** A dry run that measured the PR's new migrations: they lead, the full list of migrations is folded. */
function dryRunSections(result) {
    const report = result.dryRun;
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
function commandSections(result) {
    const report = result.dryRun;
    return [renderCommandImpact(report.commandImpact), renderFindings(report), renderSchemaChanges(report.schemaChanges), renderMigrations(result), renderTables(result)];
}
function renderReport(result, options = {}) {
    const kind = result.dryRun?.order.kind;
    const measured = kind !== undefined && kind !== 'fallback' && kind !== 'command';
    const command = kind === 'command' ? commandSections(result) : undefined;
    const sections = [
        render_report_headline(result),
        facts(result),
        measured || command ? (0,dry_run_summary/* dryRunLine */.jj)(result) : undefined,
        throwawayNote(result),
        result.error ? `> **Error:** ${(0,report_markdown/* cell */.Hn)(result.error)}` : undefined,
        result.notes.length ? bulletList(result.notes) : undefined,
        ...(measured ? dryRunSections(result) : command ?? [renderMigrations(result), renderTables(result)]),
        renderSchemaCreated(result),
        renderLeftOut(result),
        renderWarnings(result),
        renderRollback(result),
        renderReproduce(result),
        footer(result, options.summaryUrl),
    ];
    const body = sections.filter((section) => Boolean(section)).join('\n\n');
    const markdown = `${options.commentMarker ? `${options.commentMarker}\n` : ''}${body}\n`;
    if (options.maxLength === undefined)
        return markdown;
    return (0,truncate/* truncateMarkdown */.o4)(markdown, options.maxLength, (0,truncate/* truncationNotice */.Gx)({ limit: options.maxLength, summaryUrl: options.summaryUrl }));
}


/***/ }),

/***/ 3534:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Gi: () => (/* binding */ COMMENT_MAX_LENGTH),
/* harmony export */   Gx: () => (/* binding */ truncationNotice),
/* harmony export */   Nn: () => (/* binding */ SUMMARY_MAX_LENGTH),
/* harmony export */   Vp: () => (/* binding */ runUrl),
/* harmony export */   o4: () => (/* binding */ truncateMarkdown)
/* harmony export */ });
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4285);
// Fits a Markdown report under a length limit: GitHub rejects issue comments over 65,536 characters
// ("Body is too long"), and step summaries over 1 MiB. We cut at a line boundary, close any code
// fence or <details> block left open, and end with a pointer to where the full report is.

const COMMENT_MAX_LENGTH = 65_536;
/** GitHub's step summary limit is 1 MiB per step; leave room for multi-byte characters. */
const SUMMARY_MAX_LENGTH = 400_000;
/** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}` when all are known. */
function runUrl(env) {
    if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID)
        return undefined;
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const attempt = env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
    return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`;
}
/** The closing line of a truncated comment: where to read the rest. */
function truncationNotice(options) {
    const where = options.fullReport ?? (options.summaryUrl ? `the [step summary of this run](${options.summaryUrl})` : `the step summary of this workflow run`);
    return `> ✂️ **This report was cut to fit the ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .count */ .U9)(options.limit)}-character limit.** The full report is in ${where}.`;
}
function openBlocks(text) {
    const state = { details: 0 };
    for (const line of text.split('\n')) {
        const fence = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
        if (state.fence) {
            if (fence && fence[0] === state.fence[0] && fence.length >= state.fence.length && line.trim() === fence)
                state.fence = undefined;
            continue;
        }
        if (fence) {
            state.fence = fence;
            continue;
        }
        state.details += (line.match(/<details[\s>]/gi) ?? []).length;
        state.details -= (line.match(/<\/details>/gi) ?? []).length;
        if (state.details < 0)
            state.details = 0;
    }
    return state;
}
function closers(state) {
    const parts = [];
    if (state.fence)
        parts.push(state.fence);
    for (let i = 0; i < state.details; i += 1)
        parts.push('</details>');
    return parts.length ? `\n${parts.join('\n\n')}` : '';
}
/**
 * Returns `markdown` unchanged when it fits in `maxLength` characters (UTF-16 code units, which is
 * never fewer than the characters GitHub counts); otherwise a prefix cut at a line boundary, with
 * open blocks closed and `notice` appended, that fits.
 */
function truncateMarkdown(markdown, maxLength, notice) {
    if (markdown.length <= maxLength)
        return markdown;
    const tail = `\n\n---\n\n${notice}\n`;
    let budget = maxLength - tail.length;
    for (let attempt = 0; attempt < 8 && budget > 0; attempt += 1) {
        let cut = markdown.lastIndexOf('\n', budget);
        if (cut <= 0)
            cut = budget; // one enormous line: cut inside it
        const kept = markdown.slice(0, cut).replace(/\s+$/, '');
        const result = `${kept}${closers(openBlocks(kept))}${tail}`;
        if (result.length <= maxLength)
            return result;
        budget -= result.length - maxLength + 16;
    }
    return notice.slice(0, maxLength);
}


/***/ }),

/***/ 3683:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Um: () => (/* binding */ consoleRuntime),
/* harmony export */   qG: () => (/* binding */ redacting)
/* harmony export */ });
/* unused harmony export recordingRuntime */
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6670);
// Everything the engine does to the outside world besides databases goes through this interface:
// the Action adapter (src/runtime-actions.ts) maps it onto @actions/core, the CLI onto the terminal,
// and tests onto a recorder. Every implementation is wrapped by `redacting` so no secret leaves.

function cleanAnnotation(annotation) {
    if (!annotation)
        return undefined;
    return { ...annotation, ...(annotation.title ? { title: (0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(annotation.title) } : {}) };
}
/** Wraps a runtime so that every text passing through it is redacted. */
function redacting(inner) {
    return {
        info: (m) => inner.info((0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(m)),
        debug: (m) => inner.debug((0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(m)),
        notice: (m, a) => inner.notice((0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(m), cleanAnnotation(a)),
        warning: (m, a) => inner.warning((0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(m), cleanAnnotation(a)),
        error: (m, a) => inner.error((0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(m), cleanAnnotation(a)),
        group: (title, fn) => inner.group((0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(title), fn),
        setOutput: (name, value) => inner.setOutput(name, (0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(value)),
        appendSummary: (markdown) => inner.appendSummary((0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(markdown)),
        saveState: (name, value) => inner.saveState(name, value),
        ...(inner.commandRunner ? { commandRunner: inner.commandRunner } : {}),
    };
}
function annotationSuffix(annotation) {
    if (!annotation?.file)
        return '';
    return ` (${annotation.file}${annotation.line ? `:${annotation.line}` : ''})`;
}
/** Terminal runtime for the CLI: logs to stderr, outputs to stdout as name=value lines when asked. */
function consoleRuntime(options = {}) {
    const out = options.stream ?? process.stderr;
    const write = (line) => out.write(`${line}\n`);
    const outputs = {};
    return {
        info: write,
        debug: (m) => options.verbose && write(`debug: ${m}`),
        notice: (m, a) => write(`notice${annotationSuffix(a)}: ${m}`),
        warning: (m, a) => write(`warning${annotationSuffix(a)}: ${m}`),
        error: (m, a) => write(`error${annotationSuffix(a)}: ${m}`),
        group: async (title, fn) => {
            write(`▸ ${title}`);
            return fn();
        },
        setOutput: (name, value) => {
            outputs[name] = value;
            if (options.printOutputs)
                process.stdout.write(`${name}=${value}\n`);
        },
        appendSummary: async () => undefined,
        saveState: () => undefined,
    };
}
/** In-memory runtime for tests. */
function recordingRuntime() {
    const runtime = {
        logs: [],
        outputs: {},
        summary: [],
        groups: [],
        state: {},
        info: (message) => runtime.logs.push({ level: 'info', message }),
        debug: (message) => runtime.logs.push({ level: 'debug', message }),
        notice: (message, annotation) => runtime.logs.push({ level: 'notice', message, annotation }),
        warning: (message, annotation) => runtime.logs.push({ level: 'warning', message, annotation }),
        error: (message, annotation) => runtime.logs.push({ level: 'error', message, annotation }),
        group: async (title, fn) => {
            runtime.groups.push(title);
            return fn();
        },
        setOutput: (name, value) => {
            runtime.outputs[name] = value;
        },
        appendSummary: async (markdown) => {
            runtime.summary.push(markdown);
        },
        saveState: (name, value) => {
            runtime.state[name] = value;
        },
    };
    return runtime;
}


/***/ }),

/***/ 8750:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E6: () => (/* binding */ buildSettings),
/* harmony export */   FN: () => (/* binding */ MODES),
/* harmony export */   NB: () => (/* binding */ inputLabel),
/* harmony export */   WJ: () => (/* binding */ INPUT_DEFAULTS)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3916);
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6670);
/* harmony import */ var _db_database_url_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9974);
// The typed settings object every run is driven by. Both the Action (src/inputs.ts) and the CLI
// (src/cli-args.ts) collect raw strings keyed by the action.yml input names and hand them to
// `buildSettings`, so validation and defaults live in exactly one place.






const MODES = ['status', 'migrate', 'rollback', 'baseline', 'copy', 'verify', 'cutover', 'dry-run'];
const INPUT_DEFAULTS = {
    mode: 'migrate',
    'migrations-dir': 'migrations',
    steps: '1',
    'allow-changed-migrations': 'false',
    'lock-timeout': '300',
    'migration-lock-timeout': '5',
    'migration-statement-timeout': '0',
    'connect-attempts': '3',
    'connect-timeout': '10',
    include: '',
    exclude: '',
    'create-tables': 'false',
    'on-error': 'fail',
    'if-target-not-empty': 'fail',
    jobs: '2',
    checksums: 'true',
    'sample-rows': '',
    'dry-run-database': 'auto',
    'dry-run-database-reset': 'false',
    'postgres-version': '17',
    'schema-from': 'migrations',
    comment: 'true',
    'comment-id': '',
    'create-tables-lengths': 'keep',
    'migrate-command-timeout': '3600',
    'dry-run-timeout': '600',
};
function inputLabel(origin, name) {
    return origin === 'action' ? `input '${name}'` : `--${name}`;
}
function pick(raw, name, allowed, origin) {
    const value = (raw[name] || INPUT_DEFAULTS[name] || '').trim().toLowerCase();
    if (!allowed.includes(value)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL(`Invalid ${inputLabel(origin, name)}: '${raw[name]}'.`, { fix: `expected one of: ${allowed.join(', ')}.` });
    }
    return value;
}
function integer(raw, name, origin, min, max = Number.MAX_SAFE_INTEGER) {
    const text = (raw[name] || INPUT_DEFAULTS[name] || '').trim();
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL(`Invalid ${inputLabel(origin, name)}: '${raw[name]}'.`, { fix: `expected a whole number from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'up' : max}.` });
    }
    return Number(text);
}
function boolean(raw, name, origin) {
    const text = (raw[name] || INPUT_DEFAULTS[name] || '').trim().toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(text))
        return true;
    if (['false', 'no', '0', 'off'].includes(text))
        return false;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL(`Invalid ${inputLabel(origin, name)}: '${raw[name]}'.`, { fix: `expected true or false.` });
}
function list(raw, name) {
    return (raw[name] ?? '')
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter(Boolean);
}
function appliedByFromEnv(env) {
    if (env.GITHUB_ACTIONS === 'true') {
        const run = env.GITHUB_RUN_ID ? ` run ${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : '';
        return `${env.GITHUB_ACTOR ?? 'github-actions'}${run}`;
    }
    try {
        return `${node_os__WEBPACK_IMPORTED_MODULE_1___default().userInfo().username}@${node_os__WEBPACK_IMPORTED_MODULE_1___default().hostname()}`;
    }
    catch {
        return 'unknown';
    }
}
function buildSettings(raw, options) {
    const { origin } = options;
    const env = options.env ?? process.env;
    const cwd = options.cwd ?? process.cwd();
    const mode = pick(raw, 'mode', MODES, origin);
    // Connections fall back to PGPASSWORD for URLs without a password (src/db/postgres-connect.ts).
    (0,_redact_js__WEBPACK_IMPORTED_MODULE_4__/* .registerSecret */ .cl)(env.PGPASSWORD?.trim() || undefined, { input: 'the PGPASSWORD environment variable' });
    const targetText = raw['target-url']?.trim() || env.DATABASE_URL?.trim();
    const target = targetText ? (0,_db_database_url_js__WEBPACK_IMPORTED_MODULE_5__/* .parseDatabaseUrl */ .mx)(targetText, { input: raw['target-url']?.trim() ? inputLabel(origin, 'target-url') : 'DATABASE_URL', cwd }) : undefined;
    const sourceText = raw['source-url']?.trim();
    const source = sourceText ? (0,_db_database_url_js__WEBPACK_IMPORTED_MODULE_5__/* .parseDatabaseUrl */ .mx)(sourceText, { input: inputLabel(origin, 'source-url'), cwd }) : undefined;
    if (!target && mode !== 'dry-run') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL(`No target database: ${inputLabel(origin, 'target-url')} is empty and DATABASE_URL is not set.`, {
            fix: origin === 'action'
                ? `pass target-url: \${{ secrets.DATABASE_URL }} (a postgresql:// URL or sqlite:path) to the step.`
                : `pass --target postgresql://user:password@host:5432/db (or sqlite:app.db), or set DATABASE_URL.`,
        });
    }
    if (!source && (mode === 'copy' || mode === 'verify' || mode === 'cutover')) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL(`Mode '${mode}' needs a source database, but ${inputLabel(origin, 'source-url')} is empty.`, {
            fix: `pass the database to copy from as ${inputLabel(origin, 'source-url')} (postgresql:// URL or sqlite:path).`,
        });
    }
    if ((mode === 'copy' || mode === 'cutover') && target?.kind === 'sqlite') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL(`Mode '${mode}' writes to PostgreSQL only, but the target is a SQLite file (${target.path}).`, {
            fix: `point ${inputLabel(origin, 'target-url')} at a PostgreSQL database; SQLite targets support status, migrate, rollback and baseline.`,
        });
    }
    const dryRunText = (raw['dry-run-database'] || INPUT_DEFAULTS['dry-run-database']).trim();
    let database;
    if (['auto', 'docker', 'local'].includes(dryRunText.toLowerCase())) {
        database = { kind: dryRunText.toLowerCase() };
    }
    else {
        const location = (0,_db_database_url_js__WEBPACK_IMPORTED_MODULE_5__/* .parseDatabaseUrl */ .mx)(dryRunText, { input: inputLabel(origin, 'dry-run-database'), cwd });
        if (location.kind !== 'postgres') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL(`${inputLabel(origin, 'dry-run-database')} must be auto, docker, local or a postgresql:// URL.`, { fix: `use a PostgreSQL URL, e.g. the workflow's services: postgres container.` });
        }
        database = { kind: 'url', location };
    }
    const sampleText = raw['sample-rows']?.trim();
    const workingDirectory = cwd;
    const tempDir = env.RUNNER_TEMP || node_os__WEBPACK_IMPORTED_MODULE_1___default().tmpdir();
    return {
        mode,
        origin,
        ...(target ? { target } : {}),
        ...(source ? { source } : {}),
        migrationsDir: node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(cwd, raw['migrations-dir']?.trim() || INPUT_DEFAULTS['migrations-dir']),
        ...(raw.to?.trim() ? { to: raw.to.trim() } : {}),
        steps: integer(raw, 'steps', origin, 1),
        allowChangedMigrations: boolean(raw, 'allow-changed-migrations', origin),
        lockTimeoutMs: integer(raw, 'lock-timeout', origin, 0, 86_400) * 1000,
        migrationLockTimeoutMs: integer(raw, 'migration-lock-timeout', origin, 0, 86_400) * 1000,
        migrationStatementTimeoutMs: integer(raw, 'migration-statement-timeout', origin, 0, 86_400) * 1000,
        connectAttempts: integer(raw, 'connect-attempts', origin, 1, 20),
        connectTimeoutMs: integer(raw, 'connect-timeout', origin, 1, 600) * 1000,
        copy: {
            include: list(raw, 'include'),
            exclude: list(raw, 'exclude'),
            createTables: boolean(raw, 'create-tables', origin),
            onError: pick(raw, 'on-error', ['fail', 'skip'], origin),
            rejectsFile: node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(cwd, raw['rejects-file']?.trim() || node_path__WEBPACK_IMPORTED_MODULE_2___default().join(tempDir, 'cutover-rejects.jsonl')),
            ifTargetNotEmpty: pick(raw, 'if-target-not-empty', ['fail', 'truncate', 'append'], origin),
            jobs: integer(raw, 'jobs', origin, 1, 32),
            checksums: boolean(raw, 'checksums', origin),
            ...(sampleText ? { sampleRows: integer(raw, 'sample-rows', origin, 1) } : {}),
            createTablesLengths: pick(raw, 'create-tables-lengths', ['keep', 'drop'], origin),
        },
        dryRun: {
            database,
            reset: boolean(raw, 'dry-run-database-reset', origin),
            postgresVersion: (raw['postgres-version'] || INPUT_DEFAULTS['postgres-version']).trim(),
            schemaFrom: pick(raw, 'schema-from', ['migrations', 'target'], origin),
            ...(raw['base-ref']?.trim() ? { baseRef: raw['base-ref'].trim() } : {}),
            timeoutMs: integer(raw, 'dry-run-timeout', origin, 0, 86_400) * 1000,
        },
        report: {
            comment: boolean(raw, 'comment', origin),
            commentId: (raw['comment-id'] ?? '').trim(),
            ...(raw['github-token']?.trim() ? { githubToken: raw['github-token'].trim() } : {}),
            path: node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(cwd, raw['report-path']?.trim() || node_path__WEBPACK_IMPORTED_MODULE_2___default().join(tempDir, 'cutover-report.md')),
        },
        appliedBy: appliedByFromEnv(env),
        runId: env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}` : node_crypto__WEBPACK_IMPORTED_MODULE_0___default().randomBytes(4).toString('hex'),
        workingDirectory,
        command: {
            ...(raw['migrate-command']?.trim() ? { migrate: raw['migrate-command'].trim() } : {}),
            ...(raw['rollback-command']?.trim() ? { rollback: raw['rollback-command'].trim() } : {}),
            ...(raw['status-command']?.trim() ? { status: raw['status-command'].trim() } : {}),
            dir: node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(cwd, raw['migrate-command-dir']?.trim() || '.'),
            timeoutMs: integer(raw, 'migrate-command-timeout', origin, 1, 86_400) * 1000,
        },
    };
}


/***/ }),

/***/ 4183:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   nO: () => (/* binding */ prepareWrapper),
/* harmony export */   ov: () => (/* binding */ WRAPPER),
/* harmony export */   s1: () => (/* binding */ lineSplitter),
/* harmony export */   s3: () => (/* binding */ nodeCommandRunner)
/* harmony export */ });
/* unused harmony export STOP_GRACE_MS */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
// Runs another tool's command (migrate-command and friends) so that it can be stopped as a whole: a
// bash wrapper starts it as a job in a process group of its own and writes the group's id to a file;
// a timeout or a cancel sends SIGTERM to that group (the command and everything it started, e.g.
// `npx` → node → the Prisma engine), then SIGKILL after a grace period.
//
// Two runners share the wrapper: this one (Node's child_process; its output goes line by line through
// the engine's runtime, redacted) and the Action's (@actions/exec, src/tools/command/actions-command-runner.ts,
// injected through the Runtime), whose output goes straight to the job log, where the runner masks
// the secrets cutover registered.




/**
 * Job control (`set -m`) gives the job its own process group; `set +m` keeps bash from reporting it.
 * The wrapper's standard input is a pipe from cutover that it never writes to: when cutover ends in
 * any way, even SIGKILL (which nobody can forward), the kernel closes that pipe, `read` meets the end
 * of it, and a watcher stops the command's group as a cancel would (SIGTERM, SIGKILL 5 s later). So
 * a tool's migration never goes on without cutover's lock, which died with cutover's connection.
 * (Background jobs without job control read /dev/null, hence the explicit descriptor 3.)
 */
const WRAPPER = [
    'exec 3<&0',
    'set -m; bash -c "$CUTOVER_COMMAND" </dev/null 3<&- & cmd=$!; echo $cmd > "$CUTOVER_COMMAND_PID_FILE"; set +m',
    '{ while read -r _ <&3; do :; done; kill -TERM -$cmd 2>/dev/null && sleep 5 && kill -KILL -$cmd 2>/dev/null; } >/dev/null 2>&1 &',
    'watch=$!; exec 3<&-',
    'wait $cmd; status=$?; kill $watch 2>/dev/null; exit $status',
].join('\n');
/** How long a command gets between SIGTERM and SIGKILL. */
const STOP_GRACE_MS = 5_000;
/** The wrapper's environment and the means to stop what it started. */
function prepareWrapper(spec, exited) {
    const dir = node_fs__WEBPACK_IMPORTED_MODULE_1___default().mkdtempSync(node_path__WEBPACK_IMPORTED_MODULE_3___default().join(node_os__WEBPACK_IMPORTED_MODULE_2___default().tmpdir(), 'cutover-command-'));
    const pidFile = node_path__WEBPACK_IMPORTED_MODULE_3___default().join(dir, 'pgid');
    const kill = (group, signal) => {
        try {
            process.kill(-group, signal);
        }
        catch {
            // the group is gone already
        }
    };
    return {
        env: { ...spec.env, CUTOVER_COMMAND: spec.command, CUTOVER_COMMAND_PID_FILE: pidFile },
        async stop() {
            const text = node_fs__WEBPACK_IMPORTED_MODULE_1___default().existsSync(pidFile) ? node_fs__WEBPACK_IMPORTED_MODULE_1___default().readFileSync(pidFile, 'utf8').trim() : '';
            const group = Number(text);
            if (!group)
                return;
            kill(group, 'SIGTERM');
            const deadline = Date.now() + STOP_GRACE_MS;
            while (!exited() && Date.now() < deadline)
                await new Promise((resolve) => setTimeout(resolve, 100));
            if (!exited())
                kill(group, 'SIGKILL');
        },
        cleanup() {
            node_fs__WEBPACK_IMPORTED_MODULE_1___default().rmSync(dir, { recursive: true, force: true });
        },
    };
}
/** Splits chunks into lines, keeping a partial last line until the next chunk. */
function lineSplitter(onLine) {
    let rest = '';
    return {
        push(chunk) {
            const lines = (rest + chunk.toString()).split(/\r?\n/);
            rest = lines.pop() ?? '';
            for (const line of lines)
                onLine(line);
        },
        flush() {
            if (rest)
                onLine(rest);
            rest = '';
        },
    };
}
/** The runner for the CLI and tests: output lines are handed to the engine, which logs them. */
const nodeCommandRunner = {
    echoesOutput: false,
    run(spec) {
        return new Promise((resolve, reject) => {
            let done = false;
            const wrapper = prepareWrapper(spec, () => done);
            // stdin: the pipe whose end tells the wrapper that cutover is gone (see WRAPPER).
            const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)('bash', ['-c', WRAPPER], { cwd: spec.cwd, env: wrapper.env, stdio: ['pipe', 'pipe', 'pipe'] });
            const out = lineSplitter(spec.onLine);
            const err = lineSplitter(spec.onLine);
            child.stdout.on('data', (chunk) => out.push(chunk));
            child.stderr.on('data', (chunk) => err.push(chunk));
            const onAbort = () => void wrapper.stop();
            spec.signal.addEventListener('abort', onAbort, { once: true });
            if (spec.signal.aborted)
                onAbort();
            child.on('error', (error) => {
                done = true;
                spec.signal.removeEventListener('abort', onAbort);
                wrapper.cleanup();
                reject(error);
            });
            child.on('close', (code, signal) => {
                done = true;
                out.flush();
                err.flush();
                spec.signal.removeEventListener('abort', onAbort);
                wrapper.cleanup();
                resolve({ exitCode: code ?? 128 + (signal ? ((node_os__WEBPACK_IMPORTED_MODULE_2___default().constants).signals[signal] ?? 0) : 0) });
            });
        });
    },
};


/***/ }),

/***/ 8097:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ describeDifferences)
/* harmony export */ });
const number = (n) => n.toLocaleString('en-US');
function describeDifferences(d, keyFormat = (key) => key) {
    const total = d.missing + d.extra + d.changed;
    const kinds = [['missing', 'missing in the target'], ['extra', 'extra in the target'], ['changed', 'changed']]
        .filter(([kind]) => d[kind] > 0)
        .map(([kind, label]) => {
        const keys = d.samples[kind].map(keyFormat).join(', ');
        return `${d.exact ? '' : 'at least '}${number(d[kind])} ${label} (${keys}${d[kind] > d.samples[kind].length ? ', …' : ''})`;
    });
    const head = d.exact
        ? `${number(total)} row${total === 1 ? '' : 's'} differ${total === 1 ? 's' : ''}`
        : `at least ${number(total)} rows differ (a lower bound: only part of the table was compared row by row)`;
    return `${head}: ${kinds.join(', ')}`;
}


/***/ }),

/***/ 8246:
/***/ ((module) => {

function webpackEmptyAsyncContext(req) {
	// Here Promise.resolve().then() is used instead of new Promise() to prevent
	// uncaught exception popping up in devtools
	return Promise.resolve().then(() => {
		var e = new Error("Cannot find module '" + req + "'");
		e.code = 'MODULE_NOT_FOUND';
		throw e;
	});
}
webpackEmptyAsyncContext.keys = () => ([]);
webpackEmptyAsyncContext.resolve = webpackEmptyAsyncContext;
webpackEmptyAsyncContext.id = 8246;
module.exports = webpackEmptyAsyncContext;

/***/ })

};
