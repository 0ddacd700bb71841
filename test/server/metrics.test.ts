import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import supertest from 'supertest';
import { describe, expect } from 'vitest';
import { createHttpServer } from '../../server/http-server.js';
import { BACKENDS } from '../helpers/databases.js';
import { activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { samples, total } from '../helpers/prometheus.js';
import { advanceTo } from '../helpers/scenarios.js';
import { serverTest } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createWorld } from '../helpers/world.js';

// An address of this machine that is not loopback: a client connecting to it is seen as
// coming from it, as a client on the network would be.
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && !a.internal && a.family === 'IPv4')?.address;

async function metricsText(server: TestServer): Promise<string> {
  const res = await server.http().get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
}

/** GET /metrics through a listener on the external address. */
async function fromOutside(server: TestServer) {
  const listener = createHttpServer(server.service.app);
  await new Promise<void>((resolve) => listener.listen(0, external, () => resolve()));
  try {
    return await supertest(`http://${external}:${(listener.address() as AddressInfo).port}`).get('/metrics');
  } finally {
    listener.closeAllConnections();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  }
}

for (const backend of BACKENDS) {
  // eslint-disable-next-line no-empty-pattern
  const test = serverTest(backend).extend('receiver', async ({}, { onCleanup }) => {
    const receiver = await WebhookReceiver.start();
    onCleanup(() => receiver.close());
    return receiver;
  });

  describe(`${backend}: GET /metrics`, () => {
    test('requests by route pattern and status, events accepted and refused, timer lag, outbox and database', async ({ server, receiver }) => {
      const world = await createWorld(server, { webhookUrl: receiver.url });
      const id = await buyDirect(world, await createProfile(world), 2);
      await activateViaPortal(world, id);
      await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ACTIVATE' }).expect(409);
      await world.admin.get('/api/subscriptions').expect(200);
      await server.http().get('/api/subscriptions').expect(401);
      // The renewal fires on time, and its webhook fails once, so one waits.
      receiver.failNext(1);
      await advanceTo(server, '2026-02-01T00:00:00.000Z');
      const text = await metricsText(server);

      const route = (method: string, path: string, status: number) =>
        total(text, 'http_request_duration_seconds_count', { method, route: path, status: String(status) });
      expect(route('POST', '/api/subscriptions/:id/events', 200)).toBe(2);
      expect(route('POST', '/api/subscriptions/:id/events', 409)).toBe(1);
      expect(route('GET', '/api/subscriptions', 200)).toBe(1);
      expect(route('POST', '/api/purchases', 201)).toBe(1);
      // Answered before any route matched: no token.
      expect(route('GET', 'unrouted', 401)).toBe(1);
      // Route patterns, never URLs: no id appears in any label.
      expect(samples(text, 'http_request_duration_seconds_count').every((s) => !/_[0-9a-z]{20,}/.test(s.labels.route ?? ''))).toBe(true);
      expect(text).not.toContain(id);

      expect(total(text, 'events_accepted_total', { machine: 'purchase', type: 'xstate.init' })).toBe(1);
      expect(total(text, 'events_accepted_total', { machine: 'subscription', type: 'ACTIVATE' })).toBe(1);
      expect(total(text, 'events_accepted_total', { machine: 'subscription', type: 'TERM_ENDED' })).toBe(1);
      expect(total(text, 'events_refused_total', { machine: 'subscription', type: 'ACTIVATE', code: 'event_not_allowed' })).toBe(1);

      // The manual clock fires each timer at its due time: lag 0, but every firing counted.
      expect(total(text, 'timer_lag_seconds_count')).toBeGreaterThanOrEqual(1);
      expect(total(text, 'timer_lag_seconds_bucket', { le: '0.01' })).toBe(total(text, 'timer_lag_seconds_count'));

      expect(total(text, 'outbox_deliveries_total', { kind: 'webhook', outcome: 'delivered' })).toBe(1);
      expect(total(text, 'outbox_deliveries_total', { kind: 'webhook', outcome: 'retry' })).toBe(1);
      expect(total(text, 'outbox_deliveries_total', { kind: 'charge', outcome: 'delivered' })).toBeGreaterThanOrEqual(2);
      expect(total(text, 'outbox_backlog', { kind: 'webhook', status: 'pending' })).toBe(1);

      for (const operation of ['select', 'insert', 'update', 'batch']) {
        expect(total(text, 'db_query_duration_seconds_count', { operation })).toBeGreaterThan(0);
      }
    });

    test.skipIf(!external)('answers 403 problem+json to a client that is not on loopback', async ({ server }) => {
      const res = await fromOutside(server);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 403, code: 'forbidden' });
      expect(res.text).not.toContain('http_request_duration_seconds');
    });
  });

  describe(`${backend}: GET /metrics open to any client`, () => {
    const open = serverTest(backend, { metricsAccess: 'any' });
    open.skipIf(!external)('answers a client that is not on loopback', async ({ server }) => {
      const res = await fromOutside(server);
      expect(res.status).toBe(200);
      expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    });
  });
}
