import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A PostgreSQL database created for one benchmark run, dropped by `drop`. */
export interface BenchPostgresDatabase {
  /** The URL the service and the setup connect to. */
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * Creates a database of its own on the server of `serverUrl` (whose database serves only
 * to connect). A database rather than a schema: the service takes its schema from the
 * URL's search_path only, and the test suites, which may run meanwhile, introspect every
 * schema of their own database and trip over one dropped under them.
 */
export async function createBenchPostgresDatabase(serverUrl: string): Promise<BenchPostgresDatabase> {
  const name = `bench_http_${randomBytes(6).toString('hex')}`;
  await administer(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE ends any connection a killed server process may have left.
    drop: () => administer(serverUrl, `drop database if exists "${name}" with (force)`),
  };
}

async function administer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
