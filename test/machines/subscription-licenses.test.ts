import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../machines/refusal.js';
import { MACHINES } from '../../machines/registry.js';
import type { SubscriptionEvent } from '../../machines/subscription.machine.js';
import { T0, after, seatPlan, sitePlan } from './support/fixtures.js';
import { activated, send } from './support/steps.js';

const at = after(T0, 1);
const assign = (...userIds: string[]): SubscriptionEvent => ({ type: 'ASSIGN_LICENSES', userIds, at });
const unassign = (...userIds: string[]): SubscriptionEvent => ({ type: 'UNASSIGN_LICENSES', userIds, at });

describe('subscription: licenses (SPEC §5)', () => {
  it('assigns licenses up to the quantity of a per-license plan', () => {
    const [snapshot] = send(activated(seatPlan)[0], assign('u1'), assign('u2'));
    expect(snapshot.context.assignedUserIds).toEqual(['u1', 'u2']);
  });

  it('refuses a batch that would exceed the quantity with license_limit_exceeded, assigning none of it', () => {
    const [one] = send(activated(seatPlan)[0], assign('u1'));
    const batch = assign('u2', 'u3');
    const [after] = send(one, batch);
    expect(after).toBe(one);
    expect(after.context.assignedUserIds).toEqual(['u1']);
    expect(refusalOf(MACHINES.subscription, one, batch)).toBe('license_limit_exceeded');
  });

  it('treats assigning a user twice as a no-op for that user', () => {
    const [full] = send(activated(seatPlan)[0], assign('u1', 'u2'));
    const [again] = send(full, assign('u2', 'u1'));
    expect(again.context.assignedUserIds).toEqual(['u1', 'u2']);
    expect(again.value).toEqual(full.value);
  });

  it('counts a user named twice in one batch once', () => {
    const [snapshot] = send(activated(seatPlan)[0], assign('u1', 'u1', 'u2'));
    expect(snapshot.context.assignedUserIds).toEqual(['u1', 'u2']);
  });

  it('sets no limit for a flat plan', () => {
    const users = Array.from({ length: 250 }, (_, i) => `user-${i}`);
    const [snapshot] = send(activated(sitePlan)[0], assign(...users));
    expect(snapshot.context.assignedUserIds).toHaveLength(250);
    expect(snapshot.context.quantity).toBeNull();
  });

  it('frees a seat on UNASSIGN_LICENSES, ignoring users who hold none', () => {
    const [snapshot] = send(activated(seatPlan)[0], assign('u1', 'u2'), unassign('u1', 'nobody'), assign('u3'));
    expect(snapshot.context.assignedUserIds).toEqual(['u2', 'u3']);
  });
});
