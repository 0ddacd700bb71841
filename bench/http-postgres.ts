import path from 'node:path';
import type { HttpBenchOptions } from './http-options.js';
import { prepareHttpDatabase } from './http-fixture.js';
import { startService } from './http-servers.js';
import type { LoadShape } from './http-workload.js';
import { HttpWorkload } from './http-workload.js';
import type { LoadSummary } from './load-summary.js';
import { summarize } from './load-summary.js';
import { createBenchPostgresDatabase } from './postgres-database.js';
import type { OutboxAfterRuns } from './outbox-backlog.js';
import { settleOutboxAfterRun } from './outbox-backlog.js';
import type { ServerProcess } from './server-process.js';
import type { Direction } from './workload.js';

/** Issue 7: the same benchmark on PostgreSQL, one server process and three on one database. */
export const POSTGRES_PROCESSES = [1, 3] as const;

/** One PostgreSQL measurement: a direction on some server processes sharing one database. */
export interface PostgresResult {
  readonly direction: Direction;
  readonly processes: number;
  readonly summary: LoadSummary;
  /** Outbox rows the run left pending, and the time the processes took to deliver them. */
  readonly outbox: OutboxAfterRuns;
}

/**
 * Creates a database of its own on the PostgreSQL server, prepares it like the SQLite
 * file, and measures each direction on one and on three service processes, the clients
 * spread evenly over them; drops the database at the end. Every direction's decreases run
 * before its increases so that there is room for them.
 */
export async function measureOnPostgres(
  serverUrl: string,
  dir: string,
  directions: readonly Direction[],
  options: HttpBenchOptions,
  shape: LoadShape,
  print: (line: string) => void,
): Promise<PostgresResult[]> {
  const database = await createBenchPostgresDatabase(serverUrl);
  try {
    const workload = new HttpWorkload(await prepareHttpDatabase(database.url, options.sizes, print), shape);
    const results: PostgresResult[] = [];
    for (const direction of directions) {
      for (const processes of POSTGRES_PROCESSES) {
        print(`http: ${direction}s: the service on PostgreSQL, ${processes} process${processes === 1 ? '' : 'es'}…`);
        const servers: ServerProcess[] = [];
        try {
          // One after another: each start migrates (under a lock) and makes sure the operator exists.
          for (let i = 0; i < processes; i++) {
            servers.push(await startService(database.url, path.join(dir, `service-postgres-${direction}-${processes}-${i + 1}.log`), { cpuProfileDir: options.cpuProfileDir }));
          }
          const run = await workload.change(servers, direction, options.seconds, true);
          results.push({ direction, processes, summary: summarize([run]), outbox: await settleOutboxAfterRun(servers[0]!.url) });
        } finally {
          for (const server of servers) await server.stop();
        }
      }
    }
    return results;
  } finally {
    await database.drop();
  }
}
