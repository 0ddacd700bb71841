import { describe, expect } from 'vitest';
import { buyDirect, createProfile } from '../helpers/flows.js';
import { serverTest } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

const test = serverTest('sqlite');

describe('reads beside the writer', () => {
  test('lists and histories answer while a transaction holds the writing connection', async ({ server }) => {
    const world = await createWorld(server);
    const id = await buyDirect(world, await createProfile(world));
    // Every route read once first, so that what it looks up besides (the caller) is cached.
    const paths = ['/api/subscriptions', `/api/subscriptions/${id}/history`, `/api/subscriptions/${id}/invoices`, '/api/purchases'];
    for (const path of paths) await world.admin.get(path).expect(200);

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const begun = new Promise<void>((resolve) => (inside = resolve));
    const holding = server.database.db.transaction().execute(async (trx) => {
      await trx.insertInto('partners').values({ id: 'prt_held', name: 'held', created_at: '2026-01-01T00:00:00.000Z' }).execute();
      inside();
      await held;
    });
    await begun;
    try {
      // Behind the writer these would wait for the transaction, which waits for them: the test would time out.
      expect((await world.admin.get('/api/subscriptions').expect(200)).body.items.map((s: { id: string }) => s.id)).toEqual([id]);
      expect((await world.admin.get(`/api/subscriptions/${id}/history`).expect(200)).body.items.length).toBeGreaterThan(0);
      await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200);
      await world.admin.get('/api/purchases').expect(200);
    } finally {
      release();
      await holding;
    }
  });
});
