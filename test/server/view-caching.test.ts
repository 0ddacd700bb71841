import { describe, expect } from 'vitest';
import { buyDirect, createProfile } from '../helpers/flows.js';
import { serverTest } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

// Views carry the caller's allowedEvents but an ETag of the version alone. A browser that
// read a view with one token and revalidated it with another got 304 for the same
// version, and the admin center showed the publisher's actions (found by the web tests).

const test = serverTest('sqlite');

describe('caching of caller-specific views', () => {
  test('a view varies by Authorization and is revalidated before each use', async ({ server }) => {
    const world = await createWorld(server);
    const id = await buyDirect(world, await createProfile(world));
    const asAdmin = await world.admin.get(`/api/subscriptions/${id}`).expect(200);
    const asPublisher = await world.publisher.get(`/api/subscriptions/${id}`).expect(200);
    expect(asAdmin.headers.etag).toBe(asPublisher.headers.etag);
    expect(asAdmin.body.allowedEvents).not.toEqual(asPublisher.body.allowedEvents);
    for (const res of [asAdmin, asPublisher]) {
      expect(res.headers.vary).toMatch(/\bAuthorization\b/i);
      expect(res.headers['cache-control']).toBe('private, no-cache');
    }
  });
});
