// What create-tables makes of one SQLite table besides its columns: keys, indexes, foreign keys,
// checks, defaults, each with the SQL that creates it and the SQLite text it came from, and what
// could not be translated with the reason. The load runs the SQL; the report lists all of it.
import type { IdentifierRename } from './long-identifiers.js';
import { assignIdentifiers } from './long-identifiers.js';

export type SchemaObjectKind = 'primary key' | 'unique' | 'index' | 'foreign key' | 'check' | 'default' | 'identity' | 'collation' | 'generated column' | 'table';

export interface SchemaObject {
  kind: SchemaObjectKind;
  /** Index or constraint name in the target. */
  name?: string;
  /** For people: what it is in Postgres, e.g. `("email")`, `lower("email")`, `("org_id") → public.orgs ON DELETE CASCADE`. */
  definition: string;
  /** The SQLite text it came from. */
  sqlite?: string;
  /** Something the reader should know, e.g. how COLLATE NOCASE was kept. */
  note?: string;
  /** The statement that creates it (none: it is part of CREATE TABLE or of the column type). */
  sql?: string;
  /** 'constraint': after the load, a failure fails the copy (PRIMARY KEY, UNIQUE); 'foreign key': after
   *  every constraint; 'optional': in a savepoint, a refusal by Postgres is reported, not fatal. */
  stage?: 'constraint' | 'foreign key' | 'optional';
  /** Set by the load for 'optional' objects that Postgres refused. */
  refused?: string;
}

export interface NotTranslated {
  kind: SchemaObjectKind;
  /** The SQLite text (or a description when SQLite keeps none). */
  sqlite: string;
  reason: string;
}

export interface SchemaRename extends IdentifierRename {
  kind: 'table' | 'column' | 'index' | 'constraint';
}

/** Names that must stay distinct — the relations of a schema (tables, indexes), or one table's
 *  constraints: what exists, and what this copy creates. */
export class SchemaNames {
  private readonly used: Set<string>;
  constructor(taken: Iterable<string>) {
    this.used = new Set(taken);
  }

  /** A free name for `wanted` (cut, hashed or numbered when needed), now taken. */
  claim(wanted: string): { name: string; rename?: IdentifierRename } {
    const { names, renames } = assignIdentifiers([wanted], this.used);
    const name = names.get(wanted)!;
    this.used.add(name);
    return { name, ...(renames[0] ? { rename: renames[0] } : {}) };
  }

  reserve(name: string): void {
    this.used.add(name);
  }
}
