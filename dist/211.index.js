export const id = 211;
export const ids = [211];
export const modules = {

/***/ 8773:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  c3: () => (/* binding */ CastFailure),
  NB: () => (/* binding */ canonicalJsonb),
  p: () => (/* binding */ columnConverter),
  jg: () => (/* binding */ findCastRule)
});

// UNUSED EXPORTS: castRules

// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __webpack_require__(4573);
;// CONCATENATED MODULE: ./src/copy/cast/decimal-text.ts
// Exact decimal arithmetic on text, the way Postgres' numeric type does it: no float ever touches a
// NUMERIC value on its way from SQLite text to the target, so 0.1 stays 0.1 and 12345678901234567890
// keeps every digit. Used by the numeric/integer cast rules and by the jsonb canonical form.
const DECIMAL = /^\s*([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?\s*$/;
/** Parses '12', '-1.50', '.5', '1e3', ' 7 '; null for anything else (including NaN/Infinity). */
function parseDecimal(text) {
    const match = DECIMAL.exec(text);
    if (!match)
        return null;
    const intPart = match[2] ?? '';
    const fracPart = match[3] ?? match[4] ?? '';
    const exponent = match[5] ? Number(match[5]) : 0;
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 100000)
        return null;
    const digits = (intPart + fracPart).replace(/^0+/, '');
    return { negative: match[1] === '-' && digits !== '', digits, scale: fracPart.length - exponent };
}
/** Postgres' display scale for a numeric typed as this literal: '1.50' → 2, '1e3' → 0, '1e-2' → 2. */
function inputScale(decimal, literal) {
    const match = DECIMAL.exec(literal);
    const fraction = (match[3] ?? match[4] ?? '').length;
    const exponent = match[5] ? Number(match[5]) : 0;
    return Math.max(0, fraction - exponent);
}
/** Rounds half away from zero (as numeric does) to `scale` fractional digits. */
function roundDecimal(decimal, scale) {
    if (decimal.scale <= scale)
        return decimal;
    const drop = decimal.scale - scale;
    let digits = decimal.digits;
    if (drop > digits.length)
        return { negative: false, digits: '', scale };
    const kept = digits.slice(0, digits.length - drop);
    const roundUp = digits[digits.length - drop] >= '5';
    digits = roundUp ? (BigInt(kept || '0') + 1n).toString() : kept;
    digits = digits.replace(/^0+/, '');
    return { negative: decimal.negative && digits !== '', digits, scale };
}
/** Text with exactly `scale` fractional digits (scale ≥ 0), as numeric_out prints it. */
function formatDecimal(decimal, scale) {
    const rounded = roundDecimal(decimal, scale);
    let digits = rounded.digits || '0';
    if (rounded.scale < scale)
        digits += '0'.repeat(scale - rounded.scale);
    else if (rounded.digits === '')
        digits = '0'.repeat(scale + 1);
    if (digits.length <= scale)
        digits = '0'.repeat(scale - digits.length + 1) + digits;
    const intPart = digits.slice(0, digits.length - scale).replace(/^0+(?=\d)/, '');
    const text = scale > 0 ? `${intPart}.${digits.slice(digits.length - scale)}` : intPart;
    return rounded.negative && /[1-9]/.test(text) ? `-${text}` : text;
}
/** The shortest exact text (trailing fractional zeros removed): Postgres' trim_scale(x)::text. */
function trimmedDecimal(decimal) {
    let { digits, scale } = decimal;
    while (scale > 0 && digits.endsWith('0')) {
        digits = digits.slice(0, -1);
        scale--;
    }
    return formatDecimal({ negative: decimal.negative, digits, scale }, Math.max(0, scale));
}
/** Number of digits before the decimal point (0 for |x| < 1). */
function integerDigits(decimal) {
    return Math.max(0, decimal.digits.length - decimal.scale);
}
/** The value as a BigInt when it is a whole number, else null. */
function wholeNumber(decimal) {
    if (decimal.digits === '')
        return 0n;
    if (decimal.scale > 0) {
        const fraction = decimal.digits.slice(Math.max(0, decimal.digits.length - decimal.scale));
        if (/[1-9]/.test(fraction))
            return null;
        const intDigits = decimal.digits.slice(0, Math.max(0, decimal.digits.length - decimal.scale));
        const value = BigInt(intDigits || '0');
        return decimal.negative ? -value : value;
    }
    if (-decimal.scale > 400)
        return null;
    const value = BigInt(decimal.digits + '0'.repeat(-decimal.scale));
    return decimal.negative ? -value : value;
}

;// CONCATENATED MODULE: ./src/copy/cast/temporal-text.ts
// Dates and times as SQLite apps store them (ISO text with 'T' or a space, optional fraction and
// offset; or unix epoch numbers) normalised to one exact text that Postgres parses unambiguously and
// that the checksum's canonical form reproduces: 'YYYY-MM-DDTHH:MM:SS.ffffff' (+'Z' for timestamptz).
class TemporalError extends Error {
}
const DATETIME = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$/i;
const TIME = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*$/;
const MICROS_PER_DAY = 86400000000n;
/** Epoch values at or above this many seconds (year 5138) are taken as milliseconds. */
const MILLISECOND_EPOCH_THRESHOLD = 1e11;
function pad(value, width) {
    return String(value).padStart(width, '0');
}
function daysFromCivil(year, month, day) {
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return Math.floor(date.getTime() / 86_400_000);
}
function fractionMicros(fraction) {
    if (!fraction)
        return 0;
    // Postgres keeps microseconds; more digits are rounded (half up) like its input routine.
    const padded = (fraction + '000000').slice(0, 7);
    return Math.round(Number(padded) / 10);
}
// A UTC designator ('Z', '+00:00') changes nothing, so it takes the fast path too (ISO text from JS apps).
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(?:Z|\+00(?::?00)?)?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/**
 * Fast path for the common cases (what SQLite's datetime() and JS's toISOString() write): no offset
 * other than UTC and at most six fraction digits need no epoch arithmetic, only validation and
 * re-assembly. Null = use the slow path.
 */
function normalizeLocalDateTime(text, dateOnly) {
    if (!dateOnly) {
        const iso = isoDateTime(text);
        if (iso !== null)
            return iso;
    }
    const m = LOCAL_DATETIME.exec(text);
    if (!m)
        return null;
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0))
        return null;
    const hour = m[4] ?? '00';
    const minute = m[5] ?? '00';
    const second = m[6] ?? '00';
    if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59)
        return null;
    const fraction = (m[7] ?? '').padEnd(6, '0');
    if (dateOnly)
        return hour === '00' && minute === '00' && second === '00' && Number(fraction) === 0 ? `${m[1]}-${m[2]}-${m[3]}` : null;
    return `${m[1]}-${m[2]}-${m[3]}T${hour}:${minute}:${second}.${fraction}`;
}
/** Value of the two digits at `at`, or -1. */
function twoDigits(text, at) {
    const a = text.charCodeAt(at) - 48;
    const b = text.charCodeAt(at + 1) - 48;
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}
/**
 * The most common shape, 'YYYY-MM-DD[T ]HH:MM:SS[.f{1,6}][Z]' (SQLite's datetime(), JS's
 * toISOString()), checked by character codes instead of a regular expression: it is on every row
 * of most tables. Same result as the LOCAL_DATETIME path; null = not this shape (or out of range).
 */
function isoDateTime(text) {
    let end = text.length;
    if (end > 0 && text.charCodeAt(end - 1) === 90 /* Z */)
        end--;
    if (end < 19 || end > 26 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58)
        return null;
    const separator = text.charCodeAt(10);
    if (separator !== 84 && separator !== 32)
        return null;
    const century = twoDigits(text, 0);
    const yy = twoDigits(text, 2);
    const month = twoDigits(text, 5);
    const day = twoDigits(text, 8);
    const hour = twoDigits(text, 11);
    const minute = twoDigits(text, 14);
    const second = twoDigits(text, 17);
    if (century < 0 || yy < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        return null;
    const year = century * 100 + yy;
    const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0))
        return null;
    let fraction = '000000';
    if (end > 19) {
        if (end === 20 || text.charCodeAt(19) !== 46 /* . */)
            return null;
        for (let i = 20; i < end; i++) {
            const c = text.charCodeAt(i);
            if (c < 48 || c > 57)
                return null;
        }
        fraction = text.slice(20, end).padEnd(6, '0');
    }
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}`;
}
/** Parses ISO-like text into epoch microseconds (UTC; a given offset is applied). */
function parseDateTime(text) {
    const m = DATETIME.exec(text);
    if (!m)
        throw new TemporalError('not a date/time (expected YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][Z|±HH:MM] or a unix epoch number)');
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || year < 1) {
        throw new TemporalError('date/time field out of range');
    }
    const days = daysFromCivil(year, month, day);
    if (new Date(days * 86_400_000).getUTCDate() !== day)
        throw new TemporalError('date/time field out of range (no such day in that month)');
    let offsetMinutes = 0;
    const zone = m[8]?.toUpperCase();
    if (zone && zone !== 'Z' && zone !== 'UTC') {
        const sign = zone.startsWith('-') ? -1 : 1;
        const digits = zone.slice(1).replace(':', '');
        offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
    }
    const seconds = hour * 3600 + minute * 60 + second - offsetMinutes * 60;
    const micros = BigInt(days) * MICROS_PER_DAY + BigInt(seconds) * 1000000n + BigInt(fractionMicros(m[7]));
    return { micros, hasTime: m[4] !== undefined };
}
/** Unix epoch seconds (or milliseconds, when implausibly large for seconds) → epoch microseconds. */
function epochToMicros(value) {
    if (typeof value === 'bigint') {
        const abs = value < 0n ? -value : value;
        return abs >= BigInt(MILLISECOND_EPOCH_THRESHOLD) ? value * 1000n : value * 1000000n;
    }
    if (!Number.isFinite(value))
        throw new TemporalError('not a finite epoch number');
    const millis = Math.abs(value) >= MILLISECOND_EPOCH_THRESHOLD;
    return BigInt(Math.round(value * (millis ? 1000 : 1_000_000)));
}
function splitMicros(micros) {
    let days = micros / MICROS_PER_DAY;
    let dayMicros = micros % MICROS_PER_DAY;
    if (dayMicros < 0n) {
        dayMicros += MICROS_PER_DAY;
        days -= 1n;
    }
    return { days: Number(days), dayMicros };
}
function formatDate(days) {
    const date = new Date(days * 86_400_000);
    const year = date.getUTCFullYear();
    if (year < 1 || year > 9999)
        throw new TemporalError(`year ${year} is outside 1..9999`);
    return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}
/** 'YYYY-MM-DDTHH:MM:SS.ffffff' (what to_char(x, 'YYYY-MM-DD"T"HH24:MI:SS.US') prints). */
function formatTimestamp(micros) {
    const { days, dayMicros } = splitMicros(micros);
    const seconds = Number(dayMicros / 1000000n);
    const fraction = Number(dayMicros % 1000000n);
    return `${formatDate(days)}T${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}.${pad(fraction, 6)}`;
}
/** Date part only; refuses values with a time of day (that would silently drop data). */
function formatDateOnly(micros) {
    const { days, dayMicros } = splitMicros(micros);
    if (dayMicros !== 0n)
        throw new TemporalError('has a time of day, which a date column would drop');
    return formatDate(days);
}
/** 'HH:MM:SS[.ffffff without trailing zeros]' — what Postgres prints for time. */
function normalizeTime(text) {
    const m = TIME.exec(text);
    if (!m)
        throw new TemporalError('not a time of day (expected HH:MM[:SS[.ffffff]])');
    const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    if (hour > 24 || minute > 59 || second > 59 || (hour === 24 && (minute > 0 || second > 0 || Number(m[4] ?? 0) > 0))) {
        throw new TemporalError('time field out of range');
    }
    const micros = fractionMicros(m[4]);
    const fraction = micros ? `.${pad(micros, 6).replace(/0+$/, '')}` : '';
    return `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction}`;
}

;// CONCATENATED MODULE: ./src/verify/jsonb-text.ts
// JSON text → the exact text Postgres prints for the same value as jsonb (`x::jsonb::text`), so a
// SQLite JSON column and a Postgres jsonb column checksum equal when the copy was right. jsonb keeps
// the last of duplicate keys, orders keys by byte length then bytes, prints ", " and ": ", keeps
// numbers as numeric text ('1.0' stays 1.0, '1e2' becomes 100) and re-escapes strings minimally.
// The parser is strict RFC 8259 (what Postgres accepts); it throws JsonTextError on invalid input.

class JsonTextError extends Error {
}
const STRING_STOP = /["\\\u0000-\u001f]/g;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?([eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const ASCII = /^[\u0000-\u007f]*$/;
class Parser {
    index = 0;
    text;
    constructor(text) {
        this.text = text;
    }
    parseDocument() {
        const value = this.value();
        this.space();
        if (this.index !== this.text.length)
            this.fail('unexpected text after the JSON value');
        return value;
    }
    fail(reason) {
        throw new JsonTextError(`${reason} at offset ${this.index}`);
    }
    space() {
        while (this.index < this.text.length && ' \t\n\r'.includes(this.text[this.index]))
            this.index++;
    }
    value() {
        this.space();
        const ch = this.text[this.index];
        if (ch === '{')
            return this.object();
        if (ch === '[')
            return this.array();
        if (ch === '"')
            return this.string();
        if (ch === '-' || (ch >= '0' && ch <= '9'))
            return this.number();
        for (const [word, value] of [['true', true], ['false', false], ['null', null]]) {
            if (this.text.startsWith(word, this.index)) {
                this.index += word.length;
                return value;
            }
        }
        return this.fail(ch === undefined ? 'unexpected end of JSON' : `unexpected character '${ch}'`);
    }
    object() {
        const map = new Map();
        this.index++;
        this.space();
        if (this.text[this.index] === '}') {
            this.index++;
            return map;
        }
        for (;;) {
            this.space();
            if (this.text[this.index] !== '"')
                this.fail('expected a string key');
            const key = this.string();
            this.space();
            if (this.text[this.index++] !== ':')
                this.fail("expected ':'");
            map.delete(key); // last duplicate wins, as in jsonb
            map.set(key, this.value());
            this.space();
            const next = this.text[this.index++];
            if (next === '}')
                return map;
            if (next !== ',')
                this.fail("expected ',' or '}'");
        }
    }
    array() {
        const items = [];
        this.index++;
        this.space();
        if (this.text[this.index] === ']') {
            this.index++;
            return items;
        }
        for (;;) {
            items.push(this.value());
            this.space();
            const next = this.text[this.index++];
            if (next === ']')
                return items;
            if (next !== ',')
                this.fail("expected ',' or ']'");
        }
    }
    string() {
        this.index++;
        let out = '';
        for (;;) {
            STRING_STOP.lastIndex = this.index;
            if (!STRING_STOP.test(this.text))
                this.fail('unterminated string');
            const end = STRING_STOP.lastIndex - 1;
            out += this.text.slice(this.index, end);
            this.index = end + 1;
            const ch = this.text[end];
            if (ch === '"')
                break;
            if (ch !== '\\')
                this.fail('control character in string');
            const esc = this.text[this.index++];
            if (esc in SIMPLE_ESCAPES)
                out += SIMPLE_ESCAPES[esc];
            else if (esc === 'u')
                out += this.unicodeEscape();
            else
                this.fail(`invalid escape '\\${esc ?? ''}'`);
        }
        return out;
    }
    hex4() {
        const hex = this.text.slice(this.index, this.index + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex))
            this.fail('invalid \\u escape');
        this.index += 4;
        return parseInt(hex, 16);
    }
    unicodeEscape() {
        const code = this.hex4();
        // jsonb cannot store NUL and rejects lone surrogates (Postgres: "unsupported Unicode escape").
        if (code === 0)
            this.fail('\\u0000 cannot be stored in jsonb');
        if (code >= 0xdc00 && code <= 0xdfff)
            this.fail('lone low surrogate');
        if (code >= 0xd800 && code <= 0xdbff) {
            if (this.text.slice(this.index, this.index + 2) !== '\\u')
                this.fail('lone high surrogate');
            this.index += 2;
            const low = this.hex4();
            if (low < 0xdc00 || low > 0xdfff)
                this.fail('invalid surrogate pair');
            return String.fromCharCode(code, low);
        }
        return String.fromCharCode(code);
    }
    number() {
        NUMBER.lastIndex = this.index;
        const match = NUMBER.exec(this.text);
        if (!match)
            this.fail('invalid number');
        this.index += match[0].length;
        const literal = match[0];
        // Fast path: without an exponent, numeric prints the literal as written (minus a negative zero's sign).
        if (!match[1])
            return { number: literal.startsWith('-') && !/[1-9]/.test(literal) ? literal.slice(1) : literal };
        const decimal = parseDecimal(literal);
        if (!decimal)
            this.fail('number out of range');
        return { number: formatDecimal(decimal, inputScale(decimal, literal)) };
    }
}
/** Throws JsonTextError when `text` is not valid JSON. */
function validateJson(text) {
    new Parser(text).parseDocument();
}
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;
function quote(text) {
    // escape_json: only ", \, and control characters are escaped.
    if (!NEEDS_ESCAPE.test(text))
        return `"${text}"`;
    return `"${text.replace(/["\\\u0000-\u001f]/g, (ch) => {
        switch (ch) {
            case '"': return '\\"';
            case '\\': return '\\\\';
            case '\b': return '\\b';
            case '\f': return '\\f';
            case '\n': return '\\n';
            case '\r': return '\\r';
            case '\t': return '\\t';
            default: return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
        }
    })}"`;
}
function isAscii(text) {
    for (let i = 0; i < text.length; i++)
        if (text.charCodeAt(i) > 127)
            return false;
    return true;
}
function compareKeys(a, b) {
    // ASCII: byte length is string length and byte order is code-unit order.
    if (isAscii(a) && isAscii(b))
        return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
    const ab = Buffer.from(a, 'utf8');
    const bb = Buffer.from(b, 'utf8');
    return ab.length - bb.length || Buffer.compare(ab, bb);
}
// Documents of one table repeat the same few key sets (in the same order): their jsonb order is
// sorted once per set. JSON.parse interns keys, so comparing a key list with a cached one is cheap.
const KEY_ORDERS = new Map();
const KEY_ORDERS_MAX = 4096;
function sameKeys(a, b) {
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i++)
        if (a[i] !== b[i])
            return false;
    return true;
}
function sortedKeys(object) {
    const keys = Object.keys(object);
    if (keys.length < 2)
        return keys;
    let sets = KEY_ORDERS.get(keys[0]);
    if (sets) {
        for (const set of sets)
            if (sameKeys(set.keys, keys))
                return set.sorted;
    }
    else {
        if (KEY_ORDERS.size >= KEY_ORDERS_MAX)
            KEY_ORDERS.clear();
        KEY_ORDERS.set(keys[0], (sets = []));
    }
    const sorted = [...keys].sort(compareKeys);
    if (sets.length < 16)
        sets.push({ keys, sorted });
    return sorted;
}
function render(value) {
    if (value === null)
        return 'null';
    if (value === true)
        return 'true';
    if (value === false)
        return 'false';
    if (typeof value === 'string')
        return quote(value);
    if (Array.isArray(value))
        return `[${value.map(render).join(', ')}]`;
    if (value instanceof Map) {
        const keys = [...value.keys()].sort(compareKeys);
        return `{${keys.map((key) => `${quote(key)}: ${render(value.get(key))}`).join(', ')}}`;
    }
    return value.number;
}
// V8's native JSON.parse gives jsonb's value exactly unless a number has a fraction or an exponent (JS
// numbers would lose numeric's text, e.g. 1.0) or a string has \u0000 or surrogate escapes (jsonb
// rejects what JSON.parse accepts). In valid JSON a number starts the document or follows ':', ',' or
// '[' (and whitespace): "Mozilla/5.0" inside a string does not look like one (": 5.0" would, and only
// costs the exact parser).
const FRACTION_OR_EXPONENT = /(?<=(?:^|[:,[])\s*-?\d*)\d[.eE]/;
const SPECIAL_ESCAPES = /\\u0000|\\u[dD][89a-fA-F]/;
function nativeParseIsExact(text) {
    return !FRACTION_OR_EXPONENT.test(text) && !SPECIAL_ESCAPES.test(text);
}
/** Renders JSON.parse's result like render(); undefined when a number is not a safe integer. */
function renderParsed(value) {
    switch (typeof value) {
        case 'string':
            return quote(value);
        case 'number':
            return Number.isSafeInteger(value) ? String(value) : undefined;
        case 'boolean':
            return value ? 'true' : 'false';
    }
    if (value === null)
        return 'null';
    if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
            const text = renderParsed(value[i]);
            if (text === undefined)
                return undefined;
            out += i ? `, ${text}` : text;
        }
        return `${out}]`;
    }
    const object = value;
    const keys = sortedKeys(object);
    let out = '{';
    for (let i = 0; i < keys.length; i++) {
        const text = renderParsed(object[keys[i]]);
        if (text === undefined)
            return undefined;
        out += `${i ? ', ' : ''}${quote(keys[i])}: ${text}`;
    }
    return `${out}}`;
}
// The copy validates a value (checkJsonb) and, with checksums on, asks for its canonical text right
// after: the last document's parse is kept so that it is parsed once.
const last = { input: undefined, parsed: undefined, output: undefined };
/** Throws JsonTextError when `text` is not something Postgres accepts as jsonb. */
function checkJsonb(text) {
    if (last.input === text)
        return;
    if (nativeParseIsExact(text)) {
        try {
            const parsed = JSON.parse(text);
            Object.assign(last, { input: text, parsed, output: undefined });
            return;
        }
        catch {
            // invalid JSON: the exact parser below reports where
        }
    }
    const output = render(new Parser(text).parseDocument());
    Object.assign(last, { input: text, parsed: undefined, output });
}
/** `text::jsonb::text` computed in JavaScript. Throws JsonTextError when not valid JSON. */
function jsonbText(text) {
    checkJsonb(text);
    if (last.output === undefined)
        last.output = renderParsed(last.parsed) ?? render(new Parser(text).parseDocument());
    return last.output;
}

;// CONCATENATED MODULE: ./src/copy/cast/cast-rules.ts
// SQLite value → Postgres input text, as a DATA TABLE: one row per (target kind, SQLite storage
// class), first match wins, an explicit catch-all at the end. Each converter returns the exact text
// Postgres will store (normalised, so checksums can predict it) or throws CastFailure, which stops the
// copy (on-error: fail) or sends the row to the rejects file (on-error: skip).




class CastFailure extends Error {
}
const fail = (reason) => {
    throw new CastFailure(reason);
};
const INTEGER_RANGE = {
    int2: [-32768n, 32767n],
    int4: [-2147483648n, 2147483647n],
    int8: [-9223372036854775808n, 9223372036854775807n],
};
function checkedInteger(value, type) {
    const [min, max] = INTEGER_RANGE[type.kind];
    if (value < min || value > max)
        fail(`out of range for ${type.sql}`);
    return value.toString();
}
function decimalText(decimal, type) {
    if (!decimal)
        return fail('not a number');
    if (type.scale === undefined)
        return formatDecimal(decimal, Math.max(0, decimal.scale));
    const rounded = roundDecimal(decimal, type.scale);
    if (integerDigits(rounded) > type.precision - type.scale)
        fail(`numeric field overflow for ${type.sql}`);
    // A declared scale SQLite never enforced: rounding would change the value without a word.
    if (type.strict && trimmedDecimal(rounded) !== trimmedDecimal(decimal))
        fail(`has more than ${type.scale} decimal places (${type.sql}); rounding it would change the value`);
    return formatDecimal(rounded, type.scale);
}
/** JS shortest round-trip text; '-0' kept (String(-0) is '0'). */
function floatText(value, type) {
    if (type.kind === 'float4' && Number.isFinite(value) && Math.abs(value) > 3.4028234663852886e38)
        fail(`out of range for real`);
    if (Object.is(value, -0))
        return '-0';
    return String(value);
}
const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0']);
const UUID = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;
const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;
const SPECIAL_FLOATS = { nan: NaN, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity, inf: Infinity, '-inf': -Infinity };
function utf8Text(value) {
    if (!(0,external_node_buffer_.isUtf8)(value))
        fail('is not valid UTF-8');
    return value.toString('utf8');
}
function plainText(value, type) {
    if (value.includes('\0'))
        fail('contains a NUL character, which Postgres text cannot store');
    if (type.length !== undefined && value.length > type.length) {
        const chars = Array.from(value);
        if (chars.length > type.length) {
            // Like Postgres: excess trailing spaces are cut, anything else is an error (a declared length
            // SQLite never enforced: even the spaces, since cutting them changes the value).
            if (type.strict || chars.slice(type.length).join('').trim() !== '')
                fail(`is ${chars.length} characters, longer than ${type.sql}`);
            return chars.slice(0, type.length).join('');
        }
    }
    return value;
}
function temporal(micros, kind) {
    try {
        const value = micros();
        if (kind === 'date')
            return formatDateOnly(value);
        return kind === 'timestamptz' ? `${formatTimestamp(value)}Z` : formatTimestamp(value);
    }
    catch (error) {
        if (error instanceof TemporalError)
            return fail(error.message);
        throw error;
    }
}
function temporalFromText(value, kind) {
    const fast = normalizeLocalDateTime(value, kind === 'date');
    if (fast !== null)
        return kind === 'timestamptz' ? `${fast}Z` : fast;
    const trimmed = value.trim().toLowerCase();
    if (trimmed === 'infinity' || trimmed === '-infinity')
        return trimmed;
    // Epoch numbers stored as text ('1700000000') are as common as real ones.
    if (NUMBER_TEXT.test(value))
        return temporal(() => epochToMicros(Number(value)), kind);
    return temporal(() => parseDateTime(value).micros, kind);
}
function jsonText(value, kind) {
    try {
        if (kind === 'jsonb')
            checkJsonb(value);
        else
            validateJson(value);
        return value;
    }
    catch (error) {
        if (error instanceof JsonTextError)
            return fail(`is not valid JSON${kind === 'jsonb' ? 'B' : ''}: ${error.message}`);
        throw error;
    }
}
/** jsonb's canonical text (checksums): the document validated last is not parsed again. */
const canonicalJsonb = jsonbText;
const castRules = [
    // Booleans stored as 0/1 (SQLite has no boolean type).
    { target: 'boolean', source: 'integer', convert: (v) => (v === 0n ? 'f' : v === 1n ? 't' : fail('expected 0 or 1 for a boolean')) },
    { target: 'boolean', source: 'real', convert: (v) => (v === 0 ? 'f' : v === 1 ? 't' : fail('expected 0 or 1 for a boolean')) },
    // 't'/'f', 'true'/'false', 'yes'/'no', 'on'/'off', '1'/'0' in any case.
    { target: 'boolean', source: 'text', convert: (v) => { const w = v.trim().toLowerCase(); return TRUE_WORDS.has(w) ? 't' : FALSE_WORDS.has(w) ? 'f' : fail('is not a boolean (expected 0/1, t/f, true/false, yes/no)'); } },
    { target: 'int2', source: 'integer', convert: checkedInteger },
    { target: 'int4', source: 'integer', convert: checkedInteger },
    { target: 'int8', source: 'integer', convert: checkedInteger },
    // 1.0 → 1 is exact; 1.5 would lose data, so it is an error (not rounded).
    ...['int2', 'int4', 'int8'].flatMap((target) => [
        { target, source: 'real', convert: (v, t) => (Number.isInteger(v) ? checkedInteger(BigInt(v), t) : fail(`is not a whole number (${t.sql})`)) },
        { target, source: 'text', convert: (v, t) => { const d = parseDecimal(v); const w = d && wholeNumber(d); return w === null || w === undefined ? fail(`is not a whole number (${t.sql})`) : checkedInteger(w, t); } },
    ]),
    { target: 'numeric', source: 'integer', convert: (v, t) => decimalText(parseDecimal(v.toString()), t) },
    // REAL → numeric goes through the shortest text that round-trips (0.1 stays 0.1, not 0.1000000000000000055).
    { target: 'numeric', source: 'real', convert: (v, t) => (Number.isFinite(v) ? decimalText(parseDecimal(String(v)), t) : t.scale === undefined ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : fail(`cannot be stored in ${t.sql}`)) },
    { target: 'numeric', source: 'text', convert: (v, t) => (/^\s*nan\s*$/i.test(v) && t.scale === undefined ? 'NaN' : decimalText(parseDecimal(v), t)) },
    ...['float4', 'float8'].flatMap((target) => [
        { target, source: 'integer', convert: (v, t) => floatText(Number(v), t) },
        { target, source: 'real', convert: floatText },
        // Decimal text, or NaN/Infinity spelled as Postgres accepts them; '1e400' is out of range, not Infinity.
        { target, source: 'text', convert: (v, t) => { const special = SPECIAL_FLOATS[v.trim().toLowerCase()]; if (special !== undefined)
                return floatText(special, t); if (!NUMBER_TEXT.test(v))
                return fail('is not a number'); const n = Number(v); return Number.isFinite(n) ? floatText(n, t) : fail(`out of range for ${t.sql}`); } },
    ]),
    { target: 'bytea', source: 'blob', convert: (v) => `\\x${v.toString('hex')}` },
    // Blobs often live in TEXT-typed SQLite columns; their bytes are what the app stored.
    { target: 'bytea', source: 'text', convert: (v) => `\\x${Buffer.from(v, 'utf8').toString('hex')}` },
    ...['date', 'timestamp', 'timestamptz'].flatMap((target) => [
        // Unix epoch seconds; values ≥ 1e11 are milliseconds (1e11 s would be the year 5138).
        { target, source: 'integer', convert: (v) => temporal(() => epochToMicros(v), target) },
        { target, source: 'real', convert: (v) => temporal(() => epochToMicros(v), target) },
        // ISO 8601 with 'T' or a space, optional fraction and offset; an offset is applied (stored as UTC).
        { target, source: 'text', convert: (v) => temporalFromText(v, target) },
    ]),
    { target: 'time', source: 'text', convert: (v) => { try {
            return normalizeTime(v);
        }
        catch (e) {
            return fail(e.message);
        } } },
    // JSON is validated here: Postgres would reject it mid-COPY without naming the row.
    { target: 'json', source: 'text', convert: (v) => jsonText(v, 'json') },
    { target: 'jsonb', source: 'text', convert: (v) => jsonText(v, 'jsonb') },
    { target: 'json', source: 'blob', convert: (v) => jsonText(utf8Text(v), 'json') },
    { target: 'jsonb', source: 'blob', convert: (v) => jsonText(utf8Text(v), 'jsonb') },
    { target: 'json', source: 'integer', convert: (v) => v.toString() },
    { target: 'jsonb', source: 'integer', convert: (v) => v.toString() },
    // Hyphenated, bare 32-hex or {braced}; stored lower-case hyphenated as Postgres prints it.
    { target: 'uuid', source: 'text', convert: (v) => { const m = UUID.exec(v.trim()); return m ? m.slice(1).join('-').toLowerCase() : fail('is not a UUID'); } },
    // 16-byte blobs are how many apps store UUIDs.
    { target: 'uuid', source: 'blob', convert: (v) => (v.length === 16 ? v.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-') : fail('is a blob that is not 16 bytes, so not a UUID')) },
    // Text-like targets: SQLite REAL prints as SQLite would ('1.0', not '1').
    ...['text', 'varchar', 'bpchar', 'other'].flatMap((target) => [
        { target, source: 'integer', convert: (v, t) => plainText(v.toString(), t) },
        { target, source: 'real', convert: (v, t) => plainText(Number.isInteger(v) && Math.abs(v) < 1e15 ? v.toFixed(1) : String(v), t) },
        { target, source: 'text', convert: plainText },
        // Text stored as a blob (or bytes that are not UTF-8: pgloader's bad-utf8 test bed).
        { target, source: 'blob', convert: (v, t) => plainText(utf8Text(v), t) },
    ]),
    // Catch-all: no rule for this pair (e.g. a blob into an integer) — refuse rather than guess.
    { target: '*', source: '*', convert: (_v, t) => fail(`has no conversion to ${t.sql}`) },
];
function findCastRule(target, source) {
    return castRules.find((rule) => (rule.target === target || rule.target === '*') && (rule.source === source || rule.source === '*'));
}
/** A converter for one target column: picks the rule per storage class once, then only dispatches. */
function columnConverter(type) {
    const byClass = {
        integer: findCastRule(type.kind, 'integer').convert,
        real: findCastRule(type.kind, 'real').convert,
        text: findCastRule(type.kind, 'text').convert,
        blob: findCastRule(type.kind, 'blob').convert,
    };
    return (value) => {
        if (value === null)
            return null;
        switch (typeof value) {
            case 'bigint': return byClass.integer(value, type);
            case 'number': return byClass.real(value, type);
            case 'string': return byClass.text(value, type);
            default: return byClass.blob(value, type);
        }
    };
}


/***/ }),

/***/ 211:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   isSqliteCopyWorker: () => (/* binding */ isSqliteCopyWorker),
/* harmony export */   k: () => (/* binding */ SQLITE_COPY_WORKER),
/* harmony export */   runSqliteCopyWorker: () => (/* binding */ runSqliteCopyWorker)
/* harmony export */ });
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5919);
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_worker_threads__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _db_sqlite_open_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2393);
/* harmony import */ var _verify_row_hash_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7254);
/* harmony import */ var _sqlite_row_source_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5902);
// Runs inside a worker thread: reads one rowid slice of a SQLite table, converts it to COPY text
// and posts 64 KB chunks to the main thread, which writes them to the target's COPY stream. Reading
// and converting rows is the CPU-bound part of a SQLite copy; slices in parallel use every core.
// Flow control: at most WINDOW chunks are unacknowledged, so memory stays flat.




const SQLITE_COPY_WORKER = 'cutover:sqlite-copy';
const WINDOW = 4;
function isSqliteCopyWorker() {
    return node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.workerData?.kind === SQLITE_COPY_WORKER;
}
async function runSqliteCopyWorker() {
    const port = node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.parentPort;
    const data = node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.workerData;
    let inFlight = 0;
    let wake;
    port.on('message', (message) => {
        if (message === 'ack') {
            inFlight--;
            wake?.();
        }
    });
    const post = (message, transfer = []) => port.postMessage(message, transfer);
    const db = await (0,_db_sqlite_open_js__WEBPACK_IMPORTED_MODULE_1__/* .openSqlite */ .L)({ kind: 'sqlite', path: data.file }, { input: 'source-url', readonly: true });
    try {
        const hash = data.checksums ? new _verify_row_hash_js__WEBPACK_IMPORTED_MODULE_2__/* .HashSum */ .is() : null;
        // A value that cannot convert is skipped here; the main thread decides whether that fails the copy.
        const onFailure = (failure) => post({ type: 'failure', failure });
        const source = data.totalsOnly
            ? new _sqlite_row_source_js__WEBPACK_IMPORTED_MODULE_3__/* .SqliteRowSource */ .I(db, data.spec, { hash, copyText: false, onFailure })
            : new _sqlite_row_source_js__WEBPACK_IMPORTED_MODULE_3__/* .SqliteRowSource */ .I(db, data.spec, { hash, onFailure });
        for await (const chunk of source) {
            if (data.totalsOnly)
                continue;
            while (inFlight >= WINDOW)
                await new Promise((resolve) => (wake = resolve));
            const copy = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.length);
            inFlight++;
            post({ type: 'chunk', data: copy, rows: source.rows }, [copy]);
        }
        post({ type: 'done', rows: source.rows, copied: source.copied, rejected: source.rejected, ...(hash ? { hashTotal: hash.value(), hashCount: hash.count } : {}) });
    }
    catch (error) {
        post({ type: 'error', message: error.message, ...(error.stack ? { stack: error.stack } : {}) });
    }
    finally {
        db.close();
        port.close();
    }
}


/***/ }),

/***/ 5902:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  I: () => (/* binding */ SqliteRowSource)
});

// UNUSED EXPORTS: sqliteSelectSql

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __webpack_require__(4573);
// EXTERNAL MODULE: ./src/db/pg-identifiers.ts
var pg_identifiers = __webpack_require__(3876);
// EXTERNAL MODULE: ./src/verify/canonical-form.ts
var canonical_form = __webpack_require__(7090);
// EXTERNAL MODULE: ./src/verify/row-hash.ts
var row_hash = __webpack_require__(7254);
// EXTERNAL MODULE: ./src/copy/cast/cast-rules.ts + 3 modules
var cast_rules = __webpack_require__(8773);
;// CONCATENATED MODULE: ./src/copy/cast/copy-text.ts
// PostgreSQL COPY text format: one line per row, fields separated by tabs, NULL as \N, and
// backslash, newline, carriage return and tab escaped with a backslash (bytea's '\x…' therefore
// travels as '\\x…'). See https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2.
const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const COPY_NULL = '\\N';
function escapeCopyField(value) {
    if (value === null)
        return COPY_NULL;
    return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (ch) => ESCAPES[ch]) : value;
}

;// CONCATENATED MODULE: ./src/copy/read/sqlite-row-source.ts
// Streams one SQLite table as PostgreSQL COPY text. Rows are pulled from a better-sqlite3 iterator
// only when the COPY stream asks for more (Readable backpressure), so memory stays flat whatever the
// table size. Each value goes through its column's cast rule; the row's canonical hash is summed on
// the way (the SQLite side of the checksum costs no second read).







const CHUNK_BYTES = 64 * 1024;
const TEXT_KINDS = new Set(['text', 'varchar', 'bpchar', 'other', 'json', 'jsonb', 'uuid']);
// What these kinds' cast rules print never holds a backslash, tab, newline or carriage return.
const NEVER_ESCAPED = new Set(['boolean', 'int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'date', 'timestamp', 'timestamptz', 'time', 'uuid']);
/** The COPY text field for a converted value of this kind (escaping only where it can be needed). */
function copyFieldWriter(kind) {
    if (NEVER_ESCAPED.has(kind))
        return (text) => (text === null ? COPY_NULL : text);
    // bytea's '\x' + hex: only its leading backslash needs doubling.
    if (kind === 'bytea')
        return (text) => (text === null ? COPY_NULL : `\\${text}`);
    return escapeCopyField;
}
function printable(value) {
    if (typeof value === 'bigint')
        return value.toString();
    if (Buffer.isBuffer(value))
        return `\\x${value.subarray(0, 64).toString('hex')}`;
    return value;
}
function sqliteSelectSql(spec) {
    const names = spec.columns.map((c) => c.source);
    const keyIndexes = spec.keyColumns.map((key) => {
        const index = names.indexOf(key);
        if (index >= 0)
            return index;
        names.push(key);
        return names.length - 1;
    });
    const select = names.map(pg_identifiers/* quoteIdent */.v4);
    let rowidIndex = -1;
    if (spec.hasRowid) {
        rowidIndex = select.length;
        select.push('_rowid_');
    }
    const order = spec.limit !== undefined ? ` ORDER BY ${spec.keyColumns.length ? spec.keyColumns.map(pg_identifiers/* quoteIdent */.v4).join(', ') : spec.hasRowid ? '_rowid_' : '1'} LIMIT ${spec.limit}` : '';
    const where = spec.rowidRange ? ` WHERE _rowid_ BETWEEN ${spec.rowidRange[0]} AND ${spec.rowidRange[1]}` : '';
    return { sql: `SELECT ${select.join(', ')} FROM ${(0,pg_identifiers/* quoteIdent */.v4)(spec.table)}${where}${order}`, keyIndexes, rowidIndex };
}
const YIELD_EVERY_MS = 50;
/** Readable of COPY text lines. `rows` counts rows read, `copied` rows sent, `rejected` skipped. */
class SqliteRowSource extends external_node_stream_.Readable {
    rows = 0;
    copied = 0;
    rejected = 0;
    buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    used = 0;
    rowIterator;
    step;
    onRows;
    /** When the next chunk goes through setImmediate (see _read). */
    yieldAt = Date.now() + YIELD_EVERY_MS;
    constructor(db, spec, options) {
        super({ highWaterMark: CHUNK_BYTES });
        const { sql, keyIndexes, rowidIndex } = sqliteSelectSql(spec);
        this.rowIterator = db.prepare(sql).raw(true).safeIntegers(true).iterate();
        this.step = rowProcessor(db, spec, keyIndexes, rowidIndex, options, this);
        this.onRows = options.onRows;
    }
    _read() {
        // Lines are written straight into a Buffer (off the V8 heap) rather than concatenated into a big
        // string: big strings get promoted to the old generation and inflate the heap (and RSS).
        try {
            for (;;) {
                const next = this.rowIterator.next();
                if (next.done) {
                    if (this.used > 0)
                        this.push(this.buffer.subarray(0, this.used));
                    this.push(null);
                    this.onRows?.(this.rows);
                    return;
                }
                const line = this.step(next.value);
                if (line === null)
                    continue;
                if (line.length * 3 <= CHUNK_BYTES - this.used) {
                    this.used += this.buffer.write(line, this.used, 'utf8');
                    continue;
                }
                // Full (or a huge line): hand over what we have, one push per _read keeps backpressure.
                const out = this.used > 0 ? this.buffer.subarray(0, this.used) : Buffer.alloc(0);
                this.buffer = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, line.length * 3));
                this.used = this.buffer.write(line, 0, 'utf8');
                this.onRows?.(this.rows);
                if (out.length === 0)
                    continue;
                // Writes to a local socket complete synchronously, so reading and pushing never leave the
                // nextTick queue: signals, a closed IPC channel (the parent died) and timers would wait until
                // the table ends. Now and then the chunk is handed over from a macrotask instead.
                if (Date.now() >= this.yieldAt) {
                    this.yieldAt = Date.now() + YIELD_EVERY_MS;
                    setImmediate(() => {
                        if (!this.destroyed)
                            this.push(out);
                    });
                    return;
                }
                return void this.push(out);
            }
        }
        catch (error) {
            this.destroy(error);
        }
    }
    _destroy(error, callback) {
        this.rowIterator.return?.();
        callback(error);
    }
}
function rowProcessor(db, spec, keyIndexes, rowidIndex, options, counters) {
    const converters = spec.columns.map((c) => (0,cast_rules/* columnConverter */.p)(c.type));
    const canonicals = spec.columns.map((c) => (0,canonical_form/* canonicalizer */.RQ)(c.type));
    const fields = spec.columns.map((c) => copyFieldWriter(c.type.kind));
    const checkUtf8 = spec.columns.map((c) => TEXT_KINDS.has(c.type.kind));
    const width = spec.columns.length;
    const hash = options.onRow ? null : options.hash;
    const onRow = options.onRow;
    const copyText = options.copyText !== false;
    const keyPositions = spec.keyColumns.map((k) => spec.columns.findIndex((c) => c.source === k));
    const canonicalKeys = keyPositions.length > 0 && keyPositions.every((p) => p >= 0);
    // better-sqlite3 turns invalid UTF-8 into U+FFFD silently; such values are re-read as bytes.
    const rawReaders = new Map();
    const rawReader = (column) => {
        if (rowidIndex < 0)
            return undefined;
        if (!rawReaders.has(column))
            rawReaders.set(column, db.prepare(`SELECT CAST(${(0,pg_identifiers/* quoteIdent */.v4)(column)} AS BLOB) FROM ${(0,pg_identifiers/* quoteIdent */.v4)(spec.table)} WHERE _rowid_ = ?`).pluck().safeIntegers(true));
        return rawReaders.get(column);
    };
    const keyOf = (row) => {
        const keyValues = {};
        if (keyIndexes.length > 0)
            spec.keyColumns.forEach((name, i) => (keyValues[name] = printable(row[keyIndexes[i]])));
        else if (rowidIndex >= 0)
            keyValues.rowid = printable(row[rowidIndex]);
        else
            keyValues.row = counters.rows;
        return { keyValues, key: Object.entries(keyValues).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ') };
    };
    return (row) => {
        counters.rows++;
        let line = '';
        let canon = '';
        for (let i = 0; i < width; i++) {
            const value = row[i];
            let text;
            try {
                text = converters[i](value);
                if (checkUtf8[i] && typeof value === 'string' && value.includes('\uFFFD')) {
                    const bytes = rawReader(spec.columns[i].source)?.get(row[rowidIndex]);
                    if (bytes && !(0,external_node_buffer_.isUtf8)(bytes))
                        throw new cast_rules/* CastFailure */.c3('is not valid UTF-8');
                }
                if (hash || onRow)
                    canon += (i ? canonical_form/* FIELD_SEPARATOR */.Zh : '') + (text === null ? canonical_form/* NULL_MARKER */.re : canonicals[i] ? canonicals[i](text) : text);
            }
            catch (error) {
                if (!(error instanceof cast_rules/* CastFailure */.c3))
                    throw error;
                counters.rejected++;
                options.onFailure({ column: spec.columns[i].source, ...keyOf(row), value: printable(value), reason: error.message });
                return null;
            }
            if (copyText)
                line += i ? `\t${fields[i](text)}` : fields[i](text);
        }
        hash?.addText(canon);
        if (onRow) {
            const [high, low] = (0,row_hash/* pgHashText */.vK)(canon);
            let keyCanon = canon;
            if (canonicalKeys) {
                const fields = canon.split(canonical_form/* FIELD_SEPARATOR */.Zh);
                keyCanon = keyPositions.map((p) => fields[p]).join(canonical_form/* FIELD_SEPARATOR */.Zh);
            }
            onRow(high, low, keyCanon, () => keyOf(row).key);
        }
        counters.copied++;
        return `${line}\n`;
    };
}


/***/ }),

/***/ 3876:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OL: () => (/* binding */ qualifiedName),
/* harmony export */   ce: () => (/* binding */ quoteLiteral),
/* harmony export */   v4: () => (/* binding */ quoteIdent)
/* harmony export */ });
// Identifier and literal quoting for SQL we build ourselves. Real schemas have tables named
// `Order`, `Order Details` and `user`: every identifier is quoted, always.
function quoteIdent(name) {
    return `"${name.replace(/"/g, '""')}"`;
}
/** schema.table, both quoted. */
function qualifiedName(schema, table) {
    return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
function quoteLiteral(value) {
    return `'${value.replace(/'/g, "''")}'`;
}


/***/ }),

/***/ 9831:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ loadSqlite)
/* harmony export */ });
let loaded;
async function importForPlatform() {
    switch (`${process.platform}-${process.arch}`) {
        case 'linux-x64':
            return isMusl() ? Promise.all(/* import() */[__webpack_require__.e(909), __webpack_require__.e(162)]).then(__webpack_require__.t.bind(__webpack_require__, 4162, 23)) : Promise.all(/* import() */[__webpack_require__.e(909), __webpack_require__.e(815)]).then(__webpack_require__.t.bind(__webpack_require__, 1815, 23));
        case 'linux-arm64':
            return isMusl() ? Promise.all(/* import() */[__webpack_require__.e(909), __webpack_require__.e(411)]).then(__webpack_require__.t.bind(__webpack_require__, 7792, 23)) : Promise.all(/* import() */[__webpack_require__.e(909), __webpack_require__.e(557)]).then(__webpack_require__.t.bind(__webpack_require__, 8557, 23));
        case 'darwin-x64':
            return Promise.all(/* import() */[__webpack_require__.e(909), __webpack_require__.e(252)]).then(__webpack_require__.t.bind(__webpack_require__, 252, 23));
        case 'darwin-arm64':
            return Promise.all(/* import() */[__webpack_require__.e(909), __webpack_require__.e(862)]).then(__webpack_require__.t.bind(__webpack_require__, 4862, 23));
        case 'win32-x64':
            return Promise.all(/* import() */[__webpack_require__.e(909), __webpack_require__.e(846)]).then(__webpack_require__.t.bind(__webpack_require__, 7846, 23));
        case 'win32-arm64':
            return Promise.all(/* import() */[__webpack_require__.e(909), __webpack_require__.e(140)]).then(__webpack_require__.t.bind(__webpack_require__, 2140, 23));
        default:
            throw new Error(`better-sqlite3 has no prebuilt binary for ${process.platform}-${process.arch}`);
    }
}
function isMusl() {
    const report = process.report?.getReport();
    return !report?.header?.glibcVersionRuntime;
}
function loadSqlite() {
    loaded ??= importForPlatform().then((module) => module.default);
    return loaded;
}


/***/ }),

/***/ 2393:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ openSqlite)
/* harmony export */ });
/* unused harmony export BUSY_TIMEOUT_MS */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3916);
/* harmony import */ var _sqlite_driver_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9831);
// Opens SQLite files with checks that turn SQLite's terse errors into ones that name the file and fix.




/** How long a read waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 10_000;
const HEADER = Buffer.from('SQLite format 3\0', 'latin1');
async function openSqlite(location, options) {
    const file = location.path;
    const stat = node_fs__WEBPACK_IMPORTED_MODULE_0___default().statSync(file, { throwIfNoEntry: false });
    if (!stat) {
        const dirExists = node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync(node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(file));
        if (!options.create || !dirExists) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SqliteFileError */ .tf(`The SQLite file ${file} given as ${options.input} does not exist.`, {
                fix: dirExists
                    ? `check the path (relative paths are resolved from ${process.cwd()}), or check out / download the database file in an earlier step.`
                    : `the directory ${node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(file)} does not exist either: check the path.`,
            });
        }
    }
    else if (stat.isDirectory()) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SqliteFileError */ .tf(`${options.input} points at ${file}, which is a directory, not a SQLite file.`, {
            fix: `give the path of the database file inside it, e.g. sqlite:${node_path__WEBPACK_IMPORTED_MODULE_1___default().join(file, 'app.db')}.`,
        });
    }
    else if (stat.size > 0) {
        const header = Buffer.alloc(HEADER.length);
        const fd = node_fs__WEBPACK_IMPORTED_MODULE_0___default().openSync(file, 'r');
        try {
            node_fs__WEBPACK_IMPORTED_MODULE_0___default().readSync(fd, header, 0, HEADER.length, 0);
        }
        finally {
            node_fs__WEBPACK_IMPORTED_MODULE_0___default().closeSync(fd);
        }
        if (!header.equals(HEADER)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SqliteFileError */ .tf(`${file} (${options.input}) is not a SQLite database: its header is not "SQLite format 3".`, {
                fix: `check that the path points at the database file itself (not a dump, a zip or a Git LFS pointer); a .sql dump must be loaded with sqlite3 first.`,
            });
        }
    }
    const Database = await (0,_sqlite_driver_js__WEBPACK_IMPORTED_MODULE_3__/* .loadSqlite */ .T)();
    let db;
    try {
        db = new Database(file, { readonly: options.readonly, fileMustExist: !options.create });
        db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        // Touch the schema so corruption is reported here, not halfway through a copy.
        db.prepare('SELECT count(*) FROM sqlite_schema').get();
    }
    catch (cause) {
        if (/^SQLITE_(BUSY|LOCKED)/.test(String(cause.code ?? ''))) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SqliteFileError */ .tf(`The SQLite file ${file} (${options.input}) is locked by another process that is writing to it; cutover waited ${BUSY_TIMEOUT_MS / 1000} s for the lock.`, {
                cause,
                fix: 'stop the application (or the tool with a transaction open on the file) while cutover reads it, then run again.',
            });
        }
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SqliteFileError */ .tf(`${file} (${options.input}) cannot be read as a SQLite database: ${cause.message}.`, {
            cause,
            fix: `the file may be corrupt or truncated; check it with \`sqlite3 ${file} 'PRAGMA integrity_check'\` or restore it from a backup.`,
        });
    }
    return db;
}


/***/ }),

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


/***/ }),

/***/ 7090:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RQ: () => (/* binding */ canonicalizer),
/* harmony export */   Zh: () => (/* binding */ FIELD_SEPARATOR),
/* harmony export */   nJ: () => (/* binding */ rowHashSql),
/* harmony export */   re: () => (/* binding */ NULL_MARKER),
/* harmony export */   t6: () => (/* binding */ canonicalRowSql)
/* harmony export */ });
/* unused harmony export canonicalSql */
/* harmony import */ var _db_pg_identifiers_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3876);
/* harmony import */ var _copy_cast_cast_rules_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8773);
// The canonical, type-normalised text of a row that checksums hash. It is decided by the TARGET
// column's type, computed by Postgres in SQL for Postgres tables and by JavaScript for SQLite rows
// (from the exact text the cast rules send to Postgres), so equal data gives equal text:
//   boolean 't'/'f' · integers decimal · numeric trim_scale(x)::text · float4/float8 IEEE-754 bytes
//   as hex (float8send) · timestamp and timestamptz (in UTC) as Postgres' ISO output, fraction without
//   trailing zeros ('YYYY-MM-DD HH:MM:SS[.f]': x::text is about half the CPU of to_char) · date
//   'YYYY-MM-DD' · bytea '\x' + hex · jsonb its text output (keys sorted) · text types x::text ·
//   any other type its output function's text (types that normalise their input, e.g. inet
//   '10.0.0.1/32' → '10.0.0.1', can differ from the SQLite text and are then reported).
// A row is its fields joined by U+0002 with NULL as U+0001; its hash is hashtextextended(row, 0).


const FIELD_SEPARATOR = '\u0002';
const NULL_MARKER = '\u0001';
const scratch = Buffer.alloc(8);
function doubleHex(value) {
    scratch.writeDoubleBE(value, 0);
    return scratch.toString('hex');
}
/**
 * The cast rules send timestamps as 'YYYY-MM-DDTHH:MM:SS.ffffff' (+ 'Z'); Postgres' ISO output of
 * the same value is 'YYYY-MM-DD HH:MM:SS[.f]' (trailing zeros of the fraction dropped). 'infinity'
 * and '-infinity' print as themselves.
 */
function isoTimestampText(text) {
    if (text.length < 26)
        return text;
    let end = 26;
    while (end > 20 && text.charCodeAt(end - 1) === 48)
        end--;
    return `${text.slice(0, 10)} ${text.slice(11, 19)}${end > 20 ? text.slice(19, end) : ''}`;
}
/** Converted text (what was sent to Postgres) → canonical text; identity for most kinds. */
function canonicalizer(type) {
    switch (type.kind) {
        case 'numeric': return (text) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);
        case 'float8': return (text) => doubleHex(Number(text));
        case 'float4': return (text) => doubleHex(Math.fround(Number(text)));
        case 'bpchar': return (text) => text.replace(/ +$/, '');
        case 'timestamp':
        case 'timestamptz': return isoTimestampText;
        case 'jsonb': return _copy_cast_cast_rules_js__WEBPACK_IMPORTED_MODULE_0__/* .canonicalJsonb */ .NB;
        default: return null;
    }
}
/** SQL for the canonical text of `expr` (a column, possibly cast to the target type). */
function canonicalSql(expr, type) {
    switch (type.kind) {
        case 'boolean': return `CASE ${expr} WHEN true THEN 't' WHEN false THEN 'f' END`;
        case 'numeric': return `trim_scale(${expr})::text`;
        case 'float8': return `encode(float8send(${expr}), 'hex')`;
        case 'float4': return `encode(float8send((${expr})::float8), 'hex')`;
        case 'bytea': return `'\\x' || encode(${expr}, 'hex')`;
        // ISO output (every cutover session sets DateStyle 'ISO, YMD'); timestamptz converted to UTC first.
        case 'date': return `(${expr})::text`;
        case 'timestamp': return `(${expr})::text`;
        case 'timestamptz': return `((${expr}) AT TIME ZONE 'UTC')::text`;
        // The type's output function (what COPY sends), not its text cast: inet::text adds '/32'.
        case 'other': return `CASE WHEN (${expr}) IS NOT NULL THEN concat(${expr}) END`;
        default: return `(${expr})::text`;
    }
}
/** SQL text of the whole canonical row. */
function canonicalRowSql(columns) {
    const fields = columns.map((c) => {
        const expr = c.castTo ? `${(0,_db_pg_identifiers_js__WEBPACK_IMPORTED_MODULE_1__/* .quoteIdent */ .v4)(c.name)}::${c.castTo}` : (0,_db_pg_identifiers_js__WEBPACK_IMPORTED_MODULE_1__/* .quoteIdent */ .v4)(c.name);
        return `coalesce(${canonicalSql(expr, c.type)}, E'\\x01')`;
    });
    return fields.length === 0 ? `''` : `concat_ws(E'\\x02', ${fields.join(', ')}) COLLATE "C"`;
}
/** SQL for the row's 64-bit hash. */
function rowHashSql(columns) {
    return `hashtextextended(${canonicalRowSql(columns)}, 0)`;
}


/***/ }),

/***/ 7254:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   is: () => (/* binding */ HashSum),
/* harmony export */   vK: () => (/* binding */ pgHashText)
/* harmony export */ });
/* unused harmony exports hashBytes, pgHashTextDecimal */
// A JavaScript replica of PostgreSQL's `hashtextextended(text, 0)` (Bob Jenkins' lookup3, as in
// src/common/hashfn.c `hash_bytes_extended`, little-endian arms). Row checksums are the sum of this
// 64-bit hash over each row's canonical text: Postgres computes it in SQL without sending any data,
// and the SQLite side computes the identical value here, ~10× faster than crypto's md5 per row.
// Postgres on a big-endian server would hash differently; every supported platform is little-endian.
const scratch = { buffer: Buffer.allocUnsafe(64 * 1024) };
const rot = (x, k) => (x << k) | (x >>> (32 - k));
/** [high 32 bits (signed), low 32 bits (unsigned)] of hashtextextended(text, 0). */
function pgHashText(text) {
    let buffer = scratch.buffer;
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (text.length * 3 > buffer.length)
        buffer = scratch.buffer = Buffer.allocUnsafe(text.length * 3 + 1024);
    const length = buffer.write(text, 0, 'utf8');
    return hashBytes(buffer, length);
}
function hashBytes(k, keylen) {
    let a = (0x9e3779b9 + keylen + 3923095) | 0;
    let b = a;
    let c = a;
    let i = 0;
    let len = keylen;
    while (len >= 12) {
        a = (a + (k[i] | (k[i + 1] << 8) | (k[i + 2] << 16) | (k[i + 3] << 24))) | 0;
        b = (b + (k[i + 4] | (k[i + 5] << 8) | (k[i + 6] << 16) | (k[i + 7] << 24))) | 0;
        c = (c + (k[i + 8] | (k[i + 9] << 8) | (k[i + 10] << 16) | (k[i + 11] << 24))) | 0;
        // mix(a, b, c)
        a = (a - c) | 0;
        a ^= rot(c, 4);
        c = (c + b) | 0;
        b = (b - a) | 0;
        b ^= rot(a, 6);
        a = (a + c) | 0;
        c = (c - b) | 0;
        c ^= rot(b, 8);
        b = (b + a) | 0;
        a = (a - c) | 0;
        a ^= rot(c, 16);
        c = (c + b) | 0;
        b = (b - a) | 0;
        b ^= rot(a, 19);
        a = (a + c) | 0;
        c = (c - b) | 0;
        c ^= rot(b, 4);
        b = (b + a) | 0;
        i += 12;
        len -= 12;
    }
    // The last 11 bytes; the lowest byte of c is reserved for the length (hence c starts at << 8).
    if (len >= 11)
        c = (c + (k[i + 10] << 24)) | 0;
    if (len >= 10)
        c = (c + (k[i + 9] << 16)) | 0;
    if (len >= 9)
        c = (c + (k[i + 8] << 8)) | 0;
    if (len >= 8)
        b = (b + (k[i + 7] << 24)) | 0;
    if (len >= 7)
        b = (b + (k[i + 6] << 16)) | 0;
    if (len >= 6)
        b = (b + (k[i + 5] << 8)) | 0;
    if (len >= 5)
        b = (b + k[i + 4]) | 0;
    if (len >= 4)
        a = (a + (k[i + 3] << 24)) | 0;
    if (len >= 3)
        a = (a + (k[i + 2] << 16)) | 0;
    if (len >= 2)
        a = (a + (k[i + 1] << 8)) | 0;
    if (len >= 1)
        a = (a + k[i]) | 0;
    // final(a, b, c)
    c ^= b;
    c = (c - rot(b, 14)) | 0;
    a ^= c;
    a = (a - rot(c, 11)) | 0;
    b ^= a;
    b = (b - rot(a, 25)) | 0;
    c ^= b;
    c = (c - rot(b, 16)) | 0;
    a ^= c;
    a = (a - rot(c, 4)) | 0;
    b ^= a;
    b = (b - rot(a, 14)) | 0;
    c ^= b;
    c = (c - rot(b, 24)) | 0;
    return [b | 0, c >>> 0];
}
/** The hash as Postgres prints the int8 (signed decimal). */
function pgHashTextDecimal(text) {
    const [high, low] = pgHashText(text);
    return (BigInt(high) * 4294967296n + BigInt(low)).toString();
}
/**
 * Order-independent sum of 64-bit row hashes, exact like Postgres' `sum(int8)` (numeric). High and
 * low halves accumulate in doubles (exact below 2^53) and fold into a BigInt before they could round.
 */
class HashSum {
    high = 0;
    low = 0;
    pending = 0;
    total = 0n;
    count = 0;
    addText(text) {
        const [high, low] = pgHashText(text);
        this.add(high, low);
    }
    add(high, low) {
        this.high += high;
        this.low += low;
        this.count++;
        if (++this.pending === 1 << 20)
            this.fold();
    }
    /** Adds another sum (e.g. from a worker that hashed part of the same table). */
    addTotal(total, count) {
        this.total += BigInt(total);
        this.count += count;
    }
    fold() {
        this.total += BigInt(this.high) * 4294967296n + BigInt(this.low);
        this.high = 0;
        this.low = 0;
        this.pending = 0;
    }
    /** Decimal text, as Postgres prints `sum(hashtextextended(...))`; '0' for no rows. */
    value() {
        this.fold();
        return this.total.toString();
    }
}


/***/ })

};
