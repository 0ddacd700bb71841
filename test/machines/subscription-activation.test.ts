import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { allowedEvents, refusalOf } from '../../machines/refusal.js';
import { MACHINES } from '../../machines/registry.js';
import { subscriptionMachine } from '../../machines/subscription.machine.js';
import { T0, after, seatPlan, sitePlan, subscriptionInput } from './support/fixtures.js';
import { activated, effectsOf, pendingSubscription, send } from './support/steps.js';

const entry = MACHINES.subscription;
const at = after(T0, 0, 2);

describe('subscription: pendingActivation (SPEC §5)', () => {
  it('starts pending, unbilled, and creates its activation handoff', () => {
    const [snapshot, actions] = initialTransition(subscriptionMachine, subscriptionInput());
    expect(snapshot.value).toBe('pendingActivation');
    expect(snapshot.context).toMatchObject({ autoRenew: true, termStart: null, invoiceCount: 0, createdAt: T0 });
    expect(effectsOf(actions, 'createHandoff')).toEqual([
      { kind: 'create', machine: 'activation', id: 'act_1', input: { id: 'act_1', subscriptionId: 'sub_1', publisherId: 'pub_1' } },
    ]);
    expect(effectsOf(actions, 'issueInvoice')).toEqual([]);
  });

  it('asks the activation machine for a token when the portal is opened', () => {
    const [, actions] = send(pendingSubscription(), { type: 'OPEN_PUBLISHER_PORTAL', tokenHash: 'h1', at });
    expect(effectsOf(actions, 'requestHandoffToken')).toEqual([{ kind: 'send', machine: 'activation', id: 'act_1', event: { type: 'ISSUE_TOKEN', tokenHash: 'h1' } }]);
  });

  it('assigns no license before activation', () => {
    const pending = pendingSubscription();
    const event = { type: 'ASSIGN_LICENSES', userIds: ['u1'], at } as const;
    expect(send(pending, event)[0]).toBe(pending);
    expect(refusalOf(entry, pending, event)).toBe('event_not_allowed');
    expect(allowedEvents(entry, pending, entry.clientEvents)).not.toContain('ASSIGN_LICENSES');
  });

  it('refuses ACTIVATE until the handoff is resolved', () => {
    const pending = pendingSubscription();
    expect(send(pending, { type: 'ACTIVATE', at })[0]).toBe(pending);
    expect(refusalOf(entry, pending, { type: 'ACTIVATE', at } as never)).toBe('event_not_allowed');
    expect(allowedEvents(entry, pending, entry.clientEvents)).toEqual(['OPEN_PUBLISHER_PORTAL', 'CANCEL']);
  });

  it('allows ACTIVATE once the handoff is resolved', () => {
    const [resolved] = send(pendingSubscription(), { type: 'HANDOFF_RESOLVED', at });
    expect(resolved.context.handoffResolvedAt).toBe(at);
    expect(allowedEvents(entry, resolved, entry.clientEvents)).toEqual(['OPEN_PUBLISHER_PORTAL', 'ACTIVATE', 'CANCEL']);
  });

  it('starts the first term at activation and issues its invoice', () => {
    const [active, actions] = activated(seatPlan, at);
    expect(active.value).toEqual({ active: { billing: 'current' } });
    expect(active.context).toMatchObject({ activatedAt: at, termNumber: 1, termStart: at, termEnd: after(at, 365), invoiceCount: 1 });
    expect(effectsOf(actions, 'issueInvoice')).toEqual([
      {
        kind: 'create',
        machine: 'invoice',
        id: 'inv_1_1',
        input: {
          id: 'inv_1_1',
          subscriptionId: 'sub_1',
          tenantId: 'ten_1',
          billingProfileId: 'bp_1',
          lines: [{ description: 'Contoso Sign — Team, term 1', quantity: 2, amount: { amount: 2400, currency: 'USD' }, periodStart: at, periodEnd: after(at, 365) }],
          issuedAt: at,
        },
      },
    ]);
    expect(effectsOf(actions, 'notifyPublisher')).toEqual([{ kind: 'webhook', type: 'subscription.activated' }]);
    expect(actions).toContainEqual(expect.objectContaining({ type: 'xstate.raise', params: { event: { type: 'TERM_ENDED', at: after(at, 365) }, id: 'termEnd', delay: 365 * 24 * 3600_000 } }));
  });

  it('bills a flat plan one price per term, whatever the users', () => {
    const [, actions] = activated(sitePlan, at);
    const [invoice] = effectsOf(actions, 'issueInvoice');
    expect(invoice?.kind === 'create' && invoice.input.lines).toEqual([expect.objectContaining({ quantity: 1, amount: { amount: 9900, currency: 'EUR' } })]);
  });
});
