// JSON text → the exact text Postgres prints for the same value as jsonb (`x::jsonb::text`), so a
// SQLite JSON column and a Postgres jsonb column checksum equal when the copy was right. jsonb keeps
// the last of duplicate keys, orders keys by byte length then bytes, prints ", " and ": ", keeps
// numbers as numeric text ('1.0' stays 1.0, '1e2' becomes 100) and re-escapes strings minimally.
// The parser is strict RFC 8259 (what Postgres accepts); it throws JsonTextError on invalid input.
import { formatDecimal, inputScale, parseDecimal } from '../copy/cast/decimal-text.js';

export class JsonTextError extends Error {}

const STRING_STOP = /["\\\u0000-\u001f]/g;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?([eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const ASCII = /^[\u0000-\u007f]*$/;

type JsonValue = string | { number: string } | boolean | null | JsonValue[] | Map<string, JsonValue>;

class Parser {
  private index = 0;
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  parseDocument(): JsonValue {
    const value = this.value();
    this.space();
    if (this.index !== this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private fail(reason: string): never {
    throw new JsonTextError(`${reason} at offset ${this.index}`);
  }

  private space(): void {
    while (this.index < this.text.length && ' \t\n\r'.includes(this.text[this.index])) this.index++;
  }

  private value(): JsonValue {
    this.space();
    const ch = this.text[this.index];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return value;
      }
    }
    return this.fail(ch === undefined ? 'unexpected end of JSON' : `unexpected character '${ch}'`);
  }

  private object(): Map<string, JsonValue> {
    const map = new Map<string, JsonValue>();
    this.index++;
    this.space();
    if (this.text[this.index] === '}') {
      this.index++;
      return map;
    }
    for (;;) {
      this.space();
      if (this.text[this.index] !== '"') this.fail('expected a string key');
      const key = this.string();
      this.space();
      if (this.text[this.index++] !== ':') this.fail("expected ':'");
      map.delete(key); // last duplicate wins, as in jsonb
      map.set(key, this.value());
      this.space();
      const next = this.text[this.index++];
      if (next === '}') return map;
      if (next !== ',') this.fail("expected ',' or '}'");
    }
  }

  private array(): JsonValue[] {
    const items: JsonValue[] = [];
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
      if (next === ']') return items;
      if (next !== ',') this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    this.index++;
    let out = '';
    for (;;) {
      STRING_STOP.lastIndex = this.index;
      if (!STRING_STOP.test(this.text)) this.fail('unterminated string');
      const end = STRING_STOP.lastIndex - 1;
      out += this.text.slice(this.index, end);
      this.index = end + 1;
      const ch = this.text[end];
      if (ch === '"') break;
      if (ch !== '\\') this.fail('control character in string');
      const esc = this.text[this.index++];
      if (esc in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[esc];
      else if (esc === 'u') out += this.unicodeEscape();
      else this.fail(`invalid escape '\\${esc ?? ''}'`);
    }
    return out;
  }

  private hex4(): number {
    const hex = this.text.slice(this.index, this.index + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
    this.index += 4;
    return parseInt(hex, 16);
  }

  private unicodeEscape(): string {
    const code = this.hex4();
    // jsonb cannot store NUL and rejects lone surrogates (Postgres: "unsupported Unicode escape").
    if (code === 0) this.fail('\\u0000 cannot be stored in jsonb');
    if (code >= 0xdc00 && code <= 0xdfff) this.fail('lone low surrogate');
    if (code >= 0xd800 && code <= 0xdbff) {
      if (this.text.slice(this.index, this.index + 2) !== '\\u') this.fail('lone high surrogate');
      this.index += 2;
      const low = this.hex4();
      if (low < 0xdc00 || low > 0xdfff) this.fail('invalid surrogate pair');
      return String.fromCharCode(code, low);
    }
    return String.fromCharCode(code);
  }

  private number(): { number: string } {
    NUMBER.lastIndex = this.index;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('invalid number');
    this.index += match[0].length;
    const literal = match[0];
    // Fast path: without an exponent, numeric prints the literal as written (minus a negative zero's sign).
    if (!match[1]) return { number: literal.startsWith('-') && !/[1-9]/.test(literal) ? literal.slice(1) : literal };
    const decimal = parseDecimal(literal);
    if (!decimal) this.fail('number out of range');
    return { number: formatDecimal(decimal, inputScale(decimal, literal)) };
  }
}

/** Throws JsonTextError when `text` is not valid JSON. */
export function validateJson(text: string): void {
  new Parser(text).parseDocument();
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

function quote(text: string): string {
  // escape_json: only ", \, and control characters are escaped.
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
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

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

function compareKeys(a: string, b: string): number {
  // ASCII: byte length is string length and byte order is code-unit order.
  if (isAscii(a) && isAscii(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length - bb.length || Buffer.compare(ab, bb);
}

// Documents of one table repeat the same few key sets (in the same order): their jsonb order is
// sorted once per set. JSON.parse interns keys, so comparing a key list with a cached one is cheap.
const KEY_ORDERS = new Map<string, Array<{ keys: string[]; sorted: string[] }>>();
const KEY_ORDERS_MAX = 4096;

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sortedKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object);
  if (keys.length < 2) return keys;
  let sets = KEY_ORDERS.get(keys[0]);
  if (sets) {
    for (const set of sets) if (sameKeys(set.keys, keys)) return set.sorted;
  } else {
    if (KEY_ORDERS.size >= KEY_ORDERS_MAX) KEY_ORDERS.clear();
    KEY_ORDERS.set(keys[0], (sets = []));
  }
  const sorted = [...keys].sort(compareKeys);
  if (sets.length < 16) sets.push({ keys, sorted });
  return sorted;
}

function render(value: JsonValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value instanceof Map) {
    const keys = [...value.keys()].sort(compareKeys);
    return `{${keys.map((key) => `${quote(key)}: ${render(value.get(key)!)}`).join(', ')}}`;
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

function nativeParseIsExact(text: string): boolean {
  return !FRACTION_OR_EXPONENT.test(text) && !SPECIAL_ESCAPES.test(text);
}

/** Renders JSON.parse's result like render(); undefined when a number is not a safe integer. */
function renderParsed(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isSafeInteger(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const text = renderParsed(value[i]);
      if (text === undefined) return undefined;
      out += i ? `, ${text}` : text;
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = sortedKeys(object);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const text = renderParsed(object[keys[i]]);
    if (text === undefined) return undefined;
    out += `${i ? ', ' : ''}${quote(keys[i])}: ${text}`;
  }
  return `${out}}`;
}

// The copy validates a value (checkJsonb) and, with checksums on, asks for its canonical text right
// after: the last document's parse is kept so that it is parsed once.
const last: { input: string | undefined; parsed: unknown; output: string | undefined } = { input: undefined, parsed: undefined, output: undefined };

/** Throws JsonTextError when `text` is not something Postgres accepts as jsonb. */
export function checkJsonb(text: string): void {
  if (last.input === text) return;
  if (nativeParseIsExact(text)) {
    try {
      const parsed = JSON.parse(text) as unknown;
      Object.assign(last, { input: text, parsed, output: undefined });
      return;
    } catch {
      // invalid JSON: the exact parser below reports where
    }
  }
  const output = render(new Parser(text).parseDocument());
  Object.assign(last, { input: text, parsed: undefined, output });
}

/** `text::jsonb::text` computed in JavaScript. Throws JsonTextError when not valid JSON. */
export function jsonbText(text: string): string {
  checkJsonb(text);
  if (last.output === undefined) last.output = renderParsed(last.parsed) ?? render(new Parser(text).parseDocument());
  return last.output;
}
