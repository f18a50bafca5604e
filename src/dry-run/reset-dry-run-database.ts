// dry-run-database-reset: true — empty a dry-run database the user declared disposable. Every
// non-system schema is dropped with CASCADE (tables, views, sequences, functions, types, extensions
// in it, …), in one transaction: either all of it goes or nothing does. `public` is then created
// again with the owner, privileges and comment it had, so the database looks like a fresh one.
// Outside schemas nothing is touched: roles, database settings, publications, event triggers.
import type pg from 'pg';
import { quoteIdent, quoteLiteral } from '../db/pg-identifiers.js';
import { ProvisionError } from '../errors.js';
import { USER_SCHEMAS } from './dry-run-database-contents.js';

interface PublicSchema {
  owner: string;
  comment: string | null;
  grants: Array<{ grantee: string; privilege: string; grantable: boolean }>;
}

async function publicSchema(client: pg.Client): Promise<PublicSchema | undefined> {
  const schema = await client.query<{ owner: string; comment: string | null }>(
    `SELECT pg_get_userbyid(nspowner) AS owner, obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = 'public'`,
  );
  if (!schema.rows[0]) return undefined;
  // grantee 0 is PUBLIC; a NULL acl (the default) yields no rows and needs no grant.
  const grants = await client.query<{ grantee: string; privilege: string; grantable: boolean }>(
    `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS grantee, a.privilege_type AS privilege, a.is_grantable AS grantable
       FROM pg_namespace n, aclexplode(n.nspacl) a
      WHERE n.nspname = 'public'
      ORDER BY a.grantee <> n.nspowner, a.grantee`,
  );
  return { owner: schema.rows[0].owner, comment: schema.rows[0].comment, grants: grants.rows };
}

/** Drops every non-system schema and recreates `public` as it was; returns the schemas dropped. */
export async function resetDryRunDatabase(client: pg.Client, input: string): Promise<string[]> {
  const schemas = (await client.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE ${USER_SCHEMAS} ORDER BY nspname = 'public', nspname`)).rows.map((r) => r.name);
  const saved = await publicSchema(client);
  const database = (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db;
  let step = '';
  try {
    await client.query('BEGIN');
    for (const schema of schemas) {
      step = `DROP SCHEMA ${quoteIdent(schema)} CASCADE`;
      await client.query(step);
    }
    if (saved && schemas.includes('public')) {
      step = `CREATE SCHEMA public AUTHORIZATION ${quoteIdent(saved.owner)}`;
      await client.query(step);
      for (const grant of saved.grants) {
        const grantee = grant.grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(grant.grantee);
        step = `GRANT ${grant.privilege} ON SCHEMA public TO ${grantee}${grant.grantable ? ' WITH GRANT OPTION' : ''}`;
        await client.query(step);
      }
      if (saved.comment !== null) {
        step = `COMMENT ON SCHEMA public IS ${quoteLiteral(saved.comment)}`;
        await client.query(step);
      }
    }
    await client.query('COMMIT');
  } catch (cause) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new ProvisionError(`dry-run-database-reset could not empty database "${database}" (${input}): \`${step}\` failed, so nothing was dropped.`, {
      cause,
      fix: `connect as the owner of the database and its schemas (or a superuser), or empty it yourself, or give ${input} a fresh database.`,
    });
  }
  return schemas;
}
