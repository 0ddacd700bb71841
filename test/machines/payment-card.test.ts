import { describe, expect, it } from 'vitest';
import { brandOf, isExpired, passesLuhn } from '../../machines/payment-card.js';

describe('payment cards', () => {
  it('passes card numbers whose Luhn checksum is right', () => {
    expect(['4242424242424242', '4000000000000002', '5555555555554444', '378282246310005', '0'].map(passesLuhn)).toEqual([true, true, true, true, true]);
  });

  it('fails a wrong checksum, a non-digit and an empty number', () => {
    expect(['4242424242424241', '4242-4242-4242-4242', '42424242424242a2', ''].map(passesLuhn)).toEqual([false, false, false, false]);
  });

  it('tells the brand from the prefix', () => {
    expect(['4242424242424242', '5555555555554444', '2221000000000009', '378282246310005', '6011111111111117', '6500000000000002', '3530111333300000'].map(brandOf)).toEqual([
      'visa',
      'mastercard',
      'mastercard',
      'amex',
      'discover',
      'discover',
      'unknown',
    ]);
  });

  it('lets a card expire at the end of its expiry month', () => {
    expect(isExpired(2, 2025, Date.parse('2025-02-28T23:59:59.999Z'))).toBe(false);
    expect(isExpired(2, 2025, Date.parse('2025-03-01T00:00:00.000Z'))).toBe(true);
    expect(isExpired(12, 2025, Date.parse('2025-12-31T12:00:00.000Z'))).toBe(false);
    expect(isExpired(12, 2025, Date.parse('2026-01-01T00:00:00.000Z'))).toBe(true);
  });
});
