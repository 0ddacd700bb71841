import type { Database } from './database.js';
import type { ObserveQuery } from './query-timing-plugin.js';
import { QueryTimingPlugin } from './query-timing-plugin.js';

/**
 * The same database, with every Kysely query and every `runBatch` (the engine's group
 * commit, reported as `batch`) timed. Closing it closes the original.
 */
export function timedDatabase(database: Database, observe: ObserveQuery): Database {
  const timing = new QueryTimingPlugin(observe);
  const db = database.db.withPlugin(timing);
  return {
    db,
    reader: database.reader === database.db ? db : database.reader.withPlugin(timing),
    dialect: database.dialect,
    runBatch: async (statements, options) => {
      const start = process.hrtime.bigint();
      try {
        return await database.runBatch(statements, options);
      } finally {
        // A deferrable batch's time includes its wait for company: apart, it would skew the group commits'.
        observe(options?.deferrable ? 'deferred_batch' : 'batch', Number(process.hrtime.bigint() - start) / 1e9);
      }
    },
    close: () => database.close(),
  };
}
