import type { Money } from './money.js';
import type { RefusalCode } from './refusal-codes.js';

export type PricingModel = 'flat' | 'per-license';
export type BillingTerm = 'P1M' | 'P1Y';

export const PRICING_MODELS: readonly PricingModel[] = ['flat', 'per-license'];
export const BILLING_TERMS: readonly BillingTerm[] = ['P1M', 'P1Y'];
export const DEFAULT_MIN_QUANTITY = 1;
export const DEFAULT_MAX_QUANTITY = 100_000;

/** What a subscription keeps of its plan: the terms it was bought on. */
export interface PlanTerms {
  readonly appName: string;
  readonly planName: string;
  readonly pricingModel: PricingModel;
  readonly billingTerm: BillingTerm;
  /** Per period for `flat`, per license and period for `per-license`. */
  readonly price: Money;
  readonly minQuantity: number;
  readonly maxQuantity: number;
}

/** Why a quantity does not fit a plan, or null when it does (SPEC §2, API.md Purchases). */
export function quantityRefusal(plan: Pick<PlanTerms, 'pricingModel' | 'minQuantity' | 'maxQuantity'>, quantity: number | null | undefined): RefusalCode | null {
  if (plan.pricingModel === 'flat') return quantity === null || quantity === undefined ? null : 'validation_failed';
  if (quantity === null || quantity === undefined || !Number.isInteger(quantity)) return 'validation_failed';
  return quantity < plan.minQuantity || quantity > plan.maxQuantity ? 'quantity_out_of_range' : null;
}

const MONTHS_PER_TERM: Readonly<Record<BillingTerm, number>> = { P1M: 1, P1Y: 12 };

/**
 * The end of the `n`-th term counted from `anchor` (n = 1 is the first term's end).
 * Terms are counted from the anchor rather than chained, so a subscription started on
 * 31 January ends its terms on 28 February, 31 March, 30 April…, never drifting to the 28th.
 */
export function termBoundary(anchor: string, term: BillingTerm, n: number): string {
  const start = new Date(anchor);
  const months = start.getUTCMonth() + MONTHS_PER_TERM[term] * n;
  const year = start.getUTCFullYear() + Math.floor(months / 12);
  const month = ((months % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(start.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(year, month, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds()),
  ).toISOString();
}
