import { initialTransition, transition } from 'xstate';
import type { AnyMachineSnapshot } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../engine/principal.js';
import { MACHINES, invoiceIdOf } from '../../machines/index.js';
import type { SubscriptionInput } from '../../machines/index.js';
import type { MachineCoverage } from '../helpers/machine-coverage.js';
import { startServer } from '../helpers/server.js';
import type { AuthedClient } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';
import { advanceClockTo, allowedFor, createAppFor, expectFullCoverageOverHttp } from '../helpers/model-http.js';
import type { ModelPath } from '../machines/support/model-runner.js';
import { coveringPaths, modelPaths } from '../machines/support/model-runner.js';
import { subscriptionModel } from '../machines/support/subscription-model.js';

const machine = MACHINES.subscription.machine;
const EVENTS_ROUTE = 'POST /api/subscriptions/:id/events' as const;

function expectedAllowed(snapshot: AnyMachineSnapshot, principal: Pick<Principal, 'kind' | 'roles'>): string[] {
  return allowedFor(MACHINES.subscription, EVENTS_ROUTE, snapshot, principal);
}

async function replayOverHttp(path: ModelPath, coverage: MachineCoverage): Promise<void> {
  const input = path.input as SubscriptionInput;
  const server = await startServer('sqlite', { clockStart: Date.parse(input.at) });
  try {
    const world = await createWorld(server);
    const app = await createAppFor(world.publisher, input.plan);
    // Check-wire profiles: invoices stay open until paid, so that due dates and pastDue happen.
    const profile = async () =>
      (await world.admin.post('/api/billing-profiles', { name: 'P', paymentMethod: { type: 'check-wire' }, contact: { name: 'n', address: 'a', email: 'ap@x.example' } }).expect(201)).body
        .id as string;
    const profiles: Record<string, string> = { bp_1: await profile(), bp_2: await profile() };
    const bought = await world.admin
      .post('/api/purchases', { channel: 'direct', source: 'appsource', appId: app.appId, planId: app.planId, quantity: input.quantity, billingProfileId: profiles.bp_1, acceptAgreement: true })
      .expect(201);
    const id = bought.body.subscriptionIds[0] as string;

    let [model] = initialTransition(machine, path.input);
    coverage.recordInitial(path.input);
    const send = (who: AuthedClient, body: object) => who.post(`/api/subscriptions/${id}/events`, body).expect(200);
    for (const [i, event] of path.events.entries()) {
      const { at: _at, ...payload } = event as { at: string; type: string } & Record<string, unknown>;
      switch (event.type) {
        case 'HANDOFF_RESOLVED': {
          const opened = await send(world.admin, { type: 'OPEN_PUBLISHER_PORTAL' });
          await world.publisher.post('/api/publisher/resolve', { token: opened.body.handoff.token }).expect(200);
          break;
        }
        case 'OPEN_PUBLISHER_PORTAL':
          // The token (and its hash) is the server's to make.
          await send(world.admin, { type: event.type });
          break;
        case 'ACTIVATE':
        case 'ASSIGN_LICENSES':
        case 'UNASSIGN_LICENSES':
          await send(world.publisher, payload);
          break;
        case 'CHANGE_BILLING_PROFILE':
          await send(world.admin, { ...payload, billingProfileId: profiles[String(payload.billingProfileId)] });
          break;
        case 'TERM_ENDED':
        case 'GRACE_PERIOD_ENDED':
        case 'INVOICE_OVERDUE': {
          // Deadlines come from time: move the clock to the deadline (unless another one at the same time already did).
          await advanceClockTo(server, event.at);
          break;
        }
        case 'INVOICE_PAID': {
          const n = Number(String(payload.invoiceId).split('_').at(-1));
          const invoice = (await world.admin.get(`/api/invoices/${invoiceIdOf(id, n)}`).expect(200)).body;
          await server.operator.post(`/api/invoices/${invoice.id}/payments`, { amount: invoice.total, reference: `wire-${n}` }).expect(200);
          break;
        }
        default:
          await send(world.admin, payload);
      }
      coverage.recordStep(model, event);
      [model] = transition(machine, model, event);
      // Deadlines due at the same instant fire in one advance: compare after the last of them.
      const next = path.events[i + 1];
      if (next && next.at === event.at && subscriptionModel.timerEvents.includes(next.type) && subscriptionModel.timerEvents.includes(event.type)) continue;
      const admin = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body;
      const publisher = (await world.publisher.get(`/api/subscriptions/${id}`).expect(200)).body;
      const where = `${path.inputName} step ${i + 1} (${event.type})`;
      expect(admin.value, where).toEqual(model.value);
      expect(admin.status, where).toBe(typeof model.value === 'string' ? model.value : Object.keys(model.value)[0]);
      expect(admin.allowedEvents, where).toEqual(expectedAllowed(model, { kind: 'user', roles: ['global-admin'] }));
      expect(publisher.allowedEvents, where).toEqual(expectedAllowed(model, { kind: 'publisher', roles: [] }));
      expect(admin.quantity, where).toBe(model.context.quantity);
      expect(admin.assignedLicenses, where).toBe(model.context.assignedUserIds.length);
    }
  } finally {
    await server.stop();
  }
}

describe('subscription machine, model-based, through the HTTP API', () => {
  it('replays generated paths as HTTP calls, checking value and allowedEvents after every step', async () => {
    const paths = coveringPaths(machine, modelPaths(subscriptionModel));
    await expectFullCoverageOverHttp(machine, paths, replayOverHttp);
  }, 300_000);
});
