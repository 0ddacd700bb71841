import type { Runtime } from '../engine/runtime.js';
import { newId } from '../engine/ids.js';
import type { PlanTerms } from '../machines/index.js';
import { activationIdOf, invoiceIdOf } from '../machines/index.js';
import { runConcurrently } from './concurrent.js';

/** A seat-based plan: CHANGE_QUANTITY is allowed between 1 and 50 seats. */
export const BENCH_PLAN: PlanTerms = {
  appName: 'Bench',
  planName: 'Seats',
  pricingModel: 'per-license',
  billingTerm: 'P1M',
  price: { amount: 1000, currency: 'USD' },
  minQuantity: 1,
  maxQuantity: 50,
};

const ADMIN = 'usr_bench_admin';
const PUBLISHER = 'pub_bench_key';

/**
 * Creates `count` subscriptions through the engine, as the API would (a direct purchase,
 * then portal, token and activation), `concurrency` at a time. They start at the plan's
 * maximum so that a run of decreases has room. Returns their ids.
 */
export async function createActiveSubscriptions(runtime: Runtime, count: number, concurrency: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => newId('sub'));
  const purchaseIds = ids.map(() => newId('pur'));
  await learnAbsent(runtime, [...purchaseIds, ...ids.flatMap((id) => [id, activationIdOf(id), invoiceIdOf(id, 1)])]);
  await runConcurrently(count, concurrency, async (index) => {
    const subscriptionId = ids[index]!;
    await buy(runtime, purchaseIds[index]!, subscriptionId);
    await activate(runtime, subscriptionId);
  });
  return ids;
}

async function buy(runtime: Runtime, purchaseId: string, subscriptionId: string): Promise<void> {
  const line = { appId: 'app_bench', planId: 'pln_bench', publisherId: 'pub_bench', plan: BENCH_PLAN, quantity: BENCH_PLAN.maxQuantity, subscriptionId };
  const input = { id: purchaseId, channel: 'direct', source: 'appsource', tenantId: 'ten_bench', partnerId: null, lines: [line], expiresAt: null, billingProfileId: 'bp_bench', replaces: null };
  await runtime.engine.create('purchase', purchaseId, input, ADMIN);
}

/**
 * Tells the engine that the instances setup will create do not exist yet. A creation
 * first checks that its id is free, and an id the engine has not seen is a read queued
 * behind the commit in progress: three waits in a row for each purchase (purchase,
 * subscription, handoff) and one for the activation's invoice. Asking for all of them
 * at once, a few hundred ids per query, lets the engine remember them as absent.
 */
async function learnAbsent(runtime: Runtime, ids: readonly string[]): Promise<void> {
  const found = await runtime.engine.getMany(ids);
  if (found.length > 0) throw new Error(`${found.length} of the new ids already exist`);
}

async function activate(runtime: Runtime, subscriptionId: string): Promise<void> {
  const tokenHash = `hash-${subscriptionId}`;
  await runtime.engine.send(subscriptionId, { type: 'OPEN_PUBLISHER_PORTAL', tokenHash }, { principalId: ADMIN });
  await runtime.engine.send(activationIdOf(subscriptionId), { type: 'RESOLVE', tokenHash }, { principalId: PUBLISHER });
  await runtime.engine.send(subscriptionId, { type: 'ACTIVATE' }, { principalId: PUBLISHER });
}
