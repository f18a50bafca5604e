// Process-wide redaction. Two layers:
// 1. Structural, for every password whatever it is: the password component of a URL's userinfo,
//    `password=…` (libpq key/value strings, URL query) and `PGPASSWORD=…` (printed commands) become ***.
// 2. Bare occurrences anywhere in a text, only for passwords that are distinctive (see
//    `passwordStrength`): masking `postgres` or `x` everywhere would turn "postgresql://" into
//    "***ql://" and "Fix" into "Fi***". Distinctive passwords are registered in every form they can take
//    (raw, percent-encoded, percent-decoded, JSON-escaped); the Action runtime subscribes so each form
//    is also masked with core.setSecret, which hides it in the whole job log.

const MASK = '***';
const secrets = new Set<string>();
const listeners: Array<(secret: string) => void> = [];
const weakListeners: Array<(notice: WeakPassword) => void> = [];
const weakPasswords = new Map<string, WeakPassword>();

/** Why a password is not masked outside the places where it is known to be a password. */
export type WeakReason = 'short' | 'digits-only' | 'plain-word' | 'same-as-user' | 'same-as-database';

export interface WeakPassword {
  /** Where the password came from: "input 'target-url'", "--target-url". */
  input: string;
  reason: WeakReason;
}

/** What a password is known to sit next to: a password equal to one of these is not distinctive. */
export interface PasswordContext {
  user?: string;
  database?: string;
}

/**
 * Distinctive: at least 8 characters, not the user or database name, containing a letter, and either
 * mixing letters with digits or symbols (`_` and `-` do not count, so identifiers like `my_app_db` stay
 * words) or at least 16 characters long. Such a string does not occur in ordinary text by chance.
 */
export function passwordStrength(password: string, context: PasswordContext = {}): 'distinctive' | WeakReason {
  const lower = password.toLowerCase();
  if (context.user && context.user.toLowerCase() === lower) return 'same-as-user';
  if (context.database && context.database.toLowerCase() === lower) return 'same-as-database';
  if ([...password].length < 8) return 'short';
  if (!/\p{L}/u.test(password)) return 'digits-only';
  if ([...password].length >= 16) return 'distinctive';
  return /[^\p{L}_-]/u.test(password) ? 'distinctive' : 'plain-word';
}

const REASON_TEXT: Record<WeakReason, string> = {
  short: 'shorter than 8 characters',
  'digits-only': 'has no letters',
  'plain-word': 'a plain word (letters only, under 16 characters)',
  'same-as-user': 'the same as the user name',
  'same-as-database': 'the same as the database name',
};

/** The one log line saying a password is not masked everywhere, without printing it. */
export function weakPasswordNotice(notice: WeakPassword, where: 'job log' | 'output'): string {
  const setSecret = where === 'job log' ? '; it is not registered as a job secret, which would hide that word in the whole job log' : '';
  return (
    `The password in ${notice.input} is ${REASON_TEXT[notice.reason]}: cutover hides it where it is written as a password ` +
    `(the password part of a URL, a password or PGPASSWORD setting) but does not mask it elsewhere in the ${where}, ` +
    `where masking it would garble ordinary text${setSecret}. ` +
    `A random password of 8+ characters mixing letters and digits is masked everywhere.`
  );
}

function formsOf(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(encodeURIComponent(secret));
  // Some clients encode only the reserved characters; cover the lower-case hex variant too.
  forms.add(encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  // As it appears inside JSON (--json output, outputs): quotes and backslashes escaped.
  forms.add(JSON.stringify(secret).slice(1, -1));
  try {
    forms.add(decodeURIComponent(secret));
  } catch {
    // not percent-encoded: nothing more to add
  }
  return [...forms].filter((form) => form.length > 0);
}

function addForms(secret: string): void {
  for (const form of formsOf(secret)) {
    if (secrets.has(form)) continue;
    secrets.add(form);
    for (const listener of listeners) listener(form);
  }
}

export interface SecretOptions extends PasswordContext {
  /** Where it came from, for the log line about a password that is not masked everywhere. */
  input?: string;
  /** Other spellings of the same password, e.g. exactly as percent-encoded in the URL. */
  alsoWritten?: string[];
}

/**
 * Registers a password: a distinctive one is masked everywhere from now on; any other is left to the
 * structural redaction and reported once per input through `onWeakPassword`.
 */
export function registerSecret(secret: string | undefined, options: SecretOptions = {}): void {
  if (!secret) return;
  const strength = passwordStrength(secret, options);
  if (strength !== 'distinctive') {
    if (options.input && !weakPasswords.has(options.input)) {
      const notice = { input: options.input, reason: strength };
      weakPasswords.set(options.input, notice);
      for (const listener of weakListeners) listener(notice);
    }
    return;
  }
  addForms(secret);
  for (const other of options.alsoWritten ?? []) if (other) addForms(other);
}

/** Called for every form of every distinctive secret, including those registered before subscribing. */
export function onSecret(listener: (secret: string) => void): void {
  listeners.push(listener);
  for (const secret of secrets) listener(secret);
}

/** Called once per input whose password is not distinctive, including those seen before subscribing. */
export function onWeakPassword(listener: (notice: WeakPassword) => void): void {
  weakListeners.push(listener);
  for (const notice of weakPasswords.values()) listener(notice);
}

const ALREADY_MASKED = /^(\*\*\*|\\\*\\\*\\\*)$/;

// scheme://userinfo@host… up to whitespace, a double quote, backtick or angle bracket. The password
// runs to the LAST '@' of that stretch, because an unencoded '@' inside it must not reveal the rest.
const URL_STRETCH = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"`<>]+)/gi;

function redactUrlPassword(match: string, scheme: string, rest: string): string {
  const at = rest.lastIndexOf('@');
  if (at < 0) return match;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  // "host/path:x@y" is not a userinfo: the user part of a URL has no '/', '?' or '#'.
  if (colon < 0 || /[/?#]/.test(userinfo.slice(0, colon))) return match;
  const password = userinfo.slice(colon + 1);
  if (password === '' || ALREADY_MASKED.test(password)) return match;
  return `${scheme}${userinfo.slice(0, colon + 1)}${MASK}${rest.slice(at)}`;
}

// PGPASSWORD=…, POSTGRES_PASSWORD=…, password=… (libpq key/value, URL query). The value is a quoted
// string (libpq '…' with backslash escapes, a shell '…' with '\'' inside, or "…") or runs to whitespace or '&'.
const KEY_VALUE = /\b(\w*password)([ \t]*=[ \t]*)('(?:[^'\\]|\\.|'\\'')*'|"(?:[^"\\]|\\.)*"|[^\s&"'`<>]+)/gi;
const JSON_FIELD = /("\w*password"[ \t]*:[ \t]*)"(?:[^"\\]|\\.)*"/gi;

function structural(text: string): string {
  return text
    .replace(URL_STRETCH, redactUrlPassword)
    .replace(KEY_VALUE, (match, key: string, equals: string, value: string) => (ALREADY_MASKED.test(value) ? match : `${key}${equals}${MASK}`))
    .replace(JSON_FIELD, (_m, head: string) => `${head}"${MASK}"`);
}

/** Remove every distinctive secret, and every password in a URL or key=value form, from `text`. */
export function redact(text: string): string {
  let result = text;
  // Longest first, so that an encoded form is not half-replaced by a shorter raw form.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (result.includes(secret)) result = result.split(secret).join(MASK);
  }
  return structural(result);
}

/**
 * A copy of a plain value (a run result) with every string redacted. Reports clip and Markdown-escape
 * texts before printing them, after which a password would no longer be recognised: redact first.
 */
export function redactStrings<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactStrings(item)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactStrings(item)])) as T;
  }
  return value;
}
