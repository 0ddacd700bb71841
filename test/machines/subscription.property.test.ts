import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import type { PlanTerms } from '../../machines/catalog.js';
import { subscriptionMachine } from '../../machines/subscription.machine.js';
import type { SubscriptionContext } from '../../machines/subscription.machine.js';
import { drive, expectRefusalContract, persistedJson, rawEvent, resumeFrom } from './support/drive.js';
import type { RawEvent } from './support/drive.js';
import { seatPlan, sitePlan, subscriptionInput } from './support/fixtures.js';
import { effectsOf } from './support/steps.js';
import { expectSubscriptionInvariants } from './support/subscription-invariants.js';
import type { SubscriptionSnapshot } from './support/subscription-invariants.js';

const DAY = 24 * 3600_000;
const users = fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6');
const invoiceIds = fc.constantFrom('inv_1_1', 'inv_1_2', 'inv_1_3', 'inv_1_4', 'inv_other_1');

/** Client, internal and timer events with random payloads, valid or not; ending events are rarer. */
const subscriptionEvent: fc.Arbitrary<EventObject> = fc.oneof(
  { arbitrary: fc.record({ type: fc.constant('OPEN_PUBLISHER_PORTAL'), tokenHash: fc.string({ minLength: 1, maxLength: 4 }) }), weight: 1 },
  { arbitrary: fc.constantFrom({ type: 'ACTIVATE' }, { type: 'HANDOFF_RESOLVED' }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constantFrom('ASSIGN_LICENSES', 'UNASSIGN_LICENSES'), userIds: fc.array(users, { maxLength: 4 }) }), weight: 4 },
  { arbitrary: fc.record({ type: fc.constant('CHANGE_QUANTITY'), quantity: fc.oneof(fc.integer({ min: -2, max: 8 }), fc.double({ min: 0, max: 8, noNaN: true })) }), weight: 3 },
  { arbitrary: fc.record({ type: fc.constant('CHANGE_BILLING_PROFILE'), billingProfileId: fc.constantFrom('bp_1', 'bp_2') }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('SET_AUTO_RENEW'), autoRenew: fc.boolean() }), weight: 2 },
  { arbitrary: fc.constant({ type: 'CANCEL' }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constantFrom('INVOICE_OVERDUE', 'INVOICE_PAID'), invoiceId: invoiceIds }), weight: 4 },
  { arbitrary: fc.constantFrom({ type: 'TERM_ENDED' }, { type: 'GRACE_PERIOD_ENDED' }), weight: 3 },
  { arbitrary: fc.constant({ type: 'NOT_AN_EVENT' }), weight: 1 },
);

const activation: RawEvent[] = [
  { advanceMs: 3600_000, onTime: false, event: { type: 'HANDOFF_RESOLVED' } },
  { advanceMs: 3600_000, onTime: false, event: { type: 'ACTIVATE' } },
];

/** Mostly activated first, so that most runs explore the active life; some stay pending. */
const sequences = fc
  .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.array(rawEvent(subscriptionEvent, 40 * DAY), { maxLength: 25 }))
  .map(([p, rest]) => (p < 0.8 ? [...activation, ...rest] : rest));
const plans = fc.constantFrom<PlanTerms>(seatPlan, sitePlan, { ...seatPlan, billingTerm: 'P1M' });

/** Term ends come on time when asked; every other deadline at whatever time the clock shows. */
const dueTime = (snapshot: AnyMachineSnapshot, type: string) => (type === 'TERM_ENDED' ? (snapshot.context as SubscriptionContext).termEnd : null);

function run(plan: PlanTerms, raws: readonly RawEvent[]) {
  return drive(subscriptionMachine, subscriptionInput(plan), raws, dueTime);
}

const fast = { numRuns: 200 };

describe('subscription under random event sequences', () => {
  it('keeps its invariants after every event: assigned ≤ quantity, reason iff deactivated, billing only when active', () => {
    fc.assert(
      fc.property(plans, sequences, (plan, raws) => {
        for (const step of run(plan, raws).steps) {
          expectSubscriptionInvariants(step.after as SubscriptionSnapshot);
          expectRefusalContract(step);
        }
      }),
      fast,
    );
  });

  it('lets nothing out of deactivated: every later event is refused', () => {
    fc.assert(
      fc.property(plans, sequences, (plan, raws) => {
        for (const step of run(plan, raws).steps) {
          if (step.before.value === 'deactivated') expect([step.accepted, step.after]).toEqual([false, step.before]);
        }
      }),
      fast,
    );
  });

  it('never issues an invoice with a negative or fractional amount', () => {
    fc.assert(
      fc.property(plans, sequences, (plan, raws) => {
        for (const step of run(plan, raws).steps) {
          for (const effect of effectsOf(step.actions, 'issueInvoice')) {
            const lines = effect.kind === 'create' ? (effect.input.lines as { amount: { amount: number }; quantity: number }[]) : [];
            expect(lines.length).toBe(1);
            for (const line of lines) {
              expect(Number.isSafeInteger(line.amount.amount) && line.amount.amount >= 0).toBe(true);
              expect(Number.isInteger(line.quantity) && line.quantity > 0).toBe(true);
            }
          }
        }
      }),
      fast,
    );
  });

  it('gives the same persisted snapshots for the same input and events, also when resumed from storage', () => {
    fc.assert(
      fc.property(plans, sequences, fc.nat(), (plan, raws, cut) => {
        const first = run(plan, raws);
        const json = persistedJson(subscriptionMachine, first);
        expect(persistedJson(subscriptionMachine, run(plan, raws))).toEqual(json);
        const at = cut % json.length;
        const rest = first.steps.slice(at).map((step) => step.event);
        expect(resumeFrom(subscriptionMachine, json[at] ?? '', rest)).toBe(json.at(-1));
      }),
      fast,
    );
  });
});
