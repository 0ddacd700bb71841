import type { OutboxDispatcher } from '../engine/outbox.js';
import type { PaymentProcessor } from '../engine/payment-processor.js';
import type { Runtime } from '../engine/runtime.js';
import type { Database } from '../storage/database.js';
import type { MetricsAccess } from './metrics-endpoint.js';
import type { ServiceMetrics } from './metrics.js';

/** What every route may use: the runtime and the services around it. */
export interface ServerContext {
  readonly runtime: Runtime;
  readonly database: Database;
  readonly dispatcher: OutboxDispatcher;
  readonly processor: PaymentProcessor;
  /** Requests per minute per principal; 0 turns the limit off. */
  readonly rateLimit: number;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
  readonly metrics: ServiceMetrics;
  /** Who may read `GET /metrics`. */
  readonly metricsAccess: MetricsAccess;
}
