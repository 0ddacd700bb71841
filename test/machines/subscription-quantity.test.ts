import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../machines/refusal.js';
import { MACHINES } from '../../machines/registry.js';
import type { SubscriptionEvent } from '../../machines/subscription.machine.js';
import { T0, after, seatPlan, sitePlan } from './support/fixtures.js';
import { activated, effectsOf, send } from './support/steps.js';
import type { SubscriptionSnapshot } from './support/steps.js';

const entry = MACHINES.subscription;
const changeTo = (quantity: number, at = after(T0, 1)): SubscriptionEvent => ({ type: 'CHANGE_QUANTITY', quantity, at });

function refusal(snapshot: SubscriptionSnapshot, event: SubscriptionEvent) {
  expect(send(snapshot, event)[0], 'a refused event changes nothing').toBe(snapshot);
  return refusalOf(entry, snapshot, event);
}

describe('subscription: CHANGE_QUANTITY rules (SPEC §5)', () => {
  it('refuses a flat plan with not_seat_based', () => {
    expect(refusal(activated(sitePlan)[0], changeTo(3))).toBe('not_seat_based');
  });

  it.each([0, 6, -2])('refuses %i outside the plan min..max (1..5) with quantity_out_of_range', (quantity) => {
    expect(refusal(activated(seatPlan)[0], changeTo(quantity))).toBe('quantity_out_of_range');
  });

  it.each([2.5, Number.NaN])('refuses a quantity of %d that is not a whole number with validation_failed', (quantity) => {
    expect(refusal(activated(seatPlan)[0], changeTo(quantity))).toBe('validation_failed');
  });

  it('refuses to go below the assigned licenses with quantity_below_assigned', () => {
    const [assigned] = send(activated(seatPlan)[0], { type: 'ASSIGN_LICENSES', userIds: ['u1', 'u2'], at: T0 });
    expect(refusal(assigned, changeTo(1))).toBe('quantity_below_assigned');
  });

  it('checks not_seat_based before the range, and the range before the assigned count', () => {
    expect(refusal(activated(sitePlan)[0], changeTo(0))).toBe('not_seat_based');
    const [assigned] = send(activated(seatPlan)[0], { type: 'ASSIGN_LICENSES', userIds: ['u1', 'u2'], at: T0 });
    expect(refusal(assigned, changeTo(0))).toBe('quantity_out_of_range');
  });

  it('allows a change down to exactly the assigned licenses, and to the plan bounds', () => {
    const [assigned] = send(activated(seatPlan)[0], { type: 'ASSIGN_LICENSES', userIds: ['u1'], at: T0 });
    expect(send(assigned, changeTo(1))[0].context.quantity).toBe(1);
    expect(send(assigned, changeTo(5))[0].context.quantity).toBe(5);
  });

  it('tells the publisher of a change', () => {
    const [, actions] = send(activated(seatPlan)[0], changeTo(3));
    expect(effectsOf(actions, 'notifyPublisher')).toEqual([{ kind: 'webhook', type: 'subscription.quantity_changed' }]);
  });

  it('does nothing for the same quantity: no invoice, no notification', () => {
    const [snapshot, actions] = send(activated(seatPlan)[0], changeTo(2));
    expect(snapshot.context.quantity).toBe(2);
    expect(snapshot.context.invoiceCount).toBe(1);
    expect(actions).toEqual([]);
  });
});
