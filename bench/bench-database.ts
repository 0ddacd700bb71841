import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Database } from '../storage/database.js';
import { openDatabase } from '../storage/database.js';

/** A temporary directory for a benchmark's SQLite files, removed by `remove`. */
export interface BenchDirectory {
  readonly path: string;
  /** Opens (creating and migrating) an SQLite file in the directory, as the service would. */
  open(name: string): Promise<Database>;
  remove(): Promise<void>;
}

/** Creates the directory in the system's temp dir (on this machine's disk, so fsync is real). */
export async function createBenchDirectory(): Promise<BenchDirectory> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-engine-'));
  return {
    path: dir,
    open: (name) => openDatabase(`sqlite:${path.join(dir, name)}`),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Copies an open SQLite database file byte for byte, so that a second phase starts from
 * exactly the same pages. The caller must have no write under way. A TRUNCATE checkpoint
 * first moves everything from the WAL into the main file and empties the WAL, so the main
 * file alone is the whole database.
 */
export async function copyDatabase(database: Database, from: string, to: string): Promise<void> {
  // The service's own checkpointer may be half-way through a passive checkpoint: try again.
  for (let attempt = 1; ; attempt++) {
    const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(truncate)`.execute(database.db);
    if (rows[0]?.busy === 0) break;
    if (attempt === 20) throw new Error(`the checkpoint before copying ${from} could not complete`);
    await setTimeout(50);
  }
  await copyFile(from, to);
}
