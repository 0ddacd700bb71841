import type { Database } from './database.js';
import type { ObserveQuery } from './query-timing-plugin.js';
import { QueryTimingPlugin } from './query-timing-plugin.js';

/**
 * The same database, with every Kysely query and every `runBatch` (the engine's group
 * commit, reported as `batch`) timed. Closing it closes the original.
 */
export function timedDatabase(database: Database, observe: ObserveQuery): Database {
  return {
    db: database.db.withPlugin(new QueryTimingPlugin(observe)),
    dialect: database.dialect,
    runBatch: async (statements) => {
      const start = process.hrtime.bigint();
      try {
        return await database.runBatch(statements);
      } finally {
        observe('batch', Number(process.hrtime.bigint() - start) / 1e9);
      }
    },
    close: () => database.close(),
  };
}
