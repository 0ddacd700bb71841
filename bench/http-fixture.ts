import { performance } from 'node:perf_hooks';
import { createRuntime } from '../engine/runtime.js';
import type { Database } from '../storage/database.js';
import { openDatabase } from '../storage/database.js';
import { addBenchParties } from './bench-parties.js';
import type { BenchSizes } from './options.js';
import { createActiveSubscriptions } from './subscriptions.js';
import { count } from './table.js';

/** A database ready for the HTTP benchmark: its active subscriptions and a tenant admin's token. */
export interface HttpFixture {
  readonly ids: string[];
  readonly token: string;
}

/**
 * Creates and activates the subscriptions through the engine in this process (not
 * measured), then adds an admin the service accepts, and closes the database so that the
 * service is its only writer. The system clock stamps them, as the service's will: their
 * terms end a month from now, so no timer falls due during the run.
 */
export async function prepareHttpDatabase(url: string, sizes: BenchSizes, print: (line: string) => void): Promise<HttpFixture> {
  const database = await openDatabase(url);
  try {
    const start = performance.now();
    const runtime = await createRuntime({ database, clock: 'system' });
    const ids = await createActiveSubscriptions(runtime, sizes.subscriptions, sizes.setupConcurrency);
    await runtime.engine.drain();
    await runtime.stop();
    const now = new Date().toISOString();
    const settled = await settleSetupOutbox(database, now);
    const token = await addBenchParties(database, now);
    print(`http: setup (not measured) created and activated ${count(ids.length)} subscriptions in ${((performance.now() - start) / 1000).toFixed(1)} s; ${count(settled)} outbox rows of the setup marked delivered`);
    return { ids, token };
  } finally {
    await database.close();
  }
}

/**
 * Marks the setup's outbox rows delivered in one statement. Their delivery would change
 * nothing else: the bench publisher (`pub_bench`) has no webhook URL, and the billing
 * profile (`bp_bench`) pays by check or wire, so has no card to charge; the service's
 * dispatcher would mark them delivered one by one, each in a transaction of its own,
 * during the first seconds of the measured load.
 */
async function settleSetupOutbox(database: Database, now: string): Promise<number> {
  const result = await database.db.updateTable('outbox').set({ status: 'delivered', delivered_at: now }).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows);
}
