/** Card brands told apart by their number's prefix. */
export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'unknown';

/** Whether a string of digits passes the Luhn check. */
export function passesLuhn(digits: string): boolean {
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return digits.length > 0 && total % 10 === 0;
}

/** The brand of a card number. */
export function brandOf(digits: string): CardBrand {
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^6(011|5)/.test(digits)) return 'discover';
  return 'unknown';
}

/** Whether a card expiring at the end of month/year has expired at `nowMs`. */
export function isExpired(expMonth: number, expYear: number, nowMs: number): boolean {
  const firstDayAfter = Date.UTC(expYear, expMonth, 1);
  return nowMs >= firstDayAfter;
}
