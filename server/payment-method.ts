import type { z } from 'zod';
import type { StoredPaymentMethod } from '../engine/charges.js';
import { brandOf, isExpired, passesLuhn } from '../machines/index.js';
import { invalidField } from './validate.js';
import type { paymentMethodInput } from './validators.js';

/** A payment method as a request gives it (the card number already stripped of spaces and dashes). */
export type PaymentMethodInput = z.output<typeof paymentMethodInput>;

/**
 * What is kept of a payment method (SPEC §6): a card's brand, last 4 digits and expiry,
 * never its number. A card failing the Luhn check, or expired at `nowMs` (the service
 * clock, so that a manual clock decides expiry in tests and demos), is a 422. Error
 * messages never echo the number, since problem documents may be logged by clients.
 */
export function storedPaymentMethod(input: PaymentMethodInput, nowMs: number): StoredPaymentMethod {
  if (input.type === 'check-wire') return { type: 'check-wire' };
  if (!passesLuhn(input.number)) throw invalidField('paymentMethod.number', 'not a valid card number (it fails the Luhn check)');
  if (isExpired(input.expMonth, input.expYear, nowMs)) {
    // Point at the field to correct: the year when it is already over, else the month.
    const yearOver = input.expYear < new Date(nowMs).getUTCFullYear();
    throw invalidField(yearOver ? 'paymentMethod.expYear' : 'paymentMethod.expMonth', `the card expired at the end of ${input.expMonth}/${input.expYear}`);
  }
  return { type: 'credit-card', brand: brandOf(input.number), last4: input.number.slice(-4), expMonth: input.expMonth, expYear: input.expYear };
}

/** The API view of a stored payment method; fields are picked one by one so nothing else stored can leak. */
export function paymentMethodView(stored: StoredPaymentMethod): StoredPaymentMethod {
  if (stored.type === 'check-wire') return { type: 'check-wire' };
  return { type: 'credit-card', brand: stored.brand, last4: stored.last4, expMonth: stored.expMonth, expYear: stored.expYear };
}
