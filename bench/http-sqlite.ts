import path from 'node:path';
import type { HttpBenchOptions } from './http-options.js';
import { prepareHttpDatabase } from './http-fixture.js';
import { startBareExpress, startService } from './http-servers.js';
import type { LoadShape } from './http-workload.js';
import { HttpWorkload } from './http-workload.js';
import type { LoadSummary } from './load-summary.js';
import { failureCount, summarize } from './load-summary.js';
import type { LoadResult } from './http-load.js';
import type { OutboxAfterRuns } from './outbox-backlog.js';
import { addOutbox, settleOutboxAfterRun } from './outbox-backlog.js';
import type { ServerProcess } from './server-process.js';
import type { Direction } from './workload.js';

/** The bare handler and the service on SQLite, measured alternately, for one direction. */
export interface SqliteComparison {
  readonly direction: Direction;
  readonly bare: LoadSummary;
  readonly service: LoadSummary;
  /** Outbox rows the service's slices left pending, and the time it took to deliver them. */
  readonly serviceOutbox: OutboxAfterRuns;
  /** service/bare requests per second of each pair of slices, measured back to back. */
  readonly sliceRatios: readonly number[];
}

// Other processes come and go on a shared machine: measured a minute apart, the two rates
// would drift apart for reasons that are neither's, so each direction alternates them.
export const SLICES = 3;

/**
 * Prepares an SQLite file in `dir`, starts the bare handler and the service on it (each in
 * its own process), reads every subscription once, then for each direction measures the
 * two in alternating slices.
 */
export async function compareOnSqlite(dir: string, directions: readonly Direction[], options: HttpBenchOptions, shape: LoadShape, print: (line: string) => void): Promise<SqliteComparison[]> {
  const url = `sqlite:${path.join(dir, 'http.db')}`;
  const workload = new HttpWorkload(await prepareHttpDatabase(url, options.sizes, print), shape);
  const bare = await startBareExpress(path.join(dir, 'bare-express.log'));
  let service: ServerProcess | undefined;
  try {
    service = await startService(url, path.join(dir, 'service-sqlite.log'), { cpuProfileDir: options.cpuProfileDir });
    // On SQLite the service is the only writer and keeps the snapshots it has read; a
    // service that has been running holds them all, one just started none.
    const read = await workload.read([service]);
    if (failureCount(summarize([read])) > 0) throw new Error(`reading the subscriptions failed: ${read.firstFailure}`);
    const results: SqliteComparison[] = [];
    for (const direction of directions) {
      print(`http: ${direction}s: bare Express and the service on SQLite, alternating in ${SLICES} slices…`);
      const bareRuns: LoadResult[] = [];
      const serviceRuns: LoadResult[] = [];
      const outbox: OutboxAfterRuns[] = [];
      for (let slice = 0; slice < SLICES; slice++) {
        bareRuns.push(await workload.change([bare], direction, options.seconds / SLICES, false));
        serviceRuns.push(await workload.change([service], direction, options.seconds / SLICES, true));
        outbox.push(await settleOutboxAfterRun(service.url));
      }
      results.push({
        direction,
        bare: summarize(bareRuns),
        service: summarize(serviceRuns),
        serviceOutbox: addOutbox(outbox),
        sliceRatios: serviceRuns.map((s, i) => s.ok / s.seconds / (bareRuns[i]!.ok / bareRuns[i]!.seconds)),
      });
    }
    return results;
  } finally {
    await service?.stop();
    await bare.stop();
  }
}
