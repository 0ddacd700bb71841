import { describe, expect } from 'vitest';
import { activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { serverTest } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

const test = serverTest('sqlite');

describe('subscription history pages like any list', () => {
  test('whole by default; with ?limit= (1–200) it pages with nextCursor, and 201 is 422', async ({ server }) => {
    const world = await createWorld(server);
    const id = await buyDirect(world, await createProfile(world), 2);
    await activateViaPortal(world, id);
    const whole = (await world.admin.get(`/api/subscriptions/${id}/history`).expect(200)).body;
    expect(whole.items.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(whole.nextCursor).toBeNull();
    const first = (await world.admin.get(`/api/subscriptions/${id}/history?limit=3`).expect(200)).body;
    expect(first.items.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    const rest = (await world.admin.get(`/api/subscriptions/${id}/history?limit=3&cursor=${first.nextCursor}`).expect(200)).body;
    expect(rest.items.map((e: { seq: number }) => e.seq)).toEqual([4]);
    expect(rest.nextCursor).toBeNull();
    expect((await world.admin.get(`/api/subscriptions/${id}/history?limit=201`).expect(422)).body.code).toBe('validation_failed');
  });
});
