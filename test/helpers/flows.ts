import { expect } from 'vitest';
import type { AuthedClient } from './server.js';
import type { World } from './world.js';

/** A valid Visa test number, and one the stand-in processor declines (ends in 0002). */
export const GOOD_CARD = { type: 'credit-card', number: '4242 4242 4242 4242', expMonth: 12, expYear: 2030 } as const;
export const DECLINED_CARD = { type: 'credit-card', number: '4000000000000002', expMonth: 12, expYear: 2030 } as const;

/** A billing profile of the world's tenant, owned by `owner` (the admin unless told). */
export async function createProfile(world: World, paymentMethod: object = GOOD_CARD, owner: AuthedClient = world.admin): Promise<string> {
  const res = await owner
    .post('/api/billing-profiles', { name: 'Main', paymentMethod, contact: { name: 'Contoso AP', address: '1 Main St\nSpringfield', email: 'ap@contoso.example' } })
    .expect(201);
  return res.body.id as string;
}

/** Buy the seat-based plan directly; returns the subscription id. */
export async function buyDirect(world: World, billingProfileId: string, quantity = 5, plan: 'seat' | 'flat' = 'seat'): Promise<string> {
  const res = await world.admin
    .post('/api/purchases', {
      channel: 'direct',
      source: 'appsource',
      appId: world.app.id,
      planId: plan === 'seat' ? world.app.seatPlanId : world.app.flatPlanId,
      quantity: plan === 'seat' ? quantity : null,
      billingProfileId,
      acceptAgreement: true,
    })
    .expect(201);
  expect(res.body.state).toBe('placed');
  return res.body.subscriptionIds[0] as string;
}

/** Open the portal, resolve its token as the publisher, and activate. */
export async function activateViaPortal(world: World, subscriptionId: string): Promise<void> {
  const opened = await world.admin.post(`/api/subscriptions/${subscriptionId}/events`, { type: 'OPEN_PUBLISHER_PORTAL' }).expect(200);
  await world.publisher.post('/api/publisher/resolve', { token: opened.body.handoff.token }).expect(200);
  const active = await world.publisher.post(`/api/subscriptions/${subscriptionId}/events`, { type: 'ACTIVATE' }).expect(200);
  expect(active.body.status).toBe('active');
}
