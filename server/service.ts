import { chargeHandler } from '../engine/charges.js';
import { OutboxDispatcher } from '../engine/outbox.js';
import type { OutboxRow } from '../engine/outbox.js';
import type { PaymentProcessor } from '../engine/payment-processor.js';
import { StandInProcessor } from '../engine/payment-processor.js';
import { createRuntime } from '../engine/runtime.js';
import { webhookHandler } from '../engine/webhook-delivery.js';
import type { Database } from '../storage/database.js';
import { dueOutbox, markDelivered, markFailed, scheduleRetry } from '../storage/outbox.repository.js';
import { createApp } from './app.js';
import type { ServerContext } from './context.js';

export interface ServiceOptions {
  readonly database: Database;
  readonly clock: 'system' | 'manual';
  readonly clockStart?: number;
  readonly rateLimit?: number;
  readonly processor?: PaymentProcessor;
  readonly log?: ServerContext['log'];
  readonly webhookTimeoutMs?: number;
}

/** The whole service over a database: runtime, outbox dispatcher and the Express app. */
export async function createService(options: ServiceOptions) {
  const { database } = options;
  const runtime = await createRuntime({ database, clock: options.clock, clockStart: options.clockStart });
  const processor = options.processor ?? new StandInProcessor();
  const log: ServerContext['log'] = options.log ?? (() => undefined);
  const dispatcher = new OutboxDispatcher({
    clock: runtime.clock,
    store: {
      due: async (nowMs, limit) =>
        (await dueOutbox(database.db, nowMs, limit)).map(
          (r): OutboxRow => ({ id: r.id, kind: r.kind, instanceId: r.instance_id, payload: JSON.parse(r.payload), attempts: r.attempts, createdAt: r.created_at }),
        ),
      delivered: (id, at) => markDelivered(database.db, id, at),
      retryLater: (id, attempts, next, error) => scheduleRetry(database.db, id, attempts, next, error),
      failed: (id, attempts, error) => markFailed(database.db, id, attempts, error),
    },
    handlers: {
      webhook: webhookHandler(database, runtime.clock, options.webhookTimeoutMs),
      charge: chargeHandler({ database, engine: runtime.engine, processor, clock: runtime.clock }),
    },
    onError: (row, error) => log('warn', 'outbox attempt failed', { outboxId: row.id, kind: row.kind, error: String(error) }),
  });
  // The first attempt comes right after the commit that wrote the row.
  runtime.engine.onCommit((results) => {
    if (results.some((r) => r.changeset.outbox.length > 0)) dispatcher.kick();
  });
  const ctx: ServerContext = { runtime, database, dispatcher, processor, rateLimit: options.rateLimit ?? 1200, log };
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
    /** Stop the scheduler and dispatcher and wait for in-flight commits; the database stays open. */
    async stop() {
      clearInterval(poller);
      await runtime.stop();
      await dispatcher.stop();
    },
  };
}
