import { describe, expect } from 'vitest';
import { BACKENDS } from '../helpers/databases.js';
import { T0 } from '../helpers/engine-fixture.js';
import { activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { advanceTo } from '../helpers/scenarios.js';
import { serverTest } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { WEBHOOK_FIELDS, latestByVersion, signatureVerifies } from '../helpers/webhook-checks.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createWorld } from '../helpers/world.js';

const HOUR = 60 * 60_000;
const seconds = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));

async function advance(server: TestServer, ms: number): Promise<void> {
  await server.operator.post('/api/clock/advance', { ms }).expect(200);
}

async function deliveries(server: TestServer, status: string) {
  return (await server.operator.get(`/api/operator/deliveries?status=${status}&limit=200`).expect(200)).body.items as {
    id: string;
    type: string;
    status: string;
    attempts: number;
    lastError: string | null;
  }[];
}

for (const backend of BACKENDS) {
  // eslint-disable-next-line no-empty-pattern
  const test = serverTest(backend).extend('receiver', async ({}, { onCleanup }) => {
    const receiver = await WebhookReceiver.start();
    onCleanup(() => receiver.close());
    return receiver;
  });

  describe(`${backend}: publisher webhooks`, () => {
    test('every change is delivered signed with the publisher secret, with exactly the documented fields', async ({ server, receiver }) => {
      const world = await createWorld(server, { webhookUrl: receiver.url });
      const id = await buyDirect(world, await createProfile(world, { type: 'check-wire' }), 2);
      await activateViaPortal(world, id);
      // Unpaid by its due date: past due; paid: recovered.
      await advanceTo(server, '2026-01-31T00:00:00.000Z');
      const [invoice] = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      await server.operator.post(`/api/invoices/${invoice.id}/payments`, { amount: invoice.total, reference: 'wire-1' }).expect(200);
      await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_QUANTITY', quantity: 3 }).expect(200);
      await advanceTo(server, '2026-02-01T00:00:00.000Z');
      const last = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CANCEL' }).expect(200);

      await receiver.until('six deliveries', () => receiver.delivered.length === 6);
      const got = receiver.delivered;
      expect(got.map((r) => r.body.type)).toEqual([
        'subscription.activated',
        'subscription.past_due',
        'subscription.payment_recovered',
        'subscription.quantity_changed',
        'subscription.renewed',
        'subscription.deactivated',
      ]);
      for (const request of got) {
        expect(request.headers['content-type']).toBe('application/json');
        expect(signatureVerifies(world.publisher.webhookSecret, request)).toBe(true);
        // A signature with another key, or over another body, does not verify.
        expect(signatureVerifies('whsec_someone_else', request)).toBe(false);
        expect(signatureVerifies(world.publisher.webhookSecret, { ...request, raw: request.raw.replace('"version"', '"version" ') })).toBe(false);
        expect(Object.keys(request.body).sort()).toEqual(WEBHOOK_FIELDS);
        expect(request.body).toMatchObject({ subscriptionId: id, appId: world.app.id, tenantId: world.tenant.id });
        expect(request.body.id).toMatch(/^dlv_/);
        // `data` is the subscription view as of the delivery's version.
        expect(request.body.data).toMatchObject({ id, version: request.body.version });
        expect(request.body.occurredAt).toBe(new Date(Date.parse(request.body.occurredAt)).toISOString());
      }
      // Times are the service clock's: the overdue invoice fired at its due date.
      const pastDue = got[1]!;
      expect(pastDue.body.occurredAt).toBe('2026-01-31T00:00:00.000Z');
      expect(pastDue.headers['x-timestamp']).toBe(seconds('2026-01-31T00:00:00.000Z'));
      expect(got[3]!.body.data.quantity).toBe(3);
      expect(got.at(-1)!.body.data).toMatchObject({ status: 'deactivated', version: last.body.version });
      const versions = got.map((r) => r.body.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(versions.length);
      expect(new Set(got.map((r) => r.body.id)).size).toBe(6);
      // The receiver answers before the service records the answer: wait for the records.
      await server.service.ctx.dispatcher.runDue();
      expect((await deliveries(server, 'delivered')).map((d) => d.id).sort()).toEqual(got.map((r) => r.body.id).sort());
    });

    test('a receiver failing three times gets the delivery on the fourth, same id, on the retry schedule of the service clock', async ({ server, receiver }) => {
      receiver.failNext(3);
      const world = await createWorld(server, { webhookUrl: receiver.url });
      const id = await buyDirect(world, await createProfile(world), 2);
      await activateViaPortal(world, id);
      await receiver.until('the first attempt', () => receiver.requests.length === 1);
      // Retries follow the clock: nothing before 10 s, then 10 s, 20 s, 40 s apart.
      await advance(server, 9_999);
      expect(receiver.requests).toHaveLength(1);
      await advance(server, 1);
      expect(receiver.requests).toHaveLength(2);
      await advance(server, 20_000);
      expect(receiver.requests).toHaveLength(3);
      const [pending] = await deliveries(server, 'pending');
      expect(pending).toMatchObject({ type: 'subscription.activated', attempts: 3, lastError: 'receiver answered 503' });
      await advance(server, 40_000);
      expect(receiver.requests.map((r) => r.status)).toEqual([503, 503, 503, 204]);
      expect(new Set(receiver.requests.map((r) => r.body.id))).toEqual(new Set([pending!.id]));
      // The signature is made afresh for each attempt, with that attempt's timestamp.
      expect(receiver.requests.map((r) => Number(r.headers['x-timestamp']) - T0 / 1000)).toEqual([0, 10, 30, 70]);
      for (const request of receiver.requests) expect(signatureVerifies(world.publisher.webhookSecret, request)).toBe(true);
      expect(await deliveries(server, 'pending')).toEqual([]);
      expect((await deliveries(server, 'delivered')).map((d) => d.id)).toEqual([pending!.id]);
    });

    test('one advance over the 3 days retries at each backoff time on the way, as the system clock would, then parks', { timeout: 60_000 }, async ({ server, receiver }) => {
      receiver.mode = 'fail';
      const world = await createWorld(server, { webhookUrl: receiver.url });
      const id = await buyDirect(world, await createProfile(world), 2);
      await activateViaPortal(world, id);
      await receiver.until('the first attempt', () => receiver.requests.length === 1);
      await advance(server, 74 * HOUR);
      // API.md: first retry after 10 s, doubling, capped at 1 h, for 3 days.
      const expected = [0];
      for (let delay = 10; expected.at(-1)! + delay <= 72 * 3600; delay = Math.min(delay * 2, 3600)) expected.push(expected.at(-1)! + delay);
      expect(receiver.requests.map((r) => Number(r.headers['x-timestamp']) - T0 / 1000)).toEqual(expected);
      const failed = await deliveries(server, 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]!.attempts).toBe(expected.length);
    });

    test('a receiver down for over 3 days: the delivery is parked, listed for the operator, and redelivered on request', async ({ server, receiver }) => {
      receiver.mode = 'fail';
      const world = await createWorld(server, { webhookUrl: receiver.url });
      const id = await buyDirect(world, await createProfile(world), 2);
      await activateViaPortal(world, id);
      await receiver.until('the first attempt', () => receiver.requests.length === 1);
      for (let hour = 1; hour < 72; hour++) await advance(server, HOUR);
      expect(await deliveries(server, 'failed')).toEqual([]);
      for (let hour = 72; hour <= 74; hour++) await advance(server, HOUR);
      const failed = await deliveries(server, 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ type: 'subscription.activated', status: 'failed', lastError: 'receiver answered 503' });
      // Parked means no more attempts, however far the clock goes.
      const attempts = receiver.requests.length;
      expect(failed[0]!.attempts).toBe(attempts);
      await advance(server, 24 * HOUR);
      expect(receiver.requests).toHaveLength(attempts);

      receiver.mode = 'ok';
      const answer = await server.operator.post(`/api/operator/deliveries/${failed[0]!.id}/redeliver`).expect(202);
      expect(answer.body).toEqual({ id: failed[0]!.id, status: 'pending' });
      await receiver.until('the redelivery', () => receiver.delivered.length === 1);
      expect(receiver.delivered[0]!.body).toMatchObject({ id: failed[0]!.id, type: 'subscription.activated', subscriptionId: id });
      // Only parked deliveries can be sent again.
      await server.operator.post(`/api/operator/deliveries/${failed[0]!.id}/redeliver`).expect(404);
      await server.operator.post('/api/operator/deliveries/dlv_nothing/redeliver').expect(404);
      expect(await deliveries(server, 'failed')).toEqual([]);
    });

    test('deliveries that arrive out of order are put right by version', async ({ server, receiver }) => {
      // The activation fails once, so it arrives after the two changes made later.
      receiver.failNext(1);
      const world = await createWorld(server, { webhookUrl: receiver.url });
      const id = await buyDirect(world, await createProfile(world), 2);
      await activateViaPortal(world, id);
      await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_QUANTITY', quantity: 3 }).expect(200);
      const latest = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_QUANTITY', quantity: 4 }).expect(200);
      await receiver.until('both changes', () => receiver.delivered.length === 2);
      await advance(server, 10_000);
      await receiver.until('the retried activation', () => receiver.delivered.length === 3);

      const arrived = receiver.delivered.map((r) => r.body);
      expect(arrived.map((b) => b.type)).toEqual(['subscription.quantity_changed', 'subscription.quantity_changed', 'subscription.activated']);
      expect(arrived[2]!.version).toBeLessThan(arrived[0]!.version);
      // Keeping the highest version per subscription, in any order, and with repeats, ends
      // at the subscription as it is now.
      for (const order of [arrived, [...arrived].reverse(), [...arrived, ...arrived]]) {
        const view = latestByVersion(order).get(id)!;
        expect(view.version).toBe(latest.body.version);
        expect(view.data).toMatchObject({ quantity: 4, version: latest.body.version });
      }
    });
  });
}
