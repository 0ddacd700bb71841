import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'vitest';
import { dropSchema, openDatabase } from '../../storage/database.js';
import type { Database, OpenDatabaseOptions } from '../../storage/database.js';

/** Every backend the suites loop over; TEST_BACKENDS=sqlite narrows it on a machine without PostgreSQL. */
export const BACKENDS: readonly Backend[] = (process.env.TEST_BACKENDS?.split(',') ?? ['sqlite', 'postgres']).map(
  toBackend,
);

/** A database backend. */
export type Backend = 'sqlite' | 'postgres';

/** The PostgreSQL server the tests use (CI starts it; see .ci/run). */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, empty database of one backend that a test may open, close and reopen. */
export interface DatabaseSandbox {
  readonly backend: Backend;
  /** SQLite only: the database file's path. */
  readonly file?: string;
  /** Opens the sandbox's database (migrated unless told not to). */
  open(options?: Pick<OpenDatabaseOptions, 'migrate'>): Promise<Database>;
  /** Closes whatever is still open and deletes the database. */
  destroy(): Promise<void>;
}

/**
 * A new sandbox: a temporary directory holding an SQLite file, or a PostgreSQL schema of
 * its own.
 */
export async function createSandbox(backend: Backend): Promise<DatabaseSandbox> {
  const opened = new Set<Database>();
  const closeAll = async () => {
    // close() is idempotent on both backends, so a test may have closed some already.
    await Promise.all([...opened].map((database) => database.close()));
  };
  const track = async (database: Promise<Database>) => {
    const open = await database;
    opened.add(open);
    return open;
  };
  if (backend === 'sqlite') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'storage-test-'));
    const file = path.join(dir, 'test.db');
    const url = `sqlite:${file}`;
    return {
      backend,
      file,
      open: (options = {}) => track(openDatabase(url, options)),
      destroy: async () => {
        await closeAll();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `test_${randomUUID().replaceAll('-', '')}`;
  return {
    backend,
    open: (options = {}) => track(retryOnSchemaDroppedElsewhere(schema, () => openDatabase(TEST_POSTGRES_URL, { ...options, schema }))),
    destroy: async () => {
      await closeAll();
      await dropSchema(TEST_POSTGRES_URL, schema);
    },
  };
}

/**
 * `test` with two fixtures: `sandbox`, a fresh database place for this test, and
 * `database`, that place opened and migrated. Both are cleaned up after the test.
 */
export function databaseTest(backend: Backend) {
  return test
    // Vitest reads a fixture's dependencies from this destructuring; there are none.
    // eslint-disable-next-line no-empty-pattern
    .extend('sandbox', async ({}, { onCleanup }) => {
      const sandbox = await createSandbox(backend);
      onCleanup(() => sandbox.destroy());
      return sandbox;
    })
    .extend('database', ({ sandbox }) => sandbox.open());
}

/**
 * Kysely's migrator looks for its tables by introspecting every schema of the database,
 * and that query fails (3F000, naming the schema) when another test drops its own schema
 * at that moment. Such a failure says nothing about this test's schema: open again.
 */
async function retryOnSchemaDroppedElsewhere(schema: string, open: () => Promise<Database>): Promise<Database> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const droppedElsewhere = cause?.code === '3F000' && typeof cause.message === 'string' && !cause.message.includes(schema);
      if (!droppedElsewhere || attempt >= 5) throw error;
    }
  }
}

function toBackend(name: string): Backend {
  if (name === 'sqlite' || name === 'postgres') return name;
  throw new Error(`TEST_BACKENDS: unknown backend ${name}`);
}
