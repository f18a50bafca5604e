export const id = 582;
export const ids = [582];
export const modules = {

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DB: () => (/* binding */ CutoverError),
/* harmony export */   Gz: () => (/* binding */ VerifyError),
/* harmony export */   He: () => (/* binding */ ScopeError),
/* harmony export */   Lr: () => (/* binding */ RowSecurityError),
/* harmony export */   Py: () => (/* binding */ MigrationError),
/* harmony export */   QO: () => (/* binding */ isPgError),
/* harmony export */   Qd: () => (/* binding */ CommandError),
/* harmony export */   Rc: () => (/* binding */ ConnectionError),
/* harmony export */   V$: () => (/* binding */ describeCause),
/* harmony export */   Wk: () => (/* binding */ formatError),
/* harmony export */   XB: () => (/* binding */ LockTimeoutError),
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   eJ: () => (/* binding */ MigrationPlanError),
/* harmony export */   k6: () => (/* binding */ CopyError),
/* harmony export */   tf: () => (/* binding */ SqliteFileError),
/* harmony export */   uv: () => (/* binding */ ProvisionError),
/* harmony export */   xL: () => (/* binding */ ConfigError)
/* harmony export */ });
/* unused harmony export describePgError */
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6670);
// Error classes for everything cutover reports to users. Each keeps its `cause` and carries a
// `fix`: the sentence that tells the user what to do. `formatError` turns any of them (or a raw
// pg/Node error) into the one redacted paragraph that reaches logs, summaries and comments.

class CutoverError extends Error {
    fix;
    /** The target holds part of a copy that could not be undone: no "left as it was" may be said. */
    targetLeftPartial;
    constructor(message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.fix = options.fix;
        this.targetLeftPartial = options.targetLeftPartial ?? false;
        this.name = new.target.name;
    }
}
/** A bad input value (action input, CLI flag or environment variable). */
class ConfigError extends CutoverError {
}
/** The database could not be reached or refused us. */
class ConnectionError extends CutoverError {
}
/** A SQLite file that is missing, a directory, or not a database. */
class SqliteFileError extends CutoverError {
}
/** Problems with the set of migration files or the history table, found before running anything. */
class MigrationPlanError extends CutoverError {
}
/** A migration that failed while running (and was rolled back). */
class MigrationError extends CutoverError {
    migration;
    file;
    line;
    /** What the run had done when this migration failed (set by runMigrations). */
    outcome;
    constructor(message, details) {
        super(message, details);
        this.migration = details.migration;
        this.file = details.file;
        this.line = details.line;
        this.outcome = details.outcome;
    }
}
/** The migration lock could not be taken in time. */
class LockTimeoutError extends CutoverError {
}
/** The run was cancelled (SIGINT/SIGTERM, or the process that started it went away). */
class CancelledError extends CutoverError {
}
/** Copying data failed (preflight, conversion or load). */
class CopyError extends CutoverError {
}
/** Verification found differences between source and target. */
class VerifyError extends CutoverError {
}
/** A throwaway database for dry runs could not be provisioned. */
class ProvisionError extends CutoverError {
}
/** Another tool's command (migrate-command, rollback-command, status-command) failed, timed out or did not start. */
class CommandError extends CutoverError {
    /** The command's exit code, when it exited. */
    exitCode;
    /** Its last lines of output, redacted. */
    tail;
    /** What the run had done (entries from the tool's history, read after the command). */
    outcome;
    constructor(message, details) {
        super(message, details);
        if (details.exitCode !== undefined)
            this.exitCode = details.exitCode;
        this.tail = details.tail ?? [];
        if (details.outcome)
            this.outcome = details.outcome;
    }
}
function isPgError(error) {
    return error instanceof Error && typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code);
}
/** "relation "x" does not exist (SQLSTATE 42P01; detail: …; hint: …)" */
function describePgError(error) {
    const parts = [`SQLSTATE ${error.code}`];
    if (error.detail)
        parts.push(`detail: ${error.detail}`);
    if (error.hint)
        parts.push(`hint: ${error.hint}`);
    if (error.where)
        parts.push(`where: ${error.where.split('\n')[0]}`);
    return `${error.message} (${parts.join('; ')})`;
}
/** Message of an arbitrary thrown value, with pg's code/detail/hint when present. */
function describeCause(error) {
    if (isPgError(error))
        return describePgError(error);
    if (error instanceof Error) {
        const code = error.code;
        return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
    }
    return String(error);
}
/** The one paragraph users read: message, the underlying cause when it adds something, the fix. */
function formatError(error) {
    let text;
    if (error instanceof CutoverError) {
        text = error.message;
        const cause = error.cause;
        if (cause !== undefined && !(cause instanceof CutoverError)) {
            const described = describeCause(cause);
            if (described && !text.includes(described))
                text += ` Cause: ${described}.`;
        }
        if (error.fix)
            text += ` Fix: ${error.fix}`;
    }
    else {
        text = describeCause(error);
    }
    return (0,_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(text.replace(/\s*\n\s*/g, ' ').trim());
}
/** The set of tables to copy or verify is not what the user can have meant: an include entry that
 *  selects nothing, or nothing at all to copy. Found before anything is read or written. */
class ScopeError extends CopyError {
}
/** Row-level security would filter what cutover reads (source, or target in verify) or refuse what it
 *  writes (target), for the role cutover connects as. */
class RowSecurityError extends CopyError {
}


/***/ }),

/***/ 9796:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ cleanupThrowaway)
/* harmony export */ });
/* harmony import */ var _db_throwaway_teardown_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9931);
// What the Action's post step does: remove a throwaway database the main step could not tear down
// (crash, timeout, cancellation). The main step saves the state file's path with
// core.saveState('throwaway', …); the runner hands it to the post step as STATE_throwaway.

/** True when something was left and has been removed. */
async function cleanupThrowaway(env = process.env, stateFile) {
    const file = stateFile ?? env.STATE_throwaway;
    if (!file)
        return false;
    return (0,_db_throwaway_teardown_js__WEBPACK_IMPORTED_MODULE_0__/* .teardownFromStateFile */ .C)(file);
}


/***/ }),

/***/ 6661:
/***/ ((module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
__webpack_require__.r(__webpack_exports__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6058);
/* harmony import */ var _post_cleanup_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9796);
// The Action's post step: runs after the job even when the main step failed or was cancelled, and
// removes a throwaway database the main step could not tear down itself.


try {
    await (0,_post_cleanup_js__WEBPACK_IMPORTED_MODULE_1__/* .cleanupThrowaway */ .Z)(process.env);
}
catch (error) {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`cutover cleanup: ${error instanceof Error ? error.message : String(error)}`);
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 6670:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   IJ: () => (/* binding */ onSecret),
/* harmony export */   NQ: () => (/* binding */ onWeakPassword),
/* harmony export */   cl: () => (/* binding */ registerSecret),
/* harmony export */   eT: () => (/* binding */ redactStrings),
/* harmony export */   iS: () => (/* binding */ weakPasswordNotice)
/* harmony export */ });
/* unused harmony export passwordStrength */
// Process-wide redaction. Two layers:
// 1. Structural, for every password whatever it is: the password component of a URL's userinfo,
//    `password=…` (libpq key/value strings, URL query) and `PGPASSWORD=…` (printed commands) become ***.
// 2. Bare occurrences anywhere in a text, only for passwords that are distinctive (see
//    `passwordStrength`): masking `postgres` or `x` everywhere would turn "postgresql://" into
//    "***ql://" and "Fix" into "Fi***". Distinctive passwords are registered in every form they can take
//    (raw, percent-encoded, percent-decoded, JSON-escaped); the Action runtime subscribes so each form
//    is also masked with core.setSecret, which hides it in the whole job log.
const MASK = '***';
const secrets = new Set();
const listeners = [];
const weakListeners = [];
const weakPasswords = new Map();
/**
 * Distinctive: at least 8 characters, not the user or database name, containing a letter, and either
 * mixing letters with digits or symbols (`_` and `-` do not count, so identifiers like `my_app_db` stay
 * words) or at least 16 characters long. Such a string does not occur in ordinary text by chance.
 */
function passwordStrength(password, context = {}) {
    const lower = password.toLowerCase();
    if (context.user && context.user.toLowerCase() === lower)
        return 'same-as-user';
    if (context.database && context.database.toLowerCase() === lower)
        return 'same-as-database';
    if ([...password].length < 8)
        return 'short';
    if (!/\p{L}/u.test(password))
        return 'digits-only';
    if ([...password].length >= 16)
        return 'distinctive';
    return /[^\p{L}_-]/u.test(password) ? 'distinctive' : 'plain-word';
}
const REASON_TEXT = {
    short: 'shorter than 8 characters',
    'digits-only': 'has no letters',
    'plain-word': 'a plain word (letters only, under 16 characters)',
    'same-as-user': 'the same as the user name',
    'same-as-database': 'the same as the database name',
};
/** The one log line saying a password is not masked everywhere, without printing it. */
function weakPasswordNotice(notice, where) {
    const setSecret = where === 'job log' ? '; it is not registered as a job secret, which would hide that word in the whole job log' : '';
    return (`The password in ${notice.input} is ${REASON_TEXT[notice.reason]}: cutover hides it where it is written as a password ` +
        `(the password part of a URL, a password or PGPASSWORD setting) but does not mask it elsewhere in the ${where}, ` +
        `where masking it would garble ordinary text${setSecret}. ` +
        `A random password of 8+ characters mixing letters and digits is masked everywhere.`);
}
function formsOf(secret) {
    const forms = new Set([secret]);
    forms.add(encodeURIComponent(secret));
    // Some clients encode only the reserved characters; cover the lower-case hex variant too.
    forms.add(encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
    // As it appears inside JSON (--json output, outputs): quotes and backslashes escaped.
    forms.add(JSON.stringify(secret).slice(1, -1));
    try {
        forms.add(decodeURIComponent(secret));
    }
    catch {
        // not percent-encoded: nothing more to add
    }
    return [...forms].filter((form) => form.length > 0);
}
function addForms(secret) {
    for (const form of formsOf(secret)) {
        if (secrets.has(form))
            continue;
        secrets.add(form);
        for (const listener of listeners)
            listener(form);
    }
}
/**
 * Registers a password: a distinctive one is masked everywhere from now on; any other is left to the
 * structural redaction and reported once per input through `onWeakPassword`.
 */
function registerSecret(secret, options = {}) {
    if (!secret)
        return;
    const strength = passwordStrength(secret, options);
    if (strength !== 'distinctive') {
        if (options.input && !weakPasswords.has(options.input)) {
            const notice = { input: options.input, reason: strength };
            weakPasswords.set(options.input, notice);
            for (const listener of weakListeners)
                listener(notice);
        }
        return;
    }
    addForms(secret);
    for (const other of options.alsoWritten ?? [])
        if (other)
            addForms(other);
}
/** Called for every form of every distinctive secret, including those registered before subscribing. */
function onSecret(listener) {
    listeners.push(listener);
    for (const secret of secrets)
        listener(secret);
}
/** Called once per input whose password is not distinctive, including those seen before subscribing. */
function onWeakPassword(listener) {
    weakListeners.push(listener);
    for (const notice of weakPasswords.values())
        listener(notice);
}
const ALREADY_MASKED = /^(\*\*\*|\\\*\\\*\\\*)$/;
// scheme://userinfo@host… up to whitespace, a double quote, backtick or angle bracket. The password
// runs to the LAST '@' of that stretch, because an unencoded '@' inside it must not reveal the rest.
const URL_STRETCH = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"`<>]+)/gi;
function redactUrlPassword(match, scheme, rest) {
    const at = rest.lastIndexOf('@');
    if (at < 0)
        return match;
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    // "host/path:x@y" is not a userinfo: the user part of a URL has no '/', '?' or '#'.
    if (colon < 0 || /[/?#]/.test(userinfo.slice(0, colon)))
        return match;
    const password = userinfo.slice(colon + 1);
    if (password === '' || ALREADY_MASKED.test(password))
        return match;
    return `${scheme}${userinfo.slice(0, colon + 1)}${MASK}${rest.slice(at)}`;
}
// PGPASSWORD=…, POSTGRES_PASSWORD=…, password=… (libpq key/value, URL query). The value is a quoted
// string (libpq '…' with backslash escapes, a shell '…' with '\'' inside, or "…") or runs to whitespace or '&'.
const KEY_VALUE = /\b(\w*password)([ \t]*=[ \t]*)('(?:[^'\\]|\\.|'\\'')*'|"(?:[^"\\]|\\.)*"|[^\s&"'`<>]+)/gi;
const JSON_FIELD = /("\w*password"[ \t]*:[ \t]*)"(?:[^"\\]|\\.)*"/gi;
function structural(text) {
    return text
        .replace(URL_STRETCH, redactUrlPassword)
        .replace(KEY_VALUE, (match, key, equals, value) => (ALREADY_MASKED.test(value) ? match : `${key}${equals}${MASK}`))
        .replace(JSON_FIELD, (_m, head) => `${head}"${MASK}"`);
}
/** Remove every distinctive secret, and every password in a URL or key=value form, from `text`. */
function redact(text) {
    let result = text;
    // Longest first, so that an encoded form is not half-replaced by a shorter raw form.
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
        if (result.includes(secret))
            result = result.split(secret).join(MASK);
    }
    return structural(result);
}
/**
 * A copy of a plain value (a run result) with every string redacted. Reports clip and Markdown-escape
 * texts before printing them, after which a password would no longer be recognised: redact first.
 */
function redactStrings(value) {
    if (typeof value === 'string')
        return redact(value);
    if (Array.isArray(value))
        return value.map((item) => redactStrings(item));
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactStrings(item)]));
    }
    return value;
}


/***/ })

};
