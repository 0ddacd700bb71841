import { initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { PurchaseContext, PurchaseEvent, PurchaseInput } from '../../machines/index.js';
import { MACHINES, accepts, refusalOf } from '../../machines/index.js';
import type { MachineCoverage } from '../helpers/machine-coverage.js';
import { advanceClockTo, allowedFor, createAppFor, expectFullCoverageOverHttp } from '../helpers/model-http.js';
import { startServer } from '../helpers/server.js';
import type { AuthedClient, TestServer } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';
import type { World } from '../helpers/world.js';
import type { ModelPath } from '../machines/support/model-runner.js';
import { modelPaths } from '../machines/support/model-runner.js';
import { purchaseModel } from '../machines/support/purchase-model.js';

const entry = MACHINES.purchase;
const machine = entry.machine;
const EVENTS_ROUTE = 'POST /api/purchases/:id/events' as const;

/**
 * The model's ids (tenant, partner, publishers, apps, plans, billing profiles) are the
 * server's to make: each is mapped to the one created for it, by name.
 */
type Ids = Map<string, string>;
const mapped = (ids: Ids, id: string | null): string | null => (id === null ? null : (ids.get(id) ?? `unmapped:${id}`));

/** A publisher principal for each publisher the model names: the world's for the first, new ones for the rest. */
async function publishersFor(server: TestServer, world: World, input: PurchaseInput): Promise<Map<string, AuthedClient & { publisherId: string }>> {
  const publishers = new Map<string, AuthedClient & { publisherId: string }>();
  for (const { publisherId } of input.lines) {
    if (publishers.has(publisherId)) continue;
    if (publishers.size === 0) {
      publishers.set(publisherId, world.publisher);
      continue;
    }
    const pub = (await server.operator.post('/api/operator/publishers', { name: `Publisher ${publisherId}`, landingPageUrl: 'https://publisher.example/landing' }).expect(201)).body;
    const key = (await server.operator.post('/api/operator/principals', { kind: 'publisher', name: `${publisherId} key`, publisherId: pub.id }).expect(201)).body;
    publishers.set(publisherId, Object.assign(server.as(key.token as string), { publisherId: pub.id as string }));
  }
  return publishers;
}

/** Creates the purchase of the model's input through its channel, by whoever starts that channel; returns the buyer's client. */
async function createPurchase(world: World, input: PurchaseInput, ids: Ids): Promise<{ id: string; creator: AuthedClient; kind: 'user' | 'partner' | 'sales' }> {
  const line = (l: PurchaseInput['lines'][number]) => ({ appId: mapped(ids, l.appId), planId: mapped(ids, l.planId), quantity: l.quantity });
  switch (input.channel) {
    case 'direct': {
      // Placed at once (the machine's `always`): the buyer accepts the agreement in the request.
      const body = { channel: 'direct', source: input.source, ...line(input.lines[0]!), billingProfileId: mapped(ids, input.billingProfileId), acceptAgreement: true };
      expect(input.lines).toHaveLength(1);
      return { id: (await world.admin.post('/api/purchases', body).expect(201)).body.id, creator: world.admin, kind: 'user' };
    }
    case 'partner': {
      expect(input.lines).toHaveLength(1);
      const body = { channel: 'partner', tenantId: world.tenant.id, ...line(input.lines[0]!) };
      return { id: (await world.partner.post('/api/purchases', body).expect(201)).body.id, creator: world.partner, kind: 'partner' };
    }
    case 'proposal': {
      const body = { channel: 'proposal', tenantId: world.tenant.id, lines: input.lines.map(line), expiresAt: input.expiresAt };
      return { id: (await world.sales.post('/api/purchases', body).expect(201)).body.id, creator: world.sales, kind: 'sales' };
    }
  }
}

async function replayOverHttp(path: ModelPath, coverage: MachineCoverage): Promise<void> {
  const input = path.input as PurchaseInput;
  const server = await startServer('sqlite', { clockStart: Date.parse(input.at) });
  try {
    const world = await createWorld(server);
    const ids: Ids = new Map([[input.tenantId, world.tenant.id]]);
    if (input.partnerId) ids.set(input.partnerId, world.partner.partnerId);
    const publishers = await publishersFor(server, world, input);
    for (const line of input.lines) {
      const publisher = publishers.get(line.publisherId)!;
      const { appId, planId } = await createAppFor(publisher, line.plan);
      ids.set(line.publisherId, publisher.publisherId).set(line.appId, appId).set(line.planId, planId);
    }
    // The billing profiles the model names: bp_1 for a direct purchase, bp_2 chosen at ACCEPT.
    for (const name of ['bp_1', 'bp_2']) {
      const profile = (await world.admin.post('/api/billing-profiles', { name, paymentMethod: { type: 'check-wire' }, contact: { name: 'n', address: 'a', email: 'ap@x.example' } }).expect(201)).body;
      ids.set(name, profile.id);
    }

    const created = await createPurchase(world, input, ids);
    const id = created.id;
    ids.set(input.id, id);
    let [model] = initialTransition(machine, path.input);
    coverage.recordInitial(path.input);
    let accepted = 0;

    const check = async (where: string) => {
      const context = model.context as PurchaseContext;
      const admin = (await world.admin.get(`/api/purchases/${id}`).expect(200)).body;
      const creator = (await created.creator.get(`/api/purchases/${id}`).expect(200)).body;
      expect(admin.state, where).toBe(model.value);
      expect(admin.allowedEvents, where).toEqual(allowedFor(entry, EVENTS_ROUTE, model, { kind: 'user', roles: ['global-admin'] }));
      expect(creator.allowedEvents, where).toEqual(allowedFor(entry, EVENTS_ROUTE, model, { kind: created.kind, roles: created.kind === 'user' ? ['global-admin'] : [] }));
      // Creation is version 1 (a direct purchase's `always` included), then one per accepted event.
      expect(admin.version, where).toBe(1 + accepted);
      expect(admin, where).toMatchObject({
        id,
        channel: context.channel,
        source: context.source,
        tenantId: mapped(ids, context.tenantId),
        partnerId: mapped(ids, context.partnerId),
        lines: context.lines.map((l) => ({ appId: mapped(ids, l.appId), planId: mapped(ids, l.planId), quantity: l.quantity })),
        billingProfileId: mapped(ids, context.billingProfileId),
        expiresAt: context.expiresAt,
        replaces: null,
      });
      // One subscription per line once placed, pending activation on the chosen profile.
      expect(admin.subscriptionIds, where).toHaveLength(model.value === 'placed' ? context.lines.length : 0);
      for (const [i, subscriptionId] of (admin.subscriptionIds as string[]).entries()) {
        const line = context.lines[i]!;
        const subscription = (await world.admin.get(`/api/subscriptions/${subscriptionId}`).expect(200)).body;
        expect(subscription, where).toMatchObject({
          status: 'pendingActivation',
          purchaseId: id,
          channel: context.channel,
          appId: mapped(ids, line.appId),
          planId: mapped(ids, line.planId),
          publisherId: mapped(ids, line.publisherId),
          quantity: line.quantity,
          billingProfileId: mapped(ids, context.billingProfileId),
          createdAt: context.placedAt,
        });
      }
      // A finished purchase refuses every client event: 409 naming its state and (no) allowed events.
      if (model.status === 'done') {
        for (const event of [{ type: 'DECLINE' }, { type: 'ACCEPT', billingProfileId: ids.get('bp_2') }]) {
          const refused = await world.admin.post(`/api/purchases/${id}/events`, event).expect(409);
          expect(refused.body, where).toMatchObject({ code: refusalOf(entry, model, { type: event.type }), state: model.value, allowedEvents: [] });
        }
      }
    };
    await check(`${path.inputName} created`);

    for (const [i, event] of path.events.entries()) {
      const where = `${path.inputName} step ${i + 1} (${event.type})`;
      switch (event.type) {
        case 'ACCEPT': {
          const ev = event as Extract<PurchaseEvent, { type: 'ACCEPT' }>;
          const tenant = (await world.admin.get('/api/tenant').expect(200)).body;
          const body = { type: 'ACCEPT', billingProfileId: mapped(ids, ev.billingProfileId) };
          // The model's agreementAccepted: the tenant accepted the agreement before, or accepts it
          // with this ACCEPT (which it does unless it says `acceptAgreement: false`).
          if (tenant.agreementAcceptedAt === null) {
            // Declining it is refused (a step the model does not generate): nothing is recorded.
            const withoutAgreement: PurchaseEvent = { ...ev, agreementAccepted: false };
            const refused = await world.admin.post(`/api/purchases/${id}/events`, { ...body, acceptAgreement: false }).expect(422);
            expect(refused.body.code, where).toBe(refusalOf(entry, model, withoutAgreement));
            expect((await world.admin.get('/api/tenant').expect(200)).body.agreementAcceptedAt, where).toBeNull();
          }
          const expected = accepts(model, ev) ? 200 : 422;
          await world.admin.post(`/api/purchases/${id}/events`, { ...body, ...(ev.agreementAccepted ? {} : { acceptAgreement: false }) }).expect(expected);
          if (ev.agreementAccepted) expect((await world.admin.get('/api/tenant').expect(200)).body.agreementAcceptedAt, where).toBe(tenant.agreementAcceptedAt ?? ev.at);
          break;
        }
        case 'DECLINE':
          await world.admin.post(`/api/purchases/${id}/events`, { type: 'DECLINE' }).expect(200);
          break;
        case 'PROPOSAL_EXPIRED':
          // The expiry is a durable timer: moving the clock to expiresAt fires it.
          expect(event.at, where).toBe(model.context.expiresAt);
          await advanceClockTo(server, event.at);
          break;
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

describe('purchase machine, model-based, through the HTTP API', () => {
  it('replays generated paths as HTTP calls, checking state and allowedEvents after every step', async () => {
    // Every generated path, not only the covering ones: there are six, and the channels differ
    // in what an ACCEPT creates (a proposal places two lines of two publishers).
    const paths = modelPaths(purchaseModel);
    await expectFullCoverageOverHttp(machine, paths, replayOverHttp);
  }, 120_000);
});
