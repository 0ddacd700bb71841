import { newId } from '../engine/ids.js';
import { ManualClock } from '../engine/clock.js';
import type { Runtime } from '../engine/runtime.js';
import { activationIdOf } from '../machines/index.js';
import { runConcurrently } from './concurrent.js';
import { BENCH_PLAN } from './subscriptions.js';

const ADMIN = 'usr_bench_admin';

/**
 * Creates `count` subscriptions through the engine, as the API would (a direct purchase,
 * which creates the subscription and its handoff), and opens the publisher's portal for
 * each: its handoff then holds a token whose expiry is a durable timer (TOKEN_EXPIRED,
 * 24 h after issue). Token i is issued about `spacingMs × i` after the clock's time, so
 * that the timers fall due one after another as a day's portal visits would, not all at
 * one instant. Returns the handoffs' (activation instances') ids.
 */
export async function createIssuedTokens(runtime: Runtime, count: number, concurrency: number, spacingMs: number): Promise<string[]> {
  const clock = runtime.clock;
  if (!(clock instanceof ManualClock)) throw new Error('issuing tokens at chosen times needs the manual clock');
  const subscriptionIds = Array.from({ length: count }, () => newId('sub'));
  const purchaseIds = subscriptionIds.map(() => newId('pur'));
  const activationIds = subscriptionIds.map(activationIdOf);
  // As in createActiveSubscriptions: learning the new ids as absent in a few queries saves
  // each creation a read queued behind the commit under way.
  const found = await runtime.engine.getMany([...purchaseIds, ...subscriptionIds, ...activationIds]);
  if (found.length > 0) throw new Error(`${found.length} of the new ids already exist`);
  const start = clock.now();
  await runConcurrently(count, concurrency, async (index) => {
    const subscriptionId = subscriptionIds[index]!;
    await buy(runtime, purchaseIds[index]!, subscriptionId);
    // In memory only, and never backwards: a token whose purchase was committed after a
    // later one's is issued at that later time.
    clock.moveTo(start + index * spacingMs);
    await runtime.engine.send(subscriptionId, { type: 'OPEN_PUBLISHER_PORTAL', tokenHash: `hash-${subscriptionId}` }, { principalId: ADMIN });
  });
  return activationIds;
}

async function buy(runtime: Runtime, purchaseId: string, subscriptionId: string): Promise<void> {
  const line = { appId: 'app_bench', planId: 'pln_bench', publisherId: 'pub_bench', plan: BENCH_PLAN, quantity: BENCH_PLAN.minQuantity, subscriptionId };
  const input = { id: purchaseId, channel: 'direct', source: 'appsource', tenantId: 'ten_bench', partnerId: null, lines: [line], expiresAt: null, billingProfileId: 'bp_bench', replaces: null };
  await runtime.engine.create('purchase', purchaseId, input, ADMIN);
}
