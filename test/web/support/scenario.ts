import type { Demo } from './demo.js';

/** The demo tenant's billing profile (the seed makes one, owned by the admin). */
export async function demoProfileId(demo: Demo): Promise<string> {
  const res = await demo.server.as(demo.tokens.admin).get('/api/billing-profiles').expect(200);
  return res.body.items[0].id as string;
}

/** Buy Ledgerly through the API; returns the subscription id (pendingActivation). */
export async function buyLedgerly(demo: Demo, quantity = 5): Promise<string> {
  const admin = demo.server.as(demo.tokens.admin);
  const body = {
    channel: 'direct',
    source: 'appsource',
    appId: demo.apps.ledgerly.id,
    planId: demo.apps.ledgerly.seatPlanId,
    quantity,
    billingProfileId: await demoProfileId(demo),
    acceptAgreement: true,
  };
  const res = await admin.post('/api/purchases', body).expect(201);
  return res.body.subscriptionIds[0] as string;
}

/** Buy, go through the portal handoff and activate, then assign `users`; returns the subscription id. */
export async function activeLedgerly(demo: Demo, users: string[] = []): Promise<string> {
  const id = await buyLedgerly(demo);
  const admin = demo.server.as(demo.tokens.admin);
  const publisher = demo.server.as(demo.tokens.publisher);
  const opened = await admin.post(`/api/subscriptions/${id}/events`, { type: 'OPEN_PUBLISHER_PORTAL' }).expect(200);
  await publisher.post('/api/publisher/resolve', { token: opened.body.handoff.token }).expect(200);
  await publisher.post(`/api/subscriptions/${id}/events`, { type: 'ACTIVATE' }).expect(200);
  if (users.length > 0) await publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: users }).expect(200);
  return id;
}

/** A partner order and a sales proposal waiting for the demo tenant. */
export async function pendingOrders(demo: Demo): Promise<void> {
  const { sketchbook, ledgerly } = demo.apps;
  await demo.server
    .as(demo.tokens.partner)
    .post('/api/purchases', { channel: 'partner', tenantId: demo.tenantId, appId: sketchbook.id, planId: sketchbook.seatPlanId, quantity: 10 })
    .expect(201);
  const expiresAt = new Date(demo.server.service.ctx.runtime.clock.now() + 14 * 86_400_000).toISOString();
  await demo.server
    .as(demo.tokens.sales)
    .post('/api/purchases', { channel: 'proposal', tenantId: demo.tenantId, lines: [{ appId: ledgerly.id, planId: ledgerly.seatPlanId, quantity: 20 }], expiresAt })
    .expect(201);
}
