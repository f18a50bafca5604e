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

function compareKeys(a: string, b: string): number {
  // ASCII: byte length is string length and byte order is code-unit order.
  if (ASCII.test(a) && ASCII.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length - bb.length || Buffer.compare(ab, bb);
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

// Documents the native JSON.parse can take: no fractions or exponents (JS numbers would lose
// numeric's text, e.g. 1.0), and no \u0000 or surrogate escapes (jsonb rejects what JSON.parse accepts).
const NEEDS_EXACT_PARSER = /\d[.eE]|\\u0000|\\u[dD][89a-fA-F]/;

/** Renders JSON.parse's result like render(); undefined when a number is not a safe integer. */
function renderParsed(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return quote(value);
    case 'number':
      return Number.isSafeInteger(value) ? String(value) : undefined;
  }
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const text = renderParsed(item);
      if (text === undefined) return undefined;
      items.push(text);
    }
    return `[${items.join(', ')}]`;
  }
  const object = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(object).sort(compareKeys)) {
    const text = renderParsed(object[key]);
    if (text === undefined) return undefined;
    parts.push(`${quote(key)}: ${text}`);
  }
  return `{${parts.join(', ')}}`;
}

/** `text::jsonb::text` computed in JavaScript. Throws JsonTextError when not valid JSON. */
export function jsonbText(text: string): string {
  // Most documents take V8's native parser; the exact parser handles the rest, and every error.
  if (!NEEDS_EXACT_PARSER.test(text)) {
    try {
      const rendered = renderParsed(JSON.parse(text));
      if (rendered !== undefined) return rendered;
    } catch {
      // invalid JSON: the exact parser below reports where
    }
  }
  return render(new Parser(text).parseDocument());
}
