import { hostname } from 'node:os';
import type { Database } from '../storage/database.js';
import { readClock, saveClock } from '../storage/clock.repository.js';
import type { Clock } from './clock.js';
import { ManualClock, SystemClock } from './clock.js';
import { DurableEngine } from './durable-engine.js';
import type { EngineStore } from './engine-store.js';
import { newId } from './ids.js';
import type { InstanceRecord } from './instance.js';
import { sqlEngineStore } from './sql-store.js';
import { TimerScheduler } from './timers.js';
import { subscriptionView } from './views.js';

export interface RuntimeOptions {
  readonly database: Database;
  readonly clock: 'system' | 'manual';
  /** With the manual clock on a database that has no stored time: where it starts (ms). */
  readonly clockStart?: number;
  readonly cacheCapacity?: number;
  readonly maxBatch?: number;
  /** Replace the store (tests inject failures through it). */
  readonly wrapStore?: (store: EngineStore) => EngineStore;
  /** Told of each timer as it fires, with its lag in ms (metrics). */
  readonly onTimerFired?: (lagMs: number) => void;
}

/** The durable runtime over one database: engine, clock and timer scheduler. */
export interface Runtime {
  readonly database: Database;
  readonly engine: DurableEngine;
  readonly clock: Clock;
  readonly scheduler: TimerScheduler;
  readonly store: EngineStore;
  /** This process's name in claims of timers and outbox rows. */
  readonly owner: string;
  /** Manual clock: move to `toMs`, firing every timer due by then in order. */
  advance(toMs: number): Promise<{ now: number; fired: number }>;
  /** Wait for in-flight commits and stop the scheduler (the database stays open). */
  stop(): Promise<void>;
}

/** Build the runtime; with the manual clock its time resumes where it was stored. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { database } = options;
  let clock: Clock;
  if (options.clock === 'manual') {
    const stored = await readClock(database.db);
    const start = stored ?? options.clockStart ?? Date.now();
    if (stored === undefined) await saveClock(database.db, start);
    clock = new ManualClock(start, (ms) => saveClock(database.db, ms));
  } else {
    clock = new SystemClock();
  }
  // Names this process in timer and outbox claims, so that several processes never take one row at once.
  const owner = `${hostname()}:${process.pid}:${newId('proc')}`;
  const soleWriter = database.dialect === 'sqlite';
  const base = sqlEngineStore(database, soleWriter ? null : owner);
  const store = options.wrapStore ? options.wrapStore(base) : base;
  const engine = new DurableEngine({
    store,
    clock,
    newId,
    webhookData: (record: InstanceRecord) => subscriptionView(record),
    soleWriter,
    cacheCapacity: options.cacheCapacity,
    maxBatch: options.maxBatch,
  });
  const onTimerFired = options.onTimerFired;
  const scheduler = new TimerScheduler({
    engine,
    store,
    clock,
    owner,
    onFire: onTimerFired && ((_timer, lagMs) => onTimerFired(lagMs)),
  });
  return {
    database,
    engine,
    clock,
    scheduler,
    store,
    owner,
    async advance(toMs) {
      const fired = await scheduler.advance(toMs);
      return { now: clock.now(), fired };
    },
    async stop() {
      await scheduler.stop();
      await engine.drain();
    },
  };
}
