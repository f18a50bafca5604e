// The Supabase CLI's statement splitter (supabase/cli pkg/parser: state.go, token.go), ported state
// for state, so that the `statements` column cutover writes to supabase_migrations.schema_migrations
// is what `supabase db push` would have written for the same file. It splits on `;` outside quotes,
// comments, dollar quotes, parentheses and BEGIN ATOMIC … END bodies, keeps each statement as written
// (comments included), then trims trailing `;` and white space and drops empty ones (SplitAndTrim).
// This is not cutover's own splitter (sql-statements.ts): the point here is to agree with the CLI.

interface State {
  /** The next state; undefined emits the statement (a `;` at the top level). */
  next(ch: string, data: string): State | undefined;
}

const isSpace = (ch: string | undefined) => ch !== undefined && /^[\t\n\v\f\r \u0085\u00a0]$/.test(ch);

class Ready implements State {
  next(ch: string, data: string): State | undefined {
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
        if (offset > 0 && data.slice(offset).toUpperCase() === 'ATOMIC' && isSpace(data[offset - 1])) return new Atomic(this, 'END');
        return this;
      }
      default:
        return this;
    }
  }
}

class Comment implements State {
  next(ch: string, data: string): State | undefined {
    // `--`: nothing is escaped until the end of the line.
    if (ch === '-') return new Dollar('\n');
    return new Ready().next(ch, data);
  }
}

class Block implements State {
  private depth = 0;
  next(ch: string, data: string): State | undefined {
    const window = data.slice(-2);
    if (window === '/*') {
      this.depth += 1;
      return this;
    }
    if (this.depth === 0) return new Ready().next(ch, data);
    if (window === '*/') {
      this.depth -= 1;
      if (this.depth === 0) return new Ready();
    }
    return this;
  }
}

class Quote implements State {
  private escape = false;
  private readonly delimiter: string;
  constructor(delimiter: string) {
    this.delimiter = delimiter;
  }
  next(ch: string, data: string): State | undefined {
    if (this.escape) {
      // A doubled quote stays inside the literal.
      if (ch === this.delimiter) {
        this.escape = false;
        return this;
      }
      return new Ready().next(ch, data);
    }
    if (ch === this.delimiter) this.escape = true;
    return this;
  }
}

class Dollar implements State {
  private readonly delimiter: string;
  constructor(delimiter: string) {
    this.delimiter = delimiter;
  }
  next(_ch: string, data: string): State | undefined {
    return data.slice(-this.delimiter.length) === this.delimiter ? new Ready() : this;
  }
}

class Tag implements State {
  private readonly offset: number;
  constructor(offset: number) {
    this.offset = offset;
  }
  next(ch: string, data: string): State | undefined {
    if (ch === '$') return new Dollar(data.slice(this.offset));
    if (/^[\p{L}\p{Nd}_]$/u.test(ch)) return this;
    return new Ready().next(ch, data);
  }
}

class Escape implements State {
  next(): State | undefined {
    return new Ready();
  }
}

class Atomic implements State {
  private prev: State;
  private readonly delimiter: string;
  constructor(prev: State, delimiter: string) {
    this.prev = prev;
    this.delimiter = delimiter;
  }
  next(ch: string, data: string): State | undefined {
    // Inside a quote or comment the delimiter does not count; a `;` does not end the statement.
    const current = this.prev.next(ch, data);
    if (current) this.prev = current;
    if (this.prev instanceof Ready && data.slice(-this.delimiter.length).toUpperCase() === this.delimiter.toUpperCase()) return new Ready();
    return this;
  }
}

/** `Split`: every statement as written, `;` included; a last statement without `;` too. */
export function splitLikeSupabase(sql: string): string[] {
  const statements: string[] = [];
  let state: State = new Ready();
  let data = '';
  for (const ch of sql) {
    data += ch;
    const next = state.next(ch, data);
    if (next === undefined) {
      statements.push(data);
      data = '';
      state = new Ready();
    } else {
      state = next;
    }
  }
  if (data.length > 0) statements.push(data);
  return statements;
}

// Go's strings.TrimSpace (unicode.IsSpace); unlike String.prototype.trim it keeps a byte-order mark.
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');

/** `SplitAndTrim`: what the CLI records in schema_migrations.statements. */
export function supabaseStatements(sql: string): string[] {
  return splitLikeSupabase(sql)
    .map((statement) => statement.replace(/;+$/, '').replace(TRIM, ''))
    .filter((statement) => statement.length > 0);
}
