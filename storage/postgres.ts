import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database, OpenDatabaseOptions } from './database.js';
import { SCHEMA_LOCK, migrateToLatest } from './migrate.js';
import { runPostgresBatch } from './postgres-batch.js';
import type { Tables } from './tables.js';

// bigint (int8) arrives from pg as a string, to be safe beyond 2^53; ours hold
// milliseconds and counts, so they are read as numbers, like SQLite's, and a value that
// would lose precision is an error rather than a silently wrong number.
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? parseInt8 : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Opens a PostgreSQL pool. With `schema`, the schema is created if missing and is the
 * `search_path` of every pooled connection, so tests can each have their own.
 */
export async function openPostgres(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const { schema } = options;
  // The schema must exist before any pooled connection starts with it on its search_path:
  // created through the pool, a connection opened meanwhile was seen to miss it under load.
  if (schema !== undefined) await createSchema(url, checkedSchemaName(schema));
  const searchPath = schema === undefined ? {} : { options: `-c search_path=${checkedSchemaName(schema)}` };
  // Kysely's pool does not pipeline: a pipelined autocommit statement can answer before its
  // implicit transaction commits, and a read on another connection then misses the write.
  // runBatch's pool pipelines: its explicit COMMIT answers only once committed, and the
  // whole transaction costs one round trip.
  const pool = new pg.Pool({ connectionString: url, types: TYPES, ...searchPath });
  const batchPool = new pg.Pool({ connectionString: url, types: TYPES, pipeline: true, max: 4, ...searchPath });
  // pg emits errors of idle clients (a server restart, say) on the pool and crashes the
  // process if no one listens. The pool has already dropped the client, and the next
  // query opens a new one, so there is nothing more to do.
  pool.on('error', () => undefined);
  batchPool.on('error', () => undefined);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (options.migrate === false) await sql`select 1`.execute(db);
    else await migrateToLatest(db, await currentSchema(db));
  } catch (error) {
    await db.destroy();
    await batchPool.end();
    throw error;
  }
  return {
    db,
    reader: db,
    dialect: 'postgres',
    // A pool commits batches side by side, not in turns: nothing is gained by deferring one.
    runBatch: (statements) => runPostgresBatch(batchPool, statements),
    close: async () => {
      await db.destroy();
      if (!batchPool.ended) await batchPool.end();
    },
  };
}

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } finally {
    await client.end();
  }
}

/** Drops a schema and everything in it, for cleaning up after a test. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Not while a migration reads the catalog (see SCHEMA_LOCK).
    await client.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
    await client.query(`drop schema if exists "${checkedSchemaName(schema)}" cascade`);
  } finally {
    await client.end();
  }
}

// Kysely's Migrator looks for its table in any schema unless told which; without this, a
// second schema would find the first one's migrations and skip its own.
async function currentSchema(db: Kysely<Tables>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema === undefined) throw new Error('no current schema: check search_path');
  return schema;
}

// The name goes into a startup option and DDL unquoted or quoted by hand, so only
// plain lower-case identifiers are accepted.
function checkedSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} does not fit a JavaScript number`);
  return n;
}
