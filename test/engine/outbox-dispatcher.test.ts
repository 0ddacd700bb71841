import { describe, expect, test } from 'vitest';
import type { Clock } from '../../engine/clock.js';
import type { AttemptRecord, Handler, OutboxKind, OutboxRow, OutboxStore } from '../../engine/outbox.js';
import { OutboxDispatcher } from '../../engine/outbox.js';

const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const clock: Clock = { mode: 'manual', now: () => NOW };

interface Stored extends OutboxRow {
  status: 'pending' | 'delivered' | 'failed';
  next: number;
}

/** An outbox in memory; `hold` makes the next look at it read now and answer only when released. */
class MemoryOutbox implements OutboxStore {
  readonly rows = new Map<string, Stored>();
  private held: Promise<void> | null = null;
  /** How many times the dispatcher looked for due rows. */
  looks = 0;
  /**
   * Rows a look has read, hidden from later looks while pending: as on PostgreSQL when
   * another process's claim holds their locks (SKIP LOCKED passes them by), though they
   * are claimed for this one. Set `readOnce` to look at the store that way.
   */
  private readonly read = new Set<string>();
  readOnce = false;

  add(kind: OutboxKind, count: number, prefix: string = kind): string[] {
    return Array.from({ length: count }, (_, i) => {
      const id = `${prefix}_${String(this.rows.size + i).padStart(4, '0')}`;
      this.rows.set(id, { id, kind, instanceId: 'sub_1', payload: {}, attempts: 0, createdAt: new Date(NOW).toISOString(), status: 'pending', next: NOW });
      return id;
    });
  }

  hold(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    return release;
  }

  async due(nowMs: number, limit: number, kind: OutboxKind): Promise<OutboxRow[]> {
    this.looks++;
    const rows = [...this.rows.values()]
      .filter((r) => r.kind === kind && r.status === 'pending' && r.next <= nowMs && !(this.readOnce && this.read.has(r.id)))
      .slice(0, limit)
      .map((r) => ({ ...r }));
    for (const row of rows) this.read.add(row.id);
    const held = this.held;
    this.held = null;
    if (held) await held;
    return rows;
  }
  /** Every call to record, as the number of outcomes it carried. */
  readonly writes: number[] = [];
  /** While set, outcomes are written only when it resolves. */
  writesHeld: Promise<void> | null = null;
  async record(outcomes: readonly AttemptRecord[]): Promise<void> {
    this.writes.push(outcomes.length);
    await tick();
    if (this.writesHeld) await this.writesHeld;
    for (const o of outcomes) {
      const row = this.rows.get(o.id)!;
      if (o.outcome === 'delivered') row.status = 'delivered';
      else if (o.outcome === 'retry') Object.assign(row, { attempts: o.attempts, next: o.nextAttemptMs });
      else Object.assign(row, { attempts: o.attempts, status: 'failed' });
    }
  }
}

/** A handler whose attempts hang until released (or aborted), counting how many are open. */
function gatedHandler() {
  const state = { open: 0, maxOpen: 0, calls: [] as string[], release: () => {} };
  const gate = new Promise<void>((resolve) => (state.release = resolve));
  const handler: Handler = async (row, signal) => {
    state.calls.push(row.id);
    state.open++;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    try {
      await new Promise<void>((resolve, reject) => {
        void gate.then(resolve);
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    } finally {
      state.open--;
    }
  };
  return { state, handler };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const settle = async () => {
  for (let i = 0; i < 20; i++) await tick();
};

describe('outbox dispatcher', () => {
  test('no more than `concurrency` attempts of a kind run at once; the rest follow as slots free', async () => {
    const store = new MemoryOutbox();
    store.add('webhook', 50);
    const webhooks = gatedHandler();
    const dispatcher = new OutboxDispatcher({ store, clock, concurrency: 4, handlers: { webhook: webhooks.handler, charge: async () => {} } });
    dispatcher.kick();
    await settle();
    expect(webhooks.state.open).toBe(4);
    webhooks.state.release();
    await dispatcher.runDue();
    expect(webhooks.state.maxOpen).toBe(4);
    expect(new Set(webhooks.state.calls).size).toBe(50);
    expect([...store.rows.values()].every((r) => r.status === 'delivered')).toBe(true);
  });

  test('rows a look read beyond its free slots are attempted without being read again', async () => {
    const store = new MemoryOutbox();
    store.readOnce = true;
    const ids = store.add('webhook', 30);
    const attempted: string[] = [];
    const webhook: Handler = async (row) => {
      attempted.push(row.id);
      await tick();
    };
    const dispatcher = new OutboxDispatcher({ store, clock, concurrency: 3, handlers: { webhook, charge: async () => {} } });
    await dispatcher.runDue();
    expect(attempted.sort()).toEqual(ids);
    expect([...store.rows.values()].every((r) => r.status === 'delivered')).toBe(true);
  });

  test('attempts that end together are recorded together, in a few writes rather than one each', async () => {
    const store = new MemoryOutbox();
    store.add('webhook', 40);
    const webhooks = gatedHandler();
    const dispatcher = new OutboxDispatcher({ store, clock, concurrency: 40, handlers: { webhook: webhooks.handler, charge: async () => {} } });
    dispatcher.kick();
    await settle();
    webhooks.state.release();
    await dispatcher.runDue();
    expect([...store.rows.values()].every((r) => r.status === 'delivered')).toBe(true);
    expect(store.writes.reduce((a, b) => a + b, 0)).toBe(40);
    // The first ending is written alone; the 39 that end while it is written, in the next write.
    expect(store.writes.length).toBeLessThanOrEqual(3);
  });

  test('rows offered by the commit that wrote them are attempted without a look at the store, and settle sees them through', async () => {
    const store = new MemoryOutbox();
    const ids = store.add('charge', 3);
    const charged: string[] = [];
    const dispatcher = new OutboxDispatcher({ store, clock, handlers: { webhook: async () => {}, charge: async (row) => void charged.push(row.id) } });
    dispatcher.offer(ids.map((id) => ({ ...store.rows.get(id)! })));
    await dispatcher.settle(ids, 60_000);
    expect(charged).toEqual(ids);
    expect(store.looks).toBe(0);
    await dispatcher.runDue();
    expect(ids.map((id) => store.rows.get(id)!.status)).toEqual(['delivered', 'delivered', 'delivered']);
    // Asked after the attempts ended, settle answers at once.
    await dispatcher.settle(ids, 60_000);
  });

  test('settle answers when the handlers are done, without waiting for their outcomes to be written', async () => {
    const store = new MemoryOutbox();
    const ids = store.add('charge', 2);
    let releaseWrites!: () => void;
    store.writesHeld = new Promise<void>((resolve) => (releaseWrites = resolve));
    const dispatcher = new OutboxDispatcher({ store, clock, handlers: { webhook: async () => {}, charge: async () => {} } });
    dispatcher.offer(ids.map((id) => ({ ...store.rows.get(id)! })));
    // A timeout far beyond the test's own: settle must answer because the attempts ended.
    await dispatcher.settle(ids, 3_600_000);
    expect(ids.map((id) => store.rows.get(id)!.status)).toEqual(['pending', 'pending']);
    releaseWrites();
    await dispatcher.runDue();
    expect(ids.map((id) => store.rows.get(id)!.status)).toEqual(['delivered', 'delivered']);
  });

  test('a row that comes due while attempts hang is taken at once, without waiting for a slot to free', async () => {
    const store = new MemoryOutbox();
    store.add('webhook', 1, 'first');
    const webhooks = gatedHandler();
    const dispatcher = new OutboxDispatcher({ store, clock, concurrency: 4, handlers: { webhook: webhooks.handler, charge: async () => {} } });
    dispatcher.kick();
    await settle();
    const [later] = store.add('webhook', 1, 'later');
    dispatcher.kick();
    await settle();
    expect(webhooks.state.calls).toEqual(['first_0000', later]);
    await dispatcher.stop();
  });

  test('webhooks hanging on a dead receiver do not hold up charges', async () => {
    const store = new MemoryOutbox();
    store.add('webhook', 10);
    const webhooks = gatedHandler();
    const charged: string[] = [];
    const dispatcher = new OutboxDispatcher({ store, clock, concurrency: 2, handlers: { webhook: webhooks.handler, charge: async (row) => void charged.push(row.id) } });
    dispatcher.kick();
    await settle();
    const charges = store.add('charge', 3);
    await dispatcher.settle(charges, 60_000);
    expect(charged).toEqual(charges);
    expect(webhooks.state.open).toBe(2);
    await dispatcher.stop();
  });

  test('stopping aborts the attempts under way and leaves their rows due, untouched, for the next start', async () => {
    const store = new MemoryOutbox();
    const ids = store.add('webhook', 3);
    const webhooks = gatedHandler();
    const dispatcher = new OutboxDispatcher({ store, clock, handlers: { webhook: webhooks.handler, charge: async () => {} } });
    dispatcher.kick();
    await settle();
    expect(webhooks.state.open).toBe(3);
    await dispatcher.stop();
    expect(webhooks.state.open).toBe(0);
    expect(ids.map((id) => store.rows.get(id))).toEqual(ids.map(() => expect.objectContaining({ status: 'pending', attempts: 0, next: NOW })));
    dispatcher.kick();
    await settle();
    expect(webhooks.state.calls).toHaveLength(3);
  });

  test('a row read before its outcome was written is not attempted again', async () => {
    const store = new MemoryOutbox();
    const [first] = store.add('webhook', 1);
    const webhooks = gatedHandler();
    const dispatcher = new OutboxDispatcher({ store, clock, handlers: { webhook: webhooks.handler, charge: async () => {} } });
    dispatcher.kick();
    await settle();
    // The next look reads the row as pending, and answers only after its delivery is recorded.
    const release = store.hold();
    dispatcher.kick();
    await settle();
    webhooks.state.release();
    await settle();
    expect(store.rows.get(first!)!.status).toBe('delivered');
    release();
    await dispatcher.runDue();
    expect(webhooks.state.calls).toEqual([first]);
  });

  test('a failed attempt is retried on the schedule, and the outcome of each attempt is reported', async () => {
    const store = new MemoryOutbox();
    const [id] = store.add('webhook', 1);
    const outcomes: string[] = [];
    const dispatcher = new OutboxDispatcher({
      store,
      clock,
      handlers: { webhook: async () => Promise.reject(new Error('receiver answered 503')), charge: async () => {} },
      onOutcome: (_row, outcome) => outcomes.push(outcome),
    });
    await dispatcher.runDue();
    expect(store.rows.get(id!)).toMatchObject({ status: 'pending', attempts: 1, next: NOW + 10_000 });
    expect(outcomes).toEqual(['retry']);
  });
});
