import { describe, expect } from 'vitest';
import { DEFAULT_CONCURRENCY } from '../../engine/outbox.js';
import { BACKENDS } from '../helpers/databases.js';
import { activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { serverTest } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createWorld } from '../helpers/world.js';
import type { World } from '../helpers/world.js';

const EVENTS = 1000;

interface Run {
  readonly statuses: number[];
  readonly ms: number[];
}

/** `count` quantity changes, one after the other, each timed from request to answer. */
async function changes(world: World, subscriptionId: string, count: number): Promise<Run> {
  const run: Run = { statuses: [], ms: [] };
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const res = await world.admin.post(`/api/subscriptions/${subscriptionId}/events`, { type: 'CHANGE_QUANTITY', quantity: 6 + (i % 2) });
    run.ms.push(performance.now() - start);
    run.statuses.push(res.status);
  }
  return run;
}

function summary(ms: readonly number[]): { mean: number; p95: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { mean: sorted.reduce((s, x) => s + x, 0) / sorted.length, p95: sorted[Math.floor(sorted.length * 0.95)]! };
}

async function webhookRows(server: TestServer, subscriptionId: string) {
  return server.database.db.selectFrom('outbox').select(['status', 'attempts']).where('kind', '=', 'webhook').where('instance_id', '=', subscriptionId).execute();
}

for (const backend of BACKENDS) {
  // eslint-disable-next-line no-empty-pattern
  const test = serverTest(backend).extend('receiver', async ({}, { onCleanup }) => {
    const receiver = await WebhookReceiver.start();
    onCleanup(() => receiver.close());
    return receiver;
  });

  describe(`${backend}: a receiver that hangs`, () => {
    // Latency is measured and printed, never asserted: a shared machine's timing is no
    // test. What is asserted is what must hold however fast the machine is.
    test(`${EVENTS} events while the receiver hangs: every request is answered, the deliveries wait, and no more than the bound are attempted at once`, { timeout: 300_000 }, async ({ server, receiver }) => {
      const world = await createWorld(server, { webhookUrl: receiver.url });
      const profile = await createProfile(world, { type: 'check-wire' });
      // One subscription per run, created alike, so that neither run pays for the other's history.
      const [healthyId, hangingId] = [await buyDirect(world, profile, 5), await buyDirect(world, profile, 5)];
      await activateViaPortal(world, healthyId);
      await activateViaPortal(world, hangingId);
      await receiver.until('both activations', () => receiver.delivered.length === 2);
      await changes(world, healthyId, 100); // warm-up: the first requests pay for compiling code paths
      await receiver.until('the warm-up deliveries', () => receiver.delivered.length === 102);

      const healthy = await changes(world, healthyId, EVENTS);
      await receiver.until('every delivery of the healthy run', () => receiver.delivered.length === 102 + EVENTS, 60_000);
      receiver.mode = 'hang';
      const hanging = await changes(world, hangingId, EVENTS);

      expect(new Set([...healthy.statuses, ...hanging.statuses])).toEqual(new Set([200]));
      expect((await webhookRows(server, healthyId)).every((r) => r.status === 'delivered')).toBe(true);
      // Every delivery of the hanging run is still to be made (or retried): none lost, none failed.
      const waiting = await webhookRows(server, hangingId);
      expect(waiting).toHaveLength(EVENTS + 1);
      expect(waiting.filter((r) => r.status === 'pending')).toHaveLength(EVENTS);
      // The receiver was tried, but never with more requests open at once than the bound.
      expect(receiver.requests.some((r) => r.status === null)).toBe(true);
      expect(receiver.maxOpen).toBeLessThanOrEqual(DEFAULT_CONCURRENCY);
      await server.http().get('/healthz').expect(200);

      const ok = summary(healthy.ms);
      const hung = summary(hanging.ms);
      console.log(
        `[${backend}] ${EVENTS} CHANGE_QUANTITY requests, receiver hanging vs healthy: ` +
          `mean ${hung.mean.toFixed(2)} ms vs ${ok.mean.toFixed(2)} ms (ratio ${(hung.mean / ok.mean).toFixed(2)}), ` +
          `p95 ${hung.p95.toFixed(2)} ms vs ${ok.p95.toFixed(2)} ms (ratio ${(hung.p95 / ok.p95).toFixed(2)}); ` +
          `most webhook requests open at once: ${receiver.maxOpen}`,
      );
    });
  });
}
