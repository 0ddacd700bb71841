import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { purchaseMachine } from '../../machines/purchase.machine.js';
import type { PurchaseEvent } from '../../machines/purchase.machine.js';
import { refusalOf } from '../../machines/refusal.js';
import { MACHINES } from '../../machines/registry.js';
import { T0, after, purchaseInput } from './support/fixtures.js';
import { effectsOf, sendAll } from './support/steps.js';

const later = after(T0, 1);
const accept = (agreementAccepted = true): PurchaseEvent => ({ type: 'ACCEPT', billingProfileId: 'bp_9', agreementAccepted, at: later });

describe('purchase channels (SPEC §4)', () => {
  it('places a direct purchase at once and creates one subscription per line', () => {
    const [snapshot, actions] = initialTransition(purchaseMachine, purchaseInput('direct'));
    expect(snapshot.value).toBe('placed');
    expect(snapshot.status).toBe('done');
    expect(snapshot.context.placedAt).toBe(T0);
    const created = effectsOf(actions, 'createSubscription');
    expect(created).toEqual([
      expect.objectContaining({ kind: 'create', machine: 'subscription', id: 'sub_a', input: expect.objectContaining({ billingProfileId: 'bp_1', channel: 'direct', quantity: 3, purchaseId: 'pur_1' }) }),
    ]);
  });

  it.each(['partner', 'proposal'] as const)('keeps a %s purchase awaiting the agreement, creating nothing', (channel) => {
    const [snapshot, actions] = initialTransition(purchaseMachine, purchaseInput(channel));
    expect(snapshot.value).toBe('awaitingAgreement');
    expect(effectsOf(actions, 'createSubscription')).toEqual([]);
  });

  it.each(['partner', 'proposal'] as const)('places a %s purchase on ACCEPT, on the billing profile chosen there', (channel) => {
    const input = purchaseInput(channel);
    const [snapshot, actions] = sendAll(purchaseMachine, initialTransition(purchaseMachine, input)[0], accept());
    expect(snapshot.value).toBe('placed');
    expect(snapshot.context.placedAt).toBe(later);
    const created = effectsOf(actions, 'createSubscription');
    expect(created.map((effect) => (effect.kind === 'create' ? [effect.id, effect.input.billingProfileId, effect.input.channel] : []))).toEqual(
      input.lines.map((line) => [line.subscriptionId, 'bp_9', channel]),
    );
  });

  it('stops the expiry timer of a proposal once it is accepted', () => {
    const [, actions] = sendAll(purchaseMachine, initialTransition(purchaseMachine, purchaseInput('proposal'))[0], accept());
    expect(actions).toContainEqual(expect.objectContaining({ type: 'xstate.cancel', params: { sendId: 'proposalExpiry' } }));
  });

  it.each(['partner', 'proposal'] as const)('declines a %s purchase on DECLINE, creating nothing', (channel) => {
    const [snapshot, actions] = sendAll(purchaseMachine, initialTransition(purchaseMachine, purchaseInput(channel))[0], { type: 'DECLINE', at: later });
    expect(snapshot.value).toBe('declined');
    expect(snapshot.context.closedAt).toBe(later);
    expect(effectsOf(actions, 'createSubscription')).toEqual([]);
  });

  it('refuses ACCEPT without the agreement with agreement_required, and stays awaiting', () => {
    const waiting = initialTransition(purchaseMachine, purchaseInput('partner'))[0];
    const [snapshot, actions] = sendAll(purchaseMachine, waiting, accept(false));
    expect(snapshot).toBe(waiting);
    expect(actions).toEqual([]);
    expect(refusalOf(MACHINES.purchase, waiting, accept(false))).toBe('agreement_required');
  });

  it('schedules a proposal to expire at its expiry time', () => {
    const input = purchaseInput('proposal');
    const [, actions] = initialTransition(purchaseMachine, input);
    expect(actions).toContainEqual(
      expect.objectContaining({ type: 'xstate.raise', params: { event: { type: 'PROPOSAL_EXPIRED', at: input.expiresAt }, id: 'proposalExpiry', delay: 14 * 24 * 3600_000 } }),
    );
  });

  it('does not schedule an expiry for a partner order', () => {
    const [, actions] = initialTransition(purchaseMachine, purchaseInput('partner'));
    expect(actions.filter((action) => action.type === 'xstate.raise')).toEqual([]);
  });

  it('expires a proposal at its expiry time; nothing is accepted after', () => {
    const input = purchaseInput('proposal');
    const [expired] = sendAll(purchaseMachine, initialTransition(purchaseMachine, input)[0], { type: 'PROPOSAL_EXPIRED', at: input.expiresAt ?? '' });
    expect(expired.value).toBe('expired');
    expect(expired.status).toBe('done');
    expect(expired.context.closedAt).toBe(input.expiresAt);
    for (const event of [accept(), { type: 'DECLINE', at: later }, { type: 'PROPOSAL_EXPIRED', at: later }] as PurchaseEvent[]) {
      expect(sendAll(purchaseMachine, expired, event)[0]).toBe(expired);
      expect(refusalOf(MACHINES.purchase, expired, event)).toBe('event_not_allowed');
    }
  });

  it('takes nothing from its expiry time on, even while its expiry timer has not fired yet', () => {
    const input = purchaseInput('proposal');
    const expiresAt = input.expiresAt ?? '';
    const open = initialTransition(purchaseMachine, input)[0];
    const justBefore = new Date(Date.parse(expiresAt) - 1).toISOString();
    for (const at of [expiresAt, new Date(Date.parse(expiresAt) + 5_000).toISOString()]) {
      for (const event of [{ ...accept(), at }, { type: 'DECLINE', at }] as PurchaseEvent[]) {
        expect(sendAll(purchaseMachine, open, event)[0], `${event.type} at ${at}`).toBe(open);
        expect(refusalOf(MACHINES.purchase, open, event)).toBe('event_not_allowed');
      }
    }
    expect(sendAll(purchaseMachine, open, { ...accept(), at: justBefore })[0].value).toBe('placed');
    expect(sendAll(purchaseMachine, open, { type: 'DECLINE', at: justBefore })[0].value).toBe('declined');
    // A partner order has no expiry: it takes an ACCEPT whenever it comes.
    const partner = initialTransition(purchaseMachine, purchaseInput('partner'))[0];
    expect(sendAll(purchaseMachine, partner, { ...accept(), at: after(T0, 400) })[0].value).toBe('placed');
  });

  it('refuses every event once placed', () => {
    const [placed] = initialTransition(purchaseMachine, purchaseInput('direct'));
    expect(sendAll(purchaseMachine, placed, accept())[0]).toBe(placed);
    expect(refusalOf(MACHINES.purchase, placed, { type: 'DECLINE', at: later } as PurchaseEvent)).toBe('event_not_allowed');
  });
});
