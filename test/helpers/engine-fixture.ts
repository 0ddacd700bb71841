import type { Database } from '../../storage/database.js';
import type { Runtime } from '../../engine/runtime.js';
import { createRuntime } from '../../engine/runtime.js';
import type { PlanTerms } from '../../machines/index.js';
import { activationIdOf } from '../../machines/index.js';
import { newId } from '../../engine/ids.js';

/** 1 January 2026, 00:00 UTC: where the tests' manual clocks start. */
export const T0 = Date.parse('2026-01-01T00:00:00.000Z');
export const DAY = 24 * 60 * 60 * 1000;

export const PER_LICENSE: PlanTerms = {
  appName: 'Sketchbook',
  planName: 'Team',
  pricingModel: 'per-license',
  billingTerm: 'P1M',
  price: { amount: 1000, currency: 'USD' },
  minQuantity: 1,
  maxQuantity: 50,
};

export const FLAT: PlanTerms = { ...PER_LICENSE, planName: 'Site', pricingModel: 'flat', price: { amount: 50_000, currency: 'USD' } };

/** A runtime on a manual clock at T0 (or wherever the database's clock was left). */
export function manualRuntime(database: Database, extra: Partial<Parameters<typeof createRuntime>[0]> = {}): Promise<Runtime> {
  return createRuntime({ database, clock: 'manual', clockStart: T0, ...extra });
}

/** Place a direct purchase of one line; returns the new subscription's id. */
export async function buySubscription(runtime: Runtime, options: { plan?: PlanTerms; quantity?: number | null; tenantId?: string } = {}): Promise<string> {
  const plan = options.plan ?? PER_LICENSE;
  const subscriptionId = newId('sub');
  const purchaseId = newId('pur');
  await runtime.engine.create(
    'purchase',
    purchaseId,
    {
      id: purchaseId,
      channel: 'direct',
      source: 'appsource',
      tenantId: options.tenantId ?? 'ten_1',
      partnerId: null,
      lines: [
        {
          appId: 'app_1',
          planId: 'pln_1',
          publisherId: 'pub_1',
          plan,
          quantity: options.quantity === undefined ? (plan.pricingModel === 'flat' ? null : 5) : options.quantity,
          subscriptionId,
        },
      ],
      expiresAt: null,
      billingProfileId: 'bp_1',
      replaces: null,
    },
    'usr_admin',
  );
  return subscriptionId;
}

/** Open the portal, resolve the token and activate: the subscription becomes active. */
export async function activate(runtime: Runtime, subscriptionId: string): Promise<void> {
  const tokenHash = `hash-${subscriptionId}`;
  await runtime.engine.send(subscriptionId, { type: 'OPEN_PUBLISHER_PORTAL', tokenHash }, { principalId: 'usr_admin' });
  await runtime.engine.send(activationIdOf(subscriptionId), { type: 'RESOLVE', tokenHash }, { principalId: 'pub_key' });
  await runtime.engine.send(subscriptionId, { type: 'ACTIVATE' }, { principalId: 'pub_key' });
}
