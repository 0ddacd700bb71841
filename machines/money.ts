/** An amount in integer minor units of an ISO 4217 currency. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** Money of the given minor units. */
export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be an integer, got ${amount}`);
  return { amount, currency };
}

/** The sum of amounts in one currency. */
export function sum(amounts: readonly Money[], currency: string): Money {
  let total = 0;
  for (const m of amounts) {
    if (m.currency !== currency) throw new RangeError(`cannot add ${m.currency} to ${currency}`);
    total += m.amount;
  }
  return money(total, currency);
}

/** numerator / denominator rounded half up, for non-negative integers. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  if (numerator < 0n) throw new RangeError('numerator must not be negative');
  return (2n * numerator + denominator) / (2n * denominator);
}

/**
 * The charge for `addedSeats` from `now` to the end of the term (SPEC §5):
 * round_half_up(unit price × added seats × (termEnd − now) / (termEnd − termStart)), in ms.
 * BigInt keeps the product exact: a price times a year in ms overflows 2^53.
 */
export function prorate(unitPrice: Money, addedSeats: number, termStartMs: number, termEndMs: number, nowMs: number): Money {
  const remaining = BigInt(Math.max(0, termEndMs - nowMs));
  const length = BigInt(termEndMs - termStartMs);
  const amount = divideRoundHalfUp(BigInt(unitPrice.amount) * BigInt(addedSeats) * remaining, length);
  return money(Number(amount), unitPrice.currency);
}
