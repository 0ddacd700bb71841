import { initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { InvoiceContext, InvoiceEvent, InvoiceInput, PlanTerms } from '../../machines/index.js';
import { MACHINES, accepts, allowedEvents, invoiceIdOf, refusalOf } from '../../machines/index.js';
import { DECLINED_CARD, GOOD_CARD, activateViaPortal, createProfile } from '../helpers/flows.js';
import type { MachineCoverage } from '../helpers/machine-coverage.js';
import { advanceClockTo, createAppFor, expectFullCoverageOverHttp, servedSnapshot } from '../helpers/model-http.js';
import { startServer } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';
import { invoiceModel } from '../machines/support/invoice-model.js';
import type { ModelPath } from '../machines/support/model-runner.js';
import { modelPaths } from '../machines/support/model-runner.js';

const entry = MACHINES.invoice;
const machine = entry.machine;
const CHECK_WIRE = { type: 'check-wire' } as const;

type PaymentMethod = typeof GOOD_CARD | typeof DECLINED_CARD | typeof CHECK_WIRE;

/**
 * The invoice the server issues is the first invoice of a subscription, at its activation:
 * one line for the first term. The model's input has two lines; they cannot be made over
 * HTTP, so the plan is a flat, annual one priced at the model's total (the term is longer
 * than the payment term, so that no renewal falls inside the path), and the comparison is
 * of the total, the issue and due dates and everything that follows.
 */
function planFor(input: InvoiceInput): PlanTerms {
  const total = input.lines.reduce((sum, line) => sum + line.amount.amount, 0);
  const currency = input.lines[0]?.amount.currency ?? 'USD';
  return { appName: 'Model App', planName: 'Annual', pricingModel: 'flat', billingTerm: 'P1Y', price: { amount: total, currency }, minQuantity: 1, maxQuantity: 1 };
}

/**
 * The profile's payment method at issue. A card profile is charged when the invoice is
 * issued, so a path that starts with a payment outcome gets a card that produces it (that
 * charge is its first step); any other path starts on check-wire, which leaves the invoice
 * open until something happens to it.
 */
function methodAtIssue(first: InvoiceEvent | undefined): PaymentMethod {
  if (first?.type === 'PAYMENT_SUCCEEDED') return GOOD_CARD;
  if (first?.type === 'PAYMENT_DECLINED') return DECLINED_CARD;
  return CHECK_WIRE;
}

async function replayOverHttp(path: ModelPath, coverage: MachineCoverage): Promise<void> {
  const input = path.input as InvoiceInput;
  const events = path.events as readonly InvoiceEvent[];
  expect(input.issuedAt).toBe(input.at);
  const server = await startServer('sqlite', { clockStart: Date.parse(input.issuedAt) });
  try {
    const world = await createWorld(server);
    const { appId, planId } = await createAppFor(world.publisher, planFor(input));
    let method = methodAtIssue(events[0]);
    const profile = await createProfile(world, method);
    const bought = await world.admin
      .post('/api/purchases', { channel: 'direct', source: 'appsource', appId, planId, quantity: null, billingProfileId: profile, acceptAgreement: true })
      .expect(201);
    const subscriptionId = bought.body.subscriptionIds[0] as string;
    // Issued at activation (and, on a card profile, charged before ACTIVATE answers).
    await activateViaPortal(world, subscriptionId);
    const id = invoiceIdOf(subscriptionId, 1);
    const charged = method !== CHECK_WIRE;

    // Each later card payment is the billing member's `pay`, with the card on file made to give the model's outcome.
    const payWith = async (card: typeof GOOD_CARD | typeof DECLINED_CARD, status: 200 | 402) => {
      if (method !== card) await world.admin.patch(`/api/billing-profiles/${profile}`, { paymentMethod: card }).expect(200);
      method = card;
      return world.admin.post(`/api/invoices/${id}/pay`).expect(status);
    };

    // The model's payment references → the server's: a recorded payment keeps the operator's, a card payment gets the processor's.
    const references = new Map<string, unknown>();

    let [model] = initialTransition(machine, path.input);
    coverage.recordInitial(path.input);
    let accepted = 0;

    const check = async (where: string) => {
      const context = model.context as InvoiceContext;
      const invoice = (await world.admin.get(`/api/invoices/${id}`).expect(200)).body;
      expect(invoice.status, where).toBe(model.value);
      expect(invoice.version, where).toBe(1 + accepted);
      expect(invoice, where).toMatchObject({
        id,
        subscriptionId,
        tenantId: world.tenant.id,
        billingProfileId: profile,
        total: context.total,
        issuedAt: context.issuedAt,
        dueAt: context.dueAt,
        paidAt: context.paidAt,
      });
      expect(invoice.lines.reduce((sum: number, line: { amount: { amount: number } }) => sum + line.amount.amount, 0), where).toBe(context.total.amount);
      // What the view leaves out (declined attempts, the payment's reference, the voiding) is in the operator's instance.
      const instance = (await server.operator.get(`/api/instances/${id}`).expect(200)).body;
      expect(instance.value, where).toEqual(model.value);
      expect(instance.context, where).toMatchObject({
        declinedAttempts: context.declinedAttempts,
        paidAt: context.paidAt,
        voidedAt: context.voidedAt,
        paymentReference: context.paymentReference === null ? null : references.get(context.paymentReference),
      });
      const served = servedSnapshot(entry, instance);
      expect(served.status, where).toBe(model.status);
      expect(allowedEvents(entry, served, entry.events), where).toEqual(allowedEvents(entry, model, entry.events));
      // The subscription follows: pastDue while the invoice is overdue, deactivated once it is void.
      const subscription = (await world.admin.get(`/api/subscriptions/${subscriptionId}`).expect(200)).body;
      if (model.value === 'void') expect([subscription.status, subscription.deactivationReason], where).toEqual(['deactivated', 'canceled']);
      else expect(subscription.billingStatus, where).toBe(model.value === 'overdue' ? 'pastDue' : 'current');
      // A finished invoice cannot be paid again: 409 event_not_allowed.
      if (model.status === 'done') {
        const refused = await world.admin.post(`/api/invoices/${id}/pay`).expect(409);
        expect(refused.body.code, where).toBe('event_not_allowed');
      }
    };
    // On a card profile the invoice is charged before ACTIVATE answers: what is seen first is after that step.
    if (!charged) await check(`${path.inputName} issued`);

    for (const [i, event] of events.entries()) {
      const where = `${path.inputName} step ${i + 1} (${event.type})`;
      switch (event.type) {
        case 'PAYMENT_SUCCEEDED':
          // The first step of a path on a card profile is the charge at issue, already made.
          if (!(i === 0 && charged)) await payWith(GOOD_CARD, 200);
          references.set(event.reference, expect.stringMatching(/.+/));
          break;
        case 'PAYMENT_DECLINED':
          if (!(i === 0 && charged)) {
            const declined = await payWith(DECLINED_CARD, 402);
            expect(declined.body.code, where).toBe('payment_declined');
          }
          break;
        case 'RECORD_PAYMENT': {
          // A wrong amount is refused (a step the model does not generate) and changes nothing.
          const wrong: InvoiceEvent = { ...event, amount: { amount: event.amount.amount + 1, currency: event.amount.currency } };
          const refused = await server.operator.post(`/api/invoices/${id}/payments`, { amount: wrong.amount, reference: event.reference }).expect(422);
          expect(refused.body.code, where).toBe(refusalOf(entry, model, wrong));
          const expected = accepts(model, event) ? 200 : 422;
          await server.operator.post(`/api/invoices/${id}/payments`, { amount: event.amount, reference: event.reference }).expect(expected);
          references.set(event.reference, event.reference);
          break;
        }
        case 'INVOICE_DUE':
          // The due date is a durable timer: moving the clock to dueAt fires it.
          expect(event.at, where).toBe((model.context as InvoiceContext).dueAt);
          await advanceClockTo(server, event.at);
          break;
        case 'VOID': {
          // An open invoice is void when its subscription ends before the due date.
          expect(event.at < (model.context as InvoiceContext).dueAt, where).toBe(true);
          await world.admin.post(`/api/subscriptions/${subscriptionId}/events`, { type: 'CANCEL' }).expect(200);
          break;
        }
      }
      if (accepts(model, event)) accepted++;
      coverage.recordStep(model, event);
      [model] = transition(machine, model, event);
      await check(where);
    }
    expect(server.faults()).toEqual([]);
  } finally {
    await server.stop();
  }
}

describe('invoice machine, model-based, through the HTTP API', () => {
  it('replays generated paths as HTTP calls, checking status, context and accepted events after every step', async () => {
    // Every generated path, not only the covering ones (which all start with a declined charge
    // at issue): the others start on check-wire or a good card, the mapping's other branches.
    const paths = modelPaths(invoiceModel);
    await expectFullCoverageOverHttp(machine, paths, replayOverHttp);
  }, 120_000);
});
