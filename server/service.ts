import { chargeHandler } from '../engine/charges.js';
import { OUTBOX_LEASE_MS, OutboxDispatcher } from '../engine/outbox.js';
import type { OutboxRow } from '../engine/outbox.js';
import type { PaymentProcessor } from '../engine/payment-processor.js';
import { StandInProcessor } from '../engine/payment-processor.js';
import { createRuntime } from '../engine/runtime.js';
import { webhookHandler } from '../engine/webhook-delivery.js';
import type { Database } from '../storage/database.js';
import { claimDueOutbox, outboxCounts, recordOutboxOutcomes } from '../storage/outbox.repository.js';
import { timedDatabase } from '../storage/timed-database.js';
import { createApp } from './app.js';
import type { ServerContext } from './context.js';
import type { MetricsAccess } from './metrics-endpoint.js';
import { ServiceMetrics } from './metrics.js';

export interface ServiceOptions {
  readonly database: Database;
  readonly clock: 'system' | 'manual';
  readonly clockStart?: number;
  readonly rateLimit?: number;
  readonly processor?: PaymentProcessor;
  /** Where log lines go (main.ts: pino through `serviceLog`); nowhere unless told. */
  readonly log?: ServerContext['log'];
  /** How long a webhook receiver has to answer one attempt. */
  readonly webhookTimeoutMs?: number;
  /** Most outbox attempts of one kind under way at once. */
  readonly outboxConcurrency?: number;
  /** Who may read `GET /metrics` (default: loopback clients only). */
  readonly metricsAccess?: MetricsAccess;
  /** Export the process's own metrics too (main.ts does; tests, with many services in one process, do not). */
  readonly processMetrics?: boolean;
  /** Most instance snapshots the engine keeps in memory (default {@link SERVICE_CACHE_CAPACITY}). */
  readonly cacheCapacity?: number;
}

/**
 * Snapshots the service's engine caches. Each cached subscription (~1 kB of JSON) costs
 * ~10 kB of resident memory: the parsed snapshot, the live XState snapshot the views
 * restore from it, and the headroom V8's collector keeps in proportion to what lives.
 * Measured after random reads of 60,000 distinct subscriptions under load, the service
 * took 195 MB with 1,000 cached, 227 MB with 4,000, 272–285 MB with 8,000, and ~900 MB
 * with the engine's default of 100,000; on 1,000,000 subscriptions with 5,000 cached it
 * took 270–300 MB in a 5-minute soak. 3,000 leave issue 7's 300 MB a margin
 * however many instances the database holds; a miss costs one read by primary key.
 */
export const SERVICE_CACHE_CAPACITY = 3_000;

/** The whole service over a database: runtime, outbox dispatcher, metrics and the Express app. */
export async function createService(options: ServiceOptions) {
  const metrics = new ServiceMetrics({ outboxCounts: () => outboxCounts(options.database.db), processMetrics: options.processMetrics });
  // Every query the service makes is timed, the engine's commits included.
  const database = timedDatabase(options.database, metrics.query);
  const runtime = await createRuntime({
    database,
    clock: options.clock,
    clockStart: options.clockStart,
    cacheCapacity: options.cacheCapacity ?? SERVICE_CACHE_CAPACITY,
    onTimerFired: metrics.timerFired,
  });
  const processor = options.processor ?? new StandInProcessor();
  const log: ServerContext['log'] = options.log ?? (() => undefined);
  const dispatcher = new OutboxDispatcher({
    clock: runtime.clock,
    concurrency: options.outboxConcurrency,
    store: {
      due: async (nowMs, limit, kind) =>
        (await claimDueOutbox(database, { kind, nowMs, limit, claim: { owner: runtime.owner, untilMs: Date.now() + OUTBOX_LEASE_MS }, wallNowMs: Date.now() })).map(
          (r): OutboxRow => ({ id: r.id, kind: r.kind, instanceId: r.instance_id, payload: JSON.parse(r.payload), attempts: r.attempts, createdAt: r.created_at }),
        ),
      record: (outcomes) => recordOutboxOutcomes(database, outcomes),
    },
    handlers: {
      webhook: webhookHandler(database, runtime.clock, options.webhookTimeoutMs),
      charge: chargeHandler({ database, engine: runtime.engine, processor, clock: runtime.clock }),
    },
    onError: (row, error) => log('warn', 'outbox attempt failed', { outboxId: row.id, kind: row.kind, attempts: row.attempts + 1, error: String(error) }),
    onFault: (error) => log('error', 'outbox dispatcher failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    onOutcome: (row, outcome) => metrics.delivery(row.kind, outcome),
  });
  runtime.engine.onCommit(metrics.committed);
  // The first attempt comes right after the commit that wrote the row, handed over in memory.
  runtime.engine.onCommit((results) => {
    const rows = results.flatMap((r) => r.changeset.outbox.map((o): OutboxRow => ({ ...o, attempts: 0 })));
    if (rows.length > 0) dispatcher.offer(rows);
  });
  const ctx: ServerContext = {
    runtime,
    database,
    dispatcher,
    processor,
    rateLimit: options.rateLimit ?? 1200,
    log,
    metrics,
    metricsAccess: options.metricsAccess ?? 'loopback',
  };
  const app = createApp(ctx);
  // With the system clock, retries come due as time passes; with the manual clock, advance runs them.
  let poller: NodeJS.Timeout | undefined;
  if (options.clock === 'system') {
    runtime.scheduler.start();
    poller = setInterval(() => dispatcher.kick(), 1000);
    poller.unref();
  }
  dispatcher.kick();
  return {
    ctx,
    app,
    /**
     * Stop the scheduler, wait for in-flight commits, then stop the dispatcher (aborting
     * webhook attempts under way: their rows stay due for the next start). The database
     * stays open.
     */
    async stop() {
      clearInterval(poller);
      await runtime.stop();
      await dispatcher.stop();
    },
  };
}
