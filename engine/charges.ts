import type { InvoiceContext } from '../machines/index.js';
import { isExpired } from '../machines/index.js';
import { findBillingProfiles } from '../storage/billing-profiles.repository.js';
import type { Database } from '../storage/database.js';
import type { BillingProfileRow } from '../storage/tables.js';
import type { Clock } from './clock.js';
import type { DurableEngine } from './durable-engine.js';
import { EventRefusedError } from './errors.js';
import { LoadCoalescer } from './load-coalescer.js';
import type { Handler } from './outbox.js';
import type { CardOnFile, ChargeResult, PaymentProcessor } from './payment-processor.js';

/** A stored payment method (API.md: `{ type, brand, last4, expMonth, expYear }` or `{ type }`). */
export type StoredPaymentMethod = { type: 'credit-card'; brand: string; last4: string; expMonth: number; expYear: number } | { type: 'check-wire' };

/** The card on a profile (undefined: the profile is gone), or why there is none to charge. */
export function cardOnFile(profile: BillingProfileRow | undefined, nowMs: number): CardOnFile | { none: string } {
  if (!profile) return { none: 'the billing profile no longer exists' };
  const method = JSON.parse(profile.payment_method) as StoredPaymentMethod;
  if (method.type !== 'credit-card') return { none: 'this billing profile pays by check or wire transfer' };
  if (isExpired(method.expMonth, method.expYear, nowMs)) return { none: 'the card on file has expired' };
  return method;
}

/** Charge an invoice's card and record the outcome on the invoice (PAYMENT_SUCCEEDED or PAYMENT_DECLINED). */
export async function chargeInvoice(
  deps: { database: Database; engine: DurableEngine; processor: PaymentProcessor; clock: Clock },
  invoice: InvoiceContext,
  card: CardOnFile,
  idempotencyKey: string,
  principalId: string,
): Promise<ChargeResult> {
  const result = await deps.processor.charge({ card, amount: invoice.total, idempotencyKey, description: `Invoice ${invoice.id}` });
  const event = result.ok ? { type: 'PAYMENT_SUCCEEDED', reference: result.reference } : { type: 'PAYMENT_DECLINED', reason: result.reason };
  await deps.engine.send(invoice.id, event, { principalId });
  return result;
}

/**
 * The outbox handler for `charge` rows: credit-card profiles are charged at issue; a
 * check-wire invoice waits for the operator to record its payment. An invoice that is no
 * longer open (paid, void) is left alone.
 */
export function chargeHandler(deps: { database: Database; engine: DurableEngine; processor: PaymentProcessor; clock: Clock }): Handler {
  // The charges of one commit arrive together, and most share a handful of profiles.
  const profiles = new LoadCoalescer((ids) => findBillingProfiles(deps.database.reader, ids));
  return async (row) => {
    const invoice = await deps.engine.get(row.instanceId);
    if (!invoice || invoice.persisted.value !== 'open') return;
    const context = invoice.persisted.context as unknown as InvoiceContext;
    const profile = (await profiles.load([context.billingProfileId])).get(context.billingProfileId);
    const card = cardOnFile(profile, deps.clock.now());
    if ('none' in card) return;
    try {
      await chargeInvoice(deps, context, card, `${context.id}:issue`, 'system');
    } catch (error) {
      // Paid or voided meanwhile: the charge's outcome has nowhere to go, and that is fine.
      if (!(error instanceof EventRefusedError)) throw error;
    }
  };
}
