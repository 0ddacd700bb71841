import { describe, expect, it } from 'vitest';
import { quantityRefusal } from '../../machines/catalog.js';
import { CHANNELS, purchaseRefusal } from '../../machines/purchase.machine.js';
import type { PurchaseCheck } from '../../machines/purchase.machine.js';
import { regionOf } from '../../machines/regions.js';
import { seatPlan, sitePlan } from './support/fixtures.js';

const seats = { plan: seatPlan, quantity: 3 };
const site = { plan: sitePlan, quantity: null };

function check(overrides: Partial<PurchaseCheck> = {}): PurchaseCheck {
  return { region: 'France', channel: 'direct', agreementAccepted: true, lines: [seats, site], ...overrides };
}

describe('purchase rules at creation (SPEC §3, §4)', () => {
  it('accepts a purchase from a supported region with valid lines and the agreement accepted', () => {
    expect(purchaseRefusal(check())).toBeNull();
  });

  for (const channel of CHANNELS) {
    it(`refuses an unsupported region for the ${channel} channel`, () => {
      expect(purchaseRefusal(check({ channel, region: regionOf('IT') }))).toEqual({ code: 'unsupported_region' });
    });
  }

  it('checks the region before anything else', () => {
    expect(purchaseRefusal(check({ region: null, agreementAccepted: false, lines: [{ plan: seatPlan, quantity: 0 }] }))).toEqual({ code: 'unsupported_region' });
  });

  it('requires the agreement for a direct purchase, which is placed at once', () => {
    expect(purchaseRefusal(check({ agreementAccepted: false }))).toEqual({ code: 'agreement_required' });
  });

  it.each(['partner', 'proposal'] as const)('lets a %s purchase wait for the agreement until it is accepted', (channel) => {
    expect(purchaseRefusal(check({ channel, agreementAccepted: false }))).toBeNull();
  });

  it('names the offending line of a refused quantity', () => {
    expect(purchaseRefusal(check({ lines: [seats, { plan: seatPlan, quantity: 6 }] }))).toEqual({ code: 'quantity_out_of_range', line: 1 });
    expect(purchaseRefusal(check({ lines: [{ plan: sitePlan, quantity: 2 }, seats] }))).toEqual({ code: 'validation_failed', line: 0 });
  });
});

describe('quantities by plan (SPEC §2, API.md Purchases)', () => {
  it('takes a per-license quantity from min to max, bounds included', () => {
    expect([1, 3, 5].map((q) => quantityRefusal(seatPlan, q))).toEqual([null, null, null]);
  });

  it('refuses a per-license quantity outside min..max as quantity_out_of_range', () => {
    expect([0, -1, 6, 100_001].map((q) => quantityRefusal(seatPlan, q))).toEqual(Array(4).fill('quantity_out_of_range'));
  });

  it('refuses a missing or non-integer per-license quantity as validation_failed', () => {
    expect([null, undefined, 2.5, Number.NaN, Number.POSITIVE_INFINITY].map((q) => quantityRefusal(seatPlan, q))).toEqual(Array(5).fill('validation_failed'));
  });

  it('takes no quantity for a flat plan, null or absent', () => {
    expect([quantityRefusal(sitePlan, null), quantityRefusal(sitePlan, undefined)]).toEqual([null, null]);
  });

  it('refuses any quantity for a flat plan as validation_failed', () => {
    expect([1, 0, 10].map((q) => quantityRefusal(sitePlan, q))).toEqual(Array(3).fill('validation_failed'));
  });
});
