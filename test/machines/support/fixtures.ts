import type { ActivationInput } from '../../../machines/activation.machine.js';
import type { PlanTerms } from '../../../machines/catalog.js';
import type { InvoiceInput, InvoiceLine } from '../../../machines/invoice.machine.js';
import type { Channel, PurchaseInput, PurchaseLine } from '../../../machines/purchase.machine.js';
import type { SubscriptionInput } from '../../../machines/subscription.machine.js';

export const T0 = '2025-01-01T00:00:00.000Z';

/** An ISO time `days` (and `hours`) after `iso`. */
export function after(iso: string, days: number, hours = 0): string {
  return new Date(Date.parse(iso) + ((days * 24 + hours) * 60 * 60 * 1000)).toISOString();
}

export const seatPlan: PlanTerms = {
  appName: 'Contoso Sign',
  planName: 'Team',
  pricingModel: 'per-license',
  billingTerm: 'P1Y',
  price: { amount: 1200, currency: 'USD' },
  minQuantity: 1,
  maxQuantity: 5,
};

export const sitePlan: PlanTerms = {
  appName: 'Contoso Wiki',
  planName: 'Site',
  pricingModel: 'flat',
  billingTerm: 'P1M',
  price: { amount: 9900, currency: 'EUR' },
  minQuantity: 1,
  maxQuantity: 100_000,
};

/** A subscription's input; a per-license plan gets a quantity of 2 unless told. */
export function subscriptionInput(plan: PlanTerms = seatPlan, overrides: Partial<SubscriptionInput> = {}): SubscriptionInput {
  return {
    id: 'sub_1',
    tenantId: 'ten_1',
    appId: 'app_1',
    planId: 'plan_1',
    publisherId: 'pub_1',
    purchaseId: 'pur_1',
    channel: 'direct',
    plan,
    quantity: plan.pricingModel === 'flat' ? null : 2,
    billingProfileId: 'bp_1',
    replaces: null,
    at: T0,
    ...overrides,
  };
}

export const purchaseLines: readonly PurchaseLine[] = [
  { appId: 'app_1', planId: 'plan_1', publisherId: 'pub_1', plan: seatPlan, quantity: 3, subscriptionId: 'sub_a' },
  { appId: 'app_2', planId: 'plan_2', publisherId: 'pub_2', plan: sitePlan, quantity: null, subscriptionId: 'sub_b' },
];

/** A purchase's input for a channel: direct purchases come with their billing profile, proposals with an expiry. */
export function purchaseInput(channel: Channel, overrides: Partial<PurchaseInput> = {}): PurchaseInput {
  return {
    id: 'pur_1',
    channel,
    source: channel === 'direct' ? 'appsource' : null,
    tenantId: 'ten_1',
    partnerId: channel === 'partner' ? 'par_1' : null,
    lines: channel === 'proposal' ? purchaseLines : purchaseLines.slice(0, 1),
    expiresAt: channel === 'proposal' ? after(T0, 14) : null,
    billingProfileId: channel === 'direct' ? 'bp_1' : null,
    replaces: null,
    at: T0,
    ...overrides,
  };
}

export function activationInput(overrides: Partial<ActivationInput> = {}): ActivationInput {
  return { id: 'act_1', subscriptionId: 'sub_1', publisherId: 'pub_1', at: T0, ...overrides };
}

export function invoiceLine(amount: number, currency = 'USD'): InvoiceLine {
  return { description: 'Contoso Sign — Team', quantity: 1, amount: { amount, currency }, periodStart: T0, periodEnd: after(T0, 365) };
}

export function invoiceInput(overrides: Partial<InvoiceInput> = {}): InvoiceInput {
  return {
    id: 'inv_1_1',
    subscriptionId: 'sub_1',
    tenantId: 'ten_1',
    billingProfileId: 'bp_1',
    lines: [invoiceLine(2400), invoiceLine(150)],
    issuedAt: T0,
    at: T0,
    ...overrides,
  };
}
