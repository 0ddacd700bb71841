import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventRefusedError } from '../engine/errors.js';
import type { DeliveryOutcome, OutboxKind } from '../engine/outbox.js';
import type { UnitResult } from '../engine/unit-of-work.js';

/** What the outbox gauges read at each scrape. */
export type OutboxCounts = () => Promise<readonly { kind: string; status: string; n: number }[]>;

export interface MetricsOptions {
  /** Read at each scrape, so the gauges are right whoever wrote the rows (another process, a previous run). */
  readonly outboxCounts: OutboxCounts;
  /** Also export the process's own metrics (CPU, memory, event loop lag). */
  readonly processMetrics?: boolean;
}

// Event types come from machines and validated bodies; anything else is folded, so that no
// request can grow the label set.
const label = (value: string) => (/^[A-Za-z0-9_.]{1,64}$/.test(value) ? value : 'other');

/**
 * The service's Prometheus metrics, in a registry of its own (several services may run in
 * one process, as in tests). The only file that knows prom-client.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly eventsAccepted = new Counter({
    name: 'events_accepted_total',
    help: 'Events committed, by machine and event type (xstate.init: an instance created).',
    labelNames: ['machine', 'type'] as const,
    registers: [this.registry],
  });
  private readonly eventsRefused = new Counter({
    name: 'events_refused_total',
    help: 'Events a machine refused, by machine, event type and refusal code.',
    labelNames: ['machine', 'type', 'code'] as const,
    registers: [this.registry],
  });
  private readonly timerLag = new Histogram({
    name: 'timer_lag_seconds',
    help: 'How late durable timers fire: the time they fired minus their due time.',
    buckets: [0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'outbox_deliveries_total',
    help: 'Outbox attempts by kind and outcome (delivered, retry, failed: parked for the operator).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly dbDuration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Database queries by operation (batch: the engine committing a group of units).',
    labelNames: ['operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(options: MetricsOptions) {
    new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox rows waiting to be delivered (pending) or parked after 3 days of failures (failed), by kind.',
      labelNames: ['kind', 'status'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { kind, status, n } of await options.outboxCounts()) this.set({ kind, status }, n);
      },
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** A finished HTTP request; `route` is the pattern (`/api/subscriptions/:id`), never the URL. */
  request(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** Every journal entry of a committed batch is an accepted event. */
  readonly committed = (results: readonly UnitResult[]): void => {
    for (const result of results) {
      for (const entry of result.changeset.journal) {
        const machine = result.touched.get(entry.instanceId)?.machine ?? 'unknown';
        this.eventsAccepted.inc({ machine, type: label(String(entry.event.type)) });
      }
    }
  };

  /** An event a machine refused (counted where refusals become problems). */
  refused(error: EventRefusedError): void {
    this.eventsRefused.inc({ machine: error.machine, type: label(error.eventType), code: error.refusal });
  }

  /** A timer fired `lagMs` after its due time. */
  readonly timerFired = (lagMs: number): void => {
    this.timerLag.observe(Math.max(0, lagMs) / 1000);
  };

  /** An outbox attempt ended. */
  readonly delivery = (kind: OutboxKind, outcome: DeliveryOutcome): void => {
    this.deliveries.inc({ kind, outcome });
  };

  /** A database query (or batch) took `seconds`. */
  readonly query = (operation: string, seconds: number): void => {
    this.dbDuration.observe({ operation }, seconds);
  };

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
